#pragma once

#include "entry.h"
#include "result.h"

#include <QDateTime>
#include <QSqlDatabase>
#include <QString>
#include <QVariant>
#include <QVector>

#include <functional>
#include <memory>
#include <optional>

class QSqlQuery;

namespace steadysync {

// An item the engine failed to sync and will try again (DESIGN §5).
struct RetryItem
{
    QString path;
    int attempts = 0;          // failed attempts so far
    qint64 firstFailureMs = 0; // epoch ms of the first failure since the last change
    qint64 nextDueMs = 0;      // epoch ms when it is due again
    QString lastError;         // human-readable reason
    ErrorKind lastErrorKind = ErrorKind::Transient;
    bool failedPermanently = false;
    QByteArray sidesAtFailure; // sidesFingerprint() when it last failed; empty when unknown
    friend bool operator==(const RetryItem &, const RetryItem &) = default;
};

// A conflict left open for the user (policy "ask").
struct ConflictRecord
{
    QString path;       // the contested name; holds the local version
    QString localCopy;  // path of the local version (== path under "ask")
    QString remoteCopy; // path of the conflict copy holding the remote version
    qint64 detectedMs = 0;
    QByteArray remoteSignature; // the remote version that was saved as remoteCopy
    friend bool operator==(const ConflictRecord &, const ConflictRecord &) = default;
};

// Cumulative counters of DESIGN §6. Persisted; only ever added to.
struct Counters
{
    qint64 uploads = 0;
    qint64 downloads = 0;
    qint64 localDeletes = 0;
    qint64 remoteDeletes = 0;
    qint64 moves = 0;
    qint64 conflicts = 0;
    qint64 successes = 0;
    qint64 failures = 0;
    qint64 bytesUp = 0;
    qint64 bytesDown = 0;
    qint64 skippedUnchanged = 0;

    Counters &operator+=(const Counters &other);
    friend bool operator==(const Counters &, const Counters &) = default;
};

// Live values written by a running engine so that `status` in another process sees them.
struct LiveStatus
{
    QString state = QStringLiteral("idle"); // idle, syncing, paused, offline, error
    qint64 trackedFiles = 0;
    qint64 pending = 0;
    qint64 lastSyncMs = 0; // 0 = never
    QString lastError;     // empty = none
    qint64 updatedMs = 0;
    friend bool operator==(const LiveStatus &, const LiveStatus &) = default;
};

// One row of the stats history (sampled at least once a minute while running).
struct StatsSample
{
    qint64 timeMs = 0;
    double successRate = 1.0;
    qint64 pending = 0;
    qint64 retryQueue = 0;
    qint64 failedPermanent = 0;
    qint64 bytesUp = 0; // cumulative at that time; throughput is the difference
    qint64 bytesDown = 0;
    friend bool operator==(const StatsSample &, const StatsSample &) = default;
};

// The SQLite state of one folder pair, in LOCAL_ROOT/.steadysync/journal.db (DESIGN §2).
// Not thread-safe: a Journal must be used (and destroyed) only by the thread that opened it,
// because Qt Sql connections belong to their thread; open one Journal per thread instead
// (each has its own connection; WAL lets readers run while another connection writes).
// Every mutating call is atomic on its own; group several with a Transaction.
class Journal
{
public:
    static constexpr int SchemaVersion = 6;

    // Opens (creating the folder and the file, mode 0600, WAL) and migrates the schema. A
    // damaged database (not a database, or failing quick_check) is moved aside as
    // journal.db.corrupt-TIMESTAMP (with its -wal and -shm) and a fresh journal is opened.
    static Result<std::unique_ptr<Journal>> open(const QString &localRoot);
    // A read-only view of the database file for `status` when open() cannot (a full disk: SQLite
    // cannot size its -shm file): opened immutable, it writes nothing and needs no -shm, and
    // misses only what a -wal file holds that was not yet checkpointed. Never for syncing.
    static Result<std::unique_ptr<Journal>> openReadOnlyView(const QString &localRoot);
    // Where open() set a damaged journal aside, if it did.
    std::optional<QString> recoveredFrom() const;
    // The path of the database file for a root, whether or not it exists.
    static QString databasePath(const QString &localRoot);
    ~Journal();

    Journal(const Journal &) = delete;
    Journal &operator=(const Journal &) = delete;

    // Reads that say when they failed, for the reconciler and the retry queue: a failed read
    // must never look like "never synced" or "nothing queued". The plain reads further down
    // return empty values instead and leave the error for lastReadError().
    // Records whose path is dir or lies below it ("" = all).
    [[nodiscard]] Result<JournalSnapshot> readRecordsUnder(const QString &dir) const;
    [[nodiscard]] Result<std::optional<JournalRecord>> readRecord(const QString &path) const;
    [[nodiscard]] Result<QByteArray> readUnconfirmedUpload(const QString &path) const;
    // The retry queue, with the items held in memory (see putRetryItem()).
    [[nodiscard]] Result<QVector<RetryItem>> readRetryItems() const;
    [[nodiscard]] Result<std::optional<RetryItem>> readRetryItem(const QString &path) const;

    // File records
    JournalSnapshot records() const;
    // Records whose path is dir or lies below it ("" = all).
    JournalSnapshot recordsUnder(const QString &dir) const;
    std::optional<JournalRecord> record(const QString &path) const;
    Status putRecord(const JournalRecord &record);
    Status removeRecord(const QString &path);

