#pragma once

#include "remote/pacer.h"
#include "remote/propfindparser.h"
#include "remote/remotebackend.h"
#include "remote/webdavcapabilities.h"
#include "remote/webdavdirectput.h"
#include "remote/webdavhttp.h"

#include <QList>
#include <QNetworkAccessManager>
#include <QPointer>
#include <QSet>
#include <QSslConfiguration>

#include <functional>
#include <utility>

class QAuthenticator;
class QNetworkReply;
class QSslError;

namespace steadysync {

class WebDavStatBatcher;
namespace webdav {
using StatDone = std::function<void(Result<std::optional<RemoteEntry>>)>;
}

// The connection state a WebDavBackend's jobs share: one QNetworkAccessManager (keep-alive,
// QNAM's own pool of connections per host), credentials, TLS trust, the limit on concurrent
// jobs and what is known about the server.
class WebDavSession : public QObject
{
    Q_OBJECT
public:
    struct Request
    {
        QByteArray verb;
        QUrl url;
        QList<std::pair<QByteArray, QByteArray>> headers;
        QByteArray body;
        QIODevice *upload = nullptr; // streamed instead of body when set
    };

    // collectionRoot must end in '/' and carry no user info.
    WebDavSession(const QUrl &collectionRoot, const BackendOptions &options,
                  const QList<QSslCertificate> &extraCaCertificates, QObject *parent = nullptr);
    ~WebDavSession() override;

    const QUrl &root() const { return m_root; }
    // A PROPFIND of the root answered with a redirect to another path of the same origin (the
    // collection moved): the root becomes that path, for every request from then on, and true
    // is returned (the caller asks again). Any other answer, another origin or a fifth move
    // leaves the root as it is. Only the root moves: a redirect of anything else is an error,
    // as Qt Network would repeat a redirected PROPFIND, PUT or DELETE as a GET.
    bool followRootMove(const QNetworkReply *reply);
    const BackendOptions &options() const { return m_options; }
    // The pacing below follows new limits from the next chunk on.
    void setBandwidthLimits(qint64 upKiB, qint64 downKiB);
    QUrl urlFor(const QString &path, bool directory) const;

    // Only GETs follow redirects (on the same origin): Qt Network would turn any other method
    // into a GET at a 301 or 302, and a PUT or DELETE answered 200 would look done.
    // resendable: the caller sends the request again when resendAfterChallenge() says so.
    QNetworkReply *send(const Request &request, bool resendable = false);
    // True when reply is the session's first 401, left unanswered to learn the server's scheme
    // (onAuthenticationRequired): the request must be sent again, and from then on carries
    // Basic credentials up front where the server asked for Basic.
    [[nodiscard]] bool resendAfterChallenge(const QNetworkReply *reply);
    // Its body is the server's 401 page, of no use to anyone.
    static bool isUnansweredChallenge(const QNetworkReply *reply);
    // A PROPFIND answer that carries a listing: 207, or 200 as some servers send it.
    static bool isListingStatus(int status) { return status == 207 || status == 200; }
    // The error a finished reply stands for (nullopt for 2xx and no transport error). `what`
    // names the item in the message; credentials never appear.
    std::optional<Error> errorOf(QNetworkReply *reply, webdav::Method method,
                                 const QString &what) const;
    // The same for an answer's status (nullopt for 2xx), a timeout and a broken transport.
    static std::optional<Error> errorOfStatus(int status, const QString &reason,
                                              const QByteArray &retryAfter, const QUrl &url,
                                              webdav::Method method, const QString &what);
    Error timeoutError(const QUrl &url, webdav::Method method, const QString &what) const;
    static Error transportError(ErrorKind kind, const QString &detail, const QUrl &url,
                                webdav::Method method, const QString &what);

    // Runs start() now or, when `parallel` jobs are already running, once one releases its
    // slot (before the other waiting jobs when `first`). Jobs release their slot when they
    // finish.
    void whenSlotFree(QObject *job, std::function<void()> start, bool first = false);
    void releaseSlot(QObject *job);

