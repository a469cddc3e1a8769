#pragma once

#include "remote/remotebackend.h"

// The S3 operations behind S3Backend, one file per concern: listings (s3listing.cpp),
// transfers (s3transfers.cpp, s3multipart.cpp), copies, moves and deletions (s3moves.cpp).
namespace steadysync {
class S3Session;
}

namespace steadysync::s3 {

ListJob *listFolder(QObject *parent, S3Session *session, const QString &directory, bool tree);
EntryJob *download(QObject *parent, S3Session *session, const QString &path,
                   const QString &localTargetFile);
EntryJob *uploadSmall(QObject *parent, S3Session *session, const QString &localFile,
                      const QString &path, qint64 mtimeNs, const Precondition &precondition,
                      const QByteArray &contentSha256);
EntryJob *uploadMultipart(QObject *parent, S3Session *session, const QString &localFile,
                          const QString &path, qint64 mtimeNs, const Precondition &precondition);
RemoteJob *copyOrMove(QObject *parent, S3Session *session, const QString &from, const QString &to,
                      const Precondition &precondition, bool deleteSource);
RemoteJob *remove(QObject *parent, S3Session *session, const QString &path,
                  const Precondition &precondition);
RemoteJob *abortStaleUploads(QObject *parent, S3Session *session, qint64 maxAgeS);

// The part size of a multipart upload of size bytes: 8 MiB, doubled up to 64 MiB while that
// would take more than 1,000 parts (S3 allows 10,000); the same for a size every time, so that
// a resumed upload finds its parts.
qint64 partSizeFor(qint64 size);
void setPartSizeOverride(qint64 bytes);

// The headers that make a PUT conditional under the store's ConditionalWrites mode; empty
// when it enforces none.
QList<std::pair<QByteArray, QByteArray>> conditionHeaders(const Precondition &precondition,
                                                          const S3Session *session);

} // namespace steadysync::s3
