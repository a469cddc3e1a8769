#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>

namespace steadysync {

enum class ItemType : quint8 { File = 0, Directory = 1 };

// Whether hash is a SHA-256 as the core writes them: 64 lowercase hex digits.
inline bool isSha256Hex(const QByteArray &hash)
{
    if (hash.size() != 64)
        return false;
    for (const char c : hash)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
    return true;
}

// Paths everywhere in the core are relative to the sync root, use '/' as the
// separator and have no leading or trailing '/'. The root itself is "".

// One item on the local side, as the scanner saw it.
struct LocalEntry
{
    QString path;
    ItemType type = ItemType::File;
    qint64 size = 0;
    qint64 mtimeNs = 0; // nanoseconds since the epoch
    quint64 inode = 0;
    qint64 ctimeNs = 0; // status change time: moves on every write, even one that restores mtime
    QByteArray sha256;  // lowercase hex; empty for directories or when not (yet) hashed
    // A large new file whose hash the scan left to its upload, which hashes the bytes it sends
    // (Scanner::scan, deferHashFromBytes); sha256 is empty until then.
    bool hashPending = false;

    bool isDir() const { return type == ItemType::Directory; }
    friend bool operator==(const LocalEntry &, const LocalEntry &) = default;
};

// What the server lets this user do with an item, where it says so (ownCloud and Nextcloud
// send oc:permissions, e.g. "RGDNVW" for a file, "RGDNVCK" for a folder): a read-only share
// lacks W, C and K. Servers that say nothing refuse writes with 403 instead (ReadOnlyFolder).
struct RemotePermissions
{
    bool known = false;       // false: the server said nothing; every write may be tried
    bool canWrite = true;     // W: replace a file's content
    bool canDelete = true;    // D: delete the item
    bool canRename = true;    // N: rename it within its folder
    bool canMove = true;      // V: move it to another folder
    bool canAddFile = true;   // C: create files in a folder
    bool canAddFolder = true; // K: create folders in a folder

    // From the letters of an oc:permissions value; unknown letters are ignored.
    static RemotePermissions fromOwnCloud(QStringView letters)
    {
        RemotePermissions permissions;
        permissions.known = true;
        permissions.canWrite = letters.contains(QLatin1Char('W'));
        permissions.canDelete = letters.contains(QLatin1Char('D'));
        permissions.canRename = letters.contains(QLatin1Char('N'));
        permissions.canMove = letters.contains(QLatin1Char('V'));
        permissions.canAddFile = letters.contains(QLatin1Char('C'));
        permissions.canAddFolder = letters.contains(QLatin1Char('K'));
        return permissions;
    }
    friend bool operator==(const RemotePermissions &, const RemotePermissions &) = default;
};

// One item on the remote side, as a listing or stat reported it.
struct RemoteEntry
{
    QString path;
    ItemType type = ItemType::File;
    qint64 size = 0;
    qint64 mtimeNs = 0; // 0: the server gave no date that could be read
    QByteArray etag;    // as the server sent it, quotes and W/ prefix included; may be empty
    QByteArray
        sha256; // lowercase hex when the backend knows it (local-directory remote may); else empty
    // The server's identity of the item, kept across renames and moves (oc:fileid); else empty.
    QByteArray fileId;
    RemotePermissions permissions;
    // A folder's contents in bytes as the server counts them (DAV: quota-used-bytes, which
    // Nextcloud and ownCloud give per folder); -1 when unknown. Shown only (selective sync).
    qint64 treeBytes = -1;
    // This client's own write, made where the server may have let another client's replace it
    // in the same instant (EntryJob::writeUnproven): recorded as RemoteCheck::Unproven. Never set
    // by a listing.
    bool writeUnproven = false;

