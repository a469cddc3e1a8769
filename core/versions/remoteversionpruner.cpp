#include "versions/remoteversionpruner.h"

#include "remote/remotebackend.h"
#include "versions/versionstore.h"

#include <QFileInfo>

namespace steadysync {

RemoteVersionPruner::RemoteVersionPruner(RemoteBackend *backend, QString localRoot,
                                         const Clock *clock, qint64 minIntervalMs, QObject *parent)
    : QObject(parent), m_backend(backend), m_localRoot(std::move(localRoot)), m_clock(clock),
      m_minIntervalMs(minIntervalMs)
{}

void RemoteVersionPruner::pruneSoon(const RetentionPolicy &policy)
{
    const qint64 now = m_clock->nowMs();
    if (m_running || (m_lastStartMs >= 0 && now - m_lastStartMs < m_minIntervalMs))
        return;
    // Nothing was ever kept: no store is made for nothing (as VersionPruner).
    if (!QFileInfo::exists(VersionStore::directory(m_localRoot) + QStringLiteral("/index.db")))
        return;
    Result<std::unique_ptr<VersionStore>> store = VersionStore::open(m_localRoot, m_clock);
    if (!store)
        return;
    Result<QList<VersionEntry>> entries = (*store)->list();
    if (!entries)
        return;
    entries->removeIf([](const VersionEntry &entry) { return !entry.isOnRemote(); });
    const QList<qint64> ids = versionsToPrune(*entries, now, policy);
    m_lastStartMs = now;
    if (ids.isEmpty())
        return;
    QList<Doomed> doomed;
    for (const VersionEntry &entry : std::as_const(*entries))
        if (ids.contains(entry.id) && doomed.size() < MaxRemovals)
            doomed.append({entry.id, entry.remoteCopy()});
    m_running = true;
    removeNext(doomed, 0);
}

void RemoteVersionPruner::removeNext(QList<Doomed> left, int removed)
{
    if (left.isEmpty())
        return end(removed, {});
    const Doomed next = left.takeFirst();
    RemoteJob *job = m_backend->remove(next.keptPath, Precondition::none());
    connect(job, &RemoteJob::finished, this, [this, job, next, left, removed] {
        if (!job->succeeded() && job->error()->kind != ErrorKind::NotFound)
            return end(removed, job->error()->message);
        Result<std::unique_ptr<VersionStore>> store = VersionStore::open(m_localRoot, m_clock);
        if (!store)
            return end(removed, store.error().message);
        if (Status forgotten = (*store)->forget({next.id}); !forgotten)
            return end(removed, forgotten.error().message);
        removeNext(left, removed + 1);
    });
}

void RemoteVersionPruner::end(int removed, const QString &error)
{
    m_running = false;
    Q_EMIT pruned(removed, error);
}

} // namespace steadysync
