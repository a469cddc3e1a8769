#include "sync/remotewalker.h"

#include "remote/remotebackend.h"

namespace steadysync {

RemoteWalker::RemoteWalker(RemoteBackend *backend, const IgnoreRules &ignore, int concurrency,
                           QObject *parent)
    : QObject(parent), m_backend(backend), m_ignore(ignore), m_concurrency(qMax(1, concurrency))
{}

void RemoteWalker::start(const QStringList &scopes)
{
    for (const QString &scope : scopes) {
        if (scope.isEmpty())
            enqueueDirectory(QString());
        else
            statScope(scope);
    }
    pump();
    finishIfDone();
}

void RemoteWalker::statScope(const QString &scope)
{
    ++m_inFlight;
    EntryJob *job = m_backend->stat(scope);
    connect(job, &RemoteJob::finished, this, [this, job, scope] {
        --m_inFlight;
        if (m_done)
            return;
        if (job->succeeded()) {
            RemoteEntry entry = job->entry();
            entry.path = scope;
            if (!m_ignore.isIgnored(scope, entry.isDir())) {
                m_snapshot.insert(scope, entry);
                if (entry.isDir())
                    enqueueDirectory(scope);
            }
        } else if (job->error()->kind != ErrorKind::NotFound &&
                   job->error()->kind != ErrorKind::ParentMissing) {
            fail(*job->error());
            return;
        }
        pump();
        finishIfDone();
    });
}

void RemoteWalker::enqueueDirectory(const QString &path)
{
    m_pendingDirectories.append(path);
}

void RemoteWalker::pump()
{
    while (!m_done && m_inFlight < m_concurrency && !m_pendingDirectories.isEmpty()) {
        const QString directory = m_pendingDirectories.takeLast();
        ++m_inFlight;
        ListJob *job = m_backend->list(directory);
        connect(job, &RemoteJob::finished, this,
                [this, directory](RemoteJob *finishedJob) { onListed(directory, finishedJob); });
    }
}

void RemoteWalker::onListed(const QString &directory, RemoteJob *finishedJob)
{
    --m_inFlight;
    if (m_done)
        return;
    auto *job = static_cast<ListJob *>(finishedJob);
    if (!job->succeeded()) {
        if (job->error()->kind == ErrorKind::NotFound && !directory.isEmpty()) {
            // Deleted while we walked: it is simply gone.
            m_snapshot.remove(directory);
        } else {
            fail(*job->error());
            return;
        }
    } else {
        for (const QString &rejected : job->rejectedNames())
            m_rejected.append(joinPath(directory, rejected));
        for (const RemoteEntry &child : job->entries()) {
            if (m_ignore.isIgnored(child.path, child.isDir()))
                continue;
            m_snapshot.insert(child.path, child);
            if (child.isDir())
                enqueueDirectory(child.path);
        }
    }
    pump();
    finishIfDone();
}

void RemoteWalker::fail(const Error &error)
{
    m_error = error;
    m_done = true;
    Q_EMIT finished();
}

void RemoteWalker::finishIfDone()
{
    if (m_done || m_inFlight > 0 || !m_pendingDirectories.isEmpty())
        return;
    m_done = true;
    Q_EMIT finished();
}

} // namespace steadysync
