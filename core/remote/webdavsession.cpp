#include "remote/webdavsession.h"

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
    switch (reply->error()) {
    case QNetworkReply::ConnectionRefusedError:
    case QNetworkReply::HostNotFoundError:
    case QNetworkReply::NetworkSessionFailedError:
        return ErrorKind::Offline;
    case QNetworkReply::UnknownNetworkError:
        // Qt reports an unreachable host or network this way.
        return reply->errorString().contains(QLatin1String("nreachable")) ? ErrorKind::Offline
                                                                          : ErrorKind::Transient;
    case QNetworkReply::SslHandshakeFailedError:
    case QNetworkReply::InsecureRedirectError:
    case QNetworkReply::TooManyRedirectsError:
    case QNetworkReply::ProtocolUnknownError:
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
      m_sslConfiguration(QSslConfiguration::defaultConfiguration())
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
    if (m_basicAuth == Support::Yes && !m_options.user.isEmpty() && sameOriginAsRoot(request.url))
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
    m_basicAuth = basic ? Support::Yes : Support::No;
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
    if (size < directPutMinBytes || m_directPut == Support::No || m_options.bwLimitUpKiB > 0)
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
    if (m_lockSupport != Support::Unknown)
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
    if (outcome.ok() && m_lockSupport == Support::Unknown)
        m_lockSupport = advertisesLocks(reply) ? Support::Yes : Support::No;
    const auto waiters = std::exchange(m_lockProbeWaiters, {});
    for (const auto &[context, done] : waiters)
        if (context)
            done(outcome);
}

void WebDavSession::stopLocking(const QString &why)
{
    if (m_lockSupport == Support::No)
        return;
    m_lockSupport = Support::No;
    Q_EMIT warning(tr("%1: WebDAV locks do not work on this server (%2); writes go ahead "
                      "without locks, guarded by If-Match and a check just before each write")
                       .arg(serverOf(m_root), why));
}

void WebDavSession::statAfterWrite(const QString &path, QObject *context, StatDone done)
{
    const qsizetype slash = path.lastIndexOf(QLatin1Char('/'));
    const QString directory = slash < 0 ? QString() : path.left(slash);
    StatBatch &batch = m_statBatches[directory];
    batch.waiting.append({QPointer<QObject>(context), path.mid(slash + 1), std::move(done)});
    if (batch.inFlight == 0)
        sendStatBatchSoon(directory);
}

// Sends the waiting stats once statBatchSize of them wait, or statBatchDelayMs after the first.
void WebDavSession::sendStatBatchSoon(const QString &directory)
{
    StatBatch &batch = m_statBatches[directory];
    // With no other job running, no other write can join: waiting would only add latency.
    if (batch.waiting.size() >= statBatchSize || (m_running.isEmpty() && m_waiting.isEmpty()))
        return sendStatBatch(directory);
    if (batch.timerRunning)
        return;
    batch.timerRunning = true;
    QTimer::singleShot(statBatchDelayMs, this, [this, directory] {
        StatBatch &batch = m_statBatches[directory];
        batch.timerRunning = false;
        if (batch.inFlight == 0)
            sendStatBatch(directory);
    });
}

namespace {

// A directory listing costs about as much per entry as a stat per file: a directory much
// larger than the batch is stat'ed file by file.
constexpr qsizetype listingEntriesPerStat = 16;

QString joined(const QString &directory, const QString &name)
{
    return directory.isEmpty() ? name : directory + QLatin1Char('/') + name;
}

} // namespace

void WebDavSession::sendStatBatch(const QString &directory)
{
    StatBatch &batch = m_statBatches[directory];
    QList<PendingStat> waiting = std::move(batch.waiting);
    batch.waiting = {};
    waiting.removeIf([](const PendingStat &stat) { return !stat.context; });
    if (waiting.isEmpty())
        return finishStat(directory);
    if (waiting.size() > 1 && batch.lastListed <= waiting.size() * listingEntriesPerStat) {
        ++batch.inFlight;
        propfind(urlFor(directory, true), 1,
                 [this, directory, waiting](Result<PropfindListing> listing) {
                     StatBatch &batch = m_statBatches[directory];
                     // An oversized listing is refused: stat file by file from then on.
                     batch.lastListed = listing.ok() ? listing->children.size()
                                        : listing.error().kind == ErrorKind::Corrupt
                                            ? PropfindParser::defaultMaxEntries
                                            : batch.lastListed;
                     for (const PendingStat &stat : waiting) {
                         if (!stat.context)
                             continue;
                         if (!listing.ok()) {
                             if (listing.error().kind == ErrorKind::NotFound)
                                 stat.done(std::optional<RemoteEntry>());
                             else
                                 stat.done(listing.error());
                             continue;
                         }
                         const auto found = std::find_if(
                             listing->children.cbegin(), listing->children.cend(),
                             [&stat](const RemoteEntry &child) { return child.path == stat.name; });
                         if (found == listing->children.cend()) {
                             // Not listed under the name asked for (another spelling of it?):
                             // asked for by its own URL.
                             statOne(directory, stat);
                             continue;
                         }
                         RemoteEntry entry = *found;
                         entry.path = joined(directory, stat.name);
                         stat.done(std::optional<RemoteEntry>(std::move(entry)));
                     }
                     --m_statBatches[directory].inFlight;
                     finishStat(directory);
                 });
        return;
    }
    for (const PendingStat &stat : std::as_const(waiting))
        statOne(directory, stat);
}

