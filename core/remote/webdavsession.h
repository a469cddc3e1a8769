#pragma once

#include "remote/propfindparser.h"
#include "remote/remotebackend.h"
#include "remote/webdavdirectput.h"
#include "remote/webdavhttp.h"

#include <QElapsedTimer>
#include <QHash>
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

    // What the server was found to allow: WebDAV write locks (Apache, rclone: yes; nginx: no)
    // and PROPFIND Depth: infinity (rclone only, learnt from the first try).
    enum class Support { Unknown, Yes, No };
    Support lockSupport() const { return m_lockSupport; }
    // Settles lockSupport() before the first LOCK: Yes only where OPTIONS on the root
    // advertises DAV compliance class 2 (RFC 4918 §18.2), else No. Asked once; writes that
    // need it meanwhile wait for the same answer. done() gets an error only where OPTIONS got
    // no answer that tells (the network, 401, 429, 5xx): then nothing is decided yet. It is
    // not called once `context` is gone.
    void probeLockSupport(QObject *context, std::function<void(Status)> done);
    // The server's locks do not work (see acquireWriteLock): from now on every write of this
    // session is guarded without them, by If-Match and a check just before it, as on servers
    // without locks. Said once through warning().
    void stopLocking(const QString &why);
    Support treeListing() const { return m_treeListing; }
    void setTreeListing(Support support) { m_treeListing = support; }
    // Whether the server evaluates conditional headers on PUT (Apache, lighttpd: yes; nginx,
    // rclone: no), learnt from the first create: then If-None-Match: * alone guards creates.
    Support conditionalPut() const { return m_conditionalPut; }
    void setConditionalPut(Support support) { m_conditionalPut = support; }
    // Whether the last stat of the root was answered with oc:fileid: ownCloud and Nextcloud change
    // a collection's ETag whenever anything below it changes.
    bool propagatesDirectoryEtags() const { return m_propagatesDirectoryEtags; }
    void setPropagatesDirectoryEtags(bool propagates) { m_propagatesDirectoryEtags = propagates; }
    // Whether a collection's ETag changes with its direct members (Apache mod_dav_fs, lighttpd:
    // the directory's mtime), learnt from the last stat of the root and its Server header.
    bool directoryEtagsFollowChildren() const { return m_directoryEtagsFollowChildren; }
    void setDirectoryEtagsFollowChildren(bool follow) { m_directoryEtagsFollowChildren = follow; }
    bool etagsSurviveMoves() const { return m_etagsSurviveMoves; }
    void setEtagsSurviveMoves(bool survive) { m_etagsSurviveMoves = survive; }
    QByteArray serverSoftware() const { return m_serverSoftware; }
    void setServerSoftware(const QByteArray &server) { m_serverSoftware = server; }

    // Whether a file of `size` bytes goes up to `url` by WebDavDirectPut rather than Qt
    // Network: large files, no bandwidth limit (paced through Qt Network), no proxy, and not
    // after the server was found to need what WebDavDirectPut does not speak.
    bool mayPutDirectly(const QUrl &url, qint64 size) const;
    static constexpr qint64 directPutMinBytes = 8 * 1024 * 1024;
    WebDavDirectPut::Request directPutRequest(const Request &request, const QString &localFile,
                                              qint64 size, bool withCredentials) const;
    // Whether direct PUTs work here (No: an authentication scheme other than Basic, a
    // redirect, an answer Qt Network understands and WebDavDirectPut does not) and whether
    // the server asked for Basic credentials (then they are sent with every direct PUT).
    void setDirectPut(Support support) { m_directPut = support; }
    // Yes once the server challenged with Basic: from then on every request to the root's
    // origin carries the credentials up front (send(), directPutRequest()).
    Support basicAuth() const { return m_basicAuth; }
    void setBasicAuth(Support support) { m_basicAuth = support; }

    // The entry at `path` (nullopt: nothing there) as a PROPFIND sent after this call sees it,
    // for a caller that just wrote the file (servers like Apache answer PUT without an ETag).
    // Writes to one directory that finish close together share one PROPFIND Depth 1 of it,
    // sent once statBatchSize of them wait or statBatchDelayMs after the first (and never
    // while one is in flight); at once when no other job is running. done() is not called once
    // `context` is gone.
    using StatDone = std::function<void(Result<std::optional<RemoteEntry>>)>;
    void statAfterWrite(const QString &path, QObject *context, StatDone done);
    static constexpr int statBatchDelayMs = 20;
    static constexpr qsizetype statBatchSize = 16; // sent at once when this many wait

    // Download pacing for options.bwLimitDownKiB, shared by all downloads: the chunk size to
    // read at once (0 = unlimited) and, for a chunk just read, how long to wait before the
    // next one. Waiting leaves data in the socket, so TCP slows the server down.
    qint64 downloadChunkSize() const;
    int reserveDownloadMs(qint64 bytes);
    // The same for uploads (options.bwLimitUpKiB).
    qint64 uploadChunkSize() const;
    int reserveUploadMs(qint64 bytes);

Q_SIGNALS:
    // Something the user should know about the server, said once per session.
    void warning(const QString &message);

private:
    struct PendingStat
    {
        QPointer<QObject> context;
        QString name;
        StatDone done;
    };
    struct StatBatch
    {
        QList<PendingStat> waiting;
        int inFlight = 0;
        bool timerRunning = false;
        qsizetype lastListed = 0; // entries in the directory's last listing
    };
    void sendStatBatchSoon(const QString &directory);
    void sendStatBatch(const QString &directory);
    void statOne(const QString &directory, const PendingStat &stat);
    void finishStat(const QString &directory);
    void propfind(const QUrl &url, int depth, std::function<void(Result<PropfindListing>)> done);
    void propfindInSlot(const Request &request, std::function<void(Result<PropfindListing>)> done);

    void onLockProbeAnswered(QNetworkReply *reply);
    void onAuthenticationRequired(QNetworkReply *reply, QAuthenticator *authenticator);
    void onSslErrors(QNetworkReply *reply, const QList<QSslError> &errors);
    void startWaitingJobs();
    int reserveMs(qint64 bytes, qint64 kibPerSecond, qint64 *nextFreeNs);

    QUrl m_root;
    int m_rootMoves = 0;
    BackendOptions m_options;
    QSslConfiguration m_sslConfiguration;
    QNetworkAccessManager m_network;
    QSet<QObject *> m_running;
    QList<std::pair<QPointer<QObject>, std::function<void()>>> m_waiting;
    QHash<QString, StatBatch> m_statBatches; // by parent directory
    QList<QPointer<QNetworkReply>> m_ownReplies;
    QElapsedTimer m_pacingClock;
    qint64 m_downloadNextFreeNs = 0;
    qint64 m_uploadNextFreeNs = 0;
    Support m_lockSupport = Support::Unknown;
    QList<std::pair<QPointer<QObject>, std::function<void(Status)>>> m_lockProbeWaiters;
    Support m_treeListing = Support::Unknown;
    Support m_conditionalPut = Support::Unknown;
    Support m_directPut = Support::Unknown;
    Support m_basicAuth = Support::Unknown;
    QByteArray basicCredentials() const;
    bool sameOriginAsRoot(const QUrl &url) const;
    bool m_propagatesDirectoryEtags = false;
    bool m_directoryEtagsFollowChildren = false;
    bool m_etagsSurviveMoves = false;
    QByteArray m_serverSoftware; // the Server header of the last stat of the root
};

} // namespace steadysync
