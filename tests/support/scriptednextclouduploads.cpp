#include "scriptednextclouduploads.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimeZone>

#include <algorithm>

namespace steadysync::test {

namespace {

using Request = HostileWebDavServer::Request;

const QByteArray filesPrefix = "/remote.php/dav/files/u";
const QByteArray uploadsPrefix = "/remote.php/dav/uploads/u/";

QByteArray pathOf(const QByteArray &target)
{
    QByteArray path = target;
    if (path.startsWith("http://"))
        path = path.mid(path.indexOf('/', 7));
    return path;
}

QByteArray answer(int status, const QByteArray &body = {},
                  const QList<std::pair<QByteArray, QByteArray>> &headers = {})
{
    return HostileWebDavServer::response(status, body, headers);
}

// As Sabre words it (tests/data/nextcloud32/put-over-quota.txt).
QByteArray sabreError(int status, const QByteArray &exception, const QByteArray &message)
{
    return answer(status,
                  "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<d:error xmlns:d=\"DAV:\" "
                  "xmlns:s=\"http://sabredav.org/ns\">\n  <s:exception>Sabre\\DAV\\Exception\\" +
                      exception + "</s:exception>\n  <s:message>" + message +
                      "</s:message>\n</d:error>",
                  {{"Content-Type", "application/xml; charset=utf-8"}});
}

// Apache's answer with LimitRequestBody, sent before the body where the client waits for
// "100 Continue" (tests/data/nextcloud32/put-413-limitrequestbody.txt).
QByteArray requestTooLarge()
{
    return answer(413,
                  "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01//EN\" "
                  "\"http://www.w3.org/TR/html4/strict.dtd\">\n<html><head>\n<title>413 "
                  "Request Entity Too Large</title>\n</head><body>\n<h1>Request Entity Too "
                  "Large</h1>\nThe requested resource does not allow request data with PUT "
                  "requests, or the amount of data provided in\nthe request exceeds the capacity "
                  "limit.\n</body></html>\n",
                  {{"Content-Type", "text/html; charset=iso-8859-1"}});
}

struct Part
{
    QHash<QByteArray, QByteArray> headers;
    QByteArray content;
};

// The parts of a multipart/related body; nullopt where it cannot be read.
std::optional<QList<Part>> partsOf(const QByteArray &body, const QByteArray &boundary)
{
    QList<Part> parts;
    const QByteArray delimiter = "--" + boundary;
    qsizetype at = 0;
    while (true) {
        if (body.mid(at, delimiter.size()) != delimiter)
            return std::nullopt;
        at += delimiter.size();
        if (body.mid(at, 2) == "--")
            return parts;
        at += 2; // CRLF
        Part part;
        while (true) {
            const qsizetype end = body.indexOf("\r\n", at);
            if (end < 0)
                return std::nullopt;
            const QByteArray line = body.mid(at, end - at);
            at = end + 2;
            if (line.isEmpty())
                break;
            const qsizetype colon = line.indexOf(':');
            part.headers.insert(line.left(colon).trimmed().toLower(),
                                line.mid(colon + 1).trimmed());
        }
        const qsizetype length = part.headers.value("content-length").toLongLong();
        part.content = body.mid(at, length);
        at += length + 2;
        parts.append(part);
    }
}

} // namespace

ScriptedNextcloudUploads::ScriptedNextcloudUploads()
{
    m_dav.setPathPrefix(filesPrefix);
    m_dav.quirks().ownCloudProperties = true;
    m_dav.quirks().nextcloudFileEtags = true;
    m_dav.addBehaviour({[this](const Request &request) { return instead(request); },
                        [this](const Request &request, const QByteArray &bytes) {
                            return withSessionCookie(request, withQuota(request, bytes));
                        }});
    m_dav.setReplyDelay([this](const Request &request) {
        return request.method == "POST" && pathOf(request.target) == "/remote.php/dav/bulk"
                   ? m_bulkDelayMs
                   : 0;
    });
    m_clock.start();
    // A proxy's limit, before the body where the client waits for "100 Continue".
    m_dav.http().setEarlyHandler(
        [this](const Request &request) -> std::optional<HostileWebDavServer::Reply> {
            if (m_requestLimit > 0 &&
                request.header("Content-Length").toLongLong() > m_requestLimit) {
                ++m_counts.refused413;
                return HostileWebDavServer::reply(requestTooLarge());
            }
            return std::nullopt;
        });
}

bool ScriptedNextcloudUploads::start()
{
    return m_dav.start();
}

QUrl ScriptedNextcloudUploads::url() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1%2/")
                    .arg(m_dav.url().port())
                    .arg(QString::fromLatin1(filesPrefix)));
}

