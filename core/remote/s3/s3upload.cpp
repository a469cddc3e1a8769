// Uploads of S3Backend up to one part size: one PUT of the whole file, signed with its SHA-256
// (the store refuses bytes that do not match), conditional where the store enforces it.
#include "remote/s3/s3operations.h"
#include "remote/s3/s3steps.h"

#include <QDateTime>
#include <QFile>

#include <memory>

namespace steadysync::s3 {

namespace {

using UploadJob = S3Job<EntryJob>;

struct SmallUpload
{
    QString path;
    QString key;
    QByteArray content;
    QByteArray sha256;
    qint64 mtimeNs = 0;
    Precondition precondition;
};

bool conditionsEnforced(const S3Session *session)
{
    const ConditionalWrites mode = session->conditionalWrites();
    return mode == ConditionalWrites::Quoted || mode == ConditionalWrites::Unquoted;
}

// After a write the store could not guard: what is there now, taken as possibly another's.
void describeUnproven(UploadJob *job, const std::shared_ptr<SmallUpload> &upload)
{
    job->setWriteUnproven();
    headObject(job, upload->key, upload->path, [job, upload](const MaybeEntry &entry) {
        if (!entry)
            return job->fail(
                makeError(ErrorKind::Transient,
                          QStringLiteral("%1 is gone right after its upload").arg(upload->path)));
        job->succeed(*entry);
    });
}

void put(UploadJob *job, const std::shared_ptr<SmallUpload> &upload)
{
    S3Request request;
    request.method = "PUT";
    request.key = upload->key;
    request.body = upload->content;
    request.headers = {{"x-amz-meta-sha256", upload->sha256},
                       {"x-amz-meta-mtime-ns", QByteArray::number(upload->mtimeNs)}};
    request.headers += conditionHeaders(upload->precondition, job->session());
    job->setSentSha256(upload->sha256);
    job->reportBytes(upload->content.size());
    job->send(request, [job, upload](QNetworkReply *reply, const QByteArray &body) {
        if (job->failIfError(reply, body, QStringLiteral("PUT %1").arg(upload->path)))
            return;
        if (upload->precondition.kind != Precondition::Kind::None &&
            !conditionsEnforced(job->session()))
            return describeUnproven(job, upload);
        RemoteEntry entry;
        entry.path = upload->path;
        entry.size = upload->content.size();
        entry.etag = s3xml::quotedEtag(reply->rawHeader("ETag"));
        entry.sha256 = upload->sha256;
        entry.mtimeNs = QDateTime::currentSecsSinceEpoch() * 1'000'000'000;
        job->succeed(entry);
    });
}

void checkThenPut(UploadJob *job, const std::shared_ptr<SmallUpload> &upload)
{
    if (upload->precondition.kind == Precondition::Kind::None || conditionsEnforced(job->session()))
        return put(job, upload);
    statPath(job, upload->path, [job, upload](const MaybeEntry &entry) {
        if (const auto refused = checkPrecondition(entry, upload->precondition, upload->path))
            return job->fail(*refused);
        put(job, upload);
    });
}

} // namespace

EntryJob *uploadSmall(QObject *parent, S3Session *session, const QString &localFile,
                      const QString &path, qint64 mtimeNs, const Precondition &precondition,
                      const QByteArray &)
{
    return startS3Job<EntryJob>(parent, session, [=](UploadJob *job) {
        QFile file(localFile);
        if (!file.open(QIODevice::ReadOnly))
            return job->fail(
                makeError(ErrorKind::Transient,
                          QStringLiteral("cannot read %1: %2").arg(localFile, file.errorString())));
        auto upload = std::make_shared<SmallUpload>();
        upload->path = path;
        upload->key = job->session()->endpoint().keyFor(path);
        upload->content = file.readAll();
        upload->sha256 = sigv4::sha256Hex(upload->content);
        upload->mtimeNs = mtimeNs;
        upload->precondition = precondition;
        if (precondition.kind == Precondition::Kind::None)
            return put(job, upload);
        job->session()->whenConditionalWritesKnown(job,
                                                   [job, upload] { checkThenPut(job, upload); });
    });
}

} // namespace steadysync::s3