    // The content (sha256) of an upload whose arrival was not confirmed (its answer was lost,
    // say): if the remote later holds exactly that, it is this client's own version, not a
    // conflicting one. Empty when none.
    Status putUnconfirmedUpload(const QString &path, const QByteArray &sha256);
    QByteArray unconfirmedUpload(const QString &path) const;
    Status removeUnconfirmedUpload(const QString &path);
    Status removeRecordsUnder(const QString &dir); // dir itself and everything below
    // Renames from and everything below it, replacing whatever was recorded at the
    // destination (like rename(2)); InvalidName when one path contains the other.
    Status moveRecords(const QString &from, const QString &to);
    qint64 trackedFileCount() const; // file records only, not directories
    // How many times this connection changed records (or tried to): equal counts mean the
    // records are as they were, which is what a remote walk made before may rely on. Other
    // processes do not write the journal of a pair whose lock this one holds.
    quint64 recordChanges() const;
    // Drops everything learnt from syncing (records, retry queue, open conflicts, unconfirmed
    // uploads, remote temporaries) and keeps the settings: for a journal that does not belong
    // to its root (RootIdentity), whose next cycle must compare both sides in full.
    Status forgetSyncHistory();

    // Retry queue. An item whose row cannot be written (a full disk) is still kept, in memory
    // for the life of this Journal: the reads below include it, putRetryItem() reports the
    // failure, and saveUnsavedRetryItems() writes such items once the disk takes writes again.
    QVector<RetryItem> retryItems() const;
    std::optional<RetryItem> retryItem(const QString &path) const;
    Status putRetryItem(const RetryItem &item);
    Status removeRetryItem(const QString &path);
    Status saveUnsavedRetryItems();
    qsizetype unsavedRetryItemCount() const;
    // The user's "retry" / "Retry now": everything due now, permanently failed items revived.
    Status makeAllRetryItemsDue(qint64 nowMs);
    // The server is back (DESIGN §5): every queued item due now, whatever its backoff stage;
    // permanently failed items stay failed until their file changes or the user asks.
    Status makeQueuedRetryItemsDue(qint64 nowMs);

    // Temporary files on the remote, recorded before an upload writes them and forgotten when
    // it ends: what a killed run leaves is removed by the next cycle (DESIGN §5).
    Status putRemoteTemporary(const QString &path);
    Status removeRemoteTemporary(const QString &path);
    QStringList remoteTemporaries() const;

    // Open conflicts
    QVector<ConflictRecord> conflicts() const;
    std::optional<ConflictRecord> conflict(const QString &path) const;
    Status putConflict(const ConflictRecord &conflict);
    Status removeConflict(const QString &path);

    // Statistics
    Counters counters() const;
    Status addCounters(const Counters &delta);
    LiveStatus liveStatus() const;
    Status putLiveStatus(const LiveStatus &status);
    Status appendSample(const StatsSample &sample);
    // Samples with fromMs <= timeMs <= toMs, ordered by time. Appending prunes samples more
    // than 8 days older than the appended one.
    QVector<StatsSample> samples(qint64 fromMs, qint64 toMs) const;

    // Key/value settings of the pair (e.g. the remote URL it was first synced with).
    QString setting(const QString &key) const;
    Status setSetting(const QString &key, const QString &value);

    // Checks PRAGMA integrity_check; ok() when the database is sound.
    Status checkIntegrity() const;

    // The plain read methods cannot return errors; they return empty values instead and leave
    // the error here (cleared by every successful read). Prefer the read*() methods above.
    std::optional<Error> lastReadError() const;
    // How long a write waits for another connection's write lock before failing with
    // ErrorKind::Transient (default 10 s).
    Status setBusyTimeout(int ms);

    // RAII transaction (BEGIN IMMEDIATE); rolls back unless committed. If any write inside
    // it failed, commit() rolls back and returns that error. A Transaction opened while
    // another is active joins it: its commit() only reports, and abandoning it dooms the outer.
    class Transaction
    {
    public:
        explicit Transaction(Journal &journal);
        ~Transaction();
        Status commit();

    private:
        Journal &m_journal;
        bool m_done = false;
        bool m_owner = false; // false when joined to an outer transaction
    };

private:
    struct State;

    explicit Journal(QString connectionName);
    QSqlDatabase db() const;

    Status initialize(const QString &localRoot);
    Status openConnection(const QString &path);
    Status checkSchemaVersion(int *version);
    Status configureConnection();
    static Result<QString> setAsideDamaged(const QString &path);
    Status migrate();
    Status runCheck(const char *sql) const;
    Result<QSqlQuery *> statement(const char *sql) const;
    Status write(const char *sql, const QVariantList &values, const QString &what);
    bool read(const char *sql, const QVariantList &values,
              const std::function<void(const QSqlQuery &)> &onRow) const;
    Status readRows(const char *sql, const QVariantList &values,
                    const std::function<void(const QSqlQuery &)> &onRow) const;
    QVector<RetryItem> withUnsavedRetryItems(QVector<RetryItem> saved) const;
    Status execute(const QString &sql, const QString &what);
    Status atomically(const std::function<Status()> &work);
    Status beginTransaction();
    void settleRetryItems(bool committed); // at the end of the outermost transaction
    // The tracked-file count follows this connection's own record writes (a full count of a
    // million records takes most of a second): the change a write of `path` makes to it,
    // nullopt where the count is not known or the old record cannot be read.
    std::optional<int> fileCountChange(const QString &path, bool fileAfter) const;
    Status writeRecord(const JournalRecord &record);
    void applyFileCountChange(const Status &written, std::optional<int> change);
    Status endTransaction(bool commit);
    Error sqlError(const QSqlQuery &query, const QString &what) const;

    QString m_connectionName;
    std::unique_ptr<State> m_state;
};

} // namespace steadysync