std::optional<QString> ScriptedNextcloudUploads::filesPathOf(const QByteArray &target) const
{
    const QByteArray path = pathOf(target);
    if (!path.startsWith(filesPrefix + '/'))
        return std::nullopt;
    QString decoded =
        QString::fromUtf8(QByteArray::fromPercentEncoding(path.mid(filesPrefix.size() + 1)));
    while (decoded.endsWith(QLatin1Char('/')))
        decoded.chop(1);
    return decoded;
}

qint64 ScriptedNextcloudUploads::usedBytes() const
{
    qint64 used = 0;
    const QMap<QString, QByteArray> all = m_dav.files();
    for (const QByteArray &content : all)
        used += content.size();
    return used;
}

std::optional<QByteArray> ScriptedNextcloudUploads::overLimit(const Request &request,
                                                              qint64 bodyBytes)
{
    if (m_requestLimit > 0 && bodyBytes > m_requestLimit) {
        ++m_counts.refused413;
        return requestTooLarge();
    }
    if (m_quota >= 0 && request.method == "PUT") {
        const std::optional<QString> path = filesPathOf(request.target);
        const qint64 existing = path ? m_dav.files().value(*path).size() : 0;
        if (path && usedBytes() - existing + bodyBytes > m_quota) {
            ++m_counts.refused507;
            return sabreError(507, "InsufficientStorage",
                              "Insufficient space in /" + path->toUtf8() + ", " +
                                  QByteArray::number(bodyBytes) + " required, " +
                                  QByteArray::number(std::max<qint64>(0, m_quota - usedBytes())) +
                                  " available");
        }
    }
    return std::nullopt;
}

namespace {
const QByteArray sessionCookie = "oc1scripted=s3ss10n";
}

void ScriptedNextcloudUploads::followSession(const Request &request)
{
    if (!request.header("Cookie").contains(sessionCookie))
        return;
    ++m_counts.withSessionCookie;
    if (request.method == "POST" && request.header("OCS-APIRequest").isEmpty() &&
        request.header("requesttoken").isEmpty())
        ++m_counts.csrfLogouts;
}

// Nextcloud sets its session cookie on a DAV answer to a logged-in request.
QByteArray ScriptedNextcloudUploads::withSessionCookie(const Request &request,
                                                       const QByteArray &answer) const
{
    if (request.header("Cookie").contains(sessionCookie) || !answer.startsWith("HTTP/1.1 2"))
        return answer;
    QByteArray withCookie = answer;
    withCookie.insert(answer.indexOf("\r\n") + 2,
                      "Set-Cookie: " + sessionCookie + "; path=/; HttpOnly; SameSite=Lax\r\n");
    return withCookie;
}

// The POSTs whose answers, each held m_bulkDelayMs from its arrival, overlap the newest one.
void ScriptedNextcloudUploads::countOverlap()
{
    const qint64 now = m_clock.elapsed();
    m_bulkArrivalsMs.append(now);
    const auto overlapping = std::count_if(m_bulkArrivalsMs.cbegin(), m_bulkArrivalsMs.cend(),
                                           [&](qint64 at) { return now - at < m_bulkDelayMs; });
    m_counts.maxBulkPostsAtOnce = std::max(m_counts.maxBulkPostsAtOnce, int(overlapping));
}

