#include "scriptednextcloudhistory.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QFile>
#include <QLocale>
#include <QRegularExpression>
#include <QUrl>

namespace steadysync::test {

namespace {

using Reply = HostileWebDavServer::Reply;
using Request = HostileWebDavServer::Request;

const QByteArray filesPrefix = "/remote.php/dav/files/u/";
const QByteArray davPrefix = "/remote.php/dav/";
const QByteArray xmlHead =
    "<?xml version=\"1.0\"?>\n<d:multistatus xmlns:d=\"DAV:\" xmlns:s=\"http://sabredav.org/ns\" "
    "xmlns:oc=\"http://owncloud.org/ns\" xmlns:nc=\"http://nextcloud.org/ns\">";
// notes.txt as recorded (stat-notes.http): its current version's date.
const QByteArray notesModified = "Sun, 06 Dec 2026 23:51:59 GMT";

Reply reply(int status, const QByteArray &body = {},
            const QList<std::pair<QByteArray, QByteArray>> &headers = {})
{
    return HostileWebDavServer::reply(HostileWebDavServer::response(status, body, headers));
}

// Nextcloud's 404 body (versions-unknown-fileid.http).
Reply notFound()
{
    return reply(404,
                 "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<d:error xmlns:d=\"DAV:\" "
                 "xmlns:s=\"http://sabredav.org/ns\">\n  "
                 "<s:exception>Sabre\\DAV\\Exception\\NotFound</s:exception>\n  <s:message/>\n"
                 "</d:error>\n",
                 {{"Content-Type", "application/xml; charset=utf-8"}});
}

QString parentOf(const QString &path)
{
    const qsizetype slash = path.lastIndexOf(QLatin1Char('/'));
    return slash < 0 ? QString() : path.left(slash);
}

QString decodedTail(const QByteArray &target, const QByteArray &prefix)
{
    QByteArray rest = target.mid(prefix.size());
    while (rest.endsWith('/'))
        rest.chop(1);
    return QUrl::fromPercentEncoding(rest);
}

QByteArray httpDateNow()
{
    return QLocale::c()
               .toString(QDateTime::currentDateTimeUtc(),
                         QStringLiteral("ddd, dd MMM yyyy hh:mm:ss"))
               .toLatin1() +
           " GMT";
}

} // namespace

ScriptedNextcloudHistory::ScriptedNextcloudHistory()
{
    for (const char *name : {"capabilities", "capabilities-anonymous", "versions-notes",
                             "version-get", "version-get-current", "trash", "trash-get",
                             "trash-restore", "trash-restore-overwrite-f", "status"}) {
        Recording recording;
        if (!load(QString::fromLatin1(name), &recording))
            return;
        m_recordings.insert(QString::fromLatin1(name), recording);
    }
    putNode(QStringLiteral("notes.txt"), Node{false, "content v3\n", 28, notesModified});
    putNode(QStringLiteral("sub/taken.txt"),
            Node{false, "a new file at the same place\n", 36, "Sun, 06 Dec 2026 23:52:09 GMT"});
    m_versionContents.insert(QStringLiteral("1796601114"), m_recordings["version-get"].body);
    m_versionContents.insert(QStringLiteral("1796601116"), "content v2\n"); // as record.sh made it
    m_trash.insert(QStringLiteral("gone.txt.d1796601125"),
                   TrashItem{QStringLiteral("sub/gone.txt"), m_recordings["trash-get"].body});
    m_trash.insert(QStringLiteral("taken.txt.d1796601128"),
                   TrashItem{QStringLiteral("sub/taken.txt"), "first taken\n"});
}

bool ScriptedNextcloudHistory::load(const QString &name, Recording *recording)
{
    QFile file(QStringLiteral(STEADYSYNC_NEXTCLOUD_RECORDINGS "/%1.http").arg(name));
    if (!file.open(QIODevice::ReadOnly)) {
        m_loadError = file.fileName() + QStringLiteral(": ") + file.errorString();
        return false;
    }
    const QByteArray bytes = file.readAll();
    const qsizetype split = bytes.indexOf("\n\n");
    const QList<QByteArray> head = bytes.left(split).split('\n');
    recording->status = head.value(0).split(' ').value(1).toInt();
    for (qsizetype i = 1; i < head.size(); ++i) {
        const qsizetype colon = head.at(i).indexOf(':');
        const QByteArray header = head.at(i).left(colon).trimmed();
        if (colon > 0 && header.compare("Content-Length", Qt::CaseInsensitive) != 0)
            recording->headers.append({header, head.at(i).mid(colon + 1).trimmed()});
    }
    recording->body = split < 0 ? QByteArray() : bytes.mid(split + 2);
    if (recording->status == 0)
        m_loadError = file.fileName() + QStringLiteral(": no status line");
    return recording->status != 0;
}

Reply ScriptedNextcloudHistory::replay(const Recording &recording) const
{
    return reply(recording.status, recording.body, recording.headers);
}

// OCS v2 as recorded here (capabilities*.http); v1 with the bodies the ncsync work recorded
// (capabilities*.json: the same but for the meta status code 100).
Reply ScriptedNextcloudHistory::replayCapabilities(bool v1, bool withCredentials) const
{
    const QString name =
        withCredentials ? QStringLiteral("capabilities") : QStringLiteral("capabilities-anonymous");
    Recording recording = m_recordings.value(name);
    if (v1) {
        QFile json(QStringLiteral(STEADYSYNC_NEXTCLOUD_RECORDINGS "/%1.json").arg(name));
        recording.body = json.open(QIODevice::ReadOnly) ? json.readAll() : QByteArray();
    }
    return replay(recording);
}

QUrl ScriptedNextcloudHistory::filesUrl(const HostileWebDavServer &server)
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1/remote.php/dav/files/u/").arg(server.port()));
}

