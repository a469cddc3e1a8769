#pragma once

#include "hostilewebdavserver.h"

#include <QDateTime>
#include <QMap>
#include <QSet>
#include <QString>

#include <functional>
#include <optional>

namespace steadysync::test {

// A working WebDAV server kept in memory (PROPFIND Depth 0/1, GET, PUT, MKCOL, DELETE, MOVE,
// If-Match and If-None-Match honoured, no locks: DAV class 1), served through a
// HostileWebDavServer, with a library of quirks that real servers have: turn one on and the
// real steadysync-cli can sync against it end to end. Serve it from the test's thread (the
// CLI runs as a process: wait with a condition that processes events, never block).
class QuirkyDavServer : public QObject
{
    Q_OBJECT
public:
    enum class DateStyle {
        Rfc1123,   // "Sun, 06 Dec 2026 10:37:35 GMT", as Apache, nginx and rclone send it
        Iso8601,   // "2026-12-06T10:37:35Z" (".250Z" with milliseconds), seen in getlastmodified
        Unreadable // "yesterday": no usable date at all
    };
    struct Quirks
    {
        // hrefs carry names as they are, not percent-encoded: a raw '#', '?', ';' or space.
        bool rawHrefs = false;
        // These members are listed with an empty <D:href/> (their displayname still names
        // them), before the collection itself.
        QSet<QString> emptyHrefs;
        bool displayNames = true; // <D:displayname> in every member
        // Of getlastmodified; Last-Modified on GET is RFC 1123 but for Unreadable.
        DateStyle dates = DateStyle::Rfc1123;
        bool lastModifiedOnGet = true;
        bool etags = true; // getetag and ETag (nginx gives none in listings)
        // These members get resourcetype (typeRefused) or getcontentlength (sizeRefused) in a
        // propstat of their own with "404 Not Found".
        QSet<QString> typeRefused;
        QSet<QString> sizeRefused;
        bool slashlessCollections = false; // collection hrefs without the trailing '/'
        bool duplicateMembers = false;     // every member listed twice
        // These members are listed with only a response status "403 Forbidden".
        QSet<QString> forbiddenMembers;
        // Read-only folders, as a share the user may only read: PUT, DELETE, MKCOL and MOVE
        // (source or destination) at or below these paths answer "403 Forbidden".
        QStringList readOnlyFolders;
        // As ownCloud and Nextcloud: oc:fileid (an item keeps it across MOVE and PUT) and
        // oc:permissions where asked for ("RGDNVW" for a file, "RGDNVCK" for a folder; "RG"
        // at and below a read-only folder), and collection ETags that change with anything
        // below them.
        bool ownCloudProperties = false;
        // false: read-only folders say so in oc:permissions only and accept writes, which
        // shows whether a client sends writes the permissions forbid.
        bool refuseReadOnlyWrites = true;
        bool newEtagsOnMove = false; // a MOVE gives everything it moves a new ETag
        // As Nextcloud on a local disk: a file's ETag comes from its size and mtime (and an
        // inode the PUT's temporary file may reuse), the mtime is the client's X-OC-Mtime,
        // and OC-Checksum is kept as sent (shown in oc:checksums with ownCloudProperties,
        // cleared by a PUT without one). A rewrite of the same size and mtime keeps its ETag.
        bool nextcloudFileEtags = false;
    };

    // A misbehaviour on top of the quirks (see davbehaviours.h for the library of them).
    struct Behaviour
    {
        // Answers in the server's place (nothing is stored), or nullopt to let it answer.
        std::function<std::optional<QByteArray>(const HostileWebDavServer::Request &)> instead;
        // Changes the server's answer before it is sent.
        std::function<QByteArray(const HostileWebDavServer::Request &, const QByteArray &)> rewrite;
    };

    explicit QuirkyDavServer(QObject *parent = nullptr);

    bool start();
    QUrl url() const { return m_http.collectionUrl(); } // http://127.0.0.1:PORT/dav/
    Quirks &quirks() { return m_quirks; }
    // Behaviours apply in the order added; the first `instead` that answers wins.
    void addBehaviour(Behaviour behaviour) { m_behaviours.append(std::move(behaviour)); }
    void clearBehaviours() { m_behaviours.clear(); }
    // How long to hold each answer (ms, 0: none), e.g. to see requests overlap.
    void setReplyDelay(std::function<int(const HostileWebDavServer::Request &)> delay)
    {
        m_replyDelay = std::move(delay);
    }
    HostileWebDavServer &http() { return m_http; }

    // Writes a file as another client would (parents created), with this mtime.
    void putFile(const QString &path, const QByteArray &content,
                 const QDateTime &mtime = QDateTime::currentDateTimeUtc());
    // Renames as another client would (MOVE of from to to; false when from is not there).
    bool moveItem(const QString &from, const QString &to);
    // path -> content of every file (but those of .steadysync/).
    QMap<QString, QByteArray> files() const;
    // What a listing shows of a file (empty / 0 when none is there), and whether a folder is.
    QByteArray etagOfFile(const QString &path) const;
    qint64 fileIdOf(const QString &path) const;
    bool isDirectory(const QString &path) const;
    // Serves the tree below this path instead of /dav (e.g. "/remote.php/dav/files/u", as
    // Nextcloud); call before requests arrive.
    void setPathPrefix(const QByteArray &prefix) { m_prefix = prefix; }
    QByteArray pathPrefix() const { return m_prefix; }

private:
    struct Item
    {
        bool directory = false;
        QByteArray content;
        QDateTime mtime;
        qint64 version = 0;
        qint64 fileId = 0;        // given on insert (insertItem)
        QByteArray checksum = {}; // OC-Checksum of its last PUT (nextcloudFileEtags)
    };

    HostileWebDavServer::Reply handle(const HostileWebDavServer::Request &request);
    HostileWebDavServer::Reply answerOf(const HostileWebDavServer::Request &request);
    QByteArray answer(const HostileWebDavServer::Request &request);
    QByteArray propfind(const HostileWebDavServer::Request &request, const QString &path);
    QByteArray get(const QString &path) const;
    QByteArray put(const HostileWebDavServer::Request &request, const QString &path);
    QByteArray mkcol(const QString &path);
    QByteArray remove(const QString &path);
    QByteArray move(const HostileWebDavServer::Request &request, const QString &path);
    void moveSubtree(const QString &path, const QString &target);
    QByteArray responseXml(const QString &path, const Item &item) const;
    QByteArray hrefOf(const QString &path, bool directory) const;
    QByteArray dateText(const QDateTime &time) const;
    QByteArray etagOf(const Item &item) const;
    QByteArray rootEtagSuffix(const QString &path) const;
    QStringList childrenOf(const QString &directory) const;
    void makeParents(const QString &path);
    bool isReadOnly(const QString &path) const;
    void insertItem(const QString &path, Item item);
    void touchAncestors(const QString &path); // ownCloud: collection ETags follow their contents
    QByteArray ownCloudXml(const QString &path, const Item &item) const;

    HostileWebDavServer m_http;
    Quirks m_quirks;
    QList<Behaviour> m_behaviours;
    QByteArray m_prefix = "/dav";
    QMap<QString, Item> m_items; // path below /dav/ ("" is the collection itself) -> item
    qint64 m_nextVersion = 1;
    qint64 m_nextFileId = 100;
    std::function<int(const HostileWebDavServer::Request &)> m_replyDelay;
};

} // namespace steadysync::test