std::optional<QByteArray> ScriptedNextcloudUploads::instead(const Request &request)
{
    const QByteArray path = pathOf(request.target);
    followSession(request);
    if (path == "/status.php")
        return answer(200,
                      "{\"installed\":true,\"maintenance\":false,\"needsDbUpgrade\":false,"
                      "\"version\":\"32.0.1.2\",\"versionstring\":\"32.0.1\",\"edition\":\"\","
                      "\"productname\":\"Nextcloud\",\"extendedSupport\":false}",
                      {{"Content-Type", "application/json"}});
    if (path.startsWith("/ocs/v2.php/cloud/capabilities") ||
        path.startsWith("/ocs/v1.php/cloud/capabilities"))
        return answer(200, capabilities(), {{"Content-Type", "application/json; charset=utf-8"}});
    if (auto refused = overLimit(request, request.body.size()))
        return refused;
    if (path == "/remote.php/dav/bulk") {
        countOverlap();
        return m_bulk ? bulk(request) : sabreError(404, "NotFound", "File not found: bulk");
    }
    if (path.startsWith(uploadsPrefix))
        return uploads(request, QString::fromUtf8(path.mid(uploadsPrefix.size())));
    // The client's own files (.steadysync/etag-probe/: the ETag propagation probe) are no
    // uploads of the user's files.
    const QString putPath = filesPathOf(request.target).value_or(QString());
    if (request.method == "PUT" && !putPath.startsWith(QLatin1String(".steadysync/"))) {
        ++m_counts.plainPuts;
        m_plainPutPaths.insert(putPath);
    }
    return std::nullopt;
}

QByteArray ScriptedNextcloudUploads::capabilities() const
{
    QJsonObject dav{{QStringLiteral("chunking"), QStringLiteral("1.0")}};
    if (m_bulk)
        dav.insert(QStringLiteral("bulkupload"), QStringLiteral("1.0"));
    const QJsonObject files{{QStringLiteral("chunked_upload"),
                             QJsonObject{{QStringLiteral("max_size"), double(m_maxChunkSize)},
                                         {QStringLiteral("max_parallel_count"), 5}}}};
    const QJsonObject data{
        {QStringLiteral("version"),
         QJsonObject{{QStringLiteral("major"), 32}, {QStringLiteral("string"), "32.0.1"}}},
        {QStringLiteral("capabilities"),
         QJsonObject{{QStringLiteral("dav"), dav}, {QStringLiteral("files"), files}}}};
    const QJsonObject meta{{QStringLiteral("status"), QStringLiteral("ok")},
                           {QStringLiteral("statuscode"), 200},
                           {QStringLiteral("message"), QStringLiteral("OK")}};
    return QJsonDocument(
               QJsonObject{{QStringLiteral("ocs"), QJsonObject{{QStringLiteral("meta"), meta},
                                                               {QStringLiteral("data"), data}}}})
        .toJson(QJsonDocument::Compact);
}

// As BulkUploadPlugin: each part written whether or not a file is there (newFile), its
// parent must exist; a part whose checksum does not match ends the request with 400.
QByteArray ScriptedNextcloudUploads::bulk(const Request &request)
{
    ++m_counts.bulkPosts;
    const QByteArray type = request.header("Content-Type");
    QByteArray boundary = type.mid(type.indexOf("boundary=") + 9).trimmed();
    if (boundary.startsWith('"'))
        boundary = boundary.mid(1, boundary.size() - 2);
    const std::optional<QList<Part>> parts = partsOf(request.body, boundary);
    if (!type.startsWith("multipart/related") || !parts)
        return sabreError(400, "BadRequest", "Boundary not found where it should be.");
    QJsonObject written;
    for (const Part &part : *parts) {
        ++m_counts.bulkParts;
        const QString userPath = QString::fromUtf8(part.headers.value("x-file-path"));
        const QByteArray md5 =
            QCryptographicHash::hash(part.content, QCryptographicHash::Md5).toHex();
        if (part.headers.value("x-file-md5") != md5)
            return answer(400, QJsonDocument(written).toJson(QJsonDocument::Compact));
        const QString path = userPath.mid(1);
        const QString parent = path.section(QLatin1Char('/'), 0, -2);
        if (m_bulkFailures.remove(path) || !m_dav.isDirectory(parent)) {
            written.insert(
                userPath,
                QJsonObject{
                    {QStringLiteral("error"), true},
                    {QStringLiteral("message"),
                     QStringLiteral("Could not create path \"/u/files%1\"").arg(userPath)}});
            continue;
        }
        const qint64 mtime = part.headers.value("x-file-mtime").toLongLong();
        m_dav.putFile(path, part.content, QDateTime::fromSecsSinceEpoch(mtime, Qt::UTC));
        QByteArray etag = m_dav.etagOfFile(path);
        etag = etag.mid(1, etag.size() - 2);
        written.insert(
            userPath,
            QJsonObject{
                {QStringLiteral("error"), false},
                {QStringLiteral("etag"), QString::fromLatin1(etag)},
                {QStringLiteral("fileid"),
                 QStringLiteral("%1ocscripted").arg(m_dav.fileIdOf(path), 8, 10, QLatin1Char('0'))},
                {QStringLiteral("permissions"), QStringLiteral("RGDNVW")}});
    }
    return answer(200, QJsonDocument(written).toJson(QJsonDocument::Compact),
                  {{"Content-Type", "text/html; charset=UTF-8"}});
}

