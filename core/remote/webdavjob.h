#pragma once

#include "remote/propfindparser.h"
#include "remote/remotebackend.h"
#include "remote/slotjobstart.h"
#include "remote/webdavdirectput.h"
#include "remote/webdavsession.h"

#include <QNetworkReply>
#include <QPointer>
#include <QTimer>

#include <functional>
#include <type_traits>

namespace steadysync {

// What the protocol steps (PROPFIND, LOCK, the write sequence) need of the job they run in,
// whichever kind of job that is: its session, one request in flight, and its end.
class WebDavRequests
{
public:
    using ReplyHandler = std::function<void(QNetworkReply *)>;

    virtual ~WebDavRequests() = default;
    virtual WebDavSession *session() const = 0;
    virtual bool done() const = 0;
    // The job as a QObject: the context of timers and callbacks, which die with it.
    virtual QObject *context() = 0;
    // Sends a request; onFinished runs (unless the job ended meanwhile) with the reply, which
    // is deleted afterwards. onReadyRead streams the body.
    virtual QNetworkReply *send(const WebDavSession::Request &request, ReplyHandler onFinished,
                                ReplyHandler onReadyRead = {}) = 0;
    virtual void fail(Error error) = 0;
    virtual void reportBytes(qint64 bytes) = 0;
};

inline int statusOf(const QNetworkReply *reply)
{
    return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
}

// Runs retry() after a pause, unless the job ended meanwhile.
template<typename Retry> void retryWhenSettled(WebDavRequests *job, int pauseMs, Retry retry)
{
    QTimer::singleShot(pauseMs, job->context(), [job, retry] {
        if (!job->done())
            retry();
    });
}

// One WebDAV operation; may take several requests (a stat before a write, a PROPFIND after
// it). Holds a concurrency slot from start to finish; cancel() aborts the request in flight.
template<typename Base> class WebDavJob final : public Base, public WebDavRequests
{
public:
    WebDavJob(RemoteBackend *backend, WebDavSession *session) : Base(backend), m_session(session) {}

    ~WebDavJob() override
    {
        if (m_session)
            m_session->releaseSlot(this);
    }

    WebDavSession *session() const override { return m_session; }
    bool done() const override { return this->isFinished(); }
    QObject *context() override { return this; }

    void cancel() override
    {
        if (this->isFinished())
            return;
        dropReply();
        m_session->releaseSlot(this);
        Base::cancel();
    }

    QNetworkReply *send(const WebDavSession::Request &request, ReplyHandler onFinished,
                        ReplyHandler onReadyRead = {}) override
    {
        QNetworkReply *reply = m_session->send(request, true);
        reply->setParent(this);
        m_reply = reply;
        if (onReadyRead)
            QObject::connect(reply, &QNetworkReply::readyRead, this, [this, reply, onReadyRead] {
                if (!this->isFinished() && !WebDavSession::isUnansweredChallenge(reply))
                    onReadyRead(reply);
            });
        QObject::connect(reply, &QNetworkReply::finished, this,
                         [this, reply, request, onFinished, onReadyRead] {
                             if (m_reply == reply)
                                 m_reply = nullptr;
                             reply->deleteLater();
                             if (this->isFinished())
                                 return;
                             if (m_session->resendAfterChallenge(reply))
                                 return void(send(request, onFinished, onReadyRead));
                             onFinished(reply);
                         });
        return reply;
    }

    // A direct PUT in flight instead of a reply: aborted like one.
    void adopt(WebDavDirectPut *put)
    {
        put->setParent(this);
        m_directPut = put;
    }

    void setSentSha256(QByteArray sha256) requires std::is_base_of_v<EntryJob, Base>
    {
        this->m_sentSha256 = std::move(sha256);
    }
    void setWriteUnproven() requires std::is_base_of_v<EntryJob, Base>
    {
        this->m_writeUnproven = true;
    }

    void fail(Error error) override { end(error); }
    void succeed() { end(std::nullopt); }
    void succeed(RemoteEntry entry) requires std::is_base_of_v<EntryJob, Base>
    {
        this->m_entry = std::move(entry);
        end(std::nullopt);
    }
    // listing's paths are relative to directory.
    void succeed(const QString &directory,
                 PropfindListing listing) requires std::is_base_of_v<ListJob, Base>
    {
        this->m_entries = std::move(listing.children);
        for (RemoteEntry &entry : this->m_entries)
            entry.path = joinPath(directory, entry.path);
        this->m_rejected = std::move(listing.rejectedNames);
        for (const QString &path : std::as_const(listing.rejectedPaths))
            this->m_rejectedPaths.append(joinPath(directory, path));
        this->m_unnamedMembers = listing.unnamedMembers;
        end(std::nullopt);
    }
    void reportBytes(qint64 bytes) override { this->setBytesTransferred(bytes); }

private:
    void end(const std::optional<Error> &error)
    {
        if (this->isFinished())
            return;
        dropReply();
        m_session->releaseSlot(this);
        this->finish(error);
    }

    void dropReply()
    {
        if (m_directPut)
            m_directPut->abort();
        if (!m_reply)
            return;
        QNetworkReply *reply = m_reply;
        m_reply = nullptr;
        QObject::disconnect(reply, nullptr, this, nullptr);
        reply->abort();
        reply->deleteLater();
    }

    QPointer<WebDavSession> m_session;
    QPointer<QNetworkReply> m_reply;
    QPointer<WebDavDirectPut> m_directPut;
};

// Creates a job and starts it once a concurrency slot is free. Validation errors finish it
// at once (still delivered queued).
template<typename Base, typename Start>
Base *startJob(RemoteBackend *backend, WebDavSession *session, Start start)
{
    return startWhenSlotFree(new WebDavJob<Base>(backend, session), session, std::move(start));
}

} // namespace steadysync
