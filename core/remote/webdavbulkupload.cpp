#include "remote/webdavbulkupload.h"

#include "fs/hasher.h"
#include "remote/webdavhttp.h"
#include "remote/webdavpropfind.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSet>
#include <QTimer>

#include <memory>

namespace steadysync {

using webdav::Method;

namespace {

QString parentOf(const QString &path)
{
    const qsizetype slash = path.lastIndexOf(QLatin1Char('/'));
    return slash < 0 ? QString() : path.left(slash);
}

// "00000017ocxyz" (the DAV file id of a bulk answer) -> "17" (oc:fileid in listings).
QByteArray numericFileId(const QString &davFileId)
{
    qsizetype digits = 0;
    while (digits < davFileId.size() && davFileId.at(digits).isDigit())
        ++digits;
    bool ok = false;
    const qulonglong id = davFileId.left(digits).toULongLong(&ok);
    return ok ? QByteArray::number(id) : QByteArray();
}

} // namespace

WebDavBulkUpload::WebDavBulkUpload(WebDavSession *session)
    : QObject(session), m_session(session), m_state(NextcloudUploadState::of(session))
{
    setObjectName(QStringLiteral("steadysync-bulk-upload"));
}

WebDavBulkUpload *WebDavBulkUpload::of(WebDavSession *session)
{
    if (auto *bulk = session->findChild<WebDavBulkUpload *>(
            QStringLiteral("steadysync-bulk-upload"), Qt::FindDirectChildrenOnly))
        return bulk;
    return new WebDavBulkUpload(session);
}

bool WebDavBulkUpload::suits(WebDavSession *session, const WebDavUpload::Request &upload,
                             qint64 size)
{
    return upload.precondition.kind == Precondition::Kind::MustNotExist && size >= 0 &&
           size <= maxFileBytes && session->uploadChunkSize() == 0 &&
           !upload.path.contains(QLatin1Char('\n')) && !upload.path.contains(QLatin1Char('\r')) &&
           NextcloudUploadState::of(session)->bulkAvailable();
}

void WebDavBulkUpload::add(WebDavJob<EntryJob> *job, const WebDavUpload::Request &upload)
{
    const QFileInfo file(upload.localFile);
    Part part{job, upload, {}, file.size(), {}};
    if (!file.isFile() || file.size() > maxFileBytes)
        return sendAlone(part); // it says why, or goes up another way
    part.userPath = m_state->endpoints()->userPath(upload.path);
    // The batch waits for others without holding a slot: they join it meanwhile.
    m_session->releaseSlot(job);
    m_waitingBytes += part.size;
    m_waiting.append(std::move(part));
    if (m_waiting.size() >= maxFiles || m_waitingBytes >= maxBytes)
        return sendWaiting();
    sendSoon();
}

void WebDavBulkUpload::sendSoon()
{
    if (m_timerRunning)
        return;
    m_timerRunning = true;
    QTimer::singleShot(batchDelayMs, this, [this] {
        m_timerRunning = false;
        if (!m_waiting.isEmpty())
            sendWaiting();
    });
}

void WebDavBulkUpload::sendWaiting()
{
    Batch batch = std::move(m_waiting);
    m_waiting.clear();
    m_waitingBytes = 0;
    auto *slot = new QObject(this);
    m_session->whenSlotFree(slot, [this, slot, batch = std::move(batch)]() mutable {
        checkAbsence(std::move(batch), slot);
    });
}

// One listing per folder of the batch, just before the POST (see the class comment).
void WebDavBulkUpload::checkAbsence(Batch batch, QObject *slot)
{
    QSet<QString> folders;
    for (const Part &part : std::as_const(batch))
        folders.insert(parentOf(part.upload.path));
    auto pending = std::make_shared<int>(int(folders.size()));
    auto present = std::make_shared<QSet<QString>>();
    auto unlisted = std::make_shared<QSet<QString>>();
    auto shared = std::make_shared<Batch>(std::move(batch));
    for (const QString &folder : std::as_const(folders)) {
        QNetworkReply *reply =
            m_session->send(webdav::propfindRequest(*m_session, folder, true, 1));
        reply->setParent(slot);
        connect(reply, &QNetworkReply::finished, slot, [=, this] {
            reply->deleteLater();
            auto listing = webdav::listingOf(m_session, reply, reply->readAll(), folder, 1);
            if (!listing || !listing->ok())
                unlisted->insert(folder);
            else
                for (const RemoteEntry &child : listing->value().children)
                    present->insert(joinPath(folder, child.path));
            if (--*pending > 0)
                return;
            Batch absent;
            for (const Part &part : std::as_const(*shared)) {
                if (unlisted->contains(parentOf(part.upload.path)))
                    sendAlone(part);
                else if (present->contains(part.upload.path) && part.job && !part.job->done())
                    part.job->fail(makeError(ErrorKind::PreconditionFailed,
                                             QStringLiteral("%1: created on the remote meanwhile")
                                                 .arg(part.upload.path)));
                else
                    absent.append(part);
            }
            absent = readContents(absent);
            if (absent.isEmpty()) {
                m_session->releaseSlot(slot);
                return slot->deleteLater();
            }
            post(std::move(absent), slot);
        });
    }
}

// The files' bytes, read now rather than when they joined the batch, so that uploads waiting
// for a slot hold no memory. A file that cannot be read, or grew too large for a batch, goes
// alone (its PUT says why, or it goes up another way).
WebDavBulkUpload::Batch WebDavBulkUpload::readContents(const Batch &batch)
{
    Batch read;
    for (Part part : batch) {
        QFile file(part.upload.localFile);
        if (!file.open(QIODevice::ReadOnly) || file.size() > maxFileBytes) {
            sendAlone(part);
            continue;
        }
        part.content = file.readAll();
        part.size = part.content.size();
        read.append(std::move(part));
    }
    return read;
}

QByteArray WebDavBulkUpload::bodyOf(const Batch &batch, const QByteArray &boundary)
{
    QByteArray body;
    for (const Part &part : batch) {
        body += "--" + boundary + "\r\n";
        body += "X-File-Path: " + part.userPath.toUtf8() + "\r\n";
        body += "X-File-MD5: " +
                QCryptographicHash::hash(part.content, QCryptographicHash::Md5).toHex() + "\r\n";
        body += "X-File-Mtime: " + QByteArray::number(part.upload.mtimeNs / 1'000'000'000) + "\r\n";
        body += "Content-Length: " + QByteArray::number(part.content.size()) + "\r\n\r\n";
        body += part.content + "\r\n";
    }
    body += "--" + boundary + "--\r\n";
    return body;
}

void WebDavBulkUpload::post(Batch batch, QObject *slot)
{
    const QByteArray boundary =
        "steadysync-bulk-" + QByteArray::number(QRandomGenerator::global()->generate64(), 16);
    WebDavSession::Request request;
    request.verb = "POST";
    request.url = m_state->endpoints()->bulk;
    // Nextcloud's CSRF check fails a POST that comes with a session cookie but without a
    // request token; it then logs the session out and checks the password again (a second or
    // more of hashing per POST on NC 32, 3.5 s against 0.35 s measured). OCS-APIRequest
    // passes that check: no browser can send it across origins without CORS.
    request.headers = {{"Content-Type", "multipart/related; boundary=" + boundary},
                       {"OCS-APIRequest", "true"}};
    request.body = bodyOf(batch, boundary);
    QNetworkReply *reply = m_session->send(request, true);
    reply->setParent(slot);
    connect(reply, &QNetworkReply::finished, slot, [this, reply, slot, batch] {
        reply->deleteLater();
        if (m_session->resendAfterChallenge(reply))
            return post(batch, slot);
        m_session->releaseSlot(slot);
        slot->deleteLater();
        onPosted(batch, reply);
    });
}

void WebDavBulkUpload::onPosted(const Batch &batch, QNetworkReply *reply)
{
    const int status = statusOf(reply);
    if (status == 404 || status == 405 || status == 501) {
        m_state->refuseBulk();
        for (const Part &part : batch)
            sendAlone(part);
        return;
    }
    // 400: the parts before the one that could not be read were written, and are listed.
    const QJsonDocument answer = QJsonDocument::fromJson(reply->readAll());
    if ((status == 200 || status == 400) && answer.isObject()) {
        for (const Part &part : batch)
            settle(part, answer.object().value(part.userPath).toObject());
        return;
    }
    for (const Part &part : batch) {
        if (!part.job || part.job->done())
            continue;
        std::optional<Error> error = m_session->errorOf(reply, Method::Put, part.upload.path);
        part.job->fail(error ? *error
                             : makeError(ErrorKind::Transient,
                                         QStringLiteral("%1: the bulk upload's answer cannot be "
                                                        "read")
                                             .arg(part.upload.path)));
    }
}

// One file's entry of the answer: its ETag, or an error (or nothing), for which it goes
// again alone.
void WebDavBulkUpload::settle(const Part &part, const QJsonObject &answer)
{
    if (!part.job || part.job->done())
        return;
    const QString etag = answer.value(QStringLiteral("etag")).toString();
    if (answer.isEmpty() || answer.value(QStringLiteral("error")).toBool(true) || etag.isEmpty())
        return sendAlone(part);
    RemoteEntry entry;
    entry.path = part.upload.path;
    entry.size = part.content.size();
    entry.mtimeNs = part.upload.mtimeNs / 1'000'000'000 * 1'000'000'000;
    // Listings quote it, the bulk answer does not.
    entry.etag = '"' + etag.toLatin1() + '"';
    entry.fileId = numericFileId(answer.value(QStringLiteral("fileid")).toString());
    if (part.upload.hashSent)
        part.job->setSentSha256(Hasher::sha256(part.content));
    part.job->reportBytes(entry.size);
    part.job->succeed(std::move(entry));
}

void WebDavBulkUpload::sendAlone(const Part &part)
{
    WebDavJob<EntryJob> *job = part.job;
    if (!job || job->done())
        return;
    const QPointer<WebDavJob<EntryJob>> guard(job);
    job->session()->whenSlotFree(
        job,
        [guard, upload = part.upload] {
            if (guard && !guard->done())
                (new WebDavUpload(guard.data(), upload))->start();
        },
        true);
}

} // namespace steadysync
