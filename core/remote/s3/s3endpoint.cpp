#include "remote/s3/s3endpoint.h"

#include <QUrlQuery>

namespace steadysync {

namespace {

Error malformed(const QUrl &url, const QString &why)
{
    return makeError(ErrorKind::Permanent,
                     QStringLiteral("malformed S3 URL '%1': %2")
                         .arg(url.toDisplayString(QUrl::RemoveUserInfo), why));
}

// 3-63 characters; a virtual-host bucket must also be a DNS label sequence (lowercase letters,
// digits, '.', '-'); path-style stores (RGW, MinIO) also allow '_' and uppercase in old buckets.
bool isValidBucket(const QString &bucket, bool pathStyle)
{
    if (bucket.size() < 3 || bucket.size() > 63)
        return false;
    for (const QChar c : bucket) {
        const bool dnsChar = (c >= QLatin1Char('a') && c <= QLatin1Char('z')) ||
                             (c >= QLatin1Char('0') && c <= QLatin1Char('9')) ||
                             c == QLatin1Char('.') || c == QLatin1Char('-');
        const bool legacyChar =
            (c >= QLatin1Char('A') && c <= QLatin1Char('Z')) || c == QLatin1Char('_');
        if (!dnsChar && !(pathStyle && legacyChar))
            return false;
    }
    return true;
}

// Every segment of the prefix names something: no "", ".", "..".
bool isValidPrefix(const QString &prefix)
{
    if (prefix.isEmpty())
        return true;
    for (const QString &segment : prefix.split(QLatin1Char('/')))
        if (segment.isEmpty() || segment == QLatin1String(".") || segment == QLatin1String(".."))
            return false;
    return true;
}

Status applyQuery(const QUrl &url, S3Endpoint *endpoint)
{
    const QUrlQuery query(url);
    for (const auto &[name, value] : query.queryItems(QUrl::FullyDecoded)) {
        if (name == QLatin1String("region") && !value.isEmpty()) {
            endpoint->region = value;
        } else if (name == QLatin1String("style") &&
                   (value == QLatin1String("virtual") || value == QLatin1String("path"))) {
            endpoint->pathStyle = value == QLatin1String("path");
        } else {
            return malformed(url, QStringLiteral("unknown option '%1=%2' (region=NAME, "
                                                 "style=path|virtual)")
                                      .arg(name, value));
        }
    }
    return success();
}

} // namespace

Result<S3Endpoint> S3Endpoint::parse(const QUrl &remoteUrl)
{
    const QString scheme = remoteUrl.scheme().toLower();
    const bool aws = scheme == QLatin1String("s3");
    if (!aws && scheme != QLatin1String("s3+http") && scheme != QLatin1String("s3+https"))
        return malformed(remoteUrl, QStringLiteral("the scheme must be s3, s3+http or s3+https"));
    if (!remoteUrl.password().isEmpty())
        return malformed(remoteUrl, QStringLiteral("it must not contain a secret; use the login "
                                                   "command to store it"));
    S3Endpoint endpoint;
    endpoint.accessKeyId = remoteUrl.userName();
    endpoint.pathStyle = !aws;
    if (const Status applied = applyQuery(remoteUrl, &endpoint); !applied)
        return applied.error();
    QString path = remoteUrl.path(QUrl::FullyDecoded);
    if (aws) {
        endpoint.bucket = remoteUrl.host();
        endpoint.endpoint =
            QUrl(QStringLiteral("https://s3.%1.amazonaws.com").arg(endpoint.region));
    } else {
        if (remoteUrl.host().isEmpty())
            return malformed(remoteUrl, QStringLiteral("it names no host"));
        while (path.startsWith(QLatin1Char('/')))
            path.remove(0, 1);
        endpoint.bucket = path.section(QLatin1Char('/'), 0, 0);
        path = path.section(QLatin1Char('/'), 1);
        endpoint.endpoint.setScheme(scheme.mid(3));
        endpoint.endpoint.setHost(remoteUrl.host());
        endpoint.endpoint.setPort(remoteUrl.port());
    }
    while (path.startsWith(QLatin1Char('/')))
        path.remove(0, 1);
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    endpoint.prefix = path;
    if (endpoint.bucket.isEmpty())
        return malformed(remoteUrl, QStringLiteral("it names no bucket"));
    if (!isValidBucket(endpoint.bucket, endpoint.pathStyle))
        return malformed(remoteUrl,
                         QStringLiteral("'%1' is not a valid bucket name").arg(endpoint.bucket));
    if (!isValidPrefix(endpoint.prefix))
        return malformed(remoteUrl, QStringLiteral("the prefix '%1' has an empty, '.' or '..' "
                                                   "segment")
                                        .arg(endpoint.prefix));
    return endpoint;
}

QString S3Endpoint::keyPrefix() const
{
    return prefix.isEmpty() ? QString() : prefix + QLatin1Char('/');
}

QString S3Endpoint::keyFor(const QString &path) const
{
    if (path.isEmpty())
        return prefix;
    return keyPrefix() + path;
}

QString S3Endpoint::pathOf(const QString &key) const
{
    const QString base = keyPrefix();
    return key.startsWith(base) ? key.mid(base.size()) : key;
}

QByteArray s3UriEncode(const QString &text, bool encodeSlash)
{
    const QByteArray utf8 = text.toUtf8();
    QByteArray out;
    out.reserve(utf8.size() * 3);
    static const char hex[] = "0123456789ABCDEF";
    for (const char c : utf8) {
        const auto byte = static_cast<unsigned char>(c);
        const bool unreserved = (byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') ||
                                (byte >= '0' && byte <= '9') || byte == '-' || byte == '.' ||
                                byte == '_' || byte == '~';
        if (unreserved || (byte == '/' && !encodeSlash)) {
            out += c;
        } else {
            out += '%';
            out += hex[byte >> 4];
            out += hex[byte & 0xF];
        }
    }
    return out;
}

QUrl S3Endpoint::objectUrl(const QString &key) const
{
    QByteArray path = "/";
    if (pathStyle) {
        path += s3UriEncode(bucket, true);
        if (!key.isEmpty())
            path += '/';
    }
    path += s3UriEncode(key, false);
    QUrl url = endpoint;
    if (!pathStyle)
        url.setHost(bucket + QLatin1Char('.') + endpoint.host());
    url.setPath(QString::fromLatin1(path), QUrl::StrictMode);
    return url;
}

QString S3Endpoint::hostHeader() const
{
    QString host = pathStyle ? endpoint.host() : bucket + QLatin1Char('.') + endpoint.host();
    if (endpoint.port() != -1)
        host += QLatin1Char(':') + QString::number(endpoint.port());
    return host;
}

QUrl S3Endpoint::remoteUrl() const
{
    QUrl url;
    const bool aws = endpoint.host().endsWith(QLatin1String(".amazonaws.com")) &&
                     endpoint.scheme() == QLatin1String("https");
    QUrlQuery query;
    if (aws) {
        url.setScheme(QStringLiteral("s3"));
        url.setHost(bucket);
        url.setPath(prefix.isEmpty() ? QString() : QLatin1Char('/') + prefix);
        if (region != QLatin1String("us-east-1"))
            query.addQueryItem(QStringLiteral("region"), region);
    } else {
        url.setScheme(QStringLiteral("s3+") + endpoint.scheme());
        url.setHost(endpoint.host());
        url.setPort(endpoint.port());
        url.setPath(QLatin1Char('/') + bucket +
                    (prefix.isEmpty() ? QString() : QLatin1Char('/') + prefix));
        if (!pathStyle)
            query.addQueryItem(QStringLiteral("style"), QStringLiteral("virtual"));
        if (region != QLatin1String("us-east-1"))
            query.addQueryItem(QStringLiteral("region"), region);
    }
    url.setQuery(query);
    return url;
}

} // namespace steadysync
