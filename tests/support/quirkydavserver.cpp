#include "quirkydavserver.h"

#include <QLocale>
#include <QTimeZone>
#include <QUrl>

#include <algorithm>

namespace steadysync::test {

namespace {

using Reply = HostileWebDavServer::Reply;
using Request = HostileWebDavServer::Request;

// "/dav/a%23b/c" -> "a#b/c"; nullopt outside /dav/ or for what no item can be called.
std::optional<QString> pathOfTarget(const QByteArray &target, const QByteArray &davPrefix)
{
    QByteArray encoded = target;
    if (encoded.startsWith("http://") || encoded.startsWith("https://"))
        encoded = encoded.mid(encoded.indexOf('/', encoded.indexOf("//") + 2));
    if (!encoded.startsWith(davPrefix))
        return std::nullopt;
    encoded = encoded.mid(davPrefix.size());
    QStringList segments;
    for (const QByteArray &segment : encoded.split('/')) {
        if (segment.isEmpty())
            continue;
        const QString name = QString::fromUtf8(QByteArray::fromPercentEncoding(segment));
        if (name == QLatin1String(".") || name == QLatin1String(".."))
            return std::nullopt;
        segments.append(name);
    }
    return segments.join(QLatin1Char('/'));
}

QString parentOf(const QString &path)
{
    const qsizetype slash = path.lastIndexOf(QLatin1Char('/'));
    return slash < 0 ? QString() : path.left(slash);
}

QByteArray xmlEscaped(const QByteArray &text)
{
    return QByteArray(text).replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
}

// RFC 1123, the form of every Last-Modified header.
QByteArray httpDate(const QDateTime &time)
{
    return QLocale::c()
        .toString(time.toUTC(), QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'"))
        .toLatin1();
}

QByteArray status(int code, const QList<std::pair<QByteArray, QByteArray>> &headers = {})
{
    return HostileWebDavServer::response(code, {}, headers);
}

} // namespace

QuirkyDavServer::QuirkyDavServer(QObject *parent) : QObject(parent)
{
    insertItem(QString(), Item{true, {}, QDateTime::currentDateTimeUtc(), m_nextVersion++});
    m_http.setHandler([this](const Request &request) { return handle(request); });
}

bool QuirkyDavServer::start()
{
    return m_http.start();
}

void QuirkyDavServer::putFile(const QString &path, const QByteArray &content,
                              const QDateTime &mtime)
{
    makeParents(path);
    // An overwrite keeps the file's id, as a PUT does.
    insertItem(path, Item{false, content, mtime, m_nextVersion++, m_items.value(path).fileId});
}

QByteArray QuirkyDavServer::etagOfFile(const QString &path) const
{
    const auto item = m_items.constFind(path);
    return item == m_items.cend() || item->directory ? QByteArray() : etagOf(*item);
}

qint64 QuirkyDavServer::fileIdOf(const QString &path) const
{
    return m_items.value(path).fileId;
}

bool QuirkyDavServer::isDirectory(const QString &path) const
{
    return m_items.value(path).directory;
}

QMap<QString, QByteArray> QuirkyDavServer::files() const
{
    QMap<QString, QByteArray> files;
    for (auto it = m_items.cbegin(); it != m_items.cend(); ++it) {
        // .steadysync/ is the client's own (the ETag propagation probe), as readTree() has it.
        if (!it->directory && !it.key().startsWith(QLatin1String(".steadysync/")))
            files.insert(it.key(), it->content);
    }
    return files;
}

Reply QuirkyDavServer::handle(const Request &request)
{
    Reply reply = answerOf(request);
    reply.delayMs = m_replyDelay ? m_replyDelay(request) : 0;
    return reply;
}

Reply QuirkyDavServer::answerOf(const Request &request)
{
    for (const Behaviour &behaviour : std::as_const(m_behaviours)) {
        if (!behaviour.instead)
            continue;
        if (std::optional<QByteArray> bytes = behaviour.instead(request))
            return HostileWebDavServer::reply(*bytes);
    }
    QByteArray bytes = answer(request);
    for (const Behaviour &behaviour : std::as_const(m_behaviours)) {
        if (behaviour.rewrite)
            bytes = behaviour.rewrite(request, bytes);
    }
    return HostileWebDavServer::reply(bytes);
}

QByteArray QuirkyDavServer::answer(const Request &request)
{
    const std::optional<QString> path = pathOfTarget(request.target, m_prefix);
    if (!path)
        return status(403);
    const QByteArray &method = request.method;
    if (method == "OPTIONS")
        return status(
            200, {{"DAV", "1"}, {"Allow", "OPTIONS, PROPFIND, GET, PUT, MKCOL, DELETE, MOVE"}});
    if (method == "PROPFIND")
        return propfind(request, *path);
    if (method == "GET")
        return get(*path);
    const bool writes =
        method == "PUT" || method == "DELETE" || method == "MKCOL" || method == "MOVE";
    if (writes && m_quirks.refuseReadOnlyWrites &&
        (isReadOnly(*path) ||
         (method == "MOVE" &&
          isReadOnly(pathOfTarget(request.header("Destination"), m_prefix).value_or(*path)))))
        return status(403);
    if (method == "PUT")
        return put(request, *path);
    if (method == "MKCOL")
        return mkcol(*path);
    if (method == "DELETE")
        return remove(*path);
    if (method == "MOVE")
        return move(request, *path);
    return status(405); // LOCK, PROPPATCH, …
}

QByteArray QuirkyDavServer::propfind(const Request &request, const QString &path)
{
    const auto item = m_items.constFind(path);
    if (item == m_items.cend())
        return status(404);
    const QByteArray depth = request.header("Depth");
    if (depth != "0" && depth != "1")
        return status(403); // as Apache: no Depth: infinity
    QByteArray members;
    QByteArray emptyHrefMembers;
    if (depth == "1" && item->directory) {
        for (const QString &child : childrenOf(path)) {
            QByteArray &into = m_quirks.emptyHrefs.contains(child) ? emptyHrefMembers : members;
            into += responseXml(child, m_items.value(child));
            if (m_quirks.duplicateMembers)
                into += responseXml(child, m_items.value(child));
        }
    }
    return HostileWebDavServer::multistatus(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<D:multistatus xmlns:D=\"DAV:\" "
        "xmlns:oc=\"http://owncloud.org/ns\">" +
        emptyHrefMembers + responseXml(path, *item) + members + "</D:multistatus>\n");
}

QByteArray QuirkyDavServer::responseXml(const QString &path, const Item &item) const
{
    if (m_quirks.forbiddenMembers.contains(path))
        return "<D:response><D:href>" + hrefOf(path, item.directory) +
               "</D:href><D:status>HTTP/1.1 403 Forbidden</D:status></D:response>\n";
    const QString name = path.section(QLatin1Char('/'), -1);
    const QByteArray href =
        m_quirks.emptyHrefs.contains(path) ? QByteArray() : hrefOf(path, item.directory);
    const QByteArray type = item.directory
                                ? QByteArray("<D:resourcetype><D:collection/></D:resourcetype>")
                                : QByteArray("<D:resourcetype/>");
    const QByteArray size = item.directory
                                ? QByteArray()
                                : "<D:getcontentlength>" + QByteArray::number(item.content.size()) +
                                      "</D:getcontentlength>";
    QByteArray found = m_quirks.displayNames
                           ? "<D:displayname>" + xmlEscaped(name.toUtf8()) + "</D:displayname>"
                           : QByteArray();
    found += "<D:getlastmodified>" + dateText(item.mtime) + "</D:getlastmodified>";
    if (m_quirks.etags)
        found += "<D:getetag>" + etagOf(item).chopped(1) + rootEtagSuffix(path) + "\"</D:getetag>";
    if (m_quirks.ownCloudProperties)
        found += ownCloudXml(path, item);
    QByteArray refused;
    (m_quirks.typeRefused.contains(path) ? refused : found) += type;
    (m_quirks.sizeRefused.contains(path) ? refused : found) += size;
    QByteArray xml = "<D:response><D:href>" + href + "</D:href><D:propstat><D:prop>" + found +
                     "</D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat>";
    if (!refused.isEmpty())
        xml += "<D:propstat><D:prop>" + refused +
               "</D:prop><D:status>HTTP/1.1 404 Not Found</D:status></D:propstat>";
    return xml + "</D:response>\n";
}

QByteArray QuirkyDavServer::hrefOf(const QString &path, bool directory) const
{
    QByteArray href = m_prefix + '/';
    const QStringList segments = path.isEmpty() ? QStringList() : path.split(QLatin1Char('/'));
    for (qsizetype i = 0; i < segments.size(); ++i) {
        if (i > 0)
            href += '/';
        href += m_quirks.rawHrefs ? xmlEscaped(segments.at(i).toUtf8())
                                  : QUrl::toPercentEncoding(segments.at(i));
    }
    if (directory && !path.isEmpty() && !m_quirks.slashlessCollections)
        href += '/';
    return href;
}

QByteArray QuirkyDavServer::dateText(const QDateTime &time) const
{
    const QDateTime utc = time.toUTC();
    switch (m_quirks.dates) {
    case DateStyle::Rfc1123:
        return httpDate(utc);
    case DateStyle::Iso8601:
        return utc.toString(utc.time().msec() ? Qt::ISODateWithMs : Qt::ISODate).toLatin1();
    case DateStyle::Unreadable:
        break;
    }
    return "yesterday";
}

// As Nextcloud 32 (measured): a change of a share's permissions gives the user's root a new
// ETag, though no content changed and the shared folder keeps its own.
QByteArray QuirkyDavServer::rootEtagSuffix(const QString &path) const
{
    if (!path.isEmpty() || !m_quirks.ownCloudProperties || m_quirks.readOnlyFolders.isEmpty())
        return {};
    return "-ro" + QByteArray::number(qHash(m_quirks.readOnlyFolders.join(QLatin1Char('|'))), 16);
}

QByteArray QuirkyDavServer::etagOf(const Item &item) const
{
    if (m_quirks.nextcloudFileEtags && !item.directory)
        return "\"" + QByteArray::number(item.content.size()) + '-' +
               QByteArray::number(item.mtime.toSecsSinceEpoch()) + "\"";
    return "\"v" + QByteArray::number(item.version) + "\"";
}

QByteArray QuirkyDavServer::get(const QString &path) const
{
    const auto item = m_items.constFind(path);
    if (item == m_items.cend())
        return status(404);
    if (item->directory)
        return status(405);
    QList<std::pair<QByteArray, QByteArray>> headers;
    if (m_quirks.etags)
        headers.append({"ETag", etagOf(*item)});
    if (m_quirks.lastModifiedOnGet)
        headers.append({"Last-Modified", m_quirks.dates == DateStyle::Iso8601
                                             ? httpDate(item->mtime)
                                             : dateText(item->mtime)});
    return HostileWebDavServer::response(200, item->content, headers);
}

QByteArray QuirkyDavServer::put(const Request &request, const QString &path)
{
    const auto existing = m_items.constFind(path);
    const bool exists = existing != m_items.cend();
    if (path.isEmpty() || (exists && existing->directory))
        return status(405);
    if (!m_items.value(parentOf(path)).directory) // a missing parent is no directory either
        return status(409);
    const QByteArray ifMatch = request.header("If-Match");
    if (!ifMatch.isEmpty() && (!exists || etagOf(*existing) != ifMatch))
        return status(412);
    if (request.header("If-None-Match") == "*" && exists)
        return status(412);
    Item item{false, request.body, QDateTime::currentDateTimeUtc(), m_nextVersion++,
              exists ? existing->fileId : 0};
    if (m_quirks.nextcloudFileEtags) {
        bool mtimeGiven = false;
        const qint64 mtime = request.header("X-OC-Mtime").toLongLong(&mtimeGiven);
        if (mtimeGiven)
            item.mtime = QDateTime::fromSecsSinceEpoch(mtime, Qt::UTC);
        item.checksum = request.header("OC-Checksum");
    }
    insertItem(path, item);
    item = m_items.value(path);
    if (!m_quirks.etags)
        return status(exists ? 204 : 201);
    return status(exists ? 204 : 201, {{"ETag", etagOf(item)}});
}

QByteArray QuirkyDavServer::mkcol(const QString &path)
{
    if (m_items.contains(path))
        return status(405);
    if (!m_items.value(parentOf(path)).directory) // a missing parent is no directory either
        return status(409);
    insertItem(path, Item{true, {}, QDateTime::currentDateTimeUtc(), m_nextVersion++});
    return status(201);
}

QByteArray QuirkyDavServer::remove(const QString &path)
{
    if (path.isEmpty() || !m_items.contains(path))
        return status(path.isEmpty() ? 403 : 404);
    const QString below = path + QLatin1Char('/');
    for (auto it = m_items.begin(); it != m_items.end();)
        it = it.key() == path || it.key().startsWith(below) ? m_items.erase(it) : std::next(it);
    touchAncestors(path);
    return status(204);
}

QByteArray QuirkyDavServer::move(const Request &request, const QString &path)
{
    const std::optional<QString> target = pathOfTarget(request.header("Destination"), m_prefix);
    if (path.isEmpty() || !target || target->isEmpty() || !m_items.contains(path))
        return status(path.isEmpty() || !target ? 403 : 404);
    const bool replacing = m_items.contains(*target);
    if (replacing && request.header("Overwrite") == "F")
        return status(412);
    if (!m_items.contains(parentOf(*target)))
        return status(409);
    remove(*target);
    moveSubtree(path, *target);
    return status(replacing ? 204 : 201);
}

void QuirkyDavServer::moveSubtree(const QString &path, const QString &target)
{
    const QString below = path + QLatin1Char('/');
    QMap<QString, Item> moved;
    for (auto it = m_items.begin(); it != m_items.end();) {
        if (it.key() != path && !it.key().startsWith(below)) {
            ++it;
            continue;
        }
        Item item = *it;
        if (m_quirks.newEtagsOnMove)
            item.version = m_nextVersion++;
        moved.insert(target + it.key().mid(path.size()), item);
        it = m_items.erase(it);
    }
    m_items.insert(moved);
    touchAncestors(path);
    touchAncestors(target);
}

bool QuirkyDavServer::moveItem(const QString &from, const QString &to)
{
    if (from.isEmpty() || !m_items.contains(from) || m_items.contains(to))
        return false;
    makeParents(to);
    moveSubtree(from, to);
    return true;
}

QStringList QuirkyDavServer::childrenOf(const QString &directory) const
{
    QStringList children;
    for (auto it = m_items.cbegin(); it != m_items.cend(); ++it) {
        if (!it.key().isEmpty() && it.key() != directory && parentOf(it.key()) == directory)
            children.append(it.key());
    }
    return children;
}

bool QuirkyDavServer::isReadOnly(const QString &path) const
{
    return std::any_of(m_quirks.readOnlyFolders.cbegin(), m_quirks.readOnlyFolders.cend(),
                       [&path](const QString &folder) {
                           return path == folder || path.startsWith(folder + QLatin1Char('/'));
                       });
}

void QuirkyDavServer::makeParents(const QString &path)
{
    for (QString parent = parentOf(path); !parent.isEmpty(); parent = parentOf(parent)) {
        if (!m_items.contains(parent))
            insertItem(parent, Item{true, {}, QDateTime::currentDateTimeUtc(), m_nextVersion++});
    }
}

void QuirkyDavServer::insertItem(const QString &path, Item item)
{
    if (item.fileId == 0)
        item.fileId = m_nextFileId++;
    m_items.insert(path, item);
    if (!path.isEmpty())
        touchAncestors(path);
}

void QuirkyDavServer::touchAncestors(const QString &path)
{
    if (!m_quirks.ownCloudProperties || path.isEmpty())
        return;
    for (QString parent = parentOf(path);; parent = parentOf(parent)) {
        if (auto it = m_items.find(parent); it != m_items.end())
            it->version = m_nextVersion++;
        if (parent.isEmpty())
            return;
    }
}

QByteArray QuirkyDavServer::ownCloudXml(const QString &path, const Item &item) const
{
    QByteArray permissions = "RG";
    if (!isReadOnly(path))
        permissions += item.directory ? "DNVCK" : "DNVW";
    QByteArray xml = "<oc:fileid>" + QByteArray::number(item.fileId) +
                     "</oc:fileid><oc:permissions>" + permissions + "</oc:permissions>";
    if (m_quirks.nextcloudFileEtags && !item.directory)
        xml += item.checksum.isEmpty() ? QByteArray("<oc:checksums/>")
                                       : "<oc:checksums><oc:checksum>" + xmlEscaped(item.checksum) +
                                             "</oc:checksum></oc:checksums>";
    return xml;
}

} // namespace steadysync::test
