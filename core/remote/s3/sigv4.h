#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

#include <utility>

// AWS Signature Version 4 (header-based), as pure functions on Qt's SHA-256 and HMAC: checked
// against AWS's published test suite and the S3 documentation's examples
// (tests/unit/remote/s3/tst_sigv4.cpp). S3's variant: the path is encoded once by the caller
// (s3UriEncode) and never normalized.
namespace steadysync::sigv4 {

struct Credentials
{
    QString accessKeyId;
    QString secretAccessKey; // never logged
    QString sessionToken;    // sent as x-amz-security-token when set
};

// Where a signature is valid: the region and service of the credential scope.
struct Scope
{
    QString region;
    QString service = QStringLiteral("s3");
};

// The parts of a request that are signed.
struct Request
{
    QByteArray method;
    QByteArray canonicalUri = "/";                    // the path as sent, already percent-encoded
    QList<std::pair<QString, QString>> query;         // decoded names and values, in any order
    QList<std::pair<QByteArray, QByteArray>> headers; // in any order; duplicates allowed
    QByteArray payloadHash; // hex SHA-256 of the body, or "UNSIGNED-PAYLOAD"
};

inline constexpr char unsignedPayload[] = "UNSIGNED-PAYLOAD";
// The SHA-256 of no bytes, the payload hash of a bodiless request.
QByteArray emptyPayloadHash();
QByteArray sha256Hex(const QByteArray &data);

// "20150830T123600Z" (the x-amz-date header) for a time in UTC.
QByteArray amzDate(const QDateTime &time);

// Names and values URI-encoded (RFC 3986 unreserved kept), sorted by name then value.
QByteArray canonicalQueryString(const QList<std::pair<QString, QString>> &query);
// "name:value\n" per header, names lowercased and sorted, values trimmed with inner runs of
// whitespace made one space, the values of a repeated name joined by ','.
QByteArray canonicalHeaders(const QList<std::pair<QByteArray, QByteArray>> &headers);
// The lowercased header names, sorted, joined by ';'.
QByteArray signedHeaders(const QList<std::pair<QByteArray, QByteArray>> &headers);
QByteArray canonicalRequest(const Request &request);
QByteArray credentialScope(const QDateTime &time, const Scope &scope);
QByteArray stringToSign(const QByteArray &canonicalRequest, const QDateTime &time,
                        const Scope &scope);
// HMAC chain from "AWS4" + secret over date, region, service, "aws4_request".
QByteArray signingKey(const QString &secretAccessKey, const QDateTime &time, const Scope &scope);
// Lowercase hex HMAC-SHA256 of stringToSign under the signing key.
QByteArray signature(const QByteArray &signingKey, const QByteArray &stringToSign);
// "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...".
QByteArray authorization(const Request &request, const Credentials &credentials,
                         const QDateTime &time, const Scope &scope);

// Adds x-amz-date, x-amz-content-sha256 (when withContentHash: S3 requires it) and
// x-amz-security-token (when there is a token) to request.headers, then returns the
// Authorization header value for it.
QByteArray sign(Request *request, const Credentials &credentials, const QDateTime &time,
                const Scope &scope, bool withContentHash = true);

} // namespace steadysync::sigv4
