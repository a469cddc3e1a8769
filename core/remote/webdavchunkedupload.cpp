#include "remote/webdavchunkedupload.h"

#include "fs/hasher.h"
#include "remote/webdavhttp.h"
#include "remote/webdavpropfind.h"
#include "remote/webdavwritelock.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QPointer>
#include <QThreadPool>
#include <QXmlStreamReader>

#include <algorithm>
#include <map>

namespace steadysync {

using webdav::Method;

namespace {

constexpr int maxChunkRetries = 4;
constexpr int maxChunks = 10000; // Nextcloud refuses chunk names above

const QByteArray chunkListingBody =
    "<?xml version=\"1.0\"?><d:propfind xmlns:d=\"DAV:\"><d:prop><d:getcontentlength/>"
    "</d:prop></d:propfind>";

// Chunk number -> size, of a PROPFIND Depth 1 of an upload collection.
std::map<int, qint64> storedChunks(const QByteArray &body)
{
    std::map<int, qint64> chunks;
    QXmlStreamReader xml(body);
    QString href;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement() || xml.namespaceUri() != QLatin1String("DAV:"))
            continue;
        if (xml.name() == QLatin1String("href")) {
            href = xml.readElementText();
        } else if (xml.name() == QLatin1String("getcontentlength")) {
            bool numbered = false;
            const int number = href.section(QLatin1Char('/'), -1).toInt(&numbered);
            const qint64 size = xml.readElementText().toLongLong();
            if (numbered && number > 0)
                chunks[number] = size;
        }
    }
    return chunks;
}

} // namespace

WebDavChunkedUpload::WebDavChunkedUpload(WebDavJob<EntryJob> *job, WebDavUpload::Request upload,
                                         Done done)
    : QObject(job), m_job(job), m_upload(std::move(upload)), m_done(std::move(done)),
      m_state(NextcloudUploadState::of(job->session()))
{}

QString WebDavChunkedUpload::collectionName(const QUrl &destination, qint64 size, qint64 mtimeNs)
{
    const QByteArray version = destination.toEncoded() + ' ' + QByteArray::number(size) + ' ' +
                               QByteArray::number(mtimeNs);
    return QStringLiteral("steadysync-") +
           QString::fromLatin1(
               QCryptographicHash::hash(version, QCryptographicHash::Sha256).toHex().left(32));
}

Error WebDavChunkedUpload::failure(ErrorKind kind, const QString &what) const
{
    return makeError(kind, QStringLiteral("%1: %2").arg(m_upload.path, what));
}

void WebDavChunkedUpload::start()
{
    const std::optional<NextcloudEndpoints> endpoints = m_state->endpoints();
    const QFileInfo file(m_upload.localFile);
    if (!endpoints)
        return m_done(failure(ErrorKind::Permanent, QStringLiteral("no chunked upload here")));
    if (!file.isFile())
        return m_done(
            failure(ErrorKind::NotFound, QStringLiteral("cannot read %1").arg(m_upload.localFile)));
    m_endpoints = *endpoints;
    m_size = file.size();
    m_destination = webdav::urlForPath(m_endpoints.filesRoot, m_upload.path, false);
    m_collection = m_endpoints.uploadsHome.resolved(
        QUrl(collectionName(m_destination, m_size, m_upload.mtimeNs) + QLatin1Char('/')));
    startHashing();
    createCollection();
}

// The SHA-256 of the file for the journal (hashSent), taken on another thread while the
// chunks go up: a resumed upload does not send the chunks already there, so the sent bytes
// cannot be hashed.
void WebDavChunkedUpload::startHashing()
{
    if (!m_upload.hashSent)
        return;
    m_hashing = true;
    const QPointer<WebDavChunkedUpload> self(this);
    QThreadPool::globalInstance()->start([self, file = m_upload.localFile] {
        Result<QByteArray> hash = Hasher::sha256OfFile(file);
        const QByteArray sha256 = hash.ok() ? hash.value() : QByteArray();
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [self, sha256] {
                if (!self)
                    return;
                self->m_hashing = false;
                self->m_sha256 = sha256;
                if (self->m_stored)
                    self->finish(*self->m_stored);
            },
            Qt::QueuedConnection);
    });
}

WebDavSession::Request WebDavChunkedUpload::requestTo(const QByteArray &verb, const QUrl &url) const
{
    WebDavSession::Request request;
    request.verb = verb;
    request.url = url;
    request.headers = {{"Destination", m_destination.toEncoded()},
                       {"OC-Total-Length", QByteArray::number(m_size)}};
    return request;
}

void WebDavChunkedUpload::createCollection()
{
    m_job->send(requestTo("MKCOL", m_collection), [this](QNetworkReply *reply) {
        const int status = statusOf(reply);
        if (status == 405) // there already: an upload of this version cut short
            return listStoredChunks();
        if (auto error = m_job->session()->errorOf(reply, Method::Mkcol, m_upload.path))
            return m_done(*error);
        sendNextChunk();
    });
}

