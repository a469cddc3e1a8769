#include "versions/versionstore.h"

#include "fs/errnokind.h"
#include "fs/hasher.h"
#include "fs/posixfs.h"
#include "fs/reservednames.h"
#include "versions/versionindex.h"

#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QSet>

#include <cerrno>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace steadysync {

namespace {

constexpr mode_t PrivateDirectoryMode = 0700;

QByteArray encoded(const QString &path)
{
    return QFile::encodeName(path);
}

// The store's writer lock: an flock the kernel releases when the process dies, so a crash
// never leaves the store locked.
class StoreLock
{
public:
    explicit StoreLock(const QString &directory)
        : m_fd(::open(encoded(directory + QStringLiteral("/lock")).constData(),
                      O_RDWR | O_CREAT | O_CLOEXEC, 0600))
    {
        while (m_fd >= 0 && ::flock(m_fd, LOCK_EX) != 0 && errno == EINTR) {
        }
    }
    ~StoreLock()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    StoreLock(const StoreLock &) = delete;
    StoreLock &operator=(const StoreLock &) = delete;
    bool held() const { return m_fd >= 0; }

private:
    int m_fd;
};

Error lockError(const QString &directory)
{
    return makeError(ErrorKind::Transient,
                     QStringLiteral("cannot lock the version store %1").arg(directory));
}

bool makeDirectory(const QString &path)
{
    return ::mkdir(encoded(path).constData(), PrivateDirectoryMode) == 0 || errno == EEXIST;
}

std::optional<struct stat> statOf(const QString &path)
{
    struct stat st;
    if (::lstat(encoded(path).constData(), &st) != 0)
        return std::nullopt;
    return st;
}

QString uniqueName(const QString &prefix)
{
    return prefix + QString::number(::getpid()) + QLatin1Char('-') +
           QString::number(QRandomGenerator::global()->generate64(), 36);
}

} // namespace

Status VersionStore::setAsideDamaged(const QString &store)
{
    const QString aside =
        store + QStringLiteral("/damaged-") +
        QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    if (!makeDirectory(aside))
        return makeError(ErrorKind::Permanent, QStringLiteral("cannot create %1").arg(aside));
    for (const char *name : {"index.db", "index.db-wal", "index.db-shm", "blobs"}) {
        const QString from = store + QLatin1Char('/') + QLatin1String(name);
        if (statOf(from) &&
            ::rename(encoded(from).constData(),
                     encoded(aside + QLatin1Char('/') + QLatin1String(name)).constData()) != 0)
            return makeError(ErrorKind::Permanent, QStringLiteral("cannot set %1 aside").arg(from));
    }
    if (!makeDirectory(store + QStringLiteral("/blobs")))
        return makeError(ErrorKind::Permanent, QStringLiteral("cannot create %1/blobs").arg(store));
    return success();
}

VersionStore::VersionStore(QString directory, std::unique_ptr<VersionIndex> index,
                           const Clock *clock)
    : m_directory(std::move(directory)), m_index(std::move(index)), m_clock(clock)
{}

VersionStore::~VersionStore() = default;

QString VersionStore::directory(const QString &localRoot)
{
    return ReservedNames::statePath(QDir(localRoot).absolutePath(), QStringLiteral("versions"));
}

Result<std::unique_ptr<VersionStore>> VersionStore::open(const QString &localRoot,
                                                         const Clock *clock)
{
    const QString root = QDir(localRoot).absolutePath();
    if (!QFileInfo(root).isDir())
        return makeError(ErrorKind::RootMissing, QStringLiteral("%1 is not a folder").arg(root));
    const QString store = directory(root);
    for (const QString &path : {ReservedNames::statePath(root), store,
                                store + QStringLiteral("/blobs"), store + QStringLiteral("/tmp")})
        if (!makeDirectory(path))
            return makeError(ErrorKind::Permanent, QStringLiteral("cannot create %1").arg(path));
    Result<std::unique_ptr<VersionIndex>> index =
        VersionIndex::open(store + QStringLiteral("/index.db"));
    if (!index && index.error().kind == ErrorKind::Corrupt) {
        // A damaged index must not stop every download over a file: it and the blobs it named
        // are set aside (never pruned; the blobs are still there, named by their SHA-256)
        // and the store starts empty.
        if (Status aside = setAsideDamaged(store); !aside)
            return aside.error();
        index = VersionIndex::open(store + QStringLiteral("/index.db"));
    }
    if (!index)
        return index.error();
    return std::unique_ptr<VersionStore>(
        new VersionStore(store, std::move(*index), clock ? clock : SystemClock::instance()));
}

