#pragma once

#include "remote/remotejob.h"
#include "remote/s3/s3session.h"
#include "remote/slotjobstart.h"

#include <QNetworkReply>
#include <QPointer>

#include <functional>
#include <type_traits>

namespace steadysync {

// One S3 operation, which may take several requests (a HEAD before a write, pages of a
// listing, the parts of an upload). Holds a concurrency slot from start to finish; cancel()
// aborts the requests in flight. Handlers never run after the job ended.
template<typename Base> class S3Job final : public Base
{
public:
    using Handler = std::function<void(QNetworkReply *reply, const QByteArray &body)>;

    S3Job(QObject *parent, S3Session *session) : Base(parent), m_session(session) {}
    ~S3Job() override
    {
        if (m_session)
            m_session->releaseSlot(this);
    }

    S3Session *session() const { return m_session; }
    bool done() const { return this->isFinished(); }

    // Sends request; onFinished gets the reply and its whole body (unless the job ended).
    // With onReadyRead, the body is streamed to it instead and onFinished gets no body.
    void send(const S3Request &request, Handler onFinished,
              std::function<void(QNetworkReply *)> onReadyRead = {})
    {
        QNetworkReply *reply = m_session->send(request);
        reply->setParent(this);
        m_replies.append(reply);
        if (onReadyRead)
            QObject::connect(reply, &QNetworkReply::readyRead, this, [this, reply, onReadyRead] {
                if (!this->isFinished())
                    onReadyRead(reply);
            });
        const bool streamed = bool(onReadyRead);
        QObject::connect(reply, &QNetworkReply::finished, this,
                         [this, reply, onFinished, streamed] {
                             m_replies.removeAll(reply);
                             reply->deleteLater();
                             if (this->isFinished())
                                 return;
                             onFinished(reply, streamed ? QByteArray() : reply->readAll());
                         });
    }

    // Fails the job with the error of a non-2xx answer; false when the answer was a success.
    bool failIfError(const QNetworkReply *reply, const QByteArray &body, const QString &what)
    {
        std::optional<Error> error = m_session->errorFor(reply, body, what);
        if (!error)
            return false;
        fail(*error);
        return true;
    }

    void cancel() override
    {
        if (this->isFinished())
            return;
        dropReplies();
        if (m_session)
            m_session->releaseSlot(this);
        Base::cancel();
    }

    void fail(const Error &error) { end(error); }
    void succeed() { end(std::nullopt); }
    void succeed(RemoteEntry entry) requires std::is_base_of_v<EntryJob, Base>
    {
        this->m_entry = std::move(entry);
        end(std::nullopt);
    }
    void succeed(QVector<RemoteEntry> entries, QStringList rejected,
                 QStringList rejectedPaths) requires std::is_base_of_v<ListJob, Base>
    {
        this->m_entries = std::move(entries);
        this->m_rejected = std::move(rejected);
        this->m_rejectedPaths = std::move(rejectedPaths);
        end(std::nullopt);
    }
    void setSentSha256(QByteArray sha256) requires std::is_base_of_v<EntryJob, Base>
    {
        this->m_sentSha256 = std::move(sha256);
    }
    void setWriteUnproven() requires std::is_base_of_v<EntryJob, Base>
    {
        this->m_writeUnproven = true;
    }
    void reportBytes(qint64 bytes) { this->setBytesTransferred(bytes); }

private:
    void end(const std::optional<Error> &error)
    {
        if (this->isFinished())
            return;
        dropReplies();
        if (m_session)
            m_session->releaseSlot(this);
        this->finish(error);
    }

    void dropReplies()
    {
        const auto replies = std::exchange(m_replies, {});
        for (const QPointer<QNetworkReply> &reply : replies) {
            if (!reply)
                continue;
            QObject::disconnect(reply, nullptr, this, nullptr);
            reply->abort();
            reply->deleteLater();
        }
    }

    QPointer<S3Session> m_session;
    QList<QPointer<QNetworkReply>> m_replies;
};

// Creates a job and runs start(job) once a concurrency slot is free.
template<typename Base, typename Start>
Base *startS3Job(QObject *parent, S3Session *session, Start start)
{
    return startWhenSlotFree(new S3Job<Base>(parent, session), session, std::move(start));
}

} // namespace steadysync
