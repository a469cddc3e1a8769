// Downloads (GET, resumed with Range + If-Match) and single-PUT uploads of S3Backend.
#include "remote/s3/s3operations.h"
#include "remote/s3/s3steps.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QFile>
#include <QFileInfo>

#include <memory>

namespace steadysync::s3 {

namespace {

QString resumeNoteFor(const QString &target)
{
    return target + QStringLiteral(".s3resume");
}

// The ETag a partial target was downloaded from, when its note says so.
QByteArray resumableEtag(const QString &target)
{
    QFile note(resumeNoteFor(target));
    if (!QFileInfo(target).exists() || !note.open(QIODevice::ReadOnly))
        return {};
    return note.readAll().trimmed();
}

void writeResumeNote(const QString &target, const QByteArray &etag)
{
    QFile note(resumeNoteFor(target));
    if (note.open(QIODevice::WriteOnly | QIODevice::Truncate))
        note.write(etag);
}

struct DownloadState
{
    QString path;
    QString target;
    QFile file;
    qint64 written = 0;
    bool failed = false;
    bool answered = false;
};

using DownloadJob = S3Job<EntryJob>;

void getObject(DownloadJob *job, std::shared_ptr<DownloadState> state, const QByteArray &etag,
               qint64 offset);

void finishDownload(DownloadJob *job, const std::shared_ptr<DownloadState> &state,
                    QNetworkReply *reply, const QByteArray &etag, qint64 offset)
{
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (offset > 0 && (status == 412 || status == 416)) {
        // The object changed since the partial bytes (or they are all there): start over.
        state->file.close();
        QFile::remove(resumeNoteFor(state->target));
        return getObject(job, state, {}, 0);
    }
    if (state->failed)
        return job->fail(makeError(
            ErrorKind::Transient,
            QStringLiteral("writing %1: %2").arg(state->target, state->file.errorString())));
    if (job->failIfError(reply, {}, QStringLiteral("GET %1").arg(state->path)))
        return; // the partial bytes and their note stay for the next attempt
    state->file.close();
    RemoteEntry entry = entryFromHeaders(reply, state->path);
    if (entry.etag.isEmpty())
        entry.etag = etag;
    if (QFileInfo(state->target).size() != entry.size)
        return job->fail(
            makeError(ErrorKind::Transient, QStringLiteral("GET %1: %2 bytes arrived of %3")
                                                .arg(state->path)
                                                .arg(QFileInfo(state->target).size())
                                                .arg(entry.size)));
    QFile::remove(resumeNoteFor(state->target));
    job->succeed(entry);
}

void getObject(DownloadJob *job, std::shared_ptr<DownloadState> state, const QByteArray &etag,
               qint64 offset)
{
    S3Request request;
    request.key = job->session()->endpoint().keyFor(state->path);
    if (offset > 0)
        request.headers = {{"Range", "bytes=" + QByteArray::number(offset) + '-'},
                           {"If-Match", etag}};
    state->file.setFileName(state->target);
    const QIODevice::OpenMode mode =
        offset > 0 ? QIODevice::Append : QIODevice::WriteOnly | QIODevice::Truncate;
    if (!state->file.open(mode))
        return job->fail(makeError(
            ErrorKind::Permanent,
            QStringLiteral("cannot write %1: %2").arg(state->target, state->file.errorString())));
    state->written = offset;
    auto onData = [job, state](QNetworkReply *reply) {
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status != 200 && status != 206)
            return;
        if (!state->answered) {
            state->answered = true;
            if (status == 200 && state->written > 0) { // the whole object after all
                state->file.resize(0);
                state->written = 0;
            }
        }
        if (state->written == 0 || status == 206)
            writeResumeNote(state->target, s3xml::quotedEtag(reply->rawHeader("ETag")));
        const QByteArray data = reply->readAll();
        if (state->file.write(data) != data.size())
            state->failed = true;
        state->written += data.size();
        job->reportBytes(state->written);
    };
    job->send(
        request,
        [job, state, etag, offset](QNetworkReply *reply, const QByteArray &) {
            if (reply->bytesAvailable() > 0 && !state->failed) {
                const QByteArray rest = reply->readAll();
                if (state->file.write(rest) != rest.size())
                    state->failed = true;
            }
            state->file.flush();
            finishDownload(job, state, reply, etag, offset);
        },
        onData);
}

} // namespace

EntryJob *download(QObject *parent, S3Session *session, const QString &path,
                   const QString &localTargetFile)
{
    return startS3Job<EntryJob>(parent, session, [path, localTargetFile](DownloadJob *job) {
        auto state = std::make_shared<DownloadState>();
        state->path = path;
        state->target = localTargetFile;
        const QByteArray etag = resumableEtag(localTargetFile);
        const qint64 offset = etag.isEmpty() ? 0 : QFileInfo(localTargetFile).size();
        getObject(job, state, etag, offset);
    });
}

QList<std::pair<QByteArray, QByteArray>> conditionHeaders(const Precondition &precondition,
                                                          const S3Session *session)
{
    const ConditionalWrites mode = session->conditionalWrites();
    if (mode != ConditionalWrites::Quoted && mode != ConditionalWrites::Unquoted)
        return {};
    if (precondition.kind == Precondition::Kind::MustNotExist)
        return {{"If-None-Match", "*"}};
    if (precondition.kind == Precondition::Kind::MustMatch)
        return {{"If-Match", ifMatchValue(precondition.signature, mode)}};
    return {};
}

} // namespace steadysync::s3
