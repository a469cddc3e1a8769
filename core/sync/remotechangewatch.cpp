#include "sync/remotechangewatch.h"

#include "remote/remotebackend.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QUuid>

namespace steadysync {

namespace {

constexpr int maxFailuresInARow = 3;

} // namespace

QString RemoteChangeWatch::beaconPath()
{
    return QStringLiteral(".steadysync/beacon");
}

bool RemoteChangeWatch::supports(const RemoteBackend &backend)
{
    return backend.url().scheme().startsWith(QLatin1String("http"));
}

RemoteChangeWatch::RemoteChangeWatch(RemoteBackend *backend, QObject *parent)
    : QObject(parent), m_backend(backend)
{
    m_timer.setInterval(IntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &RemoteChangeWatch::check);
}

void RemoteChangeWatch::start()
{
    m_failuresInARow = 0;
    m_timer.start();
}

void RemoteChangeWatch::stop()
{
    m_timer.stop();
    if (m_inFlight)
        m_inFlight->cancel();
}

void RemoteChangeWatch::check()
{
    if (m_inFlight || (m_mayCheck && !m_mayCheck()))
        return;
    const QString path = m_rootTells && m_rootTells() ? QString() : beaconPath();
    ++m_checks;
    EntryJob *job = m_backend->stat(path);
    m_inFlight = job;
    connect(job, &RemoteJob::finished, this, [this, path, job] { onChecked(path, job); });
}

// The first answer for a target is its baseline, and counts as a change: what changed before
// it (since the last cycle's walk) is found by the poll it starts. A different answer later is
// a change.
void RemoteChangeWatch::onChecked(const QString &path, EntryJob *job)
{
    m_inFlight = nullptr;
    QByteArray signature;
    if (job->succeeded()) {
        signature = job->entry().signature();
    } else if (job->error()->kind == ErrorKind::NotFound) {
        signature = "absent";
    } else {
        if (job->error()->kind != ErrorKind::Cancelled && ++m_failuresInARow >= maxFailuresInARow)
            m_timer.stop(); // the configured poll is left
        return;
    }
    m_failuresInARow = 0;
    const bool known = path == m_baselinePath && m_baseline;
    if (known && signature == *m_baseline)
        return;
    m_baselinePath = path;
    m_baseline = signature;
    Q_EMIT changed();
}

void touchBeacon(RemoteBackend *backend, const QString &scratchDirectory, QObject *context,
                 std::function<void()> done)
{
    QDir().mkpath(scratchDirectory);
    const QString local = scratchDirectory + QStringLiteral("/beacon");
    QFile file(local);
    // A new length too: servers without ETags (nginx) tell a change by size and a whole-second
    // mtime.
    const QByteArray content = QUuid::createUuid().toByteArray() +
                               QByteArray(int(QRandomGenerator::global()->bounded(1, 64)), '.') +
                               '\n';
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(content) < 0)
        return done();
    file.close();
    RemoteJob *made = backend->makeDirectory(QStringLiteral(".steadysync"));
    QObject::connect(made, &RemoteJob::finished, context, [backend, context, local, done] {
        EntryJob *upload =
            backend->upload(local, RemoteChangeWatch::beaconPath(),
                            QDateTime::currentMSecsSinceEpoch() * 1'000'000, Precondition::none());
        QObject::connect(upload, &RemoteJob::finished, context, [local, done] {
            QFile::remove(local);
            done();
        });
    });
}

} // namespace steadysync
