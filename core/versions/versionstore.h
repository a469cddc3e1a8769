#pragma once

#include "clock.h"
#include "result.h"
#include "versions/blobfiles.h"
#include "versions/retention.h"
#include "versions/versionentry.h"

#include <QList>
#include <QString>

#include <memory>
#include <optional>

namespace steadysync {

class VersionIndex;

// A pair's version store (DESIGN §10) in LOCAL_ROOT/.steadysync/versions/ (never synced: the
// whole .steadysync/ is internal): blobs/XX/SHA256 holds each distinct content once, index.db
// one row per kept version. A blob is complete before a row names it (link or fsync'd copy,
// then the row), and rows go before their blobs when pruning, so a kill at any point leaves no
// row without its content; what a kill leaves behind (a blob no row names, a temporary copy)
// is removed by prune(). A damaged index is set aside with its blobs (damaged-TIMESTAMP/) and
// the store starts anew, so that it never stops syncing. Writers take an flock on versions/lock, so
// that `versions prune` on the command line and a running engine never interleave. Use one instance
// per thread.
class VersionStore
{
public:
    // Detach: the caller is about to replace or remove the file, so its very inode can be the
    // blob (a hard link: no byte copied). Snapshot: the file stays in use (a conflict copy),
    // so the blob must be independent of it (a reflink, else a copy).
    enum class SaveMode { Detach, Snapshot };
    struct SaveRequest
    {
        QString source; // absolute path of the file whose content is kept
        QString path;   // the path it is listed under, relative to the root
        VersionReason reason = VersionReason::Overwritten;
        QString origin = QStringLiteral("local");
        SaveMode mode = SaveMode::Detach;
    };
    struct PruneResult
    {
        int entriesRemoved = 0;
        int blobsRemoved = 0;
        qint64 bytesFreed = 0;
        bool complete = true; // false when the bound on removals stopped it early
    };
    struct Usage
    {
        qint64 entries = 0;
        qint64 blobs = 0;
        qint64 listedBytes = 0; // the sizes of all entries
        qint64 blobBytes = 0;   // the sizes of the distinct contents
        qint64 diskBytes = 0;   // blocks the blobs and the index take on disk
    };

    ~VersionStore();
    static Result<std::unique_ptr<VersionStore>> open(const QString &localRoot,
                                                      const Clock *clock = nullptr);
    static QString directory(const QString &localRoot);
    // Where the content with this SHA-256 is kept in localRoot's store (for readers).
    static QString blobPathIn(const QString &localRoot, const QByteArray &sha256);

    // Keeps the content of request.source. NotFound when it is absent or not a regular file;
    // PreconditionFailed when it changed while being kept (nothing is listed then).
    [[nodiscard]] Result<VersionEntry> save(const SaveRequest &request);
    // Lists a version whose content is kept elsewhere (entry.isOnRemote(): a copy on the
    // server); savedMs is set from the store's clock. No blob is made.
    [[nodiscard]] Result<VersionEntry> record(VersionEntry entry);
    // Removes the rows of versions kept elsewhere, once their copies are gone.
    [[nodiscard]] Status forget(const QList<qint64> &ids);
    // Makes file (in directory()/tmp, hashed by the caller to sha256) the blob of that
    // content, e.g. a version fetched from the server for a restore; consumes file.
    [[nodiscard]] Status adopt(const QString &file, const QByteArray &sha256);
    [[nodiscard]] Result<QList<VersionEntry>> list(const QString &path = {}) const;
    [[nodiscard]] Result<std::optional<VersionEntry>> find(qint64 id) const;
    // Writes entry's content to destination (replacing it) through a temporary file in
    // temporaryDirectory (same file system as destination), checked against its SHA-256. The
    // file is a new, independent inode: editing it never touches the store.
    [[nodiscard]] Status restore(const VersionEntry &entry, const QString &destination,
                                 const QString &temporaryDirectory) const;
    // Applies the policy to the versions kept here (not those on the remote: see
    // RemoteVersionPruner), then removes blobs no row names (at most maxBlobRemovals) and
    // temporary leftovers.
    [[nodiscard]] Result<PruneResult> prune(const RetentionPolicy &policy,
                                            int maxBlobRemovals = 10'000);
    [[nodiscard]] Result<Usage> usage() const;
    QString blobPath(const QByteArray &sha256) const;
    // How the last save() placed its blob (for tests and the bench); nullopt when deduplicated.
    std::optional<BlobFiles::Placement> lastPlacement() const { return m_lastPlacement; }

private:
    VersionStore(QString directory, std::unique_ptr<VersionIndex> index, const Clock *clock);
    // Moves a damaged index.db (with its -wal, -shm) and blobs/ to damaged-TIMESTAMP/.
    static Status setAsideDamaged(const QString &store);
    Result<std::optional<BlobFiles::Placement>> placeBlob(const SaveRequest &request,
                                                          QByteArray &sha256);
    Result<QByteArray> snapshotToTemporary(const QString &source, QString *temporary);
    int removeUnreferencedBlobs(const QList<VersionEntry> &kept, int maxRemovals,
                                qint64 *bytesFreed) const;
    void removeTemporaries() const;

    QString m_directory;
    std::unique_ptr<VersionIndex> m_index;
    const Clock *m_clock;
    std::optional<BlobFiles::Placement> m_lastPlacement;
};

} // namespace steadysync
