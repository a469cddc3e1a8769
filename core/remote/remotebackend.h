#pragma once

#include "remote/remotejob.h"
#include "remote/serverspace.h"

#include <QObject>
#include <QUrl>

#include <memory>
#include <utility>

namespace steadysync {

// A condition the remote must meet for a write to go ahead (DESIGN §4).
struct Precondition
{
    enum class Kind { None, MustMatch, MustNotExist };
    Kind kind = Kind::None;
    QByteArray signature; // MustMatch: the RemoteEntry::signature() last seen

    static Precondition none() { return {}; }
    static Precondition mustMatch(QByteArray signature)
    {
        return {Kind::MustMatch, std::move(signature)};
    }
    static Precondition mustNotExist() { return {Kind::MustNotExist, {}}; }
};

// Whether an upload also takes the SHA-256 of the bytes it sends (EntryJob::sentSha256).
enum class UploadHashing { None, SentBytes };

struct BackendOptions
{
    int parallel = 4;        // concurrent transfers
    qint64 bwLimitUpKiB = 0; // 0 = unlimited
    qint64 bwLimitDownKiB = 0;
    QString user;
    QString password; // never logged
    QString caCertFile;
    int requestTimeoutMs = 60'000; // WebDAV: a request with no traffic for this long fails
    QString region;                // S3: the pair's region (empty: environment or default)
};

// The remote side of a folder pair (DESIGN §2): a WebDAV collection or a plain directory.
// All operations are asynchronous: they return a job that is already started and owned by
// the backend (see RemoteJob). Paths are relative to the remote root ("" = the root).
// A precondition that does not hold finishes the job with ErrorKind::PreconditionFailed.
class RemoteBackend : public QObject
{
    Q_OBJECT
public:
    // file:///abs/path -> local directory; http(s):// -> WebDAV. Nullptr (and a message in
    // *error) for an unsupported or malformed URL.
    static std::unique_ptr<RemoteBackend> create(const QUrl &url, const BackendOptions &options,
                                                 QString *error);
    ~RemoteBackend() override = default;

    virtual QUrl url() const = 0;
    // True when Precondition is enforced atomically with the write. False (WebDAV: servers
    // that ignore If-Match, weak ETags) means the backend still checks it itself with a stat
    // just before writing, so a change in that small window can go unnoticed.
    virtual bool enforcesPreconditions() const = 0;
    // True when a collection's ETag changes whenever anything below it changes (ownCloud,
    // Nextcloud): a walk may then skip a collection whose ETag it has seen before.
    virtual bool propagatesDirectoryEtags() const { return false; }
    // True when a collection's ETag changes whenever a direct member is added, removed,
    // renamed or written through the server, but not for deeper changes (Apache mod_dav_fs,
    // lighttpd): a walk may skip a collection without subcollections whose ETag it has seen.
    // Writes made on the server's disk in place go unseen there until a full walk.
    virtual bool directoryEtagsFollowChildren() const { return false; }
    // True when a file keeps its ETag across a MOVE and two files never share one while both
    // exist, so that a vanished file and a new one with its ETag are one file renamed (DESIGN §4
    // "Moves are not deletions"): ETags made of inode, size and mtime (Apache mod_dav_fs,
    // lighttpd, the file:// backend). A wrong yes would rename a local file wrongly.
    virtual bool etagsSurviveMoves() const { return false; }
    // True when stat() gives the SHA-256 of the content that the store keeps with it (S3's
    // x-amz-meta-sha256): one stat then proves a version's content, no download needed.
    virtual bool statKnowsContentHash() const { return false; }

