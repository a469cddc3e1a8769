#pragma once

#include "result.h"

#include <QString>
#include <QUrl>

namespace steadysync {

// Where an S3 pair's objects live (issue 22), parsed from its remote URL:
// - s3://BUCKET/PREFIX: AWS; the endpoint follows the region (https://s3.REGION.amazonaws.com),
//   virtual-host style (https://BUCKET.s3.REGION.amazonaws.com/KEY);
// - s3+http://HOST:PORT/BUCKET/PREFIX, s3+https://...: a custom endpoint (Ceph RGW, MinIO,
//   Garage, ...), path-style (http://HOST:PORT/BUCKET/KEY) unless `?style=virtual`.
// `?region=NAME` sets the signing region (default us-east-1, which custom stores accept); a
// user name in the URL is the access key id. The secret never comes from the URL.
// Keys are PREFIX/PATH; the prefix is stored without leading or trailing '/'.
struct S3Endpoint
{
    QUrl endpoint; // scheme, host, port; no path
    QString bucket;
    QString prefix;
    QString region = QStringLiteral("us-east-1");
    bool pathStyle = true;
    QString accessKeyId;
    QString secretAccessKey; // never logged

    [[nodiscard]] static Result<S3Endpoint> parse(const QUrl &remoteUrl);

    // The object key of a path relative to the sync root ("" = the prefix itself).
    QString keyFor(const QString &path) const;
    // The path relative to the sync root of a key below keyPrefix(); the key itself when it
    // does not lie below it.
    QString pathOf(const QString &key) const;
    // The prefix every key of this pair starts with: "PREFIX/" or "" for a whole bucket.
    QString keyPrefix() const;
    // The URL of an object (or of the bucket for an empty key), its path percent-encoded as
    // SigV4 signs it (RFC 3986 unreserved characters kept, '/' kept, all else %XX).
    QUrl objectUrl(const QString &key) const;
    // The host header value: endpoint host[:port], with BUCKET. in front for virtual-host style.
    QString hostHeader() const;
    // s3://... or s3+http(s)://... as the user wrote it, without credentials.
    QUrl remoteUrl() const;
};

// Percent-encodes text as SigV4 wants (unreserved A-Za-z0-9-._~ kept; encodeSlash false: '/'
// kept, for object paths).
QByteArray s3UriEncode(const QString &text, bool encodeSlash);

} // namespace steadysync