std::optional<QByteArray> ScriptedNextcloudUploads::uploads(const Request &request,
                                                            const QString &rest)
{
    const QString id = rest.section(QLatin1Char('/'), 0, 0);
    const QString member = rest.section(QLatin1Char('/'), 1).remove(QLatin1Char('/'));
    const QByteArray &method = request.method;
    if (method == "MKCOL" && member.isEmpty()) {
        if (m_uploads.contains(id))
            return sabreError(405, "MethodNotAllowed",
                              "The resource you tried to create already exists");
        m_uploads.insert(id, Upload{});
        return answer(201, {}, {{"Content-Type", "text/html; charset=UTF-8"}});
    }
    if (!m_uploads.contains(id))
        return sabreError(404, "NotFound",
                          "File with name " + id.toUtf8() + " could not be located");
    if (method == "PROPFIND" && member.isEmpty())
        return chunkListing(id);
    if (method == "DELETE" && member.isEmpty()) {
        m_uploads.remove(id);
        return answer(204);
    }
    bool numbered = false;
    const int number = member.toInt(&numbered);
    if (method == "PUT" && numbered && number >= 1 && number <= 10000) {
        if (m_quota >= 0 &&
            request.header("OC-Total-Length").toLongLong() > m_quota - usedBytes()) {
            ++m_counts.refused507;
            return sabreError(507, "InsufficientStorage", "Insufficient space");
        }
        if (++m_counts.chunkPuts == m_failedChunkPut)
            return sabreError(503, "ServiceUnavailable", "scripted failure");
        m_uploads[id].chunks.insert(number, request.body);
        m_counts.chunkBytes += request.body.size();
        m_chunkNumbers.append(number);
        return answer(201, {}, {{"Content-Type", "text/html; charset=UTF-8"}});
    }
    if (method == "MOVE" && member == QLatin1String(".file"))
        return assemble(request, id);
    return sabreError(405, "MethodNotAllowed", "not scripted");
}

QByteArray ScriptedNextcloudUploads::chunkListing(const QString &id) const
{
    const QByteArray base = uploadsPrefix + id.toUtf8() + '/';
    QByteArray xml = "<?xml version=\"1.0\"?>\n<d:multistatus xmlns:d=\"DAV:\" "
                     "xmlns:s=\"http://sabredav.org/ns\" xmlns:oc=\"http://owncloud.org/ns\" "
                     "xmlns:nc=\"http://nextcloud.org/ns\"><d:response><d:href>" +
                     base +
                     "</d:href><d:propstat><d:prop><d:resourcetype><d:collection/>"
                     "</d:resourcetype></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat>"
                     "</d:response>";
    const Upload &upload = m_uploads.value(id);
    for (auto it = upload.chunks.cbegin(); it != upload.chunks.cend(); ++it)
        xml += "<d:response><d:href>" + base + QByteArray::number(it.key()) +
               "</d:href><d:propstat><d:prop><d:getcontentlength>" +
               QByteArray::number(it.value().size()) +
               "</d:getcontentlength><d:resourcetype/></d:prop><d:status>HTTP/1.1 200 "
               "OK</d:status></d:propstat></d:response>";
    return HostileWebDavServer::multistatus(xml + "</d:multistatus>");
}