    // The root itself; RootMissing/Offline/Auth errors tell that the remote is unusable.
    virtual EntryJob *stat(const QString &path) = 0;
    virtual ListJob *list(const QString &directory) = 0;
    // Everything below directory in one request, where the remote allows it (WebDAV
    // Depth: infinity). Nullptr when the backend knows it cannot; a job that fails for any
    // reason but Auth/Offline/RootMissing means: walk with list() instead.
    virtual ListJob *listTree(const QString &directory)
    {
        Q_UNUSED(directory);
        return nullptr;
    }
    // A listTree() answer was found to leave out members (a server that silently answers
    // Depth: infinity with a Depth-1 listing): listTree() returns nullptr from now on.
    virtual void distrustTreeListing() {}
    // Streams the remote file into localTargetFile (created or truncated). entry() describes
    // the version downloaded.
    virtual EntryJob *download(const QString &path, const QString &localTargetFile) = 0;
    // Streams localFile to path atomically (readers never see a partial file); the parent
    // must exist (ParentMissing otherwise). mtimeNs is applied where the remote allows.
    // With UploadHashing::SentBytes, where hashesSentBytes(), the job's sentSha256() is the
    // digest of exactly what was sent. contentSha256 (lowercase hex, when the caller knows
    // it) goes along where the server keeps it for others to compare (ownCloud, Nextcloud).
    virtual EntryJob *upload(const QString &localFile, const QString &path, qint64 mtimeNs,
                             const Precondition &precondition,
                             UploadHashing hashing = UploadHashing::None,
                             const QByteArray &contentSha256 = {}) = 0;
    virtual bool hashesSentBytes() const { return false; }
    virtual EntryJob *makeDirectory(const QString &path) = 0;
    // Moves a file or a whole directory; fails with PreconditionFailed if `to` exists.
    virtual RemoteJob *move(const QString &from, const QString &to,
                            const Precondition &precondition) = 0;
    // Removes a file, or a directory with everything in it.
    virtual RemoteJob *remove(const QString &path, const Precondition &precondition) = 0;
    // Remote-side versions (core/versions/remoteversionkeeper.h). Copies the file `from` to
    // `to` (WebDAV COPY with Overwrite: F; a reflink or a copy on file://) if `from` meets
    // precondition; PreconditionFailed if `to` exists, ParentMissing if its parent does not.
    // The default fails (Permanent): a remote that cannot copy keeps no version.
    virtual RemoteJob *copy(const QString &from, const QString &to,
                            const Precondition &precondition);
    // Moves the file at path to keepAt instead of removing it, under the very checks remove()
    // makes (a deletion needs proof, DESIGN §4); the default is move(), which makes them.
    virtual RemoteJob *removeKeeping(const QString &path, const QString &keepAt,
                                     const Precondition &precondition)
    {
        return move(path, keepAt, precondition);
    }
    // Removes partial-transfer files older than maxAgeS left by interrupted uploads.
    virtual RemoteJob *removeStalePartials(qint64 maxAgeS) = 0;

    // Temporary files on the remote (DESIGN §5: recorded before use, removed after a kill).
    // The client's own namespace for them, e.g. the pair's id; set before the first upload.
    virtual void setClientId(const QString &clientId) { Q_UNUSED(clientId); }
    // The remote path the next upload of path under precondition writes before it publishes,
    // the same for a client and path every time; empty where that upload writes no temporary
    // file (WebDAV: only creates on Apache, see WebDavStagedCreate).
    virtual QString temporaryPathFor(const QString &path, const Precondition &precondition) const
    {
        Q_UNUSED(path);
        Q_UNUSED(precondition);
        return {};
    }
    // Changes BackendOptions' bwLimitUpKiB/DownKiB (0 = unlimited) for what is sent or read
    // from now on, transfers under way included (a bandwidth timetable's boundary).
    virtual void setBandwidthLimits(qint64 upKiB, qint64 downKiB)
    {
        Q_UNUSED(upKiB);
        Q_UNUSED(downKiB);
    }
    // The limits in force: {up, down} KiB/s.
    virtual std::pair<qint64, qint64> bandwidthLimits() const { return {0, 0}; }
    // Removes temporaries named by temporaryPathFor(); an absent one is no error.
    virtual RemoteJob *removeTemporaries(const QStringList &paths) = 0;
    // The account's space on the server as the last listing of the root told it; nullopt
    // where the server does not tell (most plain WebDAV servers, S3, a local directory).
    virtual std::optional<ServerSpace> serverSpace() const { return std::nullopt; }
    // How many file uploads the propagator may have in flight at least, beside its own limit
    // (0: its own): a backend that sends many small files in one request (Nextcloud's bulk
    // upload) needs more of them at once than it has connections, to fill its batches.
    virtual int uploadsInFlightWanted() const { return 0; }
Q_SIGNALS:
    // Something about the remote the user should know, e.g. a safety mechanism that does not
    // work there and what is used instead; each said once per backend, not per file.
    void warning(const QString &message);

protected:
    using QObject::QObject;
};

} // namespace steadysync