QString VersionStore::blobPathIn(const QString &localRoot, const QByteArray &sha256)
{
    const QString hex = QString::fromLatin1(sha256);
    return directory(localRoot) + QStringLiteral("/blobs/") + hex.left(2) + QLatin1Char('/') + hex;
}

QString VersionStore::blobPath(const QByteArray &sha256) const
{
    const QString hex = QString::fromLatin1(sha256);
    return m_directory + QStringLiteral("/blobs/") + hex.left(2) + QLatin1Char('/') + hex;
}

Result<QByteArray> VersionStore::snapshotToTemporary(const QString &source, QString *temporary)
{
    *temporary = uniqueName(m_directory + QStringLiteral("/tmp/snapshot-"));
    Result<BlobFiles::Placement> copied = BlobFiles::cloneOrCopy(source, *temporary);
    if (!copied)
        return copied.error();
    m_lastPlacement = *copied;
    Result<QByteArray> hash = Hasher::sha256OfFile(*temporary);
    if (!hash)
        ::unlink(encoded(*temporary).constData());
    return hash;
}

// Puts the content under its blob name. For Detach, sha256 is the source's hash and the blob
// is a hard link where the file system allows; else (or for Snapshot, where sha256 comes in
// empty and is set to the copy's hash) a reflink or copy renamed into place. nullopt: the
// blob existed.
Result<std::optional<BlobFiles::Placement>> VersionStore::placeBlob(const SaveRequest &request,
                                                                    QByteArray &sha256)
{
    m_lastPlacement.reset();
    if (request.mode == SaveMode::Detach) {
        const QString blob = blobPath(sha256);
        if (!makeDirectory(QFileInfo(blob).path()))
            return makeError(ErrorKind::Permanent, QStringLiteral("cannot create %1").arg(blob));
        if (statOf(blob))
            return std::optional<BlobFiles::Placement>();
        Status linked = BlobFiles::link(request.source, blob);
        if (linked)
            return std::optional<BlobFiles::Placement>(BlobFiles::Placement::Link);
        if (linked.error().kind == ErrorKind::PreconditionFailed)
            return std::optional<BlobFiles::Placement>();
        // Another file system (a mount inside the root) or no hard links: copy instead.
    }
    QString temporary;
    Result<QByteArray> copiedHash = snapshotToTemporary(request.source, &temporary);
    if (!copiedHash)
        return copiedHash.error();
    if (!sha256.isEmpty() && *copiedHash != sha256) {
        ::unlink(encoded(temporary).constData());
        return makeError(ErrorKind::PreconditionFailed,
                         QStringLiteral("%1 changed while it was kept").arg(request.path));
    }
    sha256 = *copiedHash;
    const QString blob = blobPath(sha256);
    if (!makeDirectory(QFileInfo(blob).path()) || statOf(blob)) {
        ::unlink(encoded(temporary).constData());
        if (!statOf(blob))
            return makeError(ErrorKind::Permanent, QStringLiteral("cannot create %1").arg(blob));
        return std::optional<BlobFiles::Placement>();
    }
    BlobFiles::crashPoint("before-blob-rename");
    if (::rename(encoded(temporary).constData(), encoded(blob).constData()) != 0) {
        ::unlink(encoded(temporary).constData());
        return makeError(ErrorKind::Transient, QStringLiteral("cannot place %1").arg(blob));
    }
    return std::optional<BlobFiles::Placement>(m_lastPlacement);
}

