#include "remote/webdavsession.h"

#include "remote/transporterror.h"
#include "remote/webdavstatbatcher.h"

#include <QAuthenticator>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QSslError>
#include <QTimer>

#include <algorithm>
#include <tuple>

namespace steadysync {

namespace {

constexpr char authAttemptsProperty[] = "steadysync.authAttempts";
constexpr char sslErrorsProperty[] = "steadysync.sslErrors";
constexpr char resendableProperty[] = "steadysync.resendable";
constexpr char challengeDeclinedProperty[] = "steadysync.challengeDeclined";

QByteArray methodName(webdav::Method method)
{
    switch (method) {
    case webdav::Method::Propfind:
        return "PROPFIND";
    case webdav::Method::Get:
        return "GET";
    case webdav::Method::Put:
        return "PUT";
    case webdav::Method::Mkcol:
        return "MKCOL";
    case webdav::Method::Move:
        return "MOVE";
    case webdav::Method::Copy:
        return "COPY";
    case webdav::Method::Delete:
        return "DELETE";
    case webdav::Method::Lock:
        return "LOCK";
    case webdav::Method::Unlock:
        return "UNLOCK";
    case webdav::Method::Options:
        return "OPTIONS";
    }
    return {};
}

ErrorKind transportErrorKind(const QNetworkReply *reply)
{
    if (const std::optional<ErrorKind> kind = sharedTransportErrorKind(reply->error()))
        return *kind;
    switch (reply->error()) {
    case QNetworkReply::UnknownNetworkError:
        // Qt reports an unreachable host or network this way.
        return reply->errorString().contains(QLatin1String("nreachable")) ? ErrorKind::Offline
                                                                          : ErrorKind::Transient;
    case QNetworkReply::InsecureRedirectError:
    case QNetworkReply::TooManyRedirectsError:
    case QNetworkReply::ProtocolInvalidOperationError:
        return ErrorKind::Permanent;
    default:
        return ErrorKind::Transient;
    }
}

} // namespace

WebDavSession::WebDavSession(const QUrl &collectionRoot, const BackendOptions &options,
                             const QList<QSslCertificate> &extraCaCertificates, QObject *parent)
    : QObject(parent), m_root(collectionRoot), m_options(options),
      m_sslConfiguration(QSslConfiguration::defaultConfiguration()),
      m_statBatcher(new WebDavStatBatcher(this)), m_downloadPacer(options.bwLimitDownKiB),
      m_uploadPacer(options.bwLimitUpKiB)
{
    if (!extraCaCertificates.isEmpty())
        m_sslConfiguration.addCaCertificates(extraCaCertificates);
    m_network.setRedirectPolicy(QNetworkRequest::SameOriginRedirectPolicy);
    connect(&m_network, &QNetworkAccessManager::authenticationRequired, this,
            &WebDavSession::onAuthenticationRequired);
    connect(&m_network, &QNetworkAccessManager::sslErrors, this, &WebDavSession::onSslErrors);
}

WebDavSession::~WebDavSession()
{
    // The manager (a member) aborts its replies as it goes; nothing may call back in here.
    delete m_statBatcher;
    for (const QPointer<QNetworkReply> &reply : std::as_const(m_ownReplies))
        if (reply)
            reply->disconnect(this);
}

QUrl WebDavSession::urlFor(const QString &path, bool directory) const
{
    return webdav::urlForPath(m_root, path, directory);
}

QNetworkReply *WebDavSession::send(const Request &request, bool resendable)
{
    QNetworkRequest networkRequest(request.url);
    networkRequest.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                                request.verb == "GET" ? QNetworkRequest::SameOriginRedirectPolicy
                                                      : QNetworkRequest::ManualRedirectPolicy);
    networkRequest.setTransferTimeout(std::max(1, m_options.requestTimeoutMs));
    networkRequest.setHeader(QNetworkRequest::UserAgentHeader,
                             QByteArray("steadysync/" STEADYSYNC_VERSION));
    if (request.url.scheme() == QLatin1String("https"))
        networkRequest.setSslConfiguration(m_sslConfiguration);
    for (const auto &[name, value] : request.headers)
        networkRequest.setRawHeader(name, value);
    // Once the server asked for Basic credentials, every request carries them: no request
    // (and no upload's body) is answered 401 and sent again.
    if (m_capabilities.basicAuth == Support::Yes && !m_options.user.isEmpty() &&
        sameOriginAsRoot(request.url))
        networkRequest.setRawHeader("Authorization", basicCredentials());
    QNetworkReply *reply = nullptr;
    if (request.upload)
        reply = m_network.sendCustomRequest(networkRequest, request.verb, request.upload);
    else if (request.verb == "GET")
        reply = m_network.get(networkRequest);
    else
        reply = m_network.sendCustomRequest(networkRequest, request.verb, request.body);
    // A body in memory: the request can be sent again as it was.
    reply->setProperty(resendableProperty, resendable && !request.upload);
    return reply;
}