    bool isDir() const { return type == ItemType::Directory; }
    bool hasWeakEtag() const { return etag.startsWith("W/"); }
    // What tells a change on this entry: the ETag when there is one, else size and mtime
    // (nginx gives no ETag in PROPFIND). A weak ETag names the same version as the strong one
    // with the same tag (Apache drops the W/ once a file is a second old).
    QByteArray signature() const
    {
        if (etag.startsWith("W/"))
            return etag.mid(2);
        if (!etag.isEmpty())
            return etag;
        return QByteArray::number(size) + '-' + QByteArray::number(mtimeNs);
    }
    friend bool operator==(const RemoteEntry &, const RemoteEntry &) = default;
};

// How far a recorded remote signature can be trusted to name the synced version.
enum class RemoteCheck : quint8 {
    // A listing that shows the recorded signature shows the synced version.
    Settled = 0,
    // Without an ETag the signature is size and mtime, and servers such as nginx give mtimes in
    // whole seconds: a rewrite of the same size within that second would not change it. Such a
    // signature taken while the file was young is unsettled: the reconciler looks at the
    // content before trusting it.
    Unsettled = 1,
    // DESIGN §4 "Two writers": an upload made without a lock on a server that enforces no
    // condition atomically may have been overwritten by another client's in the same instant:
    // the next cycle compares the content before trusting it, and a different content there is
    // another client's version (ours is kept).
    Unproven = 2,
};

constexpr qint64 unsettledWindowMs = 3000;

// How far the signature of remote, seen at nowMs, can be trusted once recorded.
inline RemoteCheck remoteCheckOf(const RemoteEntry &remote, qint64 nowMs)
{
    if (remote.writeUnproven)
        return RemoteCheck::Unproven;
    const bool secondsOnly = remote.mtimeNs % 1'000'000'000 == 0;
    const bool young = remote.mtimeNs / 1'000'000 > nowMs - unsettledWindowMs;
    if (remote.etag.isEmpty() && !remote.isDir() && secondsOnly && young)
        return RemoteCheck::Unsettled;
    return RemoteCheck::Settled;
}

// What a record says about the local version beyond its hash.
enum class LocalResolution : quint8 {
    None = 0,
    // The user resolved a conflict by keeping the local version: it goes up next, whatever
    // its hash (the record holds none).
    KeepLocal = 1,
};

// What the journal remembers of a path: the state both sides had at the last
// successful sync of that path.
struct JournalRecord
{
    QString path;
    ItemType type = ItemType::File;
    qint64 localSize = 0;
    qint64 localMtimeNs = 0;
    quint64 localInode = 0;
    QByteArray sha256;
    // RemoteEntry::signature() at the last sync; empty when remoteRewritten.
    QByteArray remoteSignature;
    RemoteCheck remoteCheck = RemoteCheck::Settled;
    // VerifyRemote found the server's content rewritten since the last sync (under a signature
    // that could not tell): no listing matches this record, the next round sees a remote change.
    bool remoteRewritten = false;
    qint64 remoteSize = 0;
    qint64 remoteMtimeNs = 0;
    QByteArray remoteId; // RemoteEntry::fileId at the last sync; empty where the server has none
    qint64 localCtimeNs = 0; // 0 = not known (a record from before schema 5)
    // false: the local stat (size, mtime, inode, ctime) is deliberately not recorded, so that
    // no scan takes the recorded hash for the local file (a conflict's merged record).
    bool localStatKnown = true;
    LocalResolution resolution = LocalResolution::None;

    bool isDir() const { return type == ItemType::Directory; }
    // Whether local has the size, mtime and inode recorded at the last sync (never when the
    // record does not know them).
    bool hasLocalStatOf(const LocalEntry &local) const
    {
        return localStatKnown && local.size == localSize && local.mtimeNs == localMtimeNs &&
               local.inode == localInode;
    }
    // Whether a listing showing remote shows the version synced, trusted as it stands.
    bool remoteSettledAt(const RemoteEntry &remote) const
    {
        return !remoteRewritten && remoteCheck == RemoteCheck::Settled &&
               remote.signature() == remoteSignature;
    }
    // Whether remote shows the signature recorded, but one that only its content can confirm.
    bool remoteUnverifiedAt(const RemoteEntry &remote) const
    {
        return !remoteRewritten && remoteCheck != RemoteCheck::Settled &&
               remote.signature() == remoteSignature;
    }
    friend bool operator==(const JournalRecord &, const JournalRecord &) = default;
};

using LocalSnapshot = QHash<QString, LocalEntry>;
using RemoteSnapshot = QHash<QString, RemoteEntry>;
using JournalSnapshot = QHash<QString, JournalRecord>;

// What both sides of a path looked like, compactly: a permanently failed item is tried again
// once this changes (DESIGN §5 "retried only when its file changes again"). A directory counts
// by its existence only, since its mtime and ETag follow its children.
inline QByteArray sidesFingerprint(const LocalEntry *local, const RemoteEntry *remote)
{
    QByteArray fingerprint("L:");
    if (!local)
        fingerprint += '-';
    else if (local->isDir())
        fingerprint += 'd';
    else
        fingerprint += QByteArray::number(local->size) + ':' + QByteArray::number(local->mtimeNs) +
                       ':' + QByteArray::number(local->inode);
    fingerprint += " R:";
    if (!remote)
        fingerprint += '-';
    else if (remote->isDir())
        fingerprint += 'd';
    else
        fingerprint += remote->signature();
    return fingerprint;
}

// "a/b/c" -> "a/b"; "a" -> "".
inline QString parentPath(const QString &path)
{
    const qsizetype slash = path.lastIndexOf(QLatin1Char('/'));
    return slash < 0 ? QString() : path.left(slash);
}

inline QString joinPath(const QString &dir, const QString &name)
{
    return dir.isEmpty() ? name : dir + QLatin1Char('/') + name;
}

// True when path equals dir or lies below it. Every path lies below the root "".
inline bool isSameOrBelow(const QString &path, const QString &dir)
{
    if (dir.isEmpty() || path == dir)
        return true;
    return path.size() > dir.size() && path.startsWith(dir) &&
           path.at(dir.size()) == QLatin1Char('/');
}

} // namespace steadysync
