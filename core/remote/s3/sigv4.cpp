#include "remote/s3/sigv4.h"

#include "remote/s3/s3endpoint.h"

#include <QCryptographicHash>
#include <QMessageAuthenticationCode>

#include <algorithm>

namespace steadysync::sigv4 {

namespace {

constexpr char algorithm[] = "AWS4-HMAC-SHA256";

QByteArray hmac(const QByteArray &key, const QByteArray &message)
{
    return QMessageAuthenticationCode::hash(message, key, QCryptographicHash::Sha256);
}

QByteArray dateStamp(const QDateTime &time)
{
    return time.toUTC().toString(QStringLiteral("yyyyMMdd")).toLatin1();
}

// Headers with lowercased names and canonical values, sorted by name (stable: repeated names
// keep their order), repeated names merged.
QList<std::pair<QByteArray, QByteArray>>
normalizedHeaders(const QList<std::pair<QByteArray, QByteArray>> &headers)
{
    QList<std::pair<QByteArray, QByteArray>> sorted;
    sorted.reserve(headers.size());
    for (const auto &[name, value] : headers)
        sorted.append({name.toLower().trimmed(), value.simplified()});
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const auto &a, const auto &b) { return a.first < b.first; });
    QList<std::pair<QByteArray, QByteArray>> merged;
    for (const auto &header : std::as_const(sorted)) {
        if (!merged.isEmpty() && merged.last().first == header.first)
            merged.last().second += ',' + header.second;
        else
            merged.append(header);
    }
    return merged;
}

} // namespace

QByteArray sha256Hex(const QByteArray &data)
{
    return QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex();
}

QByteArray emptyPayloadHash()
{
    static const QByteArray hash = sha256Hex({});
    return hash;
}

QByteArray amzDate(const QDateTime &time)
{
    return time.toUTC().toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'")).toLatin1();
}

QByteArray canonicalQueryString(const QList<std::pair<QString, QString>> &query)
{
    QList<std::pair<QByteArray, QByteArray>> encoded;
    encoded.reserve(query.size());
    for (const auto &[name, value] : query)
        encoded.append({s3UriEncode(name, true), s3UriEncode(value, true)});
    std::sort(encoded.begin(), encoded.end());
    QByteArray out;
    for (const auto &[name, value] : std::as_const(encoded)) {
        if (!out.isEmpty())
            out += '&';
        out += name + '=' + value;
    }
    return out;
}

QByteArray canonicalHeaders(const QList<std::pair<QByteArray, QByteArray>> &headers)
{
    QByteArray out;
    for (const auto &[name, value] : normalizedHeaders(headers))
        out += name + ':' + value + '\n';
    return out;
}

QByteArray signedHeaders(const QList<std::pair<QByteArray, QByteArray>> &headers)
{
    QByteArrayList names;
    for (const auto &header : normalizedHeaders(headers))
        names.append(header.first);
    return names.join(';');
}

QByteArray canonicalRequest(const Request &request)
{
    return request.method + '\n' + request.canonicalUri + '\n' +
           canonicalQueryString(request.query) + '\n' + canonicalHeaders(request.headers) + '\n' +
           signedHeaders(request.headers) + '\n' + request.payloadHash;
}

QByteArray credentialScope(const QDateTime &time, const Scope &scope)
{
    return dateStamp(time) + '/' + scope.region.toUtf8() + '/' + scope.service.toUtf8() +
           "/aws4_request";
}

QByteArray stringToSign(const QByteArray &canonicalRequest, const QDateTime &time,
                        const Scope &scope)
{
    return QByteArray(algorithm) + '\n' + amzDate(time) + '\n' + credentialScope(time, scope) +
           '\n' + sha256Hex(canonicalRequest);
}

QByteArray signingKey(const QString &secretAccessKey, const QDateTime &time, const Scope &scope)
{
    const QByteArray dateKey = hmac("AWS4" + secretAccessKey.toUtf8(), dateStamp(time));
    const QByteArray regionKey = hmac(dateKey, scope.region.toUtf8());
    const QByteArray serviceKey = hmac(regionKey, scope.service.toUtf8());
    return hmac(serviceKey, "aws4_request");
}

QByteArray signature(const QByteArray &signingKey, const QByteArray &stringToSign)
{
    return hmac(signingKey, stringToSign).toHex();
}

QByteArray authorization(const Request &request, const Credentials &credentials,
                         const QDateTime &time, const Scope &scope)
{
    const QByteArray toSign = stringToSign(canonicalRequest(request), time, scope);
    const QByteArray key = signingKey(credentials.secretAccessKey, time, scope);
    return QByteArray(algorithm) + " Credential=" + credentials.accessKeyId.toUtf8() + '/' +
           credentialScope(time, scope) + ", SignedHeaders=" + signedHeaders(request.headers) +
           ", Signature=" + signature(key, toSign);
}

QByteArray sign(Request *request, const Credentials &credentials, const QDateTime &time,
                const Scope &scope, bool withContentHash)
{
    request->headers.append({"x-amz-date", amzDate(time)});
    if (withContentHash)
        request->headers.append({"x-amz-content-sha256", request->payloadHash});
    if (!credentials.sessionToken.isEmpty())
        request->headers.append({"x-amz-security-token", credentials.sessionToken.toUtf8()});
    return authorization(*request, credentials, time, scope);
}

} // namespace steadysync::sigv4