Result<VersionEntry> VersionStore::save(const SaveRequest &wanted)
{
    const std::optional<struct stat> before = statOf(wanted.source);
    if (!before || !S_ISREG(before->st_mode))
        return makeError(ErrorKind::NotFound, QStringLiteral("%1: no file").arg(wanted.path));
    SaveRequest request = wanted;
    // A file with other names (hard links the user made) stays in use through them after the
    // caller replaces this one: a link would let edits made there change the version.
    if (before->st_nlink > 1)
        request.mode = SaveMode::Snapshot;
    const StoreLock lock(m_directory);
    if (!lock.held())
        return lockError(m_directory);
    QByteArray sha256;
    if (request.mode == SaveMode::Detach) {
        Result<QByteArray> hash = Hasher::sha256OfFile(request.source);
        if (!hash)
            return hash.error();
        sha256 = *hash;
    }
    Result<std::optional<BlobFiles::Placement>> placed = placeBlob(request, sha256);
    if (!placed)
        return placed.error();
    const std::optional<struct stat> after = statOf(request.source);
    const bool unchanged = after && after->st_size == before->st_size &&
                           PosixFs::mtimeNsOf(*after) == PosixFs::mtimeNsOf(*before);
    // A link made of a file that changed meanwhile would list content under the wrong hash.
    if (request.mode == SaveMode::Detach && !unchanged) {
        if (*placed == BlobFiles::Placement::Link)
            ::unlink(encoded(blobPath(sha256)).constData());
        return makeError(ErrorKind::PreconditionFailed,
                         QStringLiteral("%1 changed while it was kept").arg(request.path));
    }
    m_lastPlacement = *placed;
    VersionEntry entry;
    entry.path = request.path;
    entry.reason = request.reason;
    entry.origin = request.origin;
    entry.savedMs = m_clock->nowMs();
    entry.mtimeNs = PosixFs::mtimeNsOf(*before);
    entry.sha256 = sha256;
    const std::optional<struct stat> blob = statOf(blobPath(entry.sha256));
    if (!blob)
        return makeError(ErrorKind::Transient, QStringLiteral("%1: blob missing").arg(entry.path));
    entry.size = blob->st_size;
    BlobFiles::syncDirectory(QFileInfo(blobPath(entry.sha256)).path());
    BlobFiles::crashPoint("after-blob");
    Result<VersionEntry> inserted = m_index->insert(entry);
    BlobFiles::crashPoint("after-row");
    return inserted;
}

Result<VersionEntry> VersionStore::record(VersionEntry entry)
{
    const StoreLock lock(m_directory);
    if (!lock.held())
        return lockError(m_directory);
    entry.savedMs = m_clock->nowMs();
    return m_index->insert(entry);
}

Status VersionStore::forget(const QList<qint64> &ids)
{
    const StoreLock lock(m_directory);
    if (!lock.held())
        return lockError(m_directory);
    return m_index->remove(ids);
}

Status VersionStore::adopt(const QString &file, const QByteArray &sha256)
{
    const StoreLock lock(m_directory);
    if (!lock.held())
        return lockError(m_directory);
    const QString blob = blobPath(sha256);
    if (!makeDirectory(QFileInfo(blob).path()))
        return makeError(ErrorKind::Permanent, QStringLiteral("cannot create %1").arg(blob));
    if (statOf(blob)) {
        ::unlink(encoded(file).constData());
        return success();
    }
    if (::rename(encoded(file).constData(), encoded(blob).constData()) != 0) {
        ::unlink(encoded(file).constData());
        return makeError(ErrorKind::Transient, QStringLiteral("cannot place %1").arg(blob));
    }
    BlobFiles::syncDirectory(QFileInfo(blob).path());
    return success();
}

Result<QList<VersionEntry>> VersionStore::list(const QString &path) const
{
    return m_index->list(path);
}

Result<std::optional<VersionEntry>> VersionStore::find(qint64 id) const
{
    return m_index->find(id);
}

Status VersionStore::restore(const VersionEntry &entry, const QString &destination,
                             const QString &temporaryDirectory) const
{
    const StoreLock lock(m_directory);
    if (!lock.held())
        return lockError(m_directory);
    const QString blob = blobPath(entry.sha256);
    if (!statOf(blob))
        return makeError(ErrorKind::NotFound,
                         QStringLiteral("the content of version %1 is missing").arg(entry.id));
    if (!QDir().mkpath(temporaryDirectory) || !QDir().mkpath(QFileInfo(destination).path()))
        return makeError(ErrorKind::Permanent,
                         QStringLiteral("cannot create the folder of %1").arg(destination));
    // Never a hard link: the restored file is the user's to edit, the blob must stay as kept.
    const QString temporary = uniqueName(temporaryDirectory + QLatin1Char('/') +
                                         QLatin1String(ReservedNames::restoreTemporaryPrefix));
    Result<BlobFiles::Placement> copied = BlobFiles::cloneOrCopy(blob, temporary);
    if (!copied)
        return copied.error();
    const Result<QByteArray> hash = Hasher::sha256OfFile(temporary);
    if (!hash || *hash != entry.sha256) {
        ::unlink(encoded(temporary).constData());
        return makeError(ErrorKind::Corrupt,
                         QStringLiteral("the content of version %1 is damaged").arg(entry.id));
    }
    if (::rename(encoded(temporary).constData(), encoded(destination).constData()) != 0) {
        const int saved = errno;
        ::unlink(encoded(temporary).constData());
        return makeError(errorKindForErrno(saved),
                         QStringLiteral("cannot write %1").arg(destination));
    }
    BlobFiles::syncDirectory(QFileInfo(destination).path());
    return success();
}