// As ChunkingPlugin::beforeMove on a local disk: the chunks in order must add up to
// OC-Total-Length (400 otherwise); If-Match / If-None-Match are evaluated against the .file
// (which exists: 412 always), a tagged If list against the destination.
QByteArray ScriptedNextcloudUploads::assemble(const Request &request, const QString &id)
{
    const std::optional<QString> destination = filesPathOf(request.header("Destination"));
    if (!destination)
        return sabreError(400, "BadRequest", "bad destination");
    if (!request.header("If-Match").isEmpty() || !request.header("If-None-Match").isEmpty())
        return sabreError(412, "PreconditionFailed", "An If-Match header was specified");
    const QByteArray current = m_dav.etagOfFile(*destination);
    if (const QByteArray tagged = request.header("If"); !tagged.isEmpty()) {
        const qsizetype open = tagged.indexOf("([");
        const QByteArray expected = tagged.mid(open + 2, tagged.indexOf("])") - open - 2);
        if (expected != current)
            return sabreError(412, "PreconditionFailed",
                              "Failed to find a valid token/etag combination");
    }
    QByteArray content;
    for (const QByteArray &chunk : std::as_const(m_uploads[id].chunks))
        content += chunk;
    if (QByteArray::number(content.size()) != request.header("OC-Total-Length"))
        return sabreError(400, "BadRequest",
                          "Chunks on server do not sum up to " + request.header("OC-Total-Length") +
                              " but to " + QByteArray::number(content.size()) + " bytes");
    ++m_counts.moves;
    const qint64 mtime = request.header("X-OC-Mtime").toLongLong();
    m_dav.putFile(*destination, content, QDateTime::fromSecsSinceEpoch(mtime, Qt::UTC));
    m_uploads.remove(id);
    const QByteArray etag = m_dav.etagOfFile(*destination);
    return answer(current.isEmpty() ? 201 : 204, {},
                  {{"X-OC-MTime", "accepted"},
                   {"OC-ETag", etag},
                   {"ETag", etag},
                   {"OC-FileId", QByteArray::number(m_dav.fileIdOf(*destination))}});
}

// DAV: quota-available-bytes and quota-used-bytes on the collection a PROPFIND asks for, as
// Nextcloud gives them (tests/data/nextcloud32/propfind-quota-5mb.xml; -3: unlimited).
QByteArray ScriptedNextcloudUploads::withQuota(const Request &request,
                                               const QByteArray &bytes) const
{
    if (request.method != "PROPFIND" || !bytes.contains("<D:collection/>"))
        return bytes;
    const qsizetype firstProp = bytes.indexOf("<D:prop>");
    const qsizetype firstEnd = bytes.indexOf("</D:response>");
    if (firstProp < 0 || firstEnd < firstProp ||
        !bytes.mid(firstProp, firstEnd - firstProp).contains("<D:collection/>"))
        return bytes;
    const qint64 available = m_quota < 0 ? -3 : std::max<qint64>(0, m_quota - usedBytes());
    QByteArray quota = "<D:quota-available-bytes>" + QByteArray::number(available) +
                       "</D:quota-available-bytes><D:quota-used-bytes>" +
                       QByteArray::number(usedBytes()) + "</D:quota-used-bytes>";
    QByteArray rewritten = bytes;
    rewritten.insert(firstProp + 8, quota);
    // The Content-Length of the head grows with the body.
    const qsizetype lengthAt = rewritten.indexOf("Content-Length: ");
    const qsizetype lengthEnd = rewritten.indexOf("\r\n", lengthAt);
    const qint64 length = rewritten.mid(lengthAt + 16, lengthEnd - lengthAt - 16).toLongLong();
    rewritten.replace(lengthAt + 16, lengthEnd - lengthAt - 16,
                      QByteArray::number(length + quota.size()));
    return rewritten;
}

} // namespace steadysync::test