void ScriptedNextcloudHistory::putNode(const QString &path, const Node &node)
{
    for (QString dir = parentOf(path); !dir.isEmpty(); dir = parentOf(dir))
        if (!m_nodes.contains(dir))
            m_nodes.insert(dir, Node{true, {}, m_nextFileId++, notesModified});
    m_nodes.insert(path, node);
}

bool ScriptedNextcloudHistory::hasFile(const QString &path) const
{
    return m_nodes.contains(path) && !m_nodes.value(path).directory;
}

QByteArray ScriptedNextcloudHistory::content(const QString &path) const
{
    return m_nodes.value(path).content;
}

void ScriptedNextcloudHistory::putFile(const QString &path, const QByteArray &content)
{
    putNode(path, Node{false, content, m_nextFileId++, httpDateNow()});
}

QStringList ScriptedNextcloudHistory::trashNames() const
{
    return m_trash.keys();
}

HostileWebDavServer::Handler ScriptedNextcloudHistory::handler()
{
    return [this](const Request &request) {
        return answer(request);
    };
}

Reply ScriptedNextcloudHistory::answer(const Request &request)
{
    if (request.target == "/status.php")
        return replay(m_recordings.value(QStringLiteral("status")));
    const QByteArray expected =
        "Basic " + (user() + QLatin1Char(':') + password()).toUtf8().toBase64();
    const bool v1 = request.target.startsWith("/ocs/v1.php/cloud/capabilities");
    const bool capabilities = v1 || request.target.startsWith("/ocs/v2.php/cloud/capabilities");
    // Public: without credentials a 200 that lacks files.versioning and files.undelete.
    if (capabilities && request.header("Authorization").isEmpty() && m_mode != Mode::PlainWebDav) {
        ++m_historyRequests;
        return replayCapabilities(v1, false);
    }
    if (request.header("Authorization") != expected)
        return reply(401, "{\"message\":\"Current user is not logged in\"}",
                     {{"WWW-Authenticate", "Basic realm=\"Nextcloud\", charset=\"UTF-8\""},
                      {"Content-Type", "application/json"}});
    if (request.target.startsWith(filesPrefix) || request.target == filesPrefix.chopped(1))
        return files(request, decodedTail(request.target, filesPrefix));
    ++m_historyRequests;
    if (m_mode == Mode::PlainWebDav)
        return reply(404, "<html><body>Not Found</body></html>", {{"Content-Type", "text/html"}});
    if (capabilities)
        return replayCapabilities(v1, true);
    if (request.target.startsWith(davPrefix))
        return history(request, decodedTail(request.target, davPrefix));
    return notFound();
}

