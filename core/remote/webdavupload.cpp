#include "remote/webdavupload.h"

#include "fs/hasher.h"
#include "remote/webdavchunkedupload.h"
#include "remote/webdavhttp.h"
#include "remote/webdavpacedupload.h"
#include "remote/webdavpropfind.h"
#include "remote/webdavstagedcreate.h"

namespace steadysync {

using webdav::Method;
using webdav::WriteGuard;
using webdav::WriteLock;

namespace {

// See sendPut: the probe's tag, and the largest body sent along with it (a 412 wastes it).
const QByteArray conditionalPutProbe = "\"steadysync-no-such-version\"";
constexpr qint64 maxConditionalPutProbeBytes = 1024 * 1024;
constexpr qint64 maxBufferedUploadBytes = 1024 * 1024;

bool offersBasicAuth(const WebDavDirectPut::Answer &answer)
{
    for (const auto &[name, value] : answer.headers) {
        if (name != "www-authenticate")
            continue;
        for (const QByteArray &challenge : value.split(','))
            if (challenge.trimmed().toLower().startsWith("basic"))
                return true;
    }
    return false;
}

} // namespace

WebDavUpload::WebDavUpload(WebDavJob<EntryJob> *job, Request upload)
    : QObject(job), m_job(job), m_upload(std::move(upload))
{}

void WebDavUpload::start()
{
    WebDavJob<EntryJob> *job = m_job;
    if (!m_upload.stagingPath.isEmpty())
        return startStaged();
    if (m_upload.precondition.kind == Precondition::Kind::None) {
        m_done = [job](Result<RemoteEntry> outcome) {
            if (outcome.ok())
                job->succeed(std::move(outcome.value()));
            else
                job->fail(outcome.error());
        };
        return sendPut({}, 0);
    }
    m_sequence = new WebDavWriteSequence(
        job, m_upload.path, m_upload.precondition,
        [this](const WriteLock &lock) { writeUnder(lock); },
        [this](Status outcome) {
            if (outcome.ok())
                m_job->succeed(m_stored);
            else
                m_job->fail(outcome.error());
        });
    m_done = [this](Result<RemoteEntry> outcome) {
        if (!outcome.ok())
            return m_sequence->written(outcome.error());
        m_stored = std::move(outcome.value());
        m_sequence->written(success());
    };
    // A create goes under a lock too where the server has locks (rclone ignores
    // If-None-Match), except on Apache: its LOCK of a new path keeps "lock-null" state in a
    // .DAV file per folder, which parallel creates corrupt (tokens lost: 412 on the PUT, 400 on
    // the UNLOCK) and lost LOCK answers break for good (that folder's PROPFIND then fails,
    // measured under tst_flakylink's resets). There a create is staged (startStaged), or, for
    // a backend without a client id, unproven (reportUploaded) and checked at once (Propagator).
    m_sequence->start(m_upload.precondition.kind != Precondition::Kind::MustNotExist ||
                      !job->session()->capabilities().isApache());
}

// Nobody else writes the staging name: its PUT needs no condition, and may write over what a
// killed upload of this client left there.
void WebDavUpload::startStaged()
{
    auto *create = new WebDavStagedCreate(m_job, m_upload.stagingPath, m_upload.path);
    m_done = [create](Result<RemoteEntry> staged) {
        if (staged.ok())
            create->publish(staged.value());
        else
            create->discard(staged.error());
    };
    sendPut({}, 0);
}

const QString &WebDavUpload::putPath() const
{
    return m_upload.stagingPath.isEmpty() ? m_upload.path : m_upload.stagingPath;
}

void WebDavUpload::writeUnder(const WriteLock &lock)
{
    // Where If-None-Match: * is enforced, a create needs no check of its own.
    if (lock.token.isEmpty() && m_upload.precondition.kind == Precondition::Kind::MustNotExist &&
        m_job->session()->capabilities().conditionalPut == WebDavSession::Support::Yes)
        return sendPut({}, 0);
    checkThenPut(lock, webdav::youngFileRetries);
}

void WebDavUpload::checkThenPut(const WriteLock &lock, int youngRetriesLeft)
{
    webdav::statItem(
        m_job, m_upload.path, false,
        [this, lock, youngRetriesLeft](Result<std::optional<RemoteEntry>> stat) {
            if (!stat.ok())
                return m_done(stat.error());
            const std::optional<RemoteEntry> current =
                webdav::withoutOwnLockNull(stat.value(), lock);
            if (auto error =
                    webdav::checkPrecondition(m_upload.precondition, current, m_upload.path))
                return m_done(*error);
            sendPut(webdav::guardFor(*m_job->session(), lock, current), youngRetriesLeft);
        });
}

// The conditions of a PUT. The first create of a session (checked like every create until
// then) asks If-Match with a tag no file has instead: a server that evaluates conditions fails
// it (412: nothing is written, the create is sent again) and is trusted with If-None-Match: *
// from then on; one that ignores them stores the file. Not both headers: Apache then ignores
// If-Match. Under a lock the create is guarded by the lock and the check made under it; the
// empty resource the LOCK created would fail If-None-Match: * (and the probe).
void WebDavUpload::addConditionHeaders(WebDavSession::Request *request, const WriteGuard &guard,
                                       qint64 size, bool *probe) const
{
    guard.addHeadersTo(request);
    const bool createUnlocked = m_upload.precondition.kind == Precondition::Kind::MustNotExist &&
                                guard.lockToken.isEmpty() && m_upload.stagingPath.isEmpty();
    *probe = createUnlocked &&
             m_job->session()->capabilities().conditionalPut == WebDavSession::Support::Unknown &&
             size <= maxConditionalPutProbeBytes;
    if (*probe)
        request->headers.append(std::pair<QByteArray, QByteArray>("If-Match", conditionalPutProbe));
    else if (createUnlocked)
        request->headers.append(std::pair<QByteArray, QByteArray>("If-None-Match", "*"));
}

WebDavSession::Request WebDavUpload::putRequest(qint64 size) const
{
    const WebDavSession *session = m_job->session();
    WebDavSession::Request request;
    request.verb = "PUT";
    request.url = session->urlFor(putPath(), false);
    request.headers = {{"Content-Type", "application/octet-stream"},
                       {"Content-Length", QByteArray::number(size)},
                       {"X-OC-Mtime", QByteArray::number(m_upload.mtimeNs / 1'000'000'000)}};
    // ownCloud and Nextcloud keep it and list it (oc:checksums): another client then tells
    // versions apart that their ETag does not (same size and mtime, an inode reused).
    if (session->capabilities().propagatesDirectoryEtags && !m_upload.contentSha256.isEmpty())
        request.headers.append(
            std::pair<QByteArray, QByteArray>("OC-Checksum", "SHA256:" + m_upload.contentSha256));
    return request;
}

void WebDavUpload::sendPut(const WriteGuard &guard, int youngRetriesLeft)
{
    WebDavSession *session = m_job->session();
    const qint64 chunk = session->uploadChunkSize();
    auto file = std::make_unique<WebDavPacedUpload>(
        m_upload.localFile, chunk > 0 ? chunk : 1024 * 1024,
        [session](qint64 bytes) { return session->reserveUploadMs(bytes); }, m_upload.hashSent);
    if (!file->open(QIODevice::ReadOnly))
        return m_done(
            makeError(file->fileExists() ? ErrorKind::Transient : ErrorKind::NotFound,
                      QStringLiteral("%1: cannot read %2: %3")
                          .arg(m_upload.path, m_upload.localFile, file->fileErrorString())));
    const qint64 size = file->size();
    // A small file without a bandwidth limit goes as one buffer: Qt streams a device from this
    // thread to its network thread in chunks, a round trip each.
    QByteArray content;
    if (chunk == 0 && size <= maxBufferedUploadBytes) {
        content = file->readAll();
        if (content.size() != size)
            return m_done(
                makeError(ErrorKind::Transient,
                          QStringLiteral("%1: cannot read %2: %3")
                              .arg(m_upload.path, m_upload.localFile, file->fileErrorString())));
        file.reset();
    }
    const QByteArray contentSha256 =
        m_upload.hashSent && !file ? Hasher::sha256(content) : QByteArray();
    WebDavSession::Request request = putRequest(size);
    bool probe = false;
    addConditionHeaders(&request, guard, size, &probe);
    if (file && !m_viaQtNetwork && session->mayPutDirectly(request.url, size))
        return sendDirectPut(guard, youngRetriesLeft, request, size);
    if (file)
        request.upload = file.get();
    else
        request.body = content;
    const QPointer<WebDavPacedUpload> device(file.get());
    QNetworkReply *reply = m_job->send(request, [this, size, guard, youngRetriesLeft, probe, device,
                                                 contentSha256](QNetworkReply *answered) {
        const PutAnswer answer{statusOf(answered), answered->rawHeader("ETag"),
                               answered->rawHeader("Last-Modified"),
                               m_job->session()->errorOf(answered, Method::Put, m_upload.path),
                               device ? device->sha256OfAllRead() : contentSha256};
        onPutAnswered(size, guard, youngRetriesLeft, probe, answer);
    });
    // The file is read by the reply until it ends: it lives exactly as long.
    if (file)
        file.release()->setParent(reply);
    WebDavJob<EntryJob> *job = m_job;
    QObject::connect(reply, &QNetworkReply::uploadProgress, job,
                     [job](qint64 sent, qint64) { job->reportBytes(sent); });
}

// The error a direct PUT that got no answer stands for.
Error WebDavUpload::directPutFailure(const WebDavDirectPut &put, const QUrl &url) const
{
    const QString detail = put.failureDetail();
    const QString &path = m_upload.path;
    switch (put.failure()) {
    case WebDavDirectPut::Failure::TimedOut:
        return m_job->session()->timeoutError(url, Method::Put, path);
    case WebDavDirectPut::Failure::Offline:
        return WebDavSession::transportError(ErrorKind::Offline, detail, url, Method::Put, path);
    case WebDavDirectPut::Failure::TlsCertificate:
        return WebDavSession::transportError(
            ErrorKind::Permanent, QStringLiteral("TLS certificate problem: %1").arg(detail), url,
            Method::Put, path);
    case WebDavDirectPut::Failure::TlsHandshake:
        return WebDavSession::transportError(ErrorKind::Permanent, detail, url, Method::Put, path);
    case WebDavDirectPut::Failure::FileRead:
        return makeError(
            ErrorKind::Transient,
            QStringLiteral("%1: cannot read %2: %3").arg(path, m_upload.localFile, detail));
    case WebDavDirectPut::Failure::None:
    case WebDavDirectPut::Failure::Network:
    case WebDavDirectPut::Failure::Protocol:
        break;
    }
    return WebDavSession::transportError(ErrorKind::Transient, detail, url, Method::Put, path);
}

// A large file's PUT on a connection of its own (WebDavDirectPut). Where the server turns out
// to need what that does not speak (another authentication scheme, a redirect, no HTTP/1.1),
// the upload goes through Qt Network instead, and so do all later ones of the session.
void WebDavUpload::sendDirectPut(const WriteGuard &guard, int youngRetriesLeft,
                                 const WebDavSession::Request &request, qint64 size)
{
    WebDavSession *session = m_job->session();
    const bool withCredentials = session->capabilities().basicAuth == WebDavSession::Support::Yes &&
                                 !session->options().user.isEmpty();
    WebDavDirectPut::Request directRequest =
        session->directPutRequest(request, m_upload.localFile, size, withCredentials);
    directRequest.hashBody = m_upload.hashSent;
    auto *put = new WebDavDirectPut(std::move(directRequest));
    m_job->adopt(put);
    WebDavJob<EntryJob> *job = m_job;
    QObject::connect(put, &WebDavDirectPut::bytesSent, job,
                     [job](qint64 sent) { job->reportBytes(sent); });
    QObject::connect(put, &WebDavDirectPut::finished, job, [=, this] {
        put->deleteLater();
        if (!job->done())
            onDirectPutFinished(put, guard, youngRetriesLeft, request, size, withCredentials);
    });
    put->start();
}

void WebDavUpload::onDirectPutFinished(WebDavDirectPut *put, const WriteGuard &guard,
                                       int youngRetriesLeft, const WebDavSession::Request &request,
                                       qint64 size, bool withCredentials)
{
    WebDavSession *session = m_job->session();
    const WebDavDirectPut::Answer &answer = put->answer();
    const auto throughQtNetwork = [&] {
        session->capabilities().directPut = WebDavSession::Support::No;
        sendPut(guard, youngRetriesLeft);
    };
    if (put->failure() == WebDavDirectPut::Failure::Protocol)
        return throughQtNetwork();
    // Closed before a complete answer (a server that answers early and hangs up; over TLS its
    // answer is often lost with the connection): this upload goes through Qt Network at once,
    // which speaks more of HTTP; later ones still try the direct way. Where the file did arrive
    // and only the answer was lost, this is the resend Qt Network itself makes of a PUT whose
    // answer it lost.
    if (put->failure() == WebDavDirectPut::Failure::Network && !m_viaQtNetwork) {
        m_viaQtNetwork = true;
        return sendPut(guard, youngRetriesLeft);
    }
    if (put->failure() != WebDavDirectPut::Failure::None)
        return onPutAnswered(size, guard, youngRetriesLeft, false,
                             {0, {}, {}, directPutFailure(*put, request.url), put->bodySha256()});
    if (answer.status == 401 && !withCredentials) {
        if (!offersBasicAuth(answer) || session->options().user.isEmpty())
            return throughQtNetwork();
        session->capabilities().basicAuth = WebDavSession::Support::Yes;
        return sendDirectPut(guard, youngRetriesLeft, request, size);
    }
    if ((answer.status >= 300 && answer.status < 400) || answer.status == 417 ||
        answer.status == 505)
        return throughQtNetwork();
    const PutAnswer settled{answer.status, answer.header("etag"), answer.header("last-modified"),
                            WebDavSession::errorOfStatus(answer.status,
                                                         QString::fromLatin1(answer.reason),
                                                         answer.header("retry-after"), request.url,
                                                         Method::Put, m_upload.path),
                            put->bodySha256()};
    onPutAnswered(size, guard, youngRetriesLeft, false, settled);
}

// How a PUT's answer settles the upload; `probe`: see addConditionHeaders.
void WebDavUpload::onPutAnswered(qint64 size, const WriteGuard &guard, int youngRetriesLeft,
                                 bool probe, const PutAnswer &answer)
{
    if (!answer.sentSha256.isEmpty())
        m_job->setSentSha256(answer.sentSha256);
    if (probe) {
        const bool evaluated = answer.status == 412;
        if (evaluated || (answer.status >= 200 && answer.status < 300))
            m_job->session()->capabilities().conditionalPut =
                evaluated ? WebDavSession::Support::Yes : WebDavSession::Support::No;
        if (evaluated)
            return sendPut(guard, youngRetriesLeft);
    }
    if (sentChunkedAfter413(answer.status, size))
        return;
    if (const std::optional<Error> &error = answer.error) {
        if (error->kind == ErrorKind::PreconditionFailed && guard.mayBeTooYoung() &&
            youngRetriesLeft > 0)
            return retryWhenSettled(m_job, webdav::youngFilePauseMs, [this, youngRetriesLeft] {
                checkThenPut(WriteLock{}, youngRetriesLeft - 1);
            });
        return m_done(*error);
    }
    // Apache refuses a write into a folder another client holds locked with a 207 whose
    // member says 423: nothing was written.
    if (answer.status == 207)
        return m_done(makeError(ErrorKind::Transient,
                                QStringLiteral("%1: the folder is locked on the remote by another "
                                               "client")
                                    .arg(m_upload.path)));
    m_job->reportBytes(size);
    reportUploaded(size, answer, guard);
}

bool WebDavUpload::sentChunkedAfter413(int status, qint64 size)
{
    if (status != 413 || !NextcloudUploadState::of(m_job->session())->learnRequestLimit(size))
        return false;
    (new WebDavChunkedUpload(m_job, m_upload, m_done))->start();
    return true;
}

// What the server stored, for the journal (DESIGN §4 "Two writers"): the PUT answer's ETag
// where there is one (it names this client's version), else a stat right after the PUT that
// must show the size sent (Apache answers without an ETag). Another size there is another
// client's version: PreconditionFailed, the path is reconciled again (a conflict that keeps
// both, or nothing where the contents are equal). Under this client's lock nobody else can
// have written; without one another client's version may have landed right after ours, or be
// what the stat shows (same size, written in the same instant on a server that ignores
// If-None-Match): the job then says the write is unproven, and the next cycle compares before
// it trusts the record (a listing showing another version, or the content, tells).
void WebDavUpload::reportUploaded(qint64 size, const PutAnswer &answer, const WriteGuard &guard)
{
    if (guard.lockToken.isEmpty() && m_upload.stagingPath.isEmpty())
        m_job->setWriteUnproven();
    if (!answer.etag.isEmpty()) {
        RemoteEntry entry;
        entry.path = putPath();
        entry.size = size;
        entry.mtimeNs = webdav::mtimeNsFromHttpDate(
            answer.lastModified, m_upload.mtimeNs / 1'000'000'000 * 1'000'000'000);
        entry.etag = answer.etag;
        return m_done(std::move(entry));
    }
    // Waiting for the stat needs no slot of its own: more writes go ahead meanwhile, and
    // their stats share one listing of the directory (WebDavStatBatcher).
    m_job->session()->releaseSlot(m_job);
    const QString path = putPath();
    m_job->session()->statAfterWrite(
        path, m_job, [this, path, size](Result<std::optional<RemoteEntry>> entry) {
            if (m_job->done())
                return;
            if (!entry.ok())
                return m_done(entry.error());
            if (!entry.value())
                return m_done(makeError(
                    ErrorKind::Transient,
                    QStringLiteral("%1: gone from the remote right after the upload").arg(path)));
            if (entry.value()->size != size)
                return m_done(makeError(ErrorKind::PreconditionFailed,
                                        QStringLiteral("%1: another version is on the remote "
                                                       "right after the upload")
                                            .arg(path)));
            m_done(std::move(*entry.value()));
        });
}

} // namespace steadysync
