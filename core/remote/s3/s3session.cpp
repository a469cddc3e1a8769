#include "remote/s3/s3session.h"

#include "remote/s3/s3xml.h"
#include "remote/transporterror.h"

#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

namespace steadysync {

namespace {

ErrorKind transportErrorKind(const QNetworkReply *reply)
{
    if (reply->error() == QNetworkReply::OperationCanceledError)
        return ErrorKind::Cancelled;
    return sharedTransportErrorKind(reply->error()).value_or(ErrorKind::Transient);
}

// S3 error codes whose kind the HTTP status alone does not tell.
std::optional<ErrorKind> kindForCode(const QString &code)
{
    static const QHash<QString, ErrorKind> kinds = {
        {QStringLiteral("NoSuchBucket"), ErrorKind::RootMissing},
        {QStringLiteral("SignatureDoesNotMatch"), ErrorKind::Auth},
        {QStringLiteral("InvalidAccessKeyId"), ErrorKind::Auth},
        {QStringLiteral("AccessDenied"), ErrorKind::Auth},
        {QStringLiteral("ExpiredToken"), ErrorKind::Auth},
        {QStringLiteral("RequestTimeTooSkewed"), ErrorKind::Permanent},
        {QStringLiteral("QuotaExceeded"), ErrorKind::DiskFull},
        {QStringLiteral("XAmzContentSHA256Mismatch"), ErrorKind::Transient},
        {QStringLiteral("BadDigest"), ErrorKind::Transient},
        {QStringLiteral("RequestTimeout"), ErrorKind::Transient},
        {QStringLiteral("ConditionalRequestConflict"), ErrorKind::PreconditionFailed},
        {QStringLiteral("NoSuchUpload"), ErrorKind::NotFound},
    };
    const auto found = kinds.constFind(code);
    if (found == kinds.constEnd())
        return std::nullopt;
    return *found;
}

ErrorKind kindForStatus(int status)
{
    switch (status) {
    case 401:
    case 403:
        return ErrorKind::Auth;
    case 404:
        return ErrorKind::NotFound;
    case 409:
    case 412:
        return ErrorKind::PreconditionFailed;
    case 507:
        return ErrorKind::DiskFull;
    case 408:
    case 429:
        return ErrorKind::Transient;
    default:
        return status >= 500 ? ErrorKind::Transient : ErrorKind::Permanent;
    }
}

} // namespace

S3Session::S3Session(S3Endpoint endpoint, const BackendOptions &options, QObject *parent)
    : QObject(parent), m_endpoint(std::move(endpoint)), m_options(options)
{
    const int managers = qMax(1, (m_options.parallel + 5) / 6);
    for (int i = 0; i < managers; ++i)
        m_networks.push_back(std::make_unique<QNetworkAccessManager>(this));
}

QNetworkReply *S3Session::send(const S3Request &request)
{
    QUrl url = m_endpoint.objectUrl(request.key);
    sigv4::Request toSign;
    toSign.method = request.method;
    toSign.canonicalUri = url.path(QUrl::FullyEncoded).toLatin1();
    toSign.query = request.query;
    toSign.headers = request.headers;
    toSign.headers.append({"host", m_endpoint.hostHeader().toUtf8()});
    if (!request.payloadHash.isEmpty())
        toSign.payloadHash = request.payloadHash;
    else
        toSign.payloadHash =
            request.body.isEmpty() ? sigv4::emptyPayloadHash() : sigv4::sha256Hex(request.body);
    const QByteArray authorization =
        sigv4::sign(&toSign, {m_endpoint.accessKeyId, m_endpoint.secretAccessKey, {}},
                    QDateTime::currentDateTimeUtc(), {m_endpoint.region, QStringLiteral("s3")});
    const QByteArray query = sigv4::canonicalQueryString(request.query);
    if (!query.isEmpty())
        url.setQuery(QString::fromLatin1(query), QUrl::StrictMode);
    QNetworkRequest networkRequest(url);
    for (const auto &[name, value] : std::as_const(toSign.headers))
        if (name != "host")
            networkRequest.setRawHeader(name, value);
    networkRequest.setRawHeader("Authorization", authorization);
    if (request.method == "PUT" || request.method == "POST")
        networkRequest.setHeader(QNetworkRequest::ContentTypeHeader,
                                 request.method == "POST" ? QByteArray("application/xml")
                                                          : QByteArray("application/octet-stream"));
    networkRequest.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                                QNetworkRequest::ManualRedirectPolicy);
    networkRequest.setTransferTimeout(m_options.requestTimeoutMs);
    QNetworkAccessManager &network = *m_networks[m_nextNetwork++ % m_networks.size()];
    // Qt knows HEAD has no body only when asked with head() (RGW answers it chunked).
    if (request.method == "HEAD")
        return network.head(networkRequest);
    if (request.method == "GET")
        return network.get(networkRequest);
    if (request.method == "DELETE")
        return network.deleteResource(networkRequest);
    return network.sendCustomRequest(networkRequest, request.method, request.body);
}