Reply ScriptedNextcloudHistory::files(const Request &request, const QString &path)
{
    const bool exists = path.isEmpty() || m_nodes.contains(path);
    if (request.method == "OPTIONS")
        return reply(200, {},
                     {{"DAV", "1, 3, extended-mkcol, nc-paginate"},
                      {"Allow", "OPTIONS, GET, HEAD, DELETE, PROPFIND, PUT, PROPPATCH, "
                                "COPY, MOVE, REPORT"}});
    if (request.method == "PROPFIND")
        return exists ? propfind(path, request.header("Depth").trimmed()) : notFound();
    if (request.method == "GET" || request.method == "HEAD") {
        if (!hasFile(path))
            return notFound();
        const Node node = m_nodes.value(path);
        QByteArray bytes =
            HostileWebDavServer::response(200, node.content,
                                          {{"ETag", etagOf(path)},
                                           {"Last-Modified", node.lastModified},
                                           {"Content-Type", "text/plain;charset=UTF-8"}});
        if (request.method == "HEAD")
            bytes.chop(node.content.size());
        return HostileWebDavServer::reply(bytes);
    }
    if (request.method == "PUT") {
        if (!m_nodes.contains(parentOf(path)) && !parentOf(path).isEmpty())
            return reply(409);
        const bool created = !exists;
        const int fileId = created ? m_nextFileId++ : m_nodes.value(path).fileId;
        m_nodes.insert(path, Node{false, request.body, fileId, httpDateNow()});
        return reply(created ? 201 : 204, {},
                     {{"ETag", etagOf(path)},
                      {"OC-ETag", etagOf(path)},
                      {"OC-FileId", QByteArray::number(fileId)}});
    }
    if (request.method == "MKCOL") {
        if (exists)
            return reply(405);
        m_nodes.insert(path, Node{true, {}, m_nextFileId++, httpDateNow()});
        return reply(201);
    }
    if (request.method == "DELETE") {
        if (!exists)
            return notFound();
        m_nodes.remove(path);
        return reply(204);
    }
    return reply(501);
}

Reply ScriptedNextcloudHistory::history(const Request &request, const QString &davPath)
{
    if (davPath.startsWith(QStringLiteral("versions/u/versions/")))
        return versions(request, davPath.mid(20));
    if (davPath.startsWith(QStringLiteral("trashbin/u/trash")))
        return trash(request, davPath.mid(16).remove(0, davPath.size() > 16 ? 1 : 0));
    return notFound();
}

Reply ScriptedNextcloudHistory::versions(const Request &request, const QString &rest)
{
    const QString fileId = rest.section(QLatin1Char('/'), 0, 0);
    const QString name = rest.section(QLatin1Char('/'), 1);
    if (fileId != QStringLiteral("28"))
        return notFound(); // only notes.txt has versions, as recorded
    if (request.method == "PROPFIND" && name.isEmpty()) {
        if (m_mode == Mode::TruncatedVersions) {
            const QByteArray body = m_recordings.value(QStringLiteral("versions-notes")).body;
            return reply(207, body.left(body.size() / 2),
                         {{"Content-Type", "application/xml; charset=utf-8"}});
        }
        return replay(m_recordings.value(QStringLiteral("versions-notes")));
    }
    if (request.method == "GET" && m_versionContents.contains(name)) {
        Recording recording = m_recordings.value(QStringLiteral("version-get"));
        recording.body = m_versionContents.value(name);
        for (auto &[header, value] : recording.headers)
            if (header == "ETag" || header == "OC-ETag")
                value = name.toLatin1();
        return replay(recording);
    }
    if (request.method == "GET")
        return replay(m_recordings.value(QStringLiteral("version-get-current")));
    return reply(501);
}

Reply ScriptedNextcloudHistory::trash(const Request &request, const QString &name)
{
    if (request.method == "PROPFIND" && name.isEmpty()) {
        Recording recording = m_recordings.value(QStringLiteral("trash"));
        recording.body = trashListing();
        return replay(recording);
    }
    if (!m_trash.contains(name))
        return notFound();
    if (request.method == "GET") {
        Recording recording = m_recordings.value(QStringLiteral("trash-get"));
        recording.body = m_trash.value(name).content;
        return replay(recording);
    }
    if (request.method == "MOVE")
        return restoreFromTrash(request, name);
    return reply(501);
}