bool WebDavSession::isUnansweredChallenge(const QNetworkReply *reply)
{
    return reply->property(challengeDeclinedProperty).toBool();
}

bool WebDavSession::resendAfterChallenge(const QNetworkReply *reply)
{
    if (!isUnansweredChallenge(reply))
        return false;
    const QByteArray challenges = reply->rawHeader("WWW-Authenticate").toLower();
    const bool basic = challenges.startsWith("basic") || challenges.contains(", basic") ||
                       challenges.contains(",basic");
    m_capabilities.basicAuth = basic ? Support::Yes : Support::No;
    return true;
}

bool WebDavSession::followRootMove(const QNetworkReply *reply)
{
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status < 300 || status >= 400 || status == 304 || m_rootMoves >= 4)
        return false;
    const QUrl target = reply->attribute(QNetworkRequest::RedirectionTargetAttribute).toUrl();
    if (!target.isValid())
        return false;
    QUrl moved = reply->url().resolved(target).adjusted(QUrl::RemoveQuery | QUrl::RemoveFragment);
    const auto origin = [](const QUrl &url) {
        return std::make_tuple(url.scheme(), url.host().toLower(),
                               url.port(url.scheme() == QLatin1String("https") ? 443 : 80));
    };
    if (origin(moved) != origin(m_root) ||
        reply->url().adjusted(QUrl::RemoveUserInfo) != m_root.adjusted(QUrl::RemoveUserInfo))
        return false;
    if (!moved.path().endsWith(QLatin1Char('/')))
        moved.setPath(moved.path() + QLatin1Char('/'));
    moved.setUserInfo(m_root.userInfo());
    if (moved == m_root)
        return false;
    m_root = moved;
    ++m_rootMoves;
    return true;
}

namespace {

QString serverOf(const QUrl &url)
{
    return url
        .adjusted(QUrl::RemoveUserInfo | QUrl::RemovePath | QUrl::RemoveQuery |
                  QUrl::RemoveFragment)
        .toString();
}

QString subjectOf(const QString &what)
{
    return what.isEmpty() ? QStringLiteral("the remote root") : what;
}

} // namespace

std::optional<Error> WebDavSession::errorOf(QNetworkReply *reply, webdav::Method method,
                                            const QString &what) const
{
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status > 0 && (status < 200 || status >= 300))
        return errorOfStatus(
            status, reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString(),
            reply->rawHeader("Retry-After"), reply->url(), method, what);
    if (reply->error() == QNetworkReply::NoError)
        return std::nullopt;

    if (reply->error() == QNetworkReply::OperationCanceledError ||
        reply->error() == QNetworkReply::TimeoutError)
        // Jobs disconnect before aborting, so a cancel seen here is the transfer timeout.
        return timeoutError(reply->url(), method, what);
    QString detail = reply->errorString();
    const QString sslErrors = reply->property(sslErrorsProperty).toString();
    if (!sslErrors.isEmpty())
        detail = QStringLiteral("TLS certificate problem: %1").arg(sslErrors);
    return transportError(transportErrorKind(reply), detail, reply->url(), method, what);
}

std::optional<Error> WebDavSession::errorOfStatus(int status, const QString &reason,
                                                  const QByteArray &retryAfter, const QUrl &url,
                                                  webdav::Method method, const QString &what)
{
    const QString subject = subjectOf(what);
    if (status >= 300 && status < 400)
        return makeError(ErrorKind::Permanent,
                         QStringLiteral("%1: %2 was redirected (HTTP %3), which is not followed "
                                        "(only the collection itself may move, on the same "
                                        "site); check the pair's URL")
                             .arg(subject, QString::fromLatin1(methodName(method)))
                             .arg(status));
    if (status >= 200 && status < 300)
        return std::nullopt;
    const ErrorKind kind =
        webdav::errorKindForStatus(status, method).value_or(ErrorKind::Permanent);
    Error error = makeError(kind, QStringLiteral("%1: %2 failed: HTTP %3 %4 from %5")
                                      .arg(subject, QString::fromLatin1(methodName(method)))
                                      .arg(status)
                                      .arg(reason.left(200), serverOf(url)));
    error.httpStatus = status;
    if (kind == ErrorKind::Transient)
        error.retryAfterSeconds =
            webdav::parseRetryAfter(retryAfter, QDateTime::currentDateTimeUtc());
    return error;
}

