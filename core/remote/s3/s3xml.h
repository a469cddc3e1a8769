#pragma once

#include "result.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

// The XML answers of S3 read with QXmlStreamReader (issue 22). Hostile input (malformed XML, a
// DTD, absurd nesting or sizes, missing required fields) gives ErrorKind::Corrupt with a
// message saying what was wrong, never a partial result taken as whole.
namespace steadysync::s3xml {

struct ObjectSummary
{
    QString key;
    qint64 size = 0;
    QByteArray etag; // as sent ("..." in S3, quotes restored where a store drops them)
    QDateTime lastModified;
};

struct ListPage
{
    QList<ObjectSummary> objects;
    QStringList commonPrefixes;
    bool truncated = false;
    QString nextContinuationToken;
};

struct Part
{
    int number = 0;
    QByteArray etag;
    qint64 size = 0;
};

struct PartsPage
{
    QList<Part> parts;
    bool truncated = false;
    int nextPartNumberMarker = 0;
};

struct Upload
{
    QString key;
    QString uploadId;
    QDateTime initiated;
};

struct UploadsPage
{
    QList<Upload> uploads;
    bool truncated = false;
    QString nextKeyMarker;
    QString nextUploadIdMarker;
};

// An <Error> answer (also inside a 200 of CopyObject or CompleteMultipartUpload).
struct ErrorAnswer
{
    QString code;
    QString message;
};

// "abc" -> "\"abc\"": RGW answers some ETags without quotes (CopyObject); S3 quotes them.
QByteArray quotedEtag(const QByteArray &etag);

// nullopt-like: an empty code when body is no <Error> document.
ErrorAnswer parseError(const QByteArray &body);
[[nodiscard]] Result<ListPage> parseListObjectsV2(const QByteArray &body);
[[nodiscard]] Result<PartsPage> parseListParts(const QByteArray &body);
[[nodiscard]] Result<UploadsPage> parseListMultipartUploads(const QByteArray &body);
[[nodiscard]] Result<QString> parseInitiateMultipartUpload(const QByteArray &body);
// CompleteMultipartUpload and CopyObject answer 200 with either a result or an <Error>: the
// latter becomes an Error (S3 codes mapped by the caller through parseError()).
[[nodiscard]] Result<QByteArray> parseEtagResult(const QByteArray &body, const QString &rootName);

QByteArray completeMultipartUploadBody(const QList<Part> &parts);

} // namespace steadysync::s3xml