// Nextcloud restores to the original place, or beside it as "NAME (restored).EXT" when the
// place is taken (trash-restore-occupied.http, list-sub-after.http).
Reply ScriptedNextcloudHistory::restoreFromTrash(const Request &request, const QString &name)
{
    const QByteArray destination =
        QUrl(QString::fromUtf8(request.header("Destination"))).path(QUrl::FullyEncoded).toUtf8();
    if (destination != davPrefix + "trashbin/u/restore/" + QUrl::toPercentEncoding(name))
        return reply(400);
    if (request.header("Overwrite").trimmed().toUpper() == "F")
        return replay(m_recordings.value(QStringLiteral("trash-restore-overwrite-f")));
    const TrashItem item = m_trash.take(name);
    QString place = item.originalLocation;
    if (m_nodes.contains(place)) {
        const qsizetype dot = place.lastIndexOf(QLatin1Char('.'));
        place = place.left(dot) + QStringLiteral(" (restored)") + place.mid(dot);
    }
    putNode(place, Node{false, item.content, m_nextFileId++, httpDateNow()});
    ++m_trashRestores;
    return replay(m_recordings.value(QStringLiteral("trash-restore")));
}

QByteArray ScriptedNextcloudHistory::trashListing() const
{
    QByteArray body = m_recordings.value(QStringLiteral("trash")).body;
    // The recorded answer, less the items restored since.
    static const QRegularExpression response(QStringLiteral("<d:response>.*?</d:response>"));
    QString text = QString::fromUtf8(body);
    QString kept;
    qsizetype last = 0;
    for (auto it = response.globalMatch(text); it.hasNext();) {
        const QRegularExpressionMatch match = it.next();
        kept += text.mid(last, match.capturedStart() - last);
        last = match.capturedEnd();
        const QString fragment = match.captured();
        const bool gone = std::none_of(m_trash.keyBegin(), m_trash.keyEnd(), [&](const QString &n) {
            return fragment.contains(QStringLiteral("/trash/") + n + QStringLiteral("</d:href>"));
        });
        if (!gone || fragment.contains(QStringLiteral("/trash/</d:href>")))
            kept += fragment;
    }
    kept += text.mid(last);
    if (m_mode == Mode::TrashOutsideItself)
        kept.replace(QStringLiteral("/remote.php/dav/trashbin/u/trash/gone.txt"),
                     QStringLiteral("/remote.php/dav/files/u/gone.txt"));
    return kept.toUtf8();
}

Reply ScriptedNextcloudHistory::propfind(const QString &path, const QByteArray &depth) const
{
    QByteArray xml = responseXml(path);
    if (depth != "0") {
        for (auto it = m_nodes.cbegin(); it != m_nodes.cend(); ++it)
            if (!it.key().isEmpty() && parentOf(it.key()) == path)
                xml += responseXml(it.key());
    }
    return HostileWebDavServer::reply(
        HostileWebDavServer::multistatus(xmlHead + xml + "</d:multistatus>"));
}

// The properties in the shape of stat-notes.http, with an ETag as Nextcloud adds it.
QByteArray ScriptedNextcloudHistory::responseXml(const QString &path) const
{
    const Node node = path.isEmpty() ? Node{true, {}, 2, notesModified} : m_nodes.value(path);
    const QByteArray href = filesPrefix + QUrl::toPercentEncoding(path, "/") +
                            (node.directory && !path.isEmpty() ? "/" : "");
    const QByteArray type =
        node.directory ? "<d:resourcetype><d:collection/></d:resourcetype>" : "<d:resourcetype/>";
    const QByteArray length = node.directory ? QByteArray()
                                             : "<d:getcontentlength>" +
                                                   QByteArray::number(node.content.size()) +
                                                   "</d:getcontentlength>";
    return "<d:response><d:href>" + href + "</d:href><d:propstat><d:prop><oc:fileid>" +
           QByteArray::number(node.fileId) + "</oc:fileid><d:getlastmodified>" + node.lastModified +
           "</d:getlastmodified>" + length + type + "<d:getetag>" + etagOf(path) +
           "</d:getetag></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>";
}

// Content for files; for folders everything below them, so that ETags propagate to the root
// as Nextcloud's do.
QByteArray ScriptedNextcloudHistory::etagOf(const QString &path) const
{
    QCryptographicHash hash(QCryptographicHash::Sha1);
    for (auto it = m_nodes.cbegin(); it != m_nodes.cend(); ++it) {
        if (it.key() == path || path.isEmpty() || it.key().startsWith(path + QLatin1Char('/'))) {
            hash.addData(it.key().toUtf8());
            hash.addData(it->content);
            hash.addData(it->lastModified);
        }
    }
    return '"' + hash.result().toHex().left(32) + '"';
}

} // namespace steadysync::test
