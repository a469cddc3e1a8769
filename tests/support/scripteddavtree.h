#pragma once

#include "hostilewebdavserver.h"

#include <QByteArray>
#include <QHash>
#include <QMap>
#include <QString>

namespace steadysync::test {

// A small read-only WebDAV tree, served by a HostileWebDavServer (handler()), with server
// behaviours a test switches on: enough for the real steadysync-cli to list and download it
// (OPTIONS, PROPFIND Depth 0/1/infinity, GET, HEAD; every write is refused with 403).
class ScriptedDavTree
{
public:
    // How PROPFIND Depth: infinity is answered: refused with 403 and Apache's
    // <D:propfind-finite-depth/> error (Apache, nginx), with the whole subtree (rclone), silently
    // with the direct members only, as if Depth: 1 had been asked (servers that downgrade the
    // depth without saying so), or with 503 every time (a server or proxy that gives up on
    // the whole tree).
    enum class DepthInfinity { Refused, Whole, DirectMembersOnly, Unavailable };

    void putFile(const QString &path, const QByteArray &content);
    void putDirectory(const QString &path);
    void setDepthInfinity(DepthInfinity answer) { m_depthInfinity = answer; }
    // Folders carry DAV: quota-used-bytes (the bytes of the files below them), as Nextcloud's
    // and ownCloud's do.
    void setFolderSizes(bool given) { m_folderSizes = given; }
    // The next listing of collection (Depth 1 or infinity) leaves member out, once: a
    // listing that transiently misses an item that is there.
    void omitOnce(const QString &collection, const QString &member);
    int omissionsPending() const { return int(m_omissions.size()); }
    // Of the next listings of collection, letThrough are answered, then one gets status.
    void failListing(const QString &collection, int letThrough, int status)
    {
        m_failures.insert(collection, Failure{letThrough, status});
    }
    bool failurePending() const { return !m_failures.isEmpty(); }
    // Takes path, and all below it, out of the tree (deleted on the server).
    void removeItem(const QString &path);

    // Answers for server->setHandler(); the tree must outlive the server.
    HostileWebDavServer::Handler handler();
    HostileWebDavServer::Reply answer(const HostileWebDavServer::Request &request);

private:
    struct Node
    {
        bool directory = false;
        QByteArray content;
    };

    HostileWebDavServer::Reply propfind(const QString &path, const QByteArray &depth);
    HostileWebDavServer::Reply get(const QString &path, bool withBody) const;
    QByteArray responseXml(const QString &path) const;
    qint64 bytesBelow(const QString &folder) const;
    static QByteArray etagOf(const Node &node);

    QMap<QString, Node> m_nodes; // by path below the root, "" being the root
    DepthInfinity m_depthInfinity = DepthInfinity::Refused;
    bool m_folderSizes = false;
    QMultiHash<QString, QString> m_omissions; // collection -> member path
    struct Failure
    {
        int letThrough = 0;
        int status = 500;
    };
    QHash<QString, Failure> m_failures; // by collection
};

} // namespace steadysync::test
