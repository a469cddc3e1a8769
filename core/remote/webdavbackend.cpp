#include "remote/webdavbackend.h"

#include "remote/propfindparser.h"
#include "remote/webdavhttp.h"
#include "remote/webdavpacedupload.h"
#include "remote/webdavsession.h"

#include <QFile>
#include <QFileInfo>
#include <QNetworkReply>
#include <QPointer>
#include <QRegularExpression>
#include <QTimer>

#include <type_traits>

namespace steadysync {

using webdav::Method;

namespace {

const QByteArray propfindBody =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
    "<d:propfind xmlns:d=\"DAV:\"><d:prop><d:resourcetype/><d:getcontentlength/>"
    "<d:getlastmodified/><d:getetag/></d:prop></d:propfind>\n";

// Paths handed in by the engine are relative and clean; anything else is refused before it
// becomes a URL.
std::optional<Error> validatePath(const QString &path, bool allowRoot)
{
    if (path.isEmpty()) {
        if (allowRoot)
            return std::nullopt;
        return makeError(ErrorKind::InvalidName, QStringLiteral("the remote root cannot be used "
                                                                "here"));
    }
    for (const QString &segment : path.split(QLatin1Char('/'))) {
        if (segment.isEmpty() || segment == QLatin1String(".") || segment == QLatin1String("..") ||
            segment.contains(QChar(0)))
            return makeError(ErrorKind::InvalidName,
                             QStringLiteral("%1: not a valid relative path").arg(path));
    }
    return std::nullopt;
}

bool signatureMatches(const RemoteEntry &current, const QByteArray &expected)
{
    return current.signature() == expected ||
           (!current.etag.isEmpty() && webdav::etagsMatchWeakly(current.etag, expected));
}

// Checks a precondition against what a fresh stat found (nullopt: nothing there).
std::optional<Error> checkPrecondition(const Precondition &precondition,
                                       const std::optional<RemoteEntry> &current,
                                       const QString &path)
{
    switch (precondition.kind) {
    case Precondition::Kind::None:
        return std::nullopt;
    case Precondition::Kind::MustNotExist:
        if (!current)
            return std::nullopt;
        return makeError(ErrorKind::PreconditionFailed,
                         QStringLiteral("%1: already exists on the remote").arg(path));
    case Precondition::Kind::MustMatch:
        if (!current)
            return makeError(ErrorKind::PreconditionFailed,
                             QStringLiteral("%1: no longer exists on the remote").arg(path));
        if (signatureMatches(*current, precondition.signature))
            return std::nullopt;
        return makeError(ErrorKind::PreconditionFailed,
                         QStringLiteral("%1: changed on the remote meanwhile").arg(path));
    }
    return std::nullopt;
}

// The ETag to send in If-Match for an entry: only a strong one (If-Match compares strongly,
// so Apache's fresh W/ tags would always fail).
QByteArray strongEtagOf(const std::optional<RemoteEntry> &entry)
{
    return entry && webdav::isStrongEtag(entry->etag) ? entry->etag : QByteArray();
}

qint64 mtimeNsFromHeader(const QNetworkReply *reply, qint64 fallback)
{
    if (const auto date = webdav::parseHttpDate(reply->rawHeader("Last-Modified")))
        return date->toMSecsSinceEpoch() * 1'000'000;
    return fallback;
}

int statusOf(const QNetworkReply *reply)
{
    return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
}

// One WebDAV operation; may take several requests (a stat before a write, a PROPFIND after
// it). Holds a concurrency slot from start to finish; cancel() aborts the request in flight.
template<typename Base> class WebDavJob final : public Base
{
public:
    using ReplyHandler = std::function<void(QNetworkReply *)>;

    WebDavJob(RemoteBackend *backend, WebDavSession *session) : Base(backend), m_session(session) {}

    ~WebDavJob() override
    {
        if (m_session)
            m_session->releaseSlot(this);
    }

    WebDavSession *session() const { return m_session; }
    bool done() const { return this->isFinished(); }

    void cancel() override
    {
        if (this->isFinished())
            return;
        dropReply();
        m_session->releaseSlot(this);
        Base::cancel();
    }

    // Sends a request; onFinished runs (unless the job ended meanwhile) with the reply, which
    // is deleted afterwards. onReadyRead streams the body.
    QNetworkReply *send(const WebDavSession::Request &request, ReplyHandler onFinished,
                        ReplyHandler onReadyRead = {})
    {
        QNetworkReply *reply = m_session->send(request);
        reply->setParent(this);
        m_reply = reply;
        if (onReadyRead)
            QObject::connect(reply, &QNetworkReply::readyRead, this, [this, reply, onReadyRead] {
                if (!this->isFinished())
                    onReadyRead(reply);
            });
        QObject::connect(reply, &QNetworkReply::finished, this,
                         [this, reply, onFinished = std::move(onFinished)] {
                             if (m_reply == reply)
                                 m_reply = nullptr;
                             reply->deleteLater();
                             if (!this->isFinished())
                                 onFinished(reply);
                         });
        return reply;
    }

    void fail(Error error) { end(std::move(error)); }
    void succeed() { end(std::nullopt); }
    void succeed(RemoteEntry entry) requires std::is_base_of_v<EntryJob, Base>
    {
        this->m_entry = std::move(entry);
        end(std::nullopt);
    }
    void succeed(QVector<RemoteEntry> entries,
                 QStringList rejected) requires std::is_base_of_v<ListJob, Base>
    {
        this->m_entries = std::move(entries);
        this->m_rejected = std::move(rejected);
        end(std::nullopt);
    }
    void reportBytes(qint64 bytes)
    {
        if (!this->isFinished())
            this->setBytesTransferred(bytes);
    }

private:
    void end(const std::optional<Error> &error)
    {
        if (this->isFinished())
            return;
        dropReply();
        m_session->releaseSlot(this);
        this->finish(error);
    }

    void dropReply()
    {
        if (!m_reply)
            return;
        QNetworkReply *reply = m_reply;
        m_reply = nullptr;
        QObject::disconnect(reply, nullptr, this, nullptr);
        reply->abort();
        reply->deleteLater();
    }

    QPointer<WebDavSession> m_session;
    QPointer<QNetworkReply> m_reply;
};

// Creates a job and starts it once a concurrency slot is free. Validation errors finish it
// at once (still delivered queued).
template<typename Base, typename Start>
Base *startJob(RemoteBackend *backend, WebDavSession *session, Start start)
{
    auto *job = new WebDavJob<Base>(backend, session);
    const QPointer<WebDavJob<Base>> guard(job);
    session->whenSlotFree(job, [guard, start = std::move(start)] {
        if (guard && !guard->done())
            start(guard.data());
    });
    return job;
}

// PROPFIND of path (Depth 0: the item; Depth 1: a collection and its members).
template<typename Job>
void propfind(Job *job, const QString &path, bool directory, int depth,
              std::function<void(Result<PropfindListing>)> done)
{
    WebDavSession::Request request;
    request.verb = "PROPFIND";
    request.url = job->session()->urlFor(path, directory);
    request.headers = {{"Depth", QByteArray::number(depth)},
                       {"Content-Type", "application/xml; charset=utf-8"}};
    request.body = propfindBody;
    auto body = std::make_shared<QByteArray>();
    job->send(
        request,
        [job, path, body, done](QNetworkReply *reply) {
            if (reply->isOpen())
                body->append(reply->readAll());
            if (auto error = job->session()->errorOf(reply, Method::Propfind, path)) {
                // Apache answers 405 where the served directory is gone.
                if (path.isEmpty() && (error->kind == ErrorKind::NotFound ||
                                       statusOf(reply) == 405 || statusOf(reply) == 409))
                    error->kind = ErrorKind::RootMissing;
                return done(*error);
            }
            if (statusOf(reply) != 207)
                return done(
                    makeError(ErrorKind::Permanent,
                              QStringLiteral("%1: the server answered PROPFIND with "
                                             "HTTP %2, not a WebDAV listing; is the URL "
                                             "a WebDAV collection?")
                                  .arg(path.isEmpty() ? QStringLiteral("the remote root") : path)
                                  .arg(statusOf(reply))));
            done(PropfindParser::parse(*body, reply->url()));
        },
        [job, body](QNetworkReply *reply) {
            body->append(reply->readAll());
            if (body->size() > PropfindParser::defaultMaxBytes)
                job->fail(makeError(ErrorKind::Corrupt,
                                    QStringLiteral("the server's listing is larger than %1 MiB; "
                                                   "refused")
                                        .arg(PropfindParser::defaultMaxBytes / (1024 * 1024))));
        });
}

// stat for internal use: nullopt when nothing is at path.
template<typename Job>
void statItem(Job *job, const QString &path, bool directory,
              std::function<void(Result<std::optional<RemoteEntry>>)> done)
{
    propfind(
        job, path, directory || path.isEmpty(), 0, [path, done](Result<PropfindListing> listing) {
            if (!listing.ok()) {
                if (listing.error().kind == ErrorKind::NotFound)
                    return done(std::optional<RemoteEntry>());
                return done(listing.error());
            }
            if (!listing->self)
                return done(makeError(ErrorKind::Corrupt,
                                      QStringLiteral("%1: the server's reply does not describe the "
                                                     "item asked for")
                                          .arg(path)));
            RemoteEntry entry = *listing->self;
            entry.path = path;
            done(std::optional<RemoteEntry>(std::move(entry)));
        });
}

// State of one download: the target file and how far it got.
struct DownloadState
{
    QString path;
    QFile file;
    qint64 resumeFrom = 0;  // offset asked for with Range
    qint64 startOffset = 0; // where this response's bytes go
    qint64 received = 0;    // bytes of this response
    qint64 total = -1;      // full size of the remote file, when announced
    QByteArray etag;
    bool headersSeen = false;
    bool paused = false; // waiting for the bandwidth limit
};

// Reads the response headers once: decides whether the body resumes the partial file or
// replaces it. Returns an error for an unusable answer.
std::optional<Error> beginDownloadBody(DownloadState *state, QNetworkReply *reply,
                                       WebDavSession *session)
{
    state->headersSeen = true;
    const int status = statusOf(reply);
    if (status != 200 && status != 206)
        return std::nullopt; // an error status; its body is ignored
    state->etag = reply->rawHeader("ETag");
    if (status == 206) {
        static const QRegularExpression contentRange(
            QStringLiteral("^bytes (\\d+)-(\\d+)/(\\d+)$"));
        const auto match =
            contentRange.match(QString::fromLatin1(reply->rawHeader("Content-Range")).trimmed());
        if (!match.hasMatch() || match.captured(1).toLongLong() != state->resumeFrom) {
            session->forgetPartialDownload(state->file.fileName());
            return makeError(ErrorKind::Transient,
                             QStringLiteral("%1: the server answered the resumed download with "
                                            "an unexpected range")
                                 .arg(state->path));
        }
        state->startOffset = state->resumeFrom;
        state->total = match.captured(3).toLongLong();
    } else {
        state->startOffset = 0;
        bool ok = false;
        const qint64 length = reply->header(QNetworkRequest::ContentLengthHeader).toLongLong(&ok);
        state->total = ok ? length : -1;
        if (!state->file.resize(0))
            return makeError(ErrorKind::Transient, QStringLiteral("%1: cannot write %2: %3")
                                                       .arg(state->path, state->file.fileName(),
                                                            state->file.errorString()));
    }
    if (!state->file.seek(state->startOffset))
        return makeError(ErrorKind::Transient,
                         QStringLiteral("%1: cannot write %2: %3")
                             .arg(state->path, state->file.fileName(), state->file.errorString()));
    if (webdav::isStrongEtag(state->etag))
        session->rememberPartialDownload(state->file.fileName(), state->etag);
    else
        session->forgetPartialDownload(state->file.fileName());
    return std::nullopt;
}

// Writes what the reply has (at most maxBytes when > 0) to the target file.
std::optional<Error> writeDownloadChunk(DownloadState *state, QNetworkReply *reply,
                                        qint64 maxBytes = 0)
{
    if (!reply->isOpen())
        return std::nullopt;
    const QByteArray data = maxBytes > 0 ? reply->read(maxBytes) : reply->readAll();
    if (data.isEmpty())
        return std::nullopt;
    if (state->file.write(data) != data.size()) {
        const ErrorKind kind = state->file.error() == QFileDevice::ResourceError
                                   ? ErrorKind::DiskFull
                                   : ErrorKind::Transient;
        return makeError(kind,
                         QStringLiteral("%1: cannot write %2: %3")
                             .arg(state->path, state->file.fileName(), state->file.errorString()));
    }
    state->received += data.size();
    return std::nullopt;
}

// readyRead of a GET: streams the body to the file, pacing reads under a bandwidth limit.
void readDownloadBody(WebDavJob<EntryJob> *job, const std::shared_ptr<DownloadState> &state,
                      QNetworkReply *reply)
{
    if (!state->headersSeen)
        if (auto error = beginDownloadBody(state.get(), reply, job->session()))
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
        job->reportBytes(state->received);
        const int waitMs = job->session()->reserveDownloadMs(state->received - before);
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

void getFile(WebDavJob<EntryJob> *job, const QString &path, const QString &localTargetFile,
             const RemoteEntry &listed);

} // namespace

WebDavBackend::WebDavBackend(const QUrl &collectionRoot, const BackendOptions &options,
                             const QList<QSslCertificate> &extraCaCertificates, QObject *parent)
    : RemoteBackend(parent)
{
    QUrl root =
        collectionRoot.adjusted(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment);
    if (!root.path().endsWith(QLatin1Char('/')))
        root.setPath(root.path(QUrl::FullyEncoded) + QLatin1Char('/'), QUrl::StrictMode);
    m_session = new WebDavSession(root, options, extraCaCertificates, this);
}

WebDavBackend::~WebDavBackend()
{
    // Jobs and their replies go before the session and its QNetworkAccessManager.
    const auto jobs = findChildren<RemoteJob *>(Qt::FindDirectChildrenOnly);
    for (RemoteJob *job : jobs)
        job->cancel();
    qDeleteAll(jobs);
}

QUrl WebDavBackend::url() const
{
    return m_session->root();
}

EntryJob *WebDavBackend::stat(const QString &path)
{
    return startJob<EntryJob>(this, m_session, [path](WebDavJob<EntryJob> *job) {
        if (auto error = validatePath(path, true))
            return job->fail(*error);
        propfind(job, path, path.isEmpty(), 0, [job, path](Result<PropfindListing> listing) {
            if (!listing.ok())
                return job->fail(listing.error());
            if (!listing->self)
                return job->fail(
                    makeError(ErrorKind::Corrupt, QStringLiteral("%1: the server's reply does not "
                                                                 "describe the item asked for")
                                                      .arg(path)));
            RemoteEntry entry = *listing->self;
            entry.path = path;
            if (path.isEmpty() && !entry.isDir())
                return job->fail(makeError(ErrorKind::RootMissing,
                                           QStringLiteral("the remote root is not a collection")));
            job->succeed(std::move(entry));
        });
    });
}

ListJob *WebDavBackend::list(const QString &directory)
{
    return startJob<ListJob>(this, m_session, [directory](WebDavJob<ListJob> *job) {
        if (auto error = validatePath(directory, true))
            return job->fail(*error);
        propfind(job, directory, true, 1, [job, directory](Result<PropfindListing> listing) {
            if (!listing.ok())
                return job->fail(listing.error());
            if (listing->self && !listing->self->isDir())
                return job->fail(
                    makeError(ErrorKind::Permanent,
                              QStringLiteral("%1: is a file on the remote, not a collection")
                                  .arg(directory)));
            QVector<RemoteEntry> entries = std::move(listing->children);
            for (RemoteEntry &entry : entries)
                entry.path = joinPath(directory, entry.path);
            job->succeed(std::move(entries), std::move(listing->rejectedNames));
        });
    });
}

EntryJob *WebDavBackend::download(const QString &path, const QString &localTargetFile)
{
    // The entry reported must carry the signature a listing gives (nginx sends an ETag on GET
    // but none in PROPFIND), so the file is stat'ed first and the GET checked against it.
    return startJob<EntryJob>(this, m_session, [path, localTargetFile](WebDavJob<EntryJob> *job) {
        if (auto error = validatePath(path, false))
            return job->fail(*error);
        statItem(
            job, path, false,
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
    });
}

namespace {

void getFile(WebDavJob<EntryJob> *job, const QString &path, const QString &localTargetFile,
             const RemoteEntry &listed)
{
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
        const QByteArray partialEtag = job->session()->partialDownloadEtag(localTargetFile);
        if (!partialEtag.isEmpty() && state->file.size() > 0) {
            state->resumeFrom = state->file.size();
            request.headers = {{"Range", "bytes=" + QByteArray::number(state->resumeFrom) + '-'},
                               {"If-Range", partialEtag}};
        }
        // No transparent compression: Content-Length must describe the bytes on disk.
        request.headers.append(std::pair<QByteArray, QByteArray>("Accept-Encoding", "identity"));
        QNetworkReply *reply = job->send(
            request,
            [job, state, path, listed](QNetworkReply *reply) {
                if (!state->headersSeen)
                    if (auto error = beginDownloadBody(state.get(), reply, job->session()))
                        return job->fail(*error);
                const bool bodyWanted = statusOf(reply) == 200 || statusOf(reply) == 206;
                if (bodyWanted)
                    if (auto error = writeDownloadChunk(state.get(), reply))
                        return job->fail(*error);
                job->reportBytes(state->received);
                state->file.flush();
                if (statusOf(reply) == 416) {
                    // The partial file does not fit the remote file any more: start afresh.
                    job->session()->forgetPartialDownload(state->file.fileName());
                    state->file.resize(0);
                }
                if (auto error = job->session()->errorOf(reply, Method::Get, path))
                    return job->fail(*error); // the partial file stays for a resume
                const qint64 size = state->file.size();
                if (state->total >= 0 && size != state->total)
                    return job->fail(makeError(ErrorKind::Transient,
                                               QStringLiteral("%1: download incomplete (%2 of %3 "
                                                              "bytes)")
                                                   .arg(path)
                                                   .arg(size)
                                                   .arg(state->total)));
                job->session()->forgetPartialDownload(state->file.fileName());
                state->file.close();
                const qint64 mtimeNs = mtimeNsFromHeader(reply, -1);
                const bool sameEtag =
                    !listed.etag.isEmpty() && webdav::etagsMatchWeakly(listed.etag, state->etag);
                const bool sameSizeAndTime =
                    size == listed.size && (mtimeNs < 0 || mtimeNs == listed.mtimeNs);
                if (!sameEtag && !sameSizeAndTime)
                    return job->fail(makeError(ErrorKind::Transient,
                                               QStringLiteral("%1: changed on the remote during "
                                                              "the download")
                                                   .arg(path)));
                RemoteEntry entry = listed;
                entry.path = path;
                job->succeed(std::move(entry));
            },
            [job, state](QNetworkReply *reply) { readDownloadBody(job, state, reply); });
        if (const qint64 chunk = job->session()->downloadChunkSize())
            reply->setReadBufferSize(chunk);
    }
}

} // namespace

EntryJob *WebDavBackend::upload(const QString &localFile, const QString &path, qint64 mtimeNs,
                                const Precondition &precondition)
{
    return startJob<EntryJob>(
        this, m_session, [localFile, path, mtimeNs, precondition](WebDavJob<EntryJob> *job) {
            if (auto error = validatePath(path, false))
                return job->fail(*error);
            // ifMatch: the strong ETag the stat just found, so servers that enforce If-Match
            // close the window between the stat and the write.
            const auto put = [job, localFile, path, mtimeNs,
                              precondition](const QByteArray &ifMatch) {
                WebDavSession *session = job->session();
                const qint64 chunk = session->uploadChunkSize();
                auto file = std::make_unique<WebDavPacedUpload>(
                    localFile, chunk > 0 ? chunk : 1024 * 1024,
                    [session](qint64 bytes) { return session->reserveUploadMs(bytes); });
                if (!file->open(QIODevice::ReadOnly))
                    return job->fail(
                        makeError(file->fileExists() ? ErrorKind::Transient : ErrorKind::NotFound,
                                  QStringLiteral("%1: cannot read %2: %3")
                                      .arg(path, localFile, file->fileErrorString())));
                const qint64 size = file->size();
                WebDavSession::Request request;
                request.verb = "PUT";
                request.url = job->session()->urlFor(path, false);
                request.headers = {{"Content-Type", "application/octet-stream"},
                                   {"Content-Length", QByteArray::number(size)},
                                   {"X-OC-Mtime", QByteArray::number(mtimeNs / 1'000'000'000)}};
                if (!ifMatch.isEmpty())
                    request.headers.append(std::pair<QByteArray, QByteArray>("If-Match", ifMatch));
                if (precondition.kind == Precondition::Kind::MustNotExist)
                    request.headers.append(std::pair<QByteArray, QByteArray>("If-None-Match", "*"));
                request.upload = file.get();
                QNetworkReply *reply =
                    job->send(request, [job, path, size, mtimeNs](QNetworkReply *reply) {
                        if (auto error = job->session()->errorOf(reply, Method::Put, path))
                            return job->fail(*error);
                        job->reportBytes(size);
                        const QByteArray etag = reply->rawHeader("ETag");
                        if (!etag.isEmpty()) {
                            RemoteEntry entry;
                            entry.path = path;
                            entry.size = size;
                            entry.mtimeNs =
                                mtimeNsFromHeader(reply, mtimeNs / 1'000'000'000 * 1'000'000'000);
                            entry.etag = etag;
                            return job->succeed(std::move(entry));
                        }
                        statItem(job, path, false,
                                 [job, path](Result<std::optional<RemoteEntry>> entry) {
                                     if (!entry.ok())
                                         return job->fail(entry.error());
                                     if (!entry.value())
                                         return job->fail(makeError(
                                             ErrorKind::Transient,
                                             QStringLiteral("%1: gone from the remote right "
                                                            "after the upload")
                                                 .arg(path)));
                                     job->succeed(std::move(*entry.value()));
                                 });
                    });
                // The file is read by the reply until it ends: it lives exactly as long.
                file.release()->setParent(reply);
                QObject::connect(reply, &QNetworkReply::uploadProgress, job,
                                 [job](qint64 sent, qint64) { job->reportBytes(sent); });
            };
            if (precondition.kind == Precondition::Kind::None)
                return put({});
            statItem(job, path, false,
                     [job, path, precondition, put](Result<std::optional<RemoteEntry>> current) {
                         if (!current.ok())
                             return job->fail(current.error());
                         if (auto error = checkPrecondition(precondition, current.value(), path))
                             return job->fail(*error);
                         put(strongEtagOf(current.value()));
                     });
        });
}

EntryJob *WebDavBackend::makeDirectory(const QString &path)
{
    return startJob<EntryJob>(this, m_session, [path](WebDavJob<EntryJob> *job) {
        if (auto error = validatePath(path, false))
            return job->fail(*error);
        WebDavSession::Request request;
        request.verb = "MKCOL";
        request.url = job->session()->urlFor(path, true);
        job->send(request, [job, path](QNetworkReply *reply) {
            const bool mayExist = statusOf(reply) == 405;
            if (!mayExist)
                if (auto error = job->session()->errorOf(reply, Method::Mkcol, path))
                    return job->fail(*error);
            statItem(
                job, path, true, [job, path, mayExist](Result<std::optional<RemoteEntry>> entry) {
                    if (!entry.ok())
                        return job->fail(entry.error());
                    if (!entry.value() || !entry.value()->isDir())
                        return job->fail(makeError(
                            mayExist ? ErrorKind::PreconditionFailed : ErrorKind::Transient,
                            mayExist ? QStringLiteral("%1: something other than a directory exists "
                                                      "there on the remote")
                                           .arg(path)
                                     : QStringLiteral("%1: the directory created is not there")
                                           .arg(path)));
                    job->succeed(std::move(*entry.value()));
                });
        });
    });
}

RemoteJob *WebDavBackend::move(const QString &from, const QString &to,
                               const Precondition &precondition)
{
    return startJob<RemoteJob>(
        this, m_session, [from, to, precondition](WebDavJob<RemoteJob> *job) {
            if (auto error = validatePath(from, false))
                return job->fail(*error);
            if (auto error = validatePath(to, false))
                return job->fail(*error);
            if (isSameOrBelow(to, from))
                return job->fail(makeError(
                    ErrorKind::InvalidName,
                    QStringLiteral("cannot move %1 to %2: the target lies inside the source")
                        .arg(from, to)));
            statItem(job, from, false,
                     [job, from, to, precondition](Result<std::optional<RemoteEntry>> current) {
                         if (!current.ok())
                             return job->fail(current.error());
                         if (!current.value())
                             return job->fail(
                                 makeError(ErrorKind::NotFound,
                                           QStringLiteral("%1: not on the remote").arg(from)));
                         if (precondition.kind == Precondition::Kind::MustMatch)
                             if (auto error =
                                     checkPrecondition(precondition, current.value(), from))
                                 return job->fail(*error);
                         const bool isDir = current.value()->isDir();
                         WebDavSession::Request request;
                         request.verb = "MOVE";
                         request.url = job->session()->urlFor(from, isDir);
                         request.headers = {
                             {"Destination", job->session()->urlFor(to, isDir).toEncoded()},
                             {"Overwrite", "F"}};
                         job->send(request, [job, from, to](QNetworkReply *reply) {
                             if (auto error = job->session()->errorOf(reply, Method::Move, from)) {
                                 if (error->kind == ErrorKind::PreconditionFailed)
                                     error->message =
                                         QStringLiteral("cannot move %1: %2 already exists on the "
                                                        "remote (HTTP 412)")
                                             .arg(from, to);
                                 return job->fail(*error);
                             }
                             job->succeed();
                         });
                     });
        });
}

RemoteJob *WebDavBackend::remove(const QString &path, const Precondition &precondition)
{
    return startJob<RemoteJob>(this, m_session, [path, precondition](WebDavJob<RemoteJob> *job) {
        if (auto error = validatePath(path, false))
            return job->fail(*error);
        statItem(
            job, path, false,
            [job, path, precondition](Result<std::optional<RemoteEntry>> current) {
                if (!current.ok())
                    return job->fail(current.error());
                if (!current.value())
                    return job->fail(makeError(ErrorKind::NotFound,
                                               QStringLiteral("%1: not on the remote").arg(path)));
                const bool isDir = current.value()->isDir();
                WebDavSession::Request request;
                request.verb = "DELETE";
                request.url = job->session()->urlFor(path, isDir);
                if (!isDir && precondition.kind == Precondition::Kind::MustMatch) {
                    if (auto error = checkPrecondition(precondition, current.value(), path))
                        return job->fail(*error);
                    if (const QByteArray ifMatch = strongEtagOf(current.value());
                        !ifMatch.isEmpty())
                        request.headers.append(
                            std::pair<QByteArray, QByteArray>("If-Match", ifMatch));
                }
                job->send(request, [job, path](QNetworkReply *reply) {
                    if (auto error = job->session()->errorOf(reply, Method::Delete, path))
                        return job->fail(*error);
                    if (statusOf(reply) == 207)
                        return job->fail(makeError(ErrorKind::Transient,
                                                   QStringLiteral("%1: the server could not remove "
                                                                  "everything in it")
                                                       .arg(path)));
                    job->succeed();
                });
            });
    });
}

RemoteJob *WebDavBackend::removeStalePartials(qint64)
{
    // PUT goes straight to the final name: there are no partial files to clean up.
    return startJob<RemoteJob>(this, m_session, [](WebDavJob<RemoteJob> *job) { job->succeed(); });
}

} // namespace steadysync
