#pragma once

// What the S3 backend tests share: running a job to its end, and a backend on a bucket of the
// Ceph RGW fixture.
#include "cephrgw.h"
#include "remote/s3/s3backend.h"
#include "testutil.h"

#include <QTest>

#include <optional>

namespace steadysync::test {

constexpr int s3JobTimeoutMs = 60'000;

// What a job reported, captured in its finished() slot (the job deletes itself afterwards).
struct S3JobResult
{
    bool finished = false;
    std::optional<Error> error;
    RemoteEntry entry;
    QVector<RemoteEntry> entries;
    QStringList rejected;
    QStringList rejectedPaths;
    qint64 bytes = 0;
    bool unproven = false;
    QByteArray sentSha256;

    bool ok() const { return finished && !error; }
    bool failedWith(ErrorKind kind) const { return finished && error && error->kind == kind; }
    QString describe() const
    {
        if (!finished)
            return QStringLiteral("job did not finish");
        if (!error)
            return QStringLiteral("succeeded");
        return errorKindName(error->kind) + QStringLiteral(": ") + error->message;
    }
    // The entry at path in a listing, or nullptr.
    const RemoteEntry *find(const QString &path) const
    {
        for (const RemoteEntry &listed : entries)
            if (listed.path == path)
                return &listed;
        return nullptr;
    }
};

inline S3JobResult runS3Job(RemoteJob *job)
{
    S3JobResult result;
    const auto connection =
        QObject::connect(job, &RemoteJob::finished, job, [&result](RemoteJob *finished) {
            result.finished = true;
            result.error = finished->error();
            result.bytes = finished->bytesTransferred();
            if (auto *entryJob = qobject_cast<EntryJob *>(finished)) {
                result.entry = entryJob->entry();
                result.unproven = entryJob->writeUnproven();
                result.sentSha256 = entryJob->sentSha256();
            }
            if (auto *listJob = qobject_cast<ListJob *>(finished)) {
                result.entries = listJob->entries();
                result.rejected = listJob->rejectedNames();
                result.rejectedPaths = listJob->rejectedPaths();
            }
        });
    if (!waitFor([&result] { return result.finished; }, s3JobTimeoutMs))
        QObject::disconnect(connection);
    return result;
}

inline std::unique_ptr<S3Backend> s3BackendFor(const CephRgw &rgw, const QString &bucket,
                                               const QString &prefix = {}, int parallel = 4)
{
    Result<S3Endpoint> endpoint = S3Endpoint::parse(rgw.remoteUrl(bucket, prefix));
    if (!endpoint)
        return nullptr;
    endpoint->accessKeyId = rgw.accessKeyId();
    endpoint->secretAccessKey = rgw.secretAccessKey();
    BackendOptions options;
    options.parallel = parallel;
    return std::make_unique<S3Backend>(*endpoint, options);
}

} // namespace steadysync::test