    using Support = ServerCapabilities::Support;
    // What is known about the server so far (see ServerCapabilities).
    const ServerCapabilities &capabilities() const { return m_capabilities; }
    ServerCapabilities &capabilities() { return m_capabilities; }
    // Whether no job holds or waits for a slot: no other write can join a batch of stats.
    bool isIdle() const { return m_running.isEmpty() && m_waiting.isEmpty(); }

    // Settles capabilities().locks before the first LOCK: Yes only where OPTIONS on the root
    // advertises DAV compliance class 2 (RFC 4918 §18.2), else No. Asked once; writes that
    // need it meanwhile wait for the same answer. done() gets an error only where OPTIONS got
    // no answer that tells (the network, 401, 429, 5xx): then nothing is decided yet. It is
    // not called once `context` is gone.
    void probeLockSupport(QObject *context, std::function<void(Status)> done);
    // The server's locks do not work (see acquireWriteLock): from now on every write of this
    // session is guarded without them, by If-Match and a check just before it, as on servers
    // without locks. Said once through warning().
    void stopLocking(const QString &why);

    // Whether a file of `size` bytes goes up to `url` by WebDavDirectPut rather than Qt
    // Network: large files, no bandwidth limit (paced through Qt Network), no proxy, and not
    // after the server was found to need what WebDavDirectPut does not speak.
    bool mayPutDirectly(const QUrl &url, qint64 size) const;
    static constexpr qint64 directPutMinBytes = 8 * 1024 * 1024;
    WebDavDirectPut::Request directPutRequest(const Request &request, const QString &localFile,
                                              qint64 size, bool withCredentials) const;

    // The entry at `path` (nullopt: nothing there) as a PROPFIND sent after this call sees it,
    // for a caller that just wrote the file (servers like Apache answer PUT without an ETag):
    // see WebDavStatBatcher. done() is not called once `context` is gone.
    void statAfterWrite(const QString &path, QObject *context, webdav::StatDone done);

    // The pacers of options.bwLimitDownKiB and options.bwLimitUpKiB, each shared by all
    // transfers of its direction. Waiting leaves data in the socket, so TCP slows the server
    // down. The chunk size to read or send at once (0 = unlimited) and, for a chunk just
    // moved, how long to wait before the next one.
    qint64 downloadChunkSize() const;
    int reserveDownloadMs(qint64 bytes);
    qint64 uploadChunkSize() const;
    int reserveUploadMs(qint64 bytes);

    // "Basic base64(user:password)", for a request that must carry credentials before any
    // challenge (the OCS capabilities answer anonymous callers without the features).
    QByteArray basicCredentials() const;

Q_SIGNALS:
    // Something the user should know about the server, said once per session.
    void warning(const QString &message);

private:
    void onLockProbeAnswered(QNetworkReply *reply);
    void onAuthenticationRequired(QNetworkReply *reply, QAuthenticator *authenticator);
    void onSslErrors(QNetworkReply *reply, const QList<QSslError> &errors);
    void startWaitingJobs();

    QUrl m_root;
    int m_rootMoves = 0;
    BackendOptions m_options;
    QSslConfiguration m_sslConfiguration;
    QNetworkAccessManager m_network;
    QSet<QObject *> m_running;
    QList<std::pair<QPointer<QObject>, std::function<void()>>> m_waiting;
    WebDavStatBatcher *m_statBatcher; // child, deleted first
    QList<QPointer<QNetworkReply>> m_ownReplies;
    Pacer m_downloadPacer;
    Pacer m_uploadPacer;
    ServerCapabilities m_capabilities;
    QList<std::pair<QPointer<QObject>, std::function<void(Status)>>> m_lockProbeWaiters;
    bool sameOriginAsRoot(const QUrl &url) const;
};

} // namespace steadysync