void WebDavChunkedUpload::listStoredChunks()
{
    WebDavSession::Request request;
    request.verb = "PROPFIND";
    request.url = m_collection;
    request.headers = {{"Depth", "1"}, {"Content-Type", "application/xml; charset=utf-8"}};
    request.body = chunkListingBody;
    m_job->send(request, [this](QNetworkReply *reply) {
        if (auto error = m_job->session()->errorOf(reply, Method::Propfind, m_upload.path))
            return m_done(*error);
        resumeFrom(reply->readAll());
    });
}

// Resumes after the chunks 1..n the server holds; anything else there (a gap, more bytes
// than the file has) starts the collection afresh.
void WebDavChunkedUpload::resumeFrom(const QByteArray &listing)
{
    const std::map<int, qint64> chunks = storedChunks(listing);
    qint64 offset = 0;
    int next = 1;
    for (const auto &[number, size] : chunks) {
        if (number != next || size <= 0)
            break;
        offset += size;
        ++next;
    }
    if (next - 1 != int(chunks.size()) || offset > m_size)
        return restartCollection();
    m_offset = offset;
    m_nextChunk = next;
    m_job->reportBytes(m_offset);
    sendNextChunk();
}

void WebDavChunkedUpload::restartCollection()
{
    if (m_restarted)
        return m_done(failure(ErrorKind::Transient,
                              QStringLiteral("the upload collection cannot be started afresh")));
    m_restarted = true;
    WebDavSession::Request request;
    request.verb = "DELETE";
    request.url = m_collection;
    m_job->send(request, [this](QNetworkReply *reply) {
        if (auto error = m_job->session()->errorOf(reply, Method::Delete, m_upload.path);
            error && error->kind != ErrorKind::NotFound)
            return m_done(*error);
        m_offset = 0;
        m_nextChunk = 1;
        createCollection();
    });
}

void WebDavChunkedUpload::sendNextChunk()
{
    if (m_offset >= m_size && m_nextChunk > 1)
        return checkThenAssemble();
    if (m_nextChunk > maxChunks)
        return m_done(failure(ErrorKind::Permanent, QStringLiteral("too many chunks")));
    const qint64 length = std::min(m_state->chunkSize(), m_size - m_offset);
    WebDavSession::Request request =
        requestTo("PUT", m_collection.resolved(QUrl(QString::number(m_nextChunk))));
    request.headers.append(
        std::pair<QByteArray, QByteArray>("Content-Type", "application/octet-stream"));
    request.headers.append(
        std::pair<QByteArray, QByteArray>("Content-Length", QByteArray::number(length)));
    m_chunkClock.start();
    if (m_job->session()->mayPutDirectly(request.url, length))
        return sendChunkDirectly(request, length);
    sendChunkThroughQt(std::move(request), length);
}

void WebDavChunkedUpload::sendChunkDirectly(const WebDavSession::Request &request, qint64 length)
{
    WebDavSession *session = m_job->session();
    const bool withCredentials = session->capabilities().basicAuth == WebDavSession::Support::Yes &&
                                 !session->options().user.isEmpty();
    WebDavDirectPut::Request direct =
        session->directPutRequest(request, m_upload.localFile, length, withCredentials);
    direct.offset = m_offset;
    auto *put = new WebDavDirectPut(std::move(direct));
    m_job->adopt(put);
    WebDavJob<EntryJob> *job = m_job;
    const qint64 base = m_offset;
    QObject::connect(put, &WebDavDirectPut::bytesSent, job,
                     [job, base](qint64 sent) { job->reportBytes(base + sent); });
    QObject::connect(put, &WebDavDirectPut::finished, job, [this, job, put, request, length] {
        put->deleteLater();
        if (job->done())
            return;
        const WebDavDirectPut::Answer &answer = put->answer();
        if (put->failure() == WebDavDirectPut::Failure::Protocol || answer.status == 401 ||
            (answer.status >= 300 && answer.status < 400) || answer.status == 417) {
            // What the direct way does not speak: Qt Network, for this session.
            job->session()->capabilities().directPut = WebDavSession::Support::No;
            return sendChunkThroughQt(request, length);
        }
        std::optional<Error> error;
        if (put->failure() != WebDavDirectPut::Failure::None)
            error = WebDavSession::transportError(ErrorKind::Transient, put->failureDetail(),
                                                  request.url, Method::Put, m_upload.path);
        else
            error = WebDavSession::errorOfStatus(answer.status, QString::fromLatin1(answer.reason),
                                                 answer.header("retry-after"), request.url,
                                                 Method::Put, m_upload.path);
        onChunkAnswered(answer.status, error,
                        put->failure() == WebDavDirectPut::Failure::TimedOut ||
                            put->failure() == WebDavDirectPut::Failure::Network,
                        length);
    });
    put->start();
}

