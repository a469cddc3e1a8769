#include "remotefoldercreator.h"

namespace steadysync {

void RemoteFolderCreator::start(const QUrl &url, const BackendOptions &options)
{
    const QUrl stripped = url.adjusted(QUrl::StripTrailingSlash);
    const QString name = stripped.fileName();
    QString error;
    std::unique_ptr<RemoteBackend> parent =
        name.isEmpty()
            ? nullptr
            : RemoteBackend::create(stripped.adjusted(QUrl::RemoveFilename), options, &error);
    if (!parent) {
        const QString reason = error.isEmpty() ? tr("The address names no folder.") : error;
        QMetaObject::invokeMethod(
            this, [this, reason] { Q_EMIT finished(reason); }, Qt::QueuedConnection);
        return;
    }
    m_backend = parent.release();
    m_backend->setParent(this);
    EntryJob *job = m_backend->makeDirectory(name);
    connect(job, &RemoteJob::finished, this,
            [this, job] { finish(job->succeeded() ? QString() : job->error()->message); });
}

void RemoteFolderCreator::finish(const QString &error)
{
    // Deleted later: the job that just finished is still unwinding inside the backend.
    if (m_backend)
        m_backend->deleteLater();
    m_backend.clear();
    Q_EMIT finished(error);
}

} // namespace steadysync
