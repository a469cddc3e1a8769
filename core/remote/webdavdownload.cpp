#include "remote/webdavdownload.h"

#include "remote/webdavhttp.h"
#include "remote/webdavpartialdownload.h"
#include "remote/webdavpropfind.h"

#include <QFile>
#include <QRegularExpression>

#include <memory>

namespace steadysync::webdav {

namespace {

// State of one download: the target file and how far it got.
struct DownloadState
{
    QString path;
    QFile file;
    qint64 resumeFrom = 0;  // offset asked for with Range
    QByteArray validator;   // sent in If-Range with it
    qint64 startOffset = 0; // where this response's bytes go
    qint64 received = 0;    // bytes of this response
    qint64 total = -1;      // full size of the remote file, when announced
    QByteArray etag;
    QByteArray buffer; // reused by every read of the body
    bool headersSeen = false;
    bool paused = false;   // waiting for the bandwidth limit
    qint64 pacedBytes = 0; // of received, the bytes booked with the download limit
};

// Whether a 206 continues the partial file: the range asked for, of the version the partial
// bytes belong to (a server that honours Range but ignores If-Range sends a changed file's
// rest too). Sets *total to the full size.
bool continuesPartial(const DownloadState &state, const QNetworkReply *reply, qint64 *total)
{
    static const QRegularExpression contentRange(QStringLiteral("^bytes (\\d+)-(\\d+)/(\\d+)$"));
    const auto match =
        contentRange.match(QString::fromLatin1(reply->rawHeader("Content-Range")).trimmed());
    if (!match.hasMatch() || match.captured(1).toLongLong() != state.resumeFrom)
        return false;
    *total = match.captured(3).toLongLong();
    if (isStrongEtag(state.validator)) {
        const QByteArray etag = reply->rawHeader("ETag");
        return etag.isEmpty() || etag == state.validator;
    }
    const auto answered = parseHttpDate(reply->rawHeader("Last-Modified"));
    return !answered || answered == parseHttpDate(state.validator);
}

// Reads the response headers once: decides whether the body resumes the partial file or
// replaces it. Returns an error for an unusable answer.
std::optional<Error> beginDownloadBody(DownloadState *state, QNetworkReply *reply)
{
    state->headersSeen = true;
    const int status = statusOf(reply);
    if (status != 200 && status != 206)
        return std::nullopt; // an error status; its body is ignored
    const PartialDownload partial(state->file.fileName());
    state->etag = reply->rawHeader("ETag");
    if (status == 206) {
        if (!continuesPartial(*state, reply, &state->total)) {
            partial.forget(); // the next attempt starts over
            return makeError(ErrorKind::Transient,
                             QStringLiteral("%1: the server answered the resumed download with "
                                            "another range or version")
                                 .arg(state->path));
        }
        state->startOffset = state->resumeFrom;
    } else {
        // The whole file (a changed one where If-Range did not match): it starts over.
        state->startOffset = 0;
        bool ok = false;
        const qint64 length = reply->header(QNetworkRequest::ContentLengthHeader).toLongLong(&ok);
        state->total = ok ? length : -1;
        if (!state->file.resize(0))
            return makeError(ErrorKind::Transient, QStringLiteral("%1: cannot write %2: %3")
                                                       .arg(state->path, state->file.fileName(),
                                                            state->file.errorString()));
        partial.remember(state->etag, reply->rawHeader("Last-Modified"), state->total);
    }
    if (!state->file.seek(state->startOffset))
        return makeError(ErrorKind::Transient,
                         QStringLiteral("%1: cannot write %2: %3")
                             .arg(state->path, state->file.fileName(), state->file.errorString()));
    return std::nullopt;
}

// How much of a response body Qt may hold before it stops reading the socket: without a
// bound it reads as fast as the server sends, and a file arriving faster than it is written
// piled up in memory (a 1 GiB download peaked near 1 GiB of heap).
constexpr qint64 downloadReadBufferBytes = 4 * 1024 * 1024;
// One read from the reply into the file; the buffer is reused for every read.
constexpr qint64 downloadReadBytes = 256 * 1024;

// Writes what the reply has, at most maxBytes when > 0 (a bandwidth limit's chunk) and never
// more than downloadReadBytes, to the target file.
std::optional<Error> writeDownloadChunk(DownloadState *state, QNetworkReply *reply,
                                        qint64 maxBytes = 0)
{
    if (!reply->isOpen())
        return std::nullopt;
    state->buffer.resize(maxBytes > 0 ? qMin(maxBytes, downloadReadBytes) : downloadReadBytes);
    const qint64 got = reply->read(state->buffer.data(), state->buffer.size());
    if (got <= 0)
        return std::nullopt;
    if (state->file.write(state->buffer.constData(), got) != got) {
        const ErrorKind kind = state->file.error() == QFileDevice::ResourceError
                                   ? ErrorKind::DiskFull
                                   : ErrorKind::Transient;
        return makeError(kind,
                         QStringLiteral("%1: cannot write %2: %3")
                             .arg(state->path, state->file.fileName(), state->file.errorString()));
    }
    state->received += got;
    return std::nullopt;
}

std::optional<Error> writeRestOfDownload(DownloadState *state, QNetworkReply *reply)
{
    while (reply->isOpen() && reply->bytesAvailable() > 0) {
        const qint64 before = state->received;
        if (auto error = writeDownloadChunk(state, reply))
            return error;
        if (state->received == before)
            break;
    }
    return std::nullopt;
}

// readyRead of a GET: streams the body to the file, pacing reads under a bandwidth limit.
void readDownloadBody(WebDavJob<EntryJob> *job, const std::shared_ptr<DownloadState> &state,
                      QNetworkReply *reply)
{
    if (!state->headersSeen)
        if (auto error = beginDownloadBody(state.get(), reply))
            return job->fail(*error);
    const int status = statusOf(reply);
    if (status != 200 && status != 206) {
        reply->skip(reply->bytesAvailable());
        return;
    }
    const qint64 chunk = job->session()->downloadChunkSize();
    while (!state->paused && reply->bytesAvailable() > 0) {
        const qint64 before = state->received;
        if (auto error = writeDownloadChunk(state.get(), reply, chunk))
            return job->fail(*error);
        if (state->received == before)
            break;
        job->reportBytes(state->received);
        const int waitMs = job->session()->reserveDownloadMs(state->received - before);
        state->pacedBytes = state->received;
        if (waitMs > 0) {
            state->paused = true;
            const QPointer<QNetworkReply> guard(reply);
            QTimer::singleShot(waitMs, job, [job, state, guard] {
                state->paused = false;
                if (guard && !job->done())
                    readDownloadBody(job, state, guard);
            });
        }
    }
}

// Whether the file that arrived is the one the stat before the GET listed.
std::optional<Error> checkAgainstListing(const DownloadState &state, const QNetworkReply *reply,
                                         const RemoteEntry &listed, qint64 size)
{
    const qint64 mtimeNs = mtimeNsFromHttpDate(reply->rawHeader("Last-Modified"), -1);
    const bool sameEtag = !listed.etag.isEmpty() && etagsMatchWeakly(listed.etag, state.etag);
    // Last-Modified has whole seconds where a listing may have fractions (ISO 8601); a time
    // missing on either side (-1, or 0 from the listing) leaves it to the size.
    const bool sameSizeAndTime =
        size == listed.size && (mtimeNs < 0 || listed.mtimeNs <= 0 ||
                                mtimeNs / 1'000'000'000 == listed.mtimeNs / 1'000'000'000);
    if (!sameEtag && !sameSizeAndTime)
        return makeError(
            ErrorKind::Transient,
            QStringLiteral("%1: changed on the remote during the download").arg(state.path));
    return std::nullopt;
}

void getFile(WebDavJob<EntryJob> *job, const QString &path, const QString &localTargetFile,
             const RemoteEntry &listed);

// The GET ended: the rest of the body is written, then the file checked and the job ended.
void onGetFinished(WebDavJob<EntryJob> *job, const std::shared_ptr<DownloadState> &state,
                   QNetworkReply *reply, const RemoteEntry &listed)
{
    const QString &path = state->path;
    const QString localTargetFile = state->file.fileName();
    if (!state->headersSeen)
        if (auto error = beginDownloadBody(state.get(), reply))
            return job->fail(*error);
    const bool bodyWanted = statusOf(reply) == 200 || statusOf(reply) == 206;
    if (bodyWanted)
        if (auto error = writeRestOfDownload(state.get(), reply))
            return job->fail(*error);
    job->reportBytes(state->received);
    state->file.flush();
    if (statusOf(reply) == 416 && state->resumeFrom > 0) {
        // The partial file does not fit the remote file any more: start afresh.
        PartialDownload(localTargetFile).forget();
        state->file.close();
        return getFile(job, path, localTargetFile, listed);
    }
    if (auto error = job->session()->errorOf(reply, Method::Get, path))
        return job->fail(*error); // the partial file stays for a resume
    const qint64 size = state->file.size();
    if (state->total >= 0 && size != state->total)
        return job->fail(
            makeError(ErrorKind::Transient, QStringLiteral("%1: download incomplete (%2 of %3 "
                                                           "bytes)")
                                                .arg(path)
                                                .arg(size)
                                                .arg(state->total)));
    PartialDownload(localTargetFile).forget();
    state->file.close();
    if (auto error = checkAgainstListing(*state, reply, listed, size))
        return job->fail(*error);
    RemoteEntry entry = listed;
    entry.path = path;
    // A small file arrives whole before the reads are paced: it ends when the limit would have
    // let its bytes through, so the next one starts no sooner.
    const int owedMs = job->session()->reserveDownloadMs(state->received - state->pacedBytes);
    if (owedMs <= 0)
        return job->succeed(std::move(entry));
    QTimer::singleShot(owedMs, job, [job, entry] {
        if (!job->done())
            job->succeed(entry);
    });
}

void getFile(WebDavJob<EntryJob> *job, const QString &path, const QString &localTargetFile,
             const RemoteEntry &listed)
{
    auto state = std::make_shared<DownloadState>();
    state->path = path;
    state->file.setFileName(localTargetFile);
    if (!state->file.open(QIODevice::ReadWrite))
        return job->fail(makeError(ErrorKind::Transient,
                                   QStringLiteral("%1: cannot write %2: %3")
                                       .arg(path, localTargetFile, state->file.errorString())));
    WebDavSession::Request request;
    request.verb = "GET";
    request.url = job->session()->urlFor(path, false);
    // What an earlier attempt (maybe of another process) left: only the rest is asked for, if
    // the file is still that version; else the whole file comes (200) and replaces it.
    const QByteArray validator = PartialDownload(localTargetFile).validator();
    if (!validator.isEmpty() && state->file.size() > 0 && state->file.size() < listed.size) {
        state->resumeFrom = state->file.size();
        state->validator = validator;
        request.headers = {{"Range", "bytes=" + QByteArray::number(state->resumeFrom) + '-'},
                           {"If-Range", validator}};
    }
    // No transparent compression: Content-Length must describe the bytes on disk.
    request.headers.append(std::pair<QByteArray, QByteArray>("Accept-Encoding", "identity"));
    QNetworkReply *reply = job->send(
        request,
        [job, state, listed](QNetworkReply *answered) {
            onGetFinished(job, state, answered, listed);
        },
        [job, state](QNetworkReply *reading) { readDownloadBody(job, state, reading); });
    const qint64 chunk = job->session()->downloadChunkSize();
    reply->setReadBufferSize(chunk > 0 ? chunk : downloadReadBufferBytes);
}

} // namespace

void download(WebDavJob<EntryJob> *job, const QString &path, const QString &localTargetFile)
{
    statItem(job, path, false,
             [job, path, localTargetFile](Result<std::optional<RemoteEntry>> listed) {
                 if (!listed.ok())
                     return job->fail(listed.error());
                 if (!listed.value())
                     return job->fail(makeError(ErrorKind::NotFound,
                                                QStringLiteral("%1: not on the remote").arg(path)));
                 if (listed.value()->isDir())
                     return job->fail(
                         makeError(ErrorKind::Permanent,
                                   QStringLiteral("%1: is a directory on the remote").arg(path)));
                 getFile(job, path, localTargetFile, *listed.value());
             });
}

} // namespace steadysync::webdav