void WebDavChunkedUpload::sendChunkThroughQt(WebDavSession::Request request, qint64 length)
{
    QFile file(m_upload.localFile);
    if (!file.open(QIODevice::ReadOnly) || !file.seek(m_offset))
        return m_done(failure(ErrorKind::Transient, file.errorString()));
    request.body = file.read(length);
    if (request.body.size() != length)
        return m_done(
            failure(ErrorKind::Transient, QStringLiteral("the file became shorter while sent")));
    QNetworkReply *reply = m_job->send(request, [this, length](QNetworkReply *answer) {
        const std::optional<Error> error =
            m_job->session()->errorOf(answer, Method::Put, m_upload.path);
        const bool timedOut = error && error->kind == ErrorKind::Transient &&
                              answer->error() != QNetworkReply::NoError && statusOf(answer) == 0;
        onChunkAnswered(statusOf(answer), error, timedOut, length);
    });
    WebDavJob<EntryJob> *job = m_job;
    const qint64 base = m_offset;
    QObject::connect(reply, &QNetworkReply::uploadProgress, job,
                     [job, base](qint64 sent, qint64) { job->reportBytes(base + sent); });
}

// A chunk's answer. A proxy's 413 (its request limit) or a chunk that timed out is sent
// again smaller; anything else fails the upload, whose chunks stay for the next try.
void WebDavChunkedUpload::onChunkAnswered(int status, const std::optional<Error> &error,
                                          bool timedOut, qint64 length)
{
    if (!error) {
        m_state->chunkSent(length, m_chunkClock.elapsed());
        m_offset += length;
        ++m_nextChunk;
        m_chunkRetries = 0;
        m_job->reportBytes(m_offset);
        return sendNextChunk();
    }
    const bool refused = status == 413 && length > NextcloudUploadState::minChunkBytes;
    if ((refused || timedOut) && ++m_chunkRetries <= maxChunkRetries) {
        if (refused)
            m_state->chunkRefused(length);
        else
            m_state->chunkTimedOut();
        return sendNextChunk();
    }
    m_done(*error);
}

// Nextcloud evaluates If-Match and If-None-Match of a MOVE against its source (the .file,
// which always exists: 412 either way, measured on NC 32), and a tagged If list against the
// destination. So: a stat just before the MOVE checks the precondition; a MustMatch with a
// strong ETag is also sent as "If: <destination> (["etag"])", which the server enforces.
void WebDavChunkedUpload::checkThenAssemble()
{
    webdav::statItem(m_job, m_upload.path, false, [this](Result<std::optional<RemoteEntry>> stat) {
        if (!stat.ok())
            return m_done(stat.error());
        if (auto error =
                webdav::checkPrecondition(m_upload.precondition, stat.value(), m_upload.path))
            return m_done(*error);
        assemble(stat.value());
    });
}

void WebDavChunkedUpload::assemble(const std::optional<RemoteEntry> &current)
{
    WebDavSession::Request request =
        requestTo("MOVE", m_collection.resolved(QUrl(QStringLiteral(".file"))));
    request.headers.append(std::pair<QByteArray, QByteArray>(
        "X-OC-Mtime", QByteArray::number(m_upload.mtimeNs / 1'000'000'000)));
    if (m_upload.precondition.kind == Precondition::Kind::MustMatch && current &&
        webdav::isStrongEtag(current->etag))
        request.headers.append(std::pair<QByteArray, QByteArray>(
            "If", '<' + m_destination.toEncoded() + "> ([" + current->etag + "])"));
    m_job->send(request, [this](QNetworkReply *reply) { onAssembled(reply); });
}

void WebDavChunkedUpload::onAssembled(QNetworkReply *reply)
{
    if (auto error = m_job->session()->errorOf(reply, Method::Move, m_upload.path))
        return m_done(*error);
    // 204: a file was there after all (another client's create after the stat; the server
    // keeps it as a version): the next cycle compares before it trusts this record.
    m_createdNew = statusOf(reply) == 201;
    if (m_upload.precondition.kind == Precondition::Kind::MustNotExist && !m_createdNew)
        m_job->setWriteUnproven();
    QByteArray etag = reply->rawHeader("OC-ETag");
    if (etag.isEmpty())
        etag = reply->rawHeader("ETag");
    if (etag.isEmpty()) {
        return webdav::statItem(
            m_job, m_upload.path, false, [this](Result<std::optional<RemoteEntry>> stat) {
                if (!stat.ok())
                    return m_done(stat.error());
                if (!stat.value())
                    return m_done(failure(ErrorKind::Transient, QStringLiteral("gone right after "
                                                                               "the upload")));
                finish(*stat.value());
            });
    }
    RemoteEntry entry;
    entry.path = m_upload.path;
    entry.size = m_size;
    entry.mtimeNs = m_upload.mtimeNs / 1'000'000'000 * 1'000'000'000;
    entry.etag = etag;
    finish(std::move(entry));
}

void WebDavChunkedUpload::finish(RemoteEntry entry)
{
    if (m_hashing) {
        m_stored = std::move(entry);
        return;
    }
    if (m_upload.hashSent) {
        if (m_sha256.isEmpty())
            return m_done(failure(ErrorKind::Transient,
                                  QStringLiteral("cannot read %1").arg(m_upload.localFile)));
        m_job->setSentSha256(m_sha256);
    }
    m_job->reportBytes(m_size);
    m_done(std::move(entry));
}

} // namespace steadysync