void S3Session::whenSlotFree(QObject *job, std::function<void()> start)
{
    m_waiting.append({job, std::move(start)});
    QTimer::singleShot(0, this, [this] { startWaiting(); });
}

void S3Session::startWaiting()
{
    m_running.removeAll(nullptr);
    const int parallel = qMax(1, m_options.parallel);
    while (!m_waiting.isEmpty() && m_running.size() < parallel) {
        auto [job, start] = m_waiting.takeFirst();
        if (!job)
            continue;
        m_running.append(job);
        start();
    }
}

void S3Session::releaseSlot(QObject *job)
{
    if (m_running.removeAll(job) > 0)
        QTimer::singleShot(0, this, [this] { startWaiting(); });
    for (qsizetype i = m_waiting.size() - 1; i >= 0; --i)
        if (m_waiting.at(i).first == job)
            m_waiting.removeAt(i);
}

std::optional<Error> S3Session::errorFor(const QNetworkReply *reply, const QByteArray &body,
                                         const QString &what) const
{
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status >= 200 && status < 300)
        return std::nullopt;
    if (status == 0) {
        Error error = makeError(transportErrorKind(reply),
                                QStringLiteral("%1: %2").arg(what, reply->errorString()));
        return error;
    }
    const s3xml::ErrorAnswer answer = s3xml::parseError(body);
    ErrorKind kind = kindForCode(answer.code).value_or(kindForStatus(status));
    if (status == 404 && answer.code == QLatin1String("NoSuchBucket"))
        kind = ErrorKind::RootMissing;
    QString message = QStringLiteral("%1: HTTP %2").arg(what).arg(status);
    if (!answer.code.isEmpty())
        message += QStringLiteral(" %1 (%2)").arg(answer.code, answer.message);
    if (answer.code == QLatin1String("RequestTimeTooSkewed"))
        message += QStringLiteral(": this computer's clock is off; S3 refuses signatures made "
                                  "more than 15 minutes from its time");
    Error error = makeError(kind, message);
    error.httpStatus = status;
    const QByteArray retryAfter = reply->rawHeader("Retry-After");
    if (!retryAfter.isEmpty())
        error.retryAfterSeconds = retryAfter.toInt();
    else if (answer.code == QLatin1String("SlowDown"))
        error.retryAfterSeconds = 2; // S3 asks for backoff without saying how long
    return error;
}

void S3Session::whenConditionalWritesKnown(QObject *context, std::function<void()> whenKnown)
{
    if (m_conditionalWrites != ConditionalWrites::Unknown || !m_probe) {
        QTimer::singleShot(0, context, std::move(whenKnown));
        return;
    }
    m_waitingForProbe.append({context, std::move(whenKnown)});
    if (m_probing)
        return;
    m_probing = true;
    m_probe([this] {
        m_probing = false;
        const auto waiting = std::exchange(m_waitingForProbe, {});
        for (const auto &[waiter, callback] : waiting)
            if (waiter)
                callback();
    });
}

QByteArray ifMatchValue(const QByteArray &etag, ConditionalWrites mode)
{
    if (mode == ConditionalWrites::Unquoted && etag.size() >= 2 && etag.startsWith('"') &&
        etag.endsWith('"'))
        return etag.mid(1, etag.size() - 2);
    return etag;
}

} // namespace steadysync
