#pragma once

#include "remote/remotebackend.h"
#include "result.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QUrl>

#include <memory>
#include <optional>

namespace steadysync {

class WebDavSession;

// Content a Nextcloud server keeps of its own accord (issue 19 item 8): earlier versions of a
// file (the files_versions app) and deleted items (the files_trashbin app). Paths are relative
// to the pair's remote root, like every path of the pair.
struct ServerHistoryEntry
{
    enum class Kind { Version, Trash };
    Kind kind = Kind::Version;
    QString path;           // the file's path (Version), the place it was deleted from (Trash)
    qint64 timeMs = 0;      // Version: its modification time; Trash: when it was deleted
    qint64 size = -1;       // -1 when the server did not say
    bool directory = false; // a trashed folder
    QString fileId;         // Version: oc:fileid of the file
    QString versionName;    // Version: its name in the versions collection (a timestamp)
    QString trashName;      // Trash: its name in the trash collection ("a.txt.d1796601125")
    QString author;         // Version: nc:version-author, where given

    // What `versions list` shows as id and reason, and `versions restore --id` takes back:
    // "server-version:FILEID:NAME", "server-trash:NAME".
    QString id() const;
    QString reasonName() const;
    struct Id
    {
        Kind kind = Kind::Version;
        QString fileId;
        QString name;
    };
    static std::optional<Id> parseId(const QString &id);
    bool matches(const Id &id) const;
};

// What the server offers, from its OCS capabilities (files.versioning, files.undelete).
struct ServerHistoryFeatures
{
    bool versions = false;
    bool trash = false;
};

// Speaks to a Nextcloud (or ownCloud) server's versions and trashbin collections beside the
// files collection a pair syncs with: /remote.php/dav/{versions,trashbin}/USER/... Each call
// sends its requests and waits for them in a local event loop (the command line, a worker
// thread of the app); credentials, TLS and the first 401 as in WebDavSession.
class NextcloudHistory
{
public:
    // Nullptr when filesRoot is no Nextcloud files URL (…/remote.php/dav/files/USER/…, or
    // …/remote.php/webdav/… with options.user): then the server keeps nothing to show.
    static std::unique_ptr<NextcloudHistory> forRemote(const QUrl &filesRoot,
                                                       const BackendOptions &options);
    ~NextcloudHistory();
    NextcloudHistory(const NextcloudHistory &) = delete;
    NextcloudHistory &operator=(const NextcloudHistory &) = delete;

    // The server's capabilities; a server that answers no OCS (404, not JSON) offers nothing.
    [[nodiscard]] Result<ServerHistoryFeatures> features();
    // The earlier versions of the file at path, newest first (the current content, which
    // Nextcloud lists too, left out). NotFound when there is no file at path.
    [[nodiscard]] Result<QList<ServerHistoryEntry>> versionsOf(const QString &path);
    // The versions of the files directly in folder ("" = the root), of at most maxFiles of them;
    // *leftOut gets how many files were not asked for.
    [[nodiscard]] Result<QList<ServerHistoryEntry>> versionsIn(const QString &folder, int maxFiles,
                                                               int *leftOut);
    // The trashed items deleted from inside the pair's root, newest first.
    [[nodiscard]] Result<QList<ServerHistoryEntry>> trash();
    // Writes the content of a version or a trashed file to localFile (created or replaced).
    [[nodiscard]] Status download(const ServerHistoryEntry &entry, const QString &localFile);
    // Whether something is at path on the server (nullopt: nothing): a folder or not.
    struct Item
    {
        bool directory = false;
    };
    [[nodiscard]] Result<std::optional<Item>> stat(const QString &path);
    // The server's own restore of a trashed item to the place it was deleted from (MOVE to
    // trashbin/USER/restore/NAME). Nextcloud renames it when that place is taken: check first.
    [[nodiscard]] Status restoreFromTrash(const ServerHistoryEntry &entry);

    struct Response
    {
        int status = 0;
        QByteArray body;
    };

private:
    NextcloudHistory(const QUrl &davBase, const QString &user, const QString &rootInHome,
                     const BackendOptions &options);
    [[nodiscard]] Result<Response> exchange(const QByteArray &verb, const QUrl &url,
                                            const QList<std::pair<QByteArray, QByteArray>> &headers,
                                            const QByteArray &body, const QString &what,
                                            const QString &toFile = {});
    QUrl collectionUrl(const QString &collection, const QString &relative, bool directory) const;
    QUrl filesUrl(const QString &path, bool directory) const;
    QString pathInHome(const QString &path) const;
    [[nodiscard]] Result<QList<ServerHistoryEntry>>
    versionsOfFileId(const QString &path, const QString &fileId, qint64 currentMtimeMs);

    QUrl m_davBase;       // …/remote.php/dav/
    QString m_user;       // the user's segment in the dav paths
    QString m_rootInHome; // the pair's root inside the user's home, "" or "a/b"
    std::unique_ptr<WebDavSession> m_session;
};

} // namespace steadysync
