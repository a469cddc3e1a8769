#include "versions/versionkeeper.h"

#include <QDir>

namespace steadysync {

namespace {

constexpr int PruneRemovalBound = 2'000; // blobs unlinked per run: a few milliseconds' work

} // namespace

VersionKeeper::VersionKeeper(QString localRoot, const Clock *clock)
    : m_localRoot(QDir(localRoot).absolutePath()), m_clock(clock)
{}

VersionKeeper::~VersionKeeper() = default;

Status VersionKeeper::keep(const Keep &what)
{
    if (!m_store) {
        Result<std::unique_ptr<VersionStore>> opened = VersionStore::open(m_localRoot, m_clock);
        if (!opened)
            return opened.error();
        m_store = std::move(*opened);
    }
    VersionStore::SaveRequest request;
    const QString source = what.source.isEmpty() ? what.path : what.source;
    request.source =
        QDir::isAbsolutePath(source) ? source : m_localRoot + QLatin1Char('/') + source;
    request.path = what.path;
    request.reason = what.reason;
    request.origin = what.origin;
    request.mode = what.mode;
    Result<VersionEntry> saved = m_store->save(request);
    if (!saved && saved.error().kind != ErrorKind::NotFound)
        return saved.error();
    return success();
}

Status VersionKeeper::keepIn(VersionKeeper *keeper, const Keep &what)
{
    return keeper ? keeper->keep(what) : success();
}

VersionPruner::VersionPruner(qint64 minIntervalMs) : m_minIntervalMs(minIntervalMs)
{
    m_pool.setMaxThreadCount(1);
}

VersionPruner::~VersionPruner()
{
    m_pool.waitForDone();
}

void VersionPruner::pruneSoon(const QString &localRoot, const RetentionPolicy &policy,
                              const Clock *clock)
{
    const qint64 now = clock->nowMs();
    if (m_running.load() || (m_lastStartMs >= 0 && now - m_lastStartMs < m_minIntervalMs))
        return;
    if (!QDir(VersionStore::directory(localRoot)).exists())
        return; // nothing was ever kept
    m_lastStartMs = now;
    m_running = true;
    m_pool.start([this, localRoot, policy, clock] {
        {
            Result<std::unique_ptr<VersionStore>> store = VersionStore::open(localRoot, clock);
            if (store)
                (void)(*store)->prune(policy, PruneRemovalBound); // failures: next time
        }
        m_running = false;
    });
}

} // namespace steadysync