Error WebDavSession::timeoutError(const QUrl &url, webdav::Method method, const QString &what) const
{
    return makeError(
        ErrorKind::Transient,
        QStringLiteral("%1: %2 timed out: no data from %3 for %4 s")
            .arg(subjectOf(what), QString::fromLatin1(methodName(method)), serverOf(url))
            .arg(m_options.requestTimeoutMs / 1000.0));
}

Error WebDavSession::transportError(ErrorKind kind, const QString &detail, const QUrl &url,
                                    webdav::Method method, const QString &what)
{
    return makeError(kind, QStringLiteral("%1: %2 failed: %3 (%4)")
                               .arg(subjectOf(what), QString::fromLatin1(methodName(method)),
                                    detail, serverOf(url)));
}

bool WebDavSession::mayPutDirectly(const QUrl &url, qint64 size) const
{
    if (size < directPutMinBytes || m_capabilities.directPut == Support::No ||
        m_options.bwLimitUpKiB > 0)
        return false;
    if (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https"))
        return false;
    // Where Qt Network would go through a proxy, so does every upload.
    const QList<QNetworkProxy> proxies =
        QNetworkProxyFactory::proxyForQuery(QNetworkProxyQuery(url));
    return proxies.isEmpty() || proxies.first().type() == QNetworkProxy::NoProxy;
}

WebDavDirectPut::Request WebDavSession::directPutRequest(const Request &request,
                                                         const QString &localFile, qint64 size,
                                                         bool withCredentials) const
{
    WebDavDirectPut::Request put;
    put.url = request.url;
    put.headers = request.headers;
    put.headers.prepend({"User-Agent", QByteArray("steadysync/" STEADYSYNC_VERSION)});
    put.filePath = localFile;
    put.size = size;
    put.tls = m_sslConfiguration;
    put.timeoutMs = std::max(1, m_options.requestTimeoutMs);
    if (withCredentials)
        put.authorization = basicCredentials();
    return put;
}

QByteArray WebDavSession::basicCredentials() const
{
    return "Basic " + (m_options.user + QLatin1Char(':') + m_options.password).toUtf8().toBase64();
}

bool WebDavSession::sameOriginAsRoot(const QUrl &url) const
{
    const auto origin = [](const QUrl &of) {
        return std::make_tuple(of.scheme().toLower(), of.host().toLower(),
                               of.port(of.scheme() == QLatin1String("https") ? 443 : 80));
    };
    return origin(url) == origin(m_root);
}

void WebDavSession::whenSlotFree(QObject *job, std::function<void()> start, bool first)
{
    if (m_running.size() < std::max(1, m_options.parallel)) {
        m_running.insert(job);
        start();
        return;
    }
    if (first)
        m_waiting.prepend({QPointer<QObject>(job), std::move(start)});
    else
        m_waiting.append({QPointer<QObject>(job), std::move(start)});
}

void WebDavSession::releaseSlot(QObject *job)
{
    if (!m_running.remove(job)) {
        m_waiting.removeIf([job](const auto &waiting) { return waiting.first == job; });
        return;
    }
    startWaitingJobs();
}

void WebDavSession::startWaitingJobs()
{
    while (m_running.size() < std::max(1, m_options.parallel) && !m_waiting.isEmpty()) {
        auto [job, start] = m_waiting.takeFirst();
        if (!job)
            continue;
        m_running.insert(job.data());
        start();
    }
}

namespace {

// Whether an OPTIONS answer's DAV headers name compliance class 2 ("1, 2, 3", "1,2,<uri>").
bool advertisesLocks(const QNetworkReply *reply)
{
    for (const auto &[name, value] : reply->rawHeaderPairs()) {
        if (name.compare("DAV", Qt::CaseInsensitive) != 0)
            continue;
        for (const QByteArray &token : value.split(','))
            if (token.trimmed() == "2")
                return true;
    }
    return false;
}

// OPTIONS answers that tell nothing about the server's WebDAV classes yet.
bool undecidedStatus(int status)
{
    return status == 0 || status == 401 || status == 407 || status == 408 || status == 429 ||
           (status >= 500 && status != 501);
}

} // namespace

void WebDavSession::probeLockSupport(QObject *context, std::function<void(Status)> done)
{
    if (m_capabilities.locks != Support::Unknown)
        return done(success());
    m_lockProbeWaiters.append({QPointer<QObject>(context), std::move(done)});
    if (m_lockProbeWaiters.size() > 1)
        return; // the OPTIONS in flight answers for this one too
    Request request;
    request.verb = "OPTIONS";
    request.url = m_root;
    QNetworkReply *reply = send(request);
    m_ownReplies.removeAll(QPointer<QNetworkReply>());
    m_ownReplies.append(reply);
    connect(reply, &QNetworkReply::finished, this, [this, reply] { onLockProbeAnswered(reply); });
}

void WebDavSession::onLockProbeAnswered(QNetworkReply *reply)
{
    reply->deleteLater();
    Status outcome = success();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (undecidedStatus(status)) {
        if (auto error = errorOf(reply, webdav::Method::Options, QString()))
            outcome = *error;
    }
    if (outcome.ok() && m_capabilities.locks == Support::Unknown)
        m_capabilities.locks = advertisesLocks(reply) ? Support::Yes : Support::No;
    const auto waiters = std::exchange(m_lockProbeWaiters, {});
    for (const auto &[context, done] : waiters)
        if (context)
            done(outcome);
}

void WebDavSession::stopLocking(const QString &why)
{
    if (m_capabilities.locks == Support::No)
        return;
    m_capabilities.locks = Support::No;
    Q_EMIT warning(tr("%1: WebDAV locks do not work on this server (%2); writes go ahead "
                      "without locks, guarded by If-Match and a check just before each write")
                       .arg(serverOf(m_root), why));
}

void WebDavSession::statAfterWrite(const QString &path, QObject *context, webdav::StatDone done)
{
    m_statBatcher->statAfterWrite(path, context, std::move(done));
}

namespace {

// WebDAV transfers read or send at most this much at once under a limit.
constexpr qint64 maxPacedChunkBytes = 256 * 1024;

int millisecondsOf(std::chrono::nanoseconds duration)
{
    return int(duration.count() / 1'000'000);
}

} // namespace

void WebDavSession::setBandwidthLimits(qint64 upKiB, qint64 downKiB)
{
    m_options.bwLimitUpKiB = qMax<qint64>(0, upKiB);
    m_options.bwLimitDownKiB = qMax<qint64>(0, downKiB);
    m_uploadPacer.setKibPerSecond(m_options.bwLimitUpKiB);
    m_downloadPacer.setKibPerSecond(m_options.bwLimitDownKiB);
}

qint64 WebDavSession::downloadChunkSize() const
{
    return m_downloadPacer.isLimited() ? m_downloadPacer.chunkSize(maxPacedChunkBytes) : 0;
}

// The time until the booking is used up: a chunk just read has already gone.
int WebDavSession::reserveDownloadMs(qint64 bytes)
{
    return millisecondsOf(m_downloadPacer.reserve(bytes).endsIn);
}

qint64 WebDavSession::uploadChunkSize() const
{
    return m_uploadPacer.isLimited() ? m_uploadPacer.chunkSize(maxPacedChunkBytes) : 0;
}

int WebDavSession::reserveUploadMs(qint64 bytes)
{
    return millisecondsOf(m_uploadPacer.reserve(bytes).endsIn);
}

void WebDavSession::onAuthenticationRequired(QNetworkReply *reply, QAuthenticator *authenticator)
{
    // Answered once per request: credentials the server refused lead to a 401 (Auth), not to
    // a storm of retries.
    const int attempts = reply->property(authAttemptsProperty).toInt();
    reply->setProperty(authAttemptsProperty, attempts + 1);
    if (attempts > 0 || m_options.user.isEmpty())
        return;
    // The first challenge is not answered here: Qt does not show its scheme, so the request
    // ends with the 401 and its WWW-Authenticate, and is sent again (resendAfterChallenge).
    if (m_capabilities.basicAuth == Support::Unknown &&
        reply->property(resendableProperty).toBool()) {
        reply->setProperty(challengeDeclinedProperty, true);
        return;
    }
    // The credentials went up front and were refused: the same again would be refused too.
    if (reply->request().hasRawHeader("Authorization"))
        return;
    authenticator->setUser(m_options.user);
    authenticator->setPassword(m_options.password);
}

void WebDavSession::onSslErrors(QNetworkReply *reply, const QList<QSslError> &errors)
{
    QStringList texts;
    for (const QSslError &error : errors)
        texts.append(error.errorString());
    reply->setProperty(sslErrorsProperty, texts.join(QStringLiteral("; ")));
}

} // namespace steadysync
