#pragma once

#include "hostilewebdavserver.h"

#include <QByteArray>
#include <QHash>
#include <QMap>
#include <QSet>
#include <QString>

namespace steadysync::test {

// A Nextcloud 32 as far as server versions and the trashbin go (issue 19 item 8), served by a
// HostileWebDavServer: the answers recorded from a real Nextcloud 32.0.1 in
// tests/data/nextcloud32/ (record.sh) are replayed; the files collection
// (/remote.php/dav/files/u/) is a small writable tree in Nextcloud's XML, enough for the real
// steadysync-cli to sync it. Every request but status.php needs Basic credentials (u /
// nc-User-pw-1), and the first without them is answered 401 as Nextcloud does.
// The recorded state: notes.txt (file id 28) with two earlier versions ("content v1",
// "content v2") and its current content "content v3"; sub/taken.txt live; in the trash
// sub/gone.txt ("trashed content") and an earlier sub/taken.txt ("first taken").
class ScriptedNextcloudHistory
{
public:
    enum class Mode {
        Nextcloud32,        // as recorded
        PlainWebDav,        // the same files, but no OCS, versions or trashbin (404s, as Apache)
        TruncatedVersions,  // the versions listing cut off mid-element
        TrashOutsideItself, // a trash listing naming an item outside the trash collection
    };

    ScriptedNextcloudHistory();
    // Empty when the recordings were read; else what is wrong with them.
    QString loadError() const { return m_loadError; }
    void setMode(Mode mode) { m_mode = mode; }

    // http://127.0.0.1:PORT/remote.php/dav/files/u/
    static QUrl filesUrl(const HostileWebDavServer &server);
    static QString user() { return QStringLiteral("u"); }
    static QString password() { return QStringLiteral("nc-User-pw-1"); }

    bool hasFile(const QString &path) const;
    QByteArray content(const QString &path) const;
    void putFile(const QString &path, const QByteArray &content);
    QStringList trashNames() const; // the items still in the trash
    int trashRestores() const { return m_trashRestores; }
    // Requests outside the files collection (versions, trashbin, OCS): none for a server
    // that offers nothing.
    int historyRequests() const { return m_historyRequests; }

    HostileWebDavServer::Handler handler();
    HostileWebDavServer::Reply answer(const HostileWebDavServer::Request &request);

private:
    struct Node
    {
        bool directory = false;
        QByteArray content;
        int fileId = 0;
        QByteArray lastModified; // HTTP date
    };
    struct Recording
    {
        int status = 0;
        QList<std::pair<QByteArray, QByteArray>> headers;
        QByteArray body;
    };
    struct TrashItem
    {
        QString originalLocation;
        QByteArray content;
    };

    bool load(const QString &name, Recording *recording);
    HostileWebDavServer::Reply replay(const Recording &recording) const;
    HostileWebDavServer::Reply replayCapabilities(bool v1, bool withCredentials) const;
    HostileWebDavServer::Reply files(const HostileWebDavServer::Request &request,
                                     const QString &path);
    HostileWebDavServer::Reply history(const HostileWebDavServer::Request &request,
                                       const QString &davPath);
    HostileWebDavServer::Reply versions(const HostileWebDavServer::Request &request,
                                        const QString &rest);
    HostileWebDavServer::Reply trash(const HostileWebDavServer::Request &request,
                                     const QString &rest);
    HostileWebDavServer::Reply restoreFromTrash(const HostileWebDavServer::Request &request,
                                                const QString &name);
    HostileWebDavServer::Reply propfind(const QString &path, const QByteArray &depth) const;
    QByteArray responseXml(const QString &path) const;
    QByteArray etagOf(const QString &path) const;
    QByteArray trashListing() const;
    void putNode(const QString &path, const Node &node);

    QString m_loadError;
    Mode m_mode = Mode::Nextcloud32;
    QMap<QString, Node> m_nodes; // by path below the user's home, "" being the home
    int m_nextFileId = 100;
    QHash<QString, Recording> m_recordings;       // by file name without .http
    QHash<QString, QByteArray> m_versionContents; // version name -> content (notes.txt)
    QMap<QString, TrashItem> m_trash;             // trash item name -> item
    int m_trashRestores = 0;
    int m_historyRequests = 0;
};

} // namespace steadysync::test