void WebDavSession::statOne(const QString &directory, const PendingStat &stat)
{
    ++m_statBatches[directory].inFlight;
    const QString path = joined(directory, stat.name);
    propfind(
        urlFor(path, false), 0, [this, directory, path, stat](Result<PropfindListing> listing) {
            if (stat.context) {
                if (!listing.ok()) {
                    if (listing.error().kind == ErrorKind::NotFound)
                        stat.done(std::optional<RemoteEntry>());
                    else
                        stat.done(listing.error());
                } else if (!listing->self) {
                    stat.done(webdav::undescribedItem(path, *listing));
                } else {
                    RemoteEntry entry = *listing->self;
                    entry.path = path;
                    stat.done(std::optional<RemoteEntry>(std::move(entry)));
                }
            }
            --m_statBatches[directory].inFlight;
            finishStat(directory);
        });
}

void WebDavSession::finishStat(const QString &directory)
{
    const auto batch = m_statBatches.find(directory);
    if (batch == m_statBatches.end() || batch->inFlight > 0)
        return;
    if (!batch->waiting.isEmpty())
        return sendStatBatchSoon(directory);
    if (batch->timerRunning)
        return;
    if (batch->lastListed == 0)
        m_statBatches.erase(batch);
}

void WebDavSession::propfind(const QUrl &url, int depth,
                             std::function<void(Result<PropfindListing>)> done)
{
    Request request;
    request.verb = "PROPFIND";
    request.url = url;
    request.headers = {{"Depth", QByteArray::number(depth)},
                       {"Content-Type", "application/xml; charset=utf-8"}};
    request.body = webdav::propfindBody(m_propagatesDirectoryEtags);
    // It takes a concurrency slot like any job, ahead of those waiting: a write holding a lock
    // keeps it until this answer.
    auto *slot = new QObject(this);
    whenSlotFree(
        slot,
        [this, slot, request, done = std::move(done)] {
            propfindInSlot(request, [this, slot, done](Result<PropfindListing> listing) {
                releaseSlot(slot);
                slot->deleteLater();
                done(std::move(listing));
            });
        },
        true);
}

void WebDavSession::propfindInSlot(const Request &request,
                                   std::function<void(Result<PropfindListing>)> done)
{
    QNetworkReply *reply = send(request);
    m_ownReplies.removeAll(QPointer<QNetworkReply>());
    m_ownReplies.append(reply);
    auto body = std::make_shared<QByteArray>();
    connect(reply, &QNetworkReply::readyRead, this, [reply, body] {
        body->append(reply->readAll());
        if (body->size() > PropfindParser::defaultMaxBytes)
            reply->abort();
    });
    connect(reply, &QNetworkReply::finished, this, [this, reply, body, done] {
        reply->deleteLater();
        const QString what = reply->url().path();
        if (body->size() > PropfindParser::defaultMaxBytes)
            return done(
                makeError(ErrorKind::Corrupt,
                          QStringLiteral("%1: the server's listing is too large").arg(what)));
        if (reply->isOpen())
            body->append(reply->readAll());
        if (auto error = errorOf(reply, webdav::Method::Propfind, what))
            return done(*error);
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        Result<PropfindListing> listing =
            isListingStatus(status)
                ? PropfindParser::parse(*body, reply->url(), PropfindParser::defaultMaxEntries,
                                        PropfindParser::Members::Direct)
                : makeError(ErrorKind::Corrupt, QString());
        // A 200 counts only with a readable multistatus in it (not a web page).
        if (!listing.ok() && status != 207)
            return done(makeError(ErrorKind::Permanent,
                                  QStringLiteral("%1: the server answered PROPFIND without a "
                                                 "WebDAV listing")
                                      .arg(what)));
        done(std::move(listing));
    });
}

namespace {

qint64 chunkSizeFor(qint64 kibPerSecond)
{
    if (kibPerSecond <= 0)
        return 0;
    return std::clamp<qint64>(kibPerSecond * 1024 / 8, 4096, 256 * 1024);
}

} // namespace

void WebDavSession::setBandwidthLimits(qint64 upKiB, qint64 downKiB)
{
    m_options.bwLimitUpKiB = qMax<qint64>(0, upKiB);
    m_options.bwLimitDownKiB = qMax<qint64>(0, downKiB);
    m_uploadNextFreeNs = 0; // no debt carried over from the old rate
    m_downloadNextFreeNs = 0;
}

qint64 WebDavSession::downloadChunkSize() const
{
    return chunkSizeFor(m_options.bwLimitDownKiB);
}

int WebDavSession::reserveDownloadMs(qint64 bytes)
{
    return reserveMs(bytes, m_options.bwLimitDownKiB, &m_downloadNextFreeNs);
}

qint64 WebDavSession::uploadChunkSize() const
{
    return chunkSizeFor(m_options.bwLimitUpKiB);
}

int WebDavSession::reserveUploadMs(qint64 bytes)
{
    return reserveMs(bytes, m_options.bwLimitUpKiB, &m_uploadNextFreeNs);
}

// Books `bytes` at the limited rate after what is already booked (idle time is not saved up,
// so no bursts) and returns how long from now until that booking is used up.
int WebDavSession::reserveMs(qint64 bytes, qint64 kibPerSecond, qint64 *nextFreeNs)
{
    if (kibPerSecond <= 0)
        return 0;
    if (!m_pacingClock.isValid())
        m_pacingClock.start();
    const qint64 now = m_pacingClock.nsecsElapsed();
    const qint64 start = std::max(now, *nextFreeNs);
    *nextFreeNs = start + bytes * 1'000'000'000 / (kibPerSecond * 1024);
    return int((*nextFreeNs - now) / 1'000'000);
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
    if (m_basicAuth == Support::Unknown && reply->property(resendableProperty).toBool()) {
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
