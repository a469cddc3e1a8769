#include "scripteddavtree.h"

#include <QCryptographicHash>
#include <QUrl>

#include <algorithm>
#include <optional>

namespace steadysync::test {

namespace {

constexpr char lastModified[] = "Tue, 24 Nov 2026 20:00:00 GMT";

QString parentOf(const QString &path)
{
    const qsizetype slash = path.lastIndexOf(QLatin1Char('/'));
    return slash < 0 ? QString() : path.left(slash);
}

bool isBelow(const QString &path, const QString &directory)
{
    return !path.isEmpty() && path != directory &&
           (directory.isEmpty() || path.startsWith(directory + QLatin1Char('/')));
}

// "/dav/a%20b/c/" -> "a b/c"; nullopt outside /dav/.
std::optional<QString> pathOf(const QByteArray &target)
{
    const QByteArray prefix = "/dav/";
    QByteArray rest;
    if (target == "/dav")
        rest = "";
    else if (target.startsWith(prefix))
        rest = target.mid(prefix.size());
    else
        return std::nullopt;
    while (rest.endsWith('/'))
        rest.chop(1);
    return QUrl::fromPercentEncoding(rest);
}

} // namespace

void ScriptedDavTree::putFile(const QString &path, const QByteArray &content)
{
    putDirectory(parentOf(path));
    m_nodes.insert(path, Node{false, content});
}

void ScriptedDavTree::putDirectory(const QString &path)
{
    for (QString dir = path; !dir.isEmpty(); dir = parentOf(dir))
        m_nodes.insert(dir, Node{true, {}});
}

void ScriptedDavTree::removeItem(const QString &path)
{
    for (auto it = m_nodes.begin(); it != m_nodes.end();)
        it = it.key() == path || isBelow(it.key(), path) ? m_nodes.erase(it) : std::next(it);
}

void ScriptedDavTree::omitOnce(const QString &collection, const QString &member)
{
    m_omissions.insert(collection, member);
}

HostileWebDavServer::Handler ScriptedDavTree::handler()
{
    return [this](const HostileWebDavServer::Request &request) {
        return answer(request);
    };
}

HostileWebDavServer::Reply ScriptedDavTree::answer(const HostileWebDavServer::Request &request)
{
    const std::optional<QString> path = pathOf(request.target);
    if (!path)
        return HostileWebDavServer::reply(HostileWebDavServer::response(404));
    if (request.method == "OPTIONS")
        return HostileWebDavServer::reply(HostileWebDavServer::response(
            200, {}, {{"DAV", "1"}, {"Allow", "OPTIONS, GET, HEAD, PROPFIND"}}));
    if (request.method == "PROPFIND")
        return propfind(*path, request.header("Depth").trimmed().toLower());
    if (request.method == "GET" || request.method == "HEAD")
        return get(*path, request.method == "GET");
    return HostileWebDavServer::reply(HostileWebDavServer::response(403));
}

HostileWebDavServer::Reply ScriptedDavTree::propfind(const QString &path, const QByteArray &depth)
{
    if (!path.isEmpty() && !m_nodes.contains(path))
        return HostileWebDavServer::reply(HostileWebDavServer::response(404));
    const bool infinity = depth == "infinity";
    if (infinity && m_depthInfinity == DepthInfinity::Refused)
        return HostileWebDavServer::reply(HostileWebDavServer::response(
            403,
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<D:error xmlns:D=\"DAV:\">"
            "<D:propfind-finite-depth/></D:error>\n",
            {{"Content-Type", "text/xml; charset=utf-8"}}));
    if (infinity && m_depthInfinity == DepthInfinity::Unavailable)
        return HostileWebDavServer::reply(HostileWebDavServer::response(503));
    if (const auto failure = m_failures.find(path); failure != m_failures.end() && depth != "0") {
        if (failure->letThrough-- == 0) {
            const int status = failure->status;
            m_failures.erase(failure);
            return HostileWebDavServer::reply(HostileWebDavServer::response(status));
        }
    }
    const bool whole = infinity && m_depthInfinity == DepthInfinity::Whole;
    QByteArray xml = responseXml(path);
    if (depth != "0") {
        const QStringList omitted = m_omissions.values(path);
        m_omissions.remove(path);
        for (auto it = m_nodes.cbegin(); it != m_nodes.cend(); ++it) {
            const bool member = whole ? isBelow(it.key(), path)
                                      : isBelow(it.key(), path) && parentOf(it.key()) == path;
            const bool left = std::any_of(omitted.cbegin(), omitted.cend(), [&](const QString &o) {
                return it.key() == o || isBelow(it.key(), o);
            });
            if (member && !left)
                xml += responseXml(it.key());
        }
    }
    return HostileWebDavServer::reply(HostileWebDavServer::multistatus(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<D:multistatus xmlns:D=\"DAV:\">" + xml +
        "</D:multistatus>"));
}

HostileWebDavServer::Reply ScriptedDavTree::get(const QString &path, bool withBody) const
{
    const auto it = m_nodes.constFind(path);
    if (it == m_nodes.cend() || it->directory)
        return HostileWebDavServer::reply(HostileWebDavServer::response(404));
    QByteArray bytes = HostileWebDavServer::response(
        200, it->content,
        {{"ETag", etagOf(*it)}, {"Last-Modified", lastModified}, {"Content-Type", "text/plain"}});
    if (!withBody)
        bytes.chop(it->content.size());
    return HostileWebDavServer::reply(bytes);
}

QByteArray ScriptedDavTree::responseXml(const QString &path) const
{
    const Node node = m_nodes.value(path, Node{true, {}});
    const QByteArray href = "/dav/" + QUrl::toPercentEncoding(path, "/") +
                            (node.directory && !path.isEmpty() ? "/" : "");
    const QByteArray quota = node.directory && m_folderSizes
                                 ? "<D:quota-used-bytes>" + QByteArray::number(bytesBelow(path)) +
                                       "</D:quota-used-bytes>"
                                 : QByteArray();
    const QByteArray props =
        node.directory
            ? "<D:resourcetype><D:collection/></D:resourcetype>" + quota
            : "<D:resourcetype/><D:getcontentlength>" + QByteArray::number(node.content.size()) +
                  "</D:getcontentlength><D:getlastmodified>" + lastModified +
                  "</D:getlastmodified><D:getetag>" + etagOf(node) + "</D:getetag>";
    return "<D:response><D:href>" + href + "</D:href><D:propstat><D:prop>" + props +
           "</D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>";
}

qint64 ScriptedDavTree::bytesBelow(const QString &folder) const
{
    qint64 bytes = 0;
    for (auto it = m_nodes.cbegin(); it != m_nodes.cend(); ++it) {
        if (!it->directory && (folder.isEmpty() || it.key().startsWith(folder + QLatin1Char('/'))))
            bytes += it->content.size();
    }
    return bytes;
}

QByteArray ScriptedDavTree::etagOf(const Node &node)
{
    return '"' + QCryptographicHash::hash(node.content, QCryptographicHash::Sha1).toHex().left(16) +
           '"';
}

} // namespace steadysync::test
