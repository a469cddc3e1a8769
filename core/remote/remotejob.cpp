#include "remote/remotejob.h"

#include <QPointer>

namespace steadysync {

void RemoteJob::cancel()
{
    if (m_finished)
        return;
    finish(makeError(ErrorKind::Cancelled, QStringLiteral("cancelled")));
}

void RemoteJob::finish(const std::optional<Error> &error)
{
    if (m_finished)
        return;
    m_finished = true;
    m_error = error;
    // Always delivered from the event loop: callers connect to finished() only after the
    // call that created the job returns, and a slot calling cancel() must not re-enter.
    QMetaObject::invokeMethod(
        this,
        [this] {
            const QPointer<RemoteJob> self(this);
            Q_EMIT finished(this);
            if (self) // a slot may have deleted it despite the contract
                deleteLater();
        },
        Qt::QueuedConnection);
}

void RemoteJob::setBytesTransferred(qint64 bytes)
{
    // A transfer's last progress may arrive after its job ended (cancelled): it is not news.
    if (m_finished || bytes == m_bytesTransferred)
        return;
    m_bytesTransferred = bytes;
    Q_EMIT progress(bytes);
}

} // namespace steadysync