Result<VersionStore::PruneResult> VersionStore::prune(const RetentionPolicy &policy,
                                                      int maxBlobRemovals)
{
    const StoreLock lock(m_directory);
    if (!lock.held())
        return lockError(m_directory);
    Result<QList<VersionEntry>> entries = m_index->list();
    if (!entries)
        return entries.error();
    // Versions on the server have no blob here; their own pruner removes copy, then row.
    entries->removeIf([](const VersionEntry &entry) { return entry.isOnRemote(); });
    QList<qint64> doomed = versionsToPrune(*entries, m_clock->nowMs(), policy);
    const QSet<qint64> doomedSet(doomed.cbegin(), doomed.cend());
    QList<VersionEntry> kept;
    for (const VersionEntry &entry : std::as_const(*entries)) {
        if (doomedSet.contains(entry.id))
            continue;
        if (!statOf(blobPath(entry.sha256))) // its content was removed by hand: useless
            doomed.append(entry.id);
        else
            kept.append(entry);
    }
    // Rows first: a kill after this leaves unnamed blobs, which the next prune removes.
    if (Status removed = m_index->remove(doomed); !removed)
        return removed.error();
    BlobFiles::crashPoint("after-rows");
    PruneResult result;
    result.entriesRemoved = int(doomed.size());
    result.blobsRemoved = removeUnreferencedBlobs(kept, maxBlobRemovals, &result.bytesFreed);
    result.complete = result.blobsRemoved < maxBlobRemovals;
    removeTemporaries();
    m_index->compact();
    return result;
}

// Called with the lock held, so no save() is between placing a blob and naming it.
int VersionStore::removeUnreferencedBlobs(const QList<VersionEntry> &kept, int maxRemovals,
                                          qint64 *bytesFreed) const
{
    QSet<QString> referenced;
    for (const VersionEntry &entry : kept)
        referenced.insert(QString::fromLatin1(entry.sha256));
    int removed = 0;
    QDirIterator it(m_directory + QStringLiteral("/blobs"), QDir::Files | QDir::Hidden,
                    QDirIterator::Subdirectories);
    while (it.hasNext() && removed < maxRemovals) {
        const QString path = it.next();
        if (referenced.contains(it.fileName()))
            continue;
        const qint64 size = it.fileInfo().size();
        if (::unlink(encoded(path).constData()) == 0) {
            ++removed;
            *bytesFreed += size;
            BlobFiles::crashPoint("mid-unlink");
        }
    }
    return removed;
}

void VersionStore::removeTemporaries() const
{
    const QDir temporary(m_directory + QStringLiteral("/tmp"));
    for (const QString &name : temporary.entryList(QDir::Files | QDir::Hidden))
        ::unlink(encoded(temporary.filePath(name)).constData());
}

Result<VersionStore::Usage> VersionStore::usage() const
{
    Result<QList<VersionEntry>> entries = m_index->list();
    if (!entries)
        return entries.error();
    Usage usage;
    usage.entries = entries->size();
    for (const VersionEntry &entry : std::as_const(*entries))
        usage.listedBytes += entry.size;
    QDirIterator it(m_directory, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const std::optional<struct stat> st = statOf(path);
        if (!st)
            continue;
        usage.diskBytes += qint64(st->st_blocks) * 512;
        if (path.contains(QStringLiteral("/blobs/"))) {
            ++usage.blobs;
            usage.blobBytes += st->st_size;
        }
    }
    return usage;
}

QString versionReasonName(VersionReason reason)
{
    switch (reason) {
    case VersionReason::Overwritten:
        return QStringLiteral("overwritten");
    case VersionReason::DeletedRemotely:
        return QStringLiteral("deleted-remotely");
    case VersionReason::Conflict:
        return QStringLiteral("conflict");
    case VersionReason::Unselected:
        return QStringLiteral("unselected");
    case VersionReason::RemoteOverwritten:
        return QStringLiteral("remote-overwritten");
    }
    return QStringLiteral("overwritten");
}

std::optional<VersionReason> versionReasonFromName(const QString &name)
{
    for (VersionReason reason :
         {VersionReason::Overwritten, VersionReason::DeletedRemotely, VersionReason::Conflict,
          VersionReason::Unselected, VersionReason::RemoteOverwritten})
        if (versionReasonName(reason) == name)
            return reason;
    return std::nullopt;
}

} // namespace steadysync
