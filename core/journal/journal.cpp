#include "journal/journal.h"

#include <QDateTime>
#include <QHash>
#include <QFile>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QUrl>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <span>
#include <tuple>
#include <unordered_map>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace steadysync {

namespace {

// Long enough for a `status` reader or a second writer to wait out any single write batch.
constexpr int DefaultBusyTimeoutMs = 10'000;
constexpr qint64 SampleRetentionMs = 8LL * 24 * 60 * 60 * 1000;

// Primary SQLite result codes (the driver reports extended codes; the low byte is primary).
constexpr int SqliteBusy = 5;
constexpr int SqliteLocked = 6;
constexpr int SqliteCorrupt = 11;
constexpr int SqliteFull = 13;
constexpr int SqliteNotADatabase = 26;

constexpr const char *SchemaV1[] = {
    "CREATE TABLE records ("
    " path TEXT NOT NULL PRIMARY KEY,"
    " type INTEGER NOT NULL,"
    " local_size INTEGER NOT NULL,"
    " local_mtime_ns INTEGER NOT NULL,"
    " local_inode INTEGER NOT NULL,"
    " sha256 BLOB NOT NULL,"
    " remote_signature BLOB NOT NULL,"
    " remote_size INTEGER NOT NULL,"
    " remote_mtime_ns INTEGER NOT NULL"
    ") WITHOUT ROWID",
    "CREATE TABLE retry_queue ("
    " path TEXT NOT NULL PRIMARY KEY,"
    " attempts INTEGER NOT NULL,"
    " first_failure_ms INTEGER NOT NULL,"
    " next_due_ms INTEGER NOT NULL,"
    " last_error TEXT NOT NULL,"
    " last_error_kind TEXT NOT NULL,"
    " failed_permanently INTEGER NOT NULL"
    ") WITHOUT ROWID",
    "CREATE TABLE conflicts ("
    " path TEXT NOT NULL PRIMARY KEY,"
    " local_copy TEXT NOT NULL,"
    " remote_copy TEXT NOT NULL,"
    " detected_ms INTEGER NOT NULL,"
    " remote_signature BLOB NOT NULL"
    ") WITHOUT ROWID",
    "CREATE TABLE counters ("
    " id INTEGER PRIMARY KEY CHECK (id = 1),"
    " uploads INTEGER NOT NULL DEFAULT 0,"
    " downloads INTEGER NOT NULL DEFAULT 0,"
    " local_deletes INTEGER NOT NULL DEFAULT 0,"
    " remote_deletes INTEGER NOT NULL DEFAULT 0,"
    " moves INTEGER NOT NULL DEFAULT 0,"
    " conflicts INTEGER NOT NULL DEFAULT 0,"
    " successes INTEGER NOT NULL DEFAULT 0,"
    " failures INTEGER NOT NULL DEFAULT 0,"
    " bytes_up INTEGER NOT NULL DEFAULT 0,"
    " bytes_down INTEGER NOT NULL DEFAULT 0,"
    " skipped_unchanged INTEGER NOT NULL DEFAULT 0"
    ")",
    "INSERT INTO counters (id) VALUES (1)",
    "CREATE TABLE live_status ("
    " id INTEGER PRIMARY KEY CHECK (id = 1),"
    " state TEXT NOT NULL DEFAULT 'idle',"
    " tracked_files INTEGER NOT NULL DEFAULT 0,"
    " pending INTEGER NOT NULL DEFAULT 0,"
    " last_sync_ms INTEGER NOT NULL DEFAULT 0,"
    " last_error TEXT NOT NULL DEFAULT '',"
    " updated_ms INTEGER NOT NULL DEFAULT 0"
    ")",
    "INSERT INTO live_status (id) VALUES (1)",
    "CREATE TABLE stats_samples ("
    " time_ms INTEGER NOT NULL,"
    " success_rate REAL NOT NULL,"
    " pending INTEGER NOT NULL,"
    " retry_queue INTEGER NOT NULL,"
    " failed_permanent INTEGER NOT NULL,"
    " bytes_up INTEGER NOT NULL,"
    " bytes_down INTEGER NOT NULL"
    ")",
    "CREATE INDEX stats_samples_by_time ON stats_samples (time_ms)",
    "CREATE TABLE settings (key TEXT NOT NULL PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
};

constexpr const char *SchemaV2[] = {
    "ALTER TABLE retry_queue ADD COLUMN sides_at_failure BLOB NOT NULL DEFAULT x''",
    "CREATE TABLE unconfirmed_uploads ("
    " path TEXT NOT NULL PRIMARY KEY,"
    " sha256 BLOB NOT NULL"
    ") WITHOUT ROWID",
};

constexpr const char *SchemaV3[] = {
    "CREATE TABLE remote_temporaries (path TEXT NOT NULL PRIMARY KEY) WITHOUT ROWID",
};

// The server's identity of each item (oc:fileid), which finds remote renames and moves.
constexpr const char *SchemaV4[] = {
    "ALTER TABLE records ADD COLUMN remote_id BLOB NOT NULL DEFAULT x''",
};

// The local file's ctime at the last sync: the scanner's fast path trusts the recorded hash
// only while it is unchanged (an edit with its old mtime put back still moves the ctime).
// 0 = not known yet (a record from before): the file is hashed once and its ctime recorded.
constexpr const char *SchemaV5[] = {
    "ALTER TABLE records ADD COLUMN local_ctime_ns INTEGER NOT NULL DEFAULT 0",
};

// Migrations[i] takes the schema from version i to i + 1. Released entries are never edited:
// a schema change appends a migration and bumps Journal::SchemaVersion.
constexpr std::span<const char *const> Migrations[] = {SchemaV1, SchemaV2, SchemaV3, SchemaV4,
                                                       SchemaV5};
static_assert(std::size(Migrations) == Journal::SchemaVersion);

// Subtree matching uses a range instead of LIKE, whose % and _ would match real names:
// every path below "d" sorts in ["d/", "d0") because '0' follows '/' (binary collation).
#define SUBTREE_CONDITION "(path = ? OR (path >= ? AND path < ?))"

constexpr const char *SelectRecordsSql = "SELECT path, type, local_size, local_mtime_ns,"
                                         " local_inode, sha256, remote_signature, remote_size,"
                                         " remote_mtime_ns, remote_id, local_ctime_ns FROM records";
constexpr const char *SelectRecordsUnderSql =
    "SELECT path, type, local_size, local_mtime_ns, local_inode, sha256, remote_signature,"
    " remote_size, remote_mtime_ns, remote_id, local_ctime_ns FROM records WHERE " SUBTREE_CONDITION;
constexpr const char *SelectRecordSql =
    "SELECT path, type, local_size, local_mtime_ns, local_inode, sha256, remote_signature,"
    " remote_size, remote_mtime_ns, remote_id, local_ctime_ns FROM records WHERE path = ?";
constexpr const char *PutRecordSql =
    "INSERT OR REPLACE INTO records (path, type, local_size, local_mtime_ns, local_inode, sha256,"
    " remote_signature, remote_size, remote_mtime_ns, remote_id, local_ctime_ns)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr const char *RemoveRecordSql = "DELETE FROM records WHERE path = ?";
constexpr const char *RemoveAllRecordsSql = "DELETE FROM records";
constexpr const char *RemoveRecordsUnderSql = "DELETE FROM records WHERE " SUBTREE_CONDITION;
constexpr const char *MoveRecordsSql = "UPDATE records SET path = ? || substr(path, length(?) + 1)"
                                       " WHERE " SUBTREE_CONDITION;
constexpr const char *CountFilesSql = "SELECT count(*) FROM records WHERE type = 0";
constexpr const char *DataVersionSql = "PRAGMA data_version";

constexpr const char *SelectRetryItemsSql =
    "SELECT path, attempts, first_failure_ms, next_due_ms, last_error, last_error_kind,"
    " failed_permanently, sides_at_failure FROM retry_queue ORDER BY next_due_ms, path";
constexpr const char *SelectRetryItemSql =
    "SELECT path, attempts, first_failure_ms, next_due_ms, last_error, last_error_kind,"
    " failed_permanently, sides_at_failure FROM retry_queue WHERE path = ?";
constexpr const char *PutRetryItemSql =
    "INSERT OR REPLACE INTO retry_queue (path, attempts, first_failure_ms, next_due_ms,"
    " last_error, last_error_kind, failed_permanently, sides_at_failure)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
constexpr const char *PutUnconfirmedUploadSql =
    "INSERT OR REPLACE INTO unconfirmed_uploads (path, sha256) VALUES (?, ?)";
constexpr const char *SelectUnconfirmedUploadSql =
    "SELECT sha256 FROM unconfirmed_uploads WHERE path = ?";
constexpr const char *RemoveUnconfirmedUploadSql = "DELETE FROM unconfirmed_uploads WHERE path = ?";
constexpr const char *PutRemoteTemporarySql =
    "INSERT OR REPLACE INTO remote_temporaries (path) VALUES (?)";
constexpr const char *RemoveRemoteTemporarySql = "DELETE FROM remote_temporaries WHERE path = ?";
constexpr const char *SelectRemoteTemporariesSql = "SELECT path FROM remote_temporaries";
constexpr const char *RemoveRetryItemSql = "DELETE FROM retry_queue WHERE path = ?";
constexpr const char *MakeAllDueSql =
    "UPDATE retry_queue SET next_due_ms = ?, failed_permanently = 0";
constexpr const char *MakeQueuedDueSql =
    "UPDATE retry_queue SET next_due_ms = ? WHERE failed_permanently = 0";

constexpr const char *SelectConflictsSql =
    "SELECT path, local_copy, remote_copy, detected_ms, remote_signature FROM conflicts"
    " ORDER BY path";
constexpr const char *SelectConflictSql =
    "SELECT path, local_copy, remote_copy, detected_ms, remote_signature FROM conflicts"
    " WHERE path = ?";
constexpr const char *PutConflictSql = "INSERT OR REPLACE INTO conflicts (path, local_copy,"
                                       " remote_copy, detected_ms, remote_signature)"
                                       " VALUES (?, ?, ?, ?, ?)";
constexpr const char *RemoveConflictSql = "DELETE FROM conflicts WHERE path = ?";

constexpr const char *SelectCountersSql =
    "SELECT uploads, downloads, local_deletes, remote_deletes, moves, conflicts, successes,"
    " failures, bytes_up, bytes_down, skipped_unchanged FROM counters WHERE id = 1";
constexpr const char *AddCountersSql =
    "UPDATE counters SET uploads = uploads + ?, downloads = downloads + ?,"
    " local_deletes = local_deletes + ?, remote_deletes = remote_deletes + ?,"
    " moves = moves + ?, conflicts = conflicts + ?, successes = successes + ?,"
    " failures = failures + ?, bytes_up = bytes_up + ?, bytes_down = bytes_down + ?,"
    " skipped_unchanged = skipped_unchanged + ? WHERE id = 1";

constexpr const char *SelectLiveStatusSql = "SELECT state, tracked_files, pending, last_sync_ms,"
                                            " last_error, updated_ms FROM live_status WHERE id = 1";
constexpr const char *PutLiveStatusSql =
    "UPDATE live_status SET state = ?, tracked_files = ?, pending = ?, last_sync_ms = ?,"
    " last_error = ?, updated_ms = ? WHERE id = 1";

constexpr const char *AppendSampleSql =
    "INSERT INTO stats_samples (time_ms, success_rate, pending, retry_queue, failed_permanent,"
    " bytes_up, bytes_down) VALUES (?, ?, ?, ?, ?, ?, ?)";
constexpr const char *PruneSamplesSql = "DELETE FROM stats_samples WHERE time_ms < ?";
constexpr const char *SelectSamplesSql =
    "SELECT time_ms, success_rate, pending, retry_queue, failed_permanent, bytes_up, bytes_down"
    " FROM stats_samples WHERE time_ms >= ? AND time_ms <= ? ORDER BY time_ms, rowid";

constexpr const char *SelectSettingSql = "SELECT value FROM settings WHERE key = ?";
constexpr const char *PutSettingSql = "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)";

#undef SUBTREE_CONDITION

// The driver binds a null QString/QByteArray as SQL NULL; the columns are NOT NULL.
QVariant text(const QString &value)
{
    return value.isNull() ? QVariant(QString(QLatin1String(""))) : QVariant(value);
}

QVariant bytes(const QByteArray &value)
{
    return value.isNull() ? QVariant(QByteArray("")) : QVariant(value);
}

QVariantList subtreeBindings(const QString &dir)
{
    return {dir, dir + QLatin1Char('/'), dir + QLatin1Char('0')};
}

ErrorKind errorKindFromName(const QString &name)
{
    const QString unknown = errorKindName(static_cast<ErrorKind>(-1));
    for (int value = 0;; ++value) {
        const QString candidate = errorKindName(static_cast<ErrorKind>(value));
        if (candidate == unknown)
            return ErrorKind::Transient;
        if (candidate == name)
            return static_cast<ErrorKind>(value);
    }
}

JournalRecord recordFromRow(const QSqlQuery &query)
{
    JournalRecord record;
    record.path = query.value(0).toString();
    record.type =
        query.value(1).toInt() == int(ItemType::Directory) ? ItemType::Directory : ItemType::File;
    record.localSize = query.value(2).toLongLong();
    record.localMtimeNs = query.value(3).toLongLong();
    record.localInode = static_cast<quint64>(query.value(4).toLongLong());
    record.sha256 = query.value(5).toByteArray();
    record.remoteSignature = query.value(6).toByteArray();
    record.remoteSize = query.value(7).toLongLong();
    record.remoteMtimeNs = query.value(8).toLongLong();
    record.remoteId = query.value(9).toByteArray();
    record.localCtimeNs = query.value(10).toLongLong();
    return record;
}

RetryItem retryItemFromRow(const QSqlQuery &query)
{
    RetryItem item;
    item.path = query.value(0).toString();
    item.attempts = query.value(1).toInt();
    item.firstFailureMs = query.value(2).toLongLong();
    item.nextDueMs = query.value(3).toLongLong();
    item.lastError = query.value(4).toString();
    item.lastErrorKind = errorKindFromName(query.value(5).toString());
    item.failedPermanently = query.value(6).toInt() != 0;
    item.sidesAtFailure = query.value(7).toByteArray();
    return item;
}

ConflictRecord conflictFromRow(const QSqlQuery &query)
{
    ConflictRecord conflict;
    conflict.path = query.value(0).toString();
    conflict.localCopy = query.value(1).toString();
    conflict.remoteCopy = query.value(2).toString();
    conflict.detectedMs = query.value(3).toLongLong();
    conflict.remoteSignature = query.value(4).toByteArray();
    return conflict;
}

QVariantList counterValues(const Counters &c)
{
    return {c.uploads, c.downloads, c.localDeletes,    c.remoteDeletes,
            c.moves,   c.conflicts, c.successes,       c.failures,
            c.bytesUp, c.bytesDown, c.skippedUnchanged};
}

// Permissions are best effort: filesystems such as vfat cannot store them.
void restrictMode(const QString &path, mode_t mode)
{
    const QByteArray native = QFile::encodeName(path);
    struct stat info;
    if (::stat(native.constData(), &info) != 0)
        return;
    if ((info.st_mode & 07777) != mode && ::chmod(native.constData(), mode) != 0)
        qWarning("journal: cannot set mode %o on %s: %s", unsigned(mode), native.constData(),
                 std::strerror(errno));
}

QString nextConnectionName()
{
    static std::atomic<quint64> counter{0};
    return QStringLiteral("steadysync-journal-%1").arg(++counter);
}

// Why the state folder cannot take a write, found by trying one: SQLite words a full disk and
// a read-only folder as "disk I/O error" or "attempt to write a readonly database", and root
// passes access(2) checks that a write still fails. nullopt when a write works.
std::optional<Error> probeStateFolder(const QString &stateDir)
{
    const QByteArray probe =
        QFile::encodeName(stateDir + QStringLiteral("/.write-probe-%1").arg(::getpid()));
    const int fd = ::open(probe.constData(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    int error = fd < 0 ? errno : 0;
    if (fd >= 0) {
        if (::write(fd, "x", 1) != 1 || ::fsync(fd) != 0)
            error = errno;
        ::close(fd);
        ::unlink(probe.constData());
    }
    if (error == 0 || error == ENOENT) // no folder: the caller's own message says why
        return std::nullopt;
    const QString reason = QString::fromLocal8Bit(std::strerror(error));
    if (error == ENOSPC || error == EDQUOT)
        return makeError(ErrorKind::DiskFull,
                         QStringLiteral("no space left on the disk that holds %1 (%2); free "
                                        "some space and Steadysync carries on")
                             .arg(stateDir, reason));
    if (error == EROFS || error == EACCES || error == EPERM)
        return makeError(ErrorKind::Permanent,
                         QStringLiteral("the state folder %1 is read-only (%2); Steadysync "
                                        "keeps its journal there and needs to write it")
                             .arg(stateDir, reason));
    return makeError(ErrorKind::Permanent,
                     QStringLiteral("cannot write in the state folder %1: %2").arg(stateDir, reason));
}

} // namespace

struct Journal::State
{
    QString path;
    Qt::HANDLE thread = QThread::currentThreadId();
    // Prepared once per connection; keyed by the address of the SQL constants above.
    std::unordered_map<const char *, QSqlQuery> statements;
    bool inTransaction = false;
    bool transactionBegun = false;
    std::optional<Error> transactionError; // first failure inside the open transaction
    std::optional<Error> readError;
    bool damaged = false;                 // open() found the file damaged, not just unusable
    std::optional<QString> recoveredFrom; // where open() set a damaged journal aside
    // trackedFileCount() counts every record (the status shown every 2 s while watching):
    // kept until this connection writes records or another one commits (data_version).
    struct FileCount
    {
        qint64 dataVersion = 0;
        qint64 files = 0;
    };
    std::optional<FileCount> fileCount;
    // Retry items not (yet) in the database: a failure must not be forgotten because the disk
    // was full when it happened (SPEC §5). Kept until a write of them commits.
    QHash<QString, RetryItem> unsavedRetryItems;
    QStringList retryItemsInTransaction; // written inside the open transaction, not committed
};

Counters &Counters::operator+=(const Counters &other)
{
    uploads += other.uploads;
    downloads += other.downloads;
    localDeletes += other.localDeletes;
    remoteDeletes += other.remoteDeletes;
    moves += other.moves;
    conflicts += other.conflicts;
    successes += other.successes;
    failures += other.failures;
    bytesUp += other.bytesUp;
    bytesDown += other.bytesDown;
    skippedUnchanged += other.skippedUnchanged;
    return *this;
}

Journal::Journal(QString connectionName)
    : m_connectionName(std::move(connectionName)), m_state(std::make_unique<State>())
{}

Journal::~Journal()
{
    // Every QSqlQuery and QSqlDatabase handle must be gone before removeDatabase().
    m_state.reset();
    if (QSqlDatabase::contains(m_connectionName)) {
        {
            QSqlDatabase database = db();
            database.close();
        }
        QSqlDatabase::removeDatabase(m_connectionName);
    }
}

QString Journal::databasePath(const QString &localRoot)
{
    return localRoot + QStringLiteral("/.steadysync/journal.db");
}

Result<std::unique_ptr<Journal>> Journal::open(const QString &localRoot)
{
    std::unique_ptr<Journal> journal(new Journal(nextConnectionName()));
    Status status = journal->initialize(localRoot);
    if (status)
        return journal;
    if (!journal->m_state->damaged) {
        if (status.error().kind == ErrorKind::RootMissing)
            return status.error();
        const QString stateDir = QFileInfo(databasePath(localRoot)).path();
        return probeStateFolder(stateDir).value_or(status.error());
    }
    // A damaged journal only knows the past: set it aside for inspection and start afresh.
    // Without records the next cycle compares both sides in full, which keeps every version
    // (equal files are recorded, different ones become conflict copies).
    const QString path = journal->m_state->path;
    journal.reset();
    Result<QString> setAside = setAsideDamaged(path);
    if (!setAside)
        return setAside.error();
    journal.reset(new Journal(nextConnectionName()));
    status = journal->initialize(localRoot);
    if (!status)
        return status.error();
    journal->m_state->recoveredFrom = *setAside;
    return journal;
}

Result<std::unique_ptr<Journal>> Journal::openReadOnlyView(const QString &localRoot)
{
    std::unique_ptr<Journal> journal(new Journal(nextConnectionName()));
    const QString path = databasePath(localRoot);
    journal->m_state->path = path;
    if (!QFileInfo(path).isFile())
        return makeError(ErrorKind::NotFound, QStringLiteral("no journal at %1").arg(path));
    {
        QSqlDatabase database =
            QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), journal->m_connectionName);
        QUrl uri = QUrl::fromLocalFile(path);
        uri.setQuery(QStringLiteral("immutable=1"));
        database.setDatabaseName(uri.toString(QUrl::FullyEncoded));
        database.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_OPEN_URI"));
        if (!database.open())
            return makeError(ErrorKind::Permanent, QStringLiteral("journal %1: cannot open: %2")
                                                       .arg(path, database.lastError().text()));
    }
    int version = 0;
    if (!journal->read("PRAGMA user_version", {},
                       [&](const QSqlQuery &q) { version = q.value(0).toInt(); }))
        return *journal->m_state->readError;
    if (version != SchemaVersion)
        return makeError(ErrorKind::Permanent,
                         QStringLiteral("journal %1 has schema version %2, not %3: run a sync "
                                        "to bring it up to date")
                             .arg(path)
                             .arg(version)
                             .arg(SchemaVersion));
    return journal;
}

Result<QString> Journal::setAsideDamaged(const QString &path)
{
    const QString stamp =
        QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'"));
    QString target = path + QStringLiteral(".corrupt-") + stamp;
    for (int n = 2; QFileInfo::exists(target); ++n)
        target = path + QStringLiteral(".corrupt-%1-%2").arg(stamp).arg(n);
    // The -wal and -shm files belong to the damaged database: a stale WAL must never be
    // replayed into the fresh one.
    for (const QString &suffix : {QStringLiteral("-wal"), QStringLiteral("-shm"), QString()}) {
        const QByteArray from = QFile::encodeName(path + suffix);
        if (::rename(from.constData(), QFile::encodeName(target + suffix).constData()) != 0 &&
            errno != ENOENT)
            return makeError(ErrorKind::Permanent,
                             QStringLiteral("journal %1 is damaged and cannot be set aside: %2")
                                 .arg(path + suffix, QString::fromLocal8Bit(std::strerror(errno))));
    }
    qWarning("journal: %s was damaged; set aside as %s, starting a fresh journal (full compare)",
             qPrintable(path), qPrintable(target));
    return target;
}

std::optional<QString> Journal::recoveredFrom() const
{
    return m_state->recoveredFrom;
}

QSqlDatabase Journal::db() const
{
    return QSqlDatabase::database(m_connectionName, false);
}

Status Journal::initialize(const QString &localRoot)
{
    // Creating a missing root would hide an unmounted disk; the engine must see it missing.
    if (!QFileInfo(localRoot).isDir())
        return makeError(
            ErrorKind::RootMissing,
            QStringLiteral("sync root %1 does not exist or is not a directory").arg(localRoot));

    const QString path = databasePath(localRoot);
    const QString stateDir = QFileInfo(path).path();
    m_state->path = path;
    if (::mkdir(QFile::encodeName(stateDir).constData(), 0700) != 0 && errno != EEXIST)
        return makeError(ErrorKind::Permanent,
                         QStringLiteral("cannot create %1: %2")
                             .arg(stateDir, QString::fromLocal8Bit(std::strerror(errno))));
    restrictMode(stateDir, 0700);

    // Created here so that it is never world-readable, whatever SQLite's default mode and the
    // umask; SQLite gives the -wal and -shm files the mode of the database file.
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return makeError(ErrorKind::Permanent,
                         QStringLiteral("cannot open %1: %2")
                             .arg(path, QString::fromLocal8Bit(std::strerror(errno))));
    ::close(fd);
    restrictMode(path, 0600);

    {
        QSqlDatabase database =
            QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
        database.setDatabaseName(path);
        database.setConnectOptions(
            QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(DefaultBusyTimeoutMs));
        if (!database.open())
            return makeError(ErrorKind::Permanent, QStringLiteral("journal %1: cannot open: %2")
                                                       .arg(path, database.lastError().text()));
    }

    // Check the version before changing anything, so a newer journal is left untouched.
    int version = 0;
    if (!read("PRAGMA user_version", {},
              [&](const QSqlQuery &q) { version = q.value(0).toInt(); })) {
        m_state->damaged =
            m_state->readError->kind == ErrorKind::Corrupt; // "file is not a database"
        return *m_state->readError;
    }
    if (version > SchemaVersion)
        return makeError(ErrorKind::Corrupt,
                         QStringLiteral("journal %1 was written by a newer Steadysync (schema "
                                        "version %2, this build knows up to %3); refusing to "
                                        "use it")
                             .arg(path)
                             .arg(version)
                             .arg(SchemaVersion));

    QString journalMode;
    if (!read("PRAGMA journal_mode = WAL", {},
              [&](const QSqlQuery &q) { journalMode = q.value(0).toString(); }))
        return *m_state->readError;
    if (journalMode.compare(QLatin1String("wal"), Qt::CaseInsensitive) != 0)
        return makeError(ErrorKind::Permanent,
                         QStringLiteral("journal %1: cannot switch to WAL mode (mode is %2)")
                             .arg(path, journalMode));
    // NORMAL is durable against crashes and kills in WAL mode; a power cut may lose the last
    // commits, which only makes the next cycle compare again, and spares an fsync per commit.
    if (Status status = execute(QStringLiteral("PRAGMA synchronous = NORMAL"),
                                QStringLiteral("cannot set synchronous mode"));
        !status)
        return status;

    // quick_check finds damaged pages in O(size) without the index cross-check of
    // integrity_check, which checkIntegrity() runs on demand.
    if (Status status = runCheck("PRAGMA quick_check"); !status) {
        // Damaged: quick_check reported problems, or SQLite said corrupt; an I/O error is not.
        m_state->damaged = status.error().kind == ErrorKind::Corrupt &&
                           (!m_state->readError || m_state->readError->kind == ErrorKind::Corrupt);
        return status;
    }
    if (Status status = migrate(); !status) {
        m_state->damaged = status.error().kind == ErrorKind::Corrupt && version <= SchemaVersion;
        return status;
    }

    restrictMode(path + QStringLiteral("-wal"), 0600);
    restrictMode(path + QStringLiteral("-shm"), 0600);
    return success();
}

Status Journal::migrate()
{
    const auto readVersion = [this](int &version) {
        return read("PRAGMA user_version", {},
                    [&](const QSqlQuery &q) { version = q.value(0).toInt(); });
    };
    int version = 0;
    if (!readVersion(version))
        return *m_state->readError;
    if (version == SchemaVersion)
        return success();

    // Another process may be migrating the same file: decide again under the write lock.
    Transaction transaction(*this);
    if (!readVersion(version))
        return *m_state->readError;
    if (version > SchemaVersion)
        return makeError(ErrorKind::Corrupt,
                         QStringLiteral("journal %1 was written by a newer Steadysync (schema "
                                        "version %2, this build knows up to %3)")
                             .arg(m_state->path)
                             .arg(version)
                             .arg(SchemaVersion));
    for (; version < SchemaVersion; ++version) {
        for (const char *sql : Migrations[version]) {
            if (Status status = execute(QString::fromLatin1(sql),
                                        QStringLiteral("migration to schema %1").arg(version + 1));
                !status)
                return status;
        }
    }
    if (Status status = execute(QStringLiteral("PRAGMA user_version = %1").arg(SchemaVersion),
                                QStringLiteral("cannot set schema version"));
        !status)
        return status;
    return transaction.commit();
}

Error Journal::sqlError(const QSqlQuery &query, const QString &what) const
{
    const QSqlError error = query.lastError();
    bool isNumber = false;
    const int code = error.nativeErrorCode().toInt(&isNumber);
    ErrorKind kind = ErrorKind::Permanent;
    if (isNumber) {
        switch (code & 0xff) {
        case SqliteBusy:
        case SqliteLocked:
            kind = ErrorKind::Transient;
            break;
        case SqliteFull:
            kind = ErrorKind::DiskFull;
            break;
        case SqliteCorrupt:
        case SqliteNotADatabase:
            kind = ErrorKind::Corrupt;
            break;
        default:
            break;
        }
    }
    return makeError(kind,
                     QStringLiteral("journal %1: %2: %3").arg(m_state->path, what, error.text()));
}

Result<QSqlQuery *> Journal::statement(const char *sql) const
{
    Q_ASSERT_X(QThread::currentThreadId() == m_state->thread, "Journal",
               "a Journal must be used from the thread that opened it");
    auto found = m_state->statements.find(sql);
    if (found != m_state->statements.end())
        return &found->second;
    QSqlQuery query(db());
    query.setForwardOnly(true);
    if (!query.prepare(QString::fromLatin1(sql)))
        return sqlError(query, QStringLiteral("cannot prepare \"%1\"").arg(QLatin1String(sql)));
    return &m_state->statements.emplace(sql, std::move(query)).first->second;
}

Status Journal::write(const char *sql, const QVariantList &values, const QString &what)
{
    if (m_state->transactionError)
        return *m_state->transactionError;
    Result<QSqlQuery *> prepared = statement(sql);
    Error error;
    if (prepared) {
        QSqlQuery &query = **prepared;
        for (int i = 0; i < values.size(); ++i)
            query.bindValue(i, values.at(i));
        const bool ok = query.exec();
        if (!ok)
            error = sqlError(query, what);
        query.finish();
        if (ok)
            return success();
    } else {
        error = prepared.error();
    }
    // A failed write dooms the enclosing transaction, so that a batch is never half committed.
    if (m_state->inTransaction)
        m_state->transactionError = error;
    return error;
}

bool Journal::read(const char *sql, const QVariantList &values,
                   const std::function<void(const QSqlQuery &)> &onRow) const
{
    Result<QSqlQuery *> prepared = statement(sql);
    if (!prepared) {
        m_state->readError = prepared.error();
        qWarning("%s", qPrintable(prepared.error().message));
        return false;
    }
    QSqlQuery &query = **prepared;
    for (int i = 0; i < values.size(); ++i)
        query.bindValue(i, values.at(i));
    bool ok = query.exec();
    if (ok) {
        while (query.next())
            onRow(query);
        // next() returning false is either the end or a failed step.
        ok = !query.lastError().isValid();
    }
    if (!ok) {
        m_state->readError = sqlError(query, QStringLiteral("cannot read"));
        qWarning("%s", qPrintable(m_state->readError->message));
    } else {
        m_state->readError.reset();
    }
    // An unfinished SELECT would pin this connection's snapshot and hide others' commits.
    query.finish();
    return ok;
}

Status Journal::execute(const QString &sql, const QString &what)
{
    QSqlQuery query(db());
    if (!query.exec(sql)) {
        Error error = sqlError(query, what);
        if (m_state->inTransaction && !m_state->transactionError)
            m_state->transactionError = error;
        return error;
    }
    return success();
}

Status Journal::beginTransaction()
{
    QSqlQuery query(db());
    // IMMEDIATE takes the write lock now (waiting up to the busy timeout), so a concurrent
    // writer cannot make the commit fail later.
    if (!query.exec(QStringLiteral("BEGIN IMMEDIATE")))
        return sqlError(query, QStringLiteral("cannot begin a transaction"));
    return success();
}

Status Journal::endTransaction(bool commit)
{
    m_state->fileCount.reset(); // a rollback takes back what was counted inside
    if (commit) {
        QSqlQuery query(db());
        if (query.exec(QStringLiteral("COMMIT")))
            return success();
        Error error = sqlError(query, QStringLiteral("cannot commit"));
        QSqlQuery(db()).exec(QStringLiteral("ROLLBACK"));
        return error;
    }
    QSqlQuery query(db());
    if (!query.exec(QStringLiteral("ROLLBACK")))
        return sqlError(query, QStringLiteral("cannot roll back"));
    return success();
}

Status Journal::atomically(const std::function<Status()> &work)
{
    Transaction transaction(*this);
    Status status = work();
    if (!status)
        return status;
    return transaction.commit();
}

Journal::Transaction::Transaction(Journal &journal) : m_journal(journal)
{
    State &state = *journal.m_state;
    if (state.inTransaction)
        return;
    m_owner = true;
    state.inTransaction = true;
    Status begun = journal.beginTransaction();
    state.transactionBegun = begun.ok();
    if (!begun)
        state.transactionError = begun.error();
}

Journal::Transaction::~Transaction()
{
    if (m_done)
        return;
    State &state = *m_journal.m_state;
    if (!m_owner) {
        if (!state.transactionError)
            state.transactionError = makeError(
                ErrorKind::Permanent,
                QStringLiteral("journal %1: an inner transaction was abandoned").arg(state.path));
        return;
    }
    if (state.transactionBegun) {
        if (Status status = m_journal.endTransaction(false); !status)
            qWarning("%s", qPrintable(status.error().message));
    }
    m_journal.settleRetryItems(false);
    state.inTransaction = false;
    state.transactionBegun = false;
    state.transactionError.reset();
}

Status Journal::Transaction::commit()
{
    State &state = *m_journal.m_state;
    if (m_done)
        return makeError(ErrorKind::Permanent,
                         QStringLiteral("journal %1: transaction already ended").arg(state.path));
    m_done = true;
    if (!m_owner) {
        if (state.transactionError)
            return *state.transactionError;
        return success();
    }
    Status result = success();
    if (state.transactionError) {
        result = *state.transactionError;
        if (state.transactionBegun)
            m_journal.endTransaction(false);
    } else {
        result = m_journal.endTransaction(true);
    }
    m_journal.settleRetryItems(result.ok());
    state.inTransaction = false;
    state.transactionBegun = false;
    state.transactionError.reset();
    return result;
}

JournalSnapshot Journal::records() const
{
    JournalSnapshot result;
    read(SelectRecordsSql, {}, [&](const QSqlQuery &q) {
        JournalRecord record = recordFromRow(q);
        const QString path = record.path;
        result.insert(path, std::move(record));
    });
    return result;
}

JournalSnapshot Journal::recordsUnder(const QString &dir) const
{
    if (dir.isEmpty())
        return records();
    JournalSnapshot result;
    read(SelectRecordsUnderSql, subtreeBindings(dir), [&](const QSqlQuery &q) {
        JournalRecord record = recordFromRow(q);
        const QString path = record.path;
        result.insert(path, std::move(record));
    });
    return result;
}

std::optional<JournalRecord> Journal::record(const QString &path) const
{
    std::optional<JournalRecord> result;
    read(SelectRecordSql, {path}, [&](const QSqlQuery &q) { result = recordFromRow(q); });
    return result;
}

Status Journal::putRecord(const JournalRecord &record)
{
    m_state->fileCount.reset();
    return write(PutRecordSql,
                 {text(record.path), int(record.type), record.localSize, record.localMtimeNs,
                  static_cast<qint64>(record.localInode), bytes(record.sha256),
                  bytes(record.remoteSignature), record.remoteSize, record.remoteMtimeNs,
                  bytes(record.remoteId), record.localCtimeNs},
                 QStringLiteral("cannot store the record of \"%1\"").arg(record.path));
}

Status Journal::forgetSyncHistory()
{
    m_state->fileCount.reset();
    m_state->unsavedRetryItems.clear();
    const QString what = QStringLiteral("cannot forget the sync history");
    return atomically([&]() -> Status {
        for (const char *table :
             {"records", "retry_queue", "conflicts", "unconfirmed_uploads", "remote_temporaries"}) {
            if (Status removed =
                    execute(QStringLiteral("DELETE FROM %1").arg(QLatin1String(table)), what);
                !removed)
                return removed;
        }
        return success();
    });
}

Status Journal::putUnconfirmedUpload(const QString &path, const QByteArray &sha256)
{
    return write(PutUnconfirmedUploadSql, {text(path), bytes(sha256)},
                 QStringLiteral("cannot store the upload of \"%1\"").arg(path));
}

QByteArray Journal::unconfirmedUpload(const QString &path) const
{
    QByteArray sha256;
    read(SelectUnconfirmedUploadSql, {text(path)},
         [&](const QSqlQuery &q) { sha256 = q.value(0).toByteArray(); });
    return sha256;
}

Status Journal::removeUnconfirmedUpload(const QString &path)
{
    return write(RemoveUnconfirmedUploadSql, {text(path)},
                 QStringLiteral("cannot remove the upload of \"%1\"").arg(path));
}

Status Journal::removeRecord(const QString &path)
{
    m_state->fileCount.reset();
    return write(RemoveRecordSql, {text(path)},
                 QStringLiteral("cannot remove the record of \"%1\"").arg(path));
}

Status Journal::removeRecordsUnder(const QString &dir)
{
    m_state->fileCount.reset();
    const QString what = QStringLiteral("cannot remove the records under \"%1\"").arg(dir);
    if (dir.isEmpty())
        return write(RemoveAllRecordsSql, {}, what);
    return write(RemoveRecordsUnderSql, subtreeBindings(dir), what);
}

Status Journal::moveRecords(const QString &from, const QString &to)
{
    if (from == to)
        return success();
    if (from.isEmpty() || to.isEmpty() || isSameOrBelow(to, from) || isSameOrBelow(from, to))
        return makeError(ErrorKind::InvalidName,
                         QStringLiteral("journal %1: cannot move \"%2\" to \"%3\": one contains "
                                        "the other")
                             .arg(m_state->path, from, to));
    return atomically([&]() -> Status {
        // Like rename(2), the move replaces whatever was recorded at the destination.
        if (Status removed = removeRecordsUnder(to); !removed)
            return removed;
        QVariantList values{to, from};
        values += subtreeBindings(from);
        return write(MoveRecordsSql, values,
                     QStringLiteral("cannot move the records of \"%1\" to \"%2\"").arg(from, to));
    });
}

qint64 Journal::trackedFileCount() const
{
    qint64 version = -1;
    read(DataVersionSql, {}, [&](const QSqlQuery &q) { version = q.value(0).toLongLong(); });
    if (m_state->fileCount && m_state->fileCount->dataVersion == version && version >= 0)
        return m_state->fileCount->files;
    qint64 count = 0;
    if (read(CountFilesSql, {}, [&](const QSqlQuery &q) { count = q.value(0).toLongLong(); }))
        m_state->fileCount = State::FileCount{version, count};
    return count;
}

QVector<RetryItem> Journal::retryItems() const
{
    const QHash<QString, RetryItem> &unsaved = m_state->unsavedRetryItems;
    QVector<RetryItem> result;
    read(SelectRetryItemsSql, {}, [&](const QSqlQuery &q) {
        RetryItem item = retryItemFromRow(q);
        if (!unsaved.contains(item.path))
            result.append(std::move(item));
    });
    if (unsaved.isEmpty())
        return result;
    result.append(QVector<RetryItem>(unsaved.cbegin(), unsaved.cend()));
    std::sort(result.begin(), result.end(), [](const RetryItem &a, const RetryItem &b) {
        return std::tie(a.nextDueMs, a.path) < std::tie(b.nextDueMs, b.path);
    });
    return result;
}

std::optional<RetryItem> Journal::retryItem(const QString &path) const
{
    if (const auto unsaved = m_state->unsavedRetryItems.constFind(path);
        unsaved != m_state->unsavedRetryItems.cend())
        return *unsaved;
    std::optional<RetryItem> result;
    read(SelectRetryItemSql, {path}, [&](const QSqlQuery &q) { result = retryItemFromRow(q); });
    return result;
}

Status Journal::putRetryItem(const RetryItem &item)
{
    // Held in memory until the row is committed, so a full disk cannot make it forgotten.
    m_state->unsavedRetryItems.insert(item.path, item);
    Status written = write(PutRetryItemSql,
                           {text(item.path), item.attempts, item.firstFailureMs, item.nextDueMs,
                            text(item.lastError), errorKindName(item.lastErrorKind),
                            int(item.failedPermanently), item.sidesAtFailure},
                           QStringLiteral("cannot store the retry item \"%1\"").arg(item.path));
    if (written && m_state->inTransaction)
        m_state->retryItemsInTransaction.append(item.path);
    else if (written)
        m_state->unsavedRetryItems.remove(item.path);
    return written;
}

Status Journal::removeRetryItem(const QString &path)
{
    m_state->unsavedRetryItems.remove(path);
    return write(RemoveRetryItemSql, {text(path)},
                 QStringLiteral("cannot remove the retry item \"%1\"").arg(path));
}

Status Journal::saveUnsavedRetryItems()
{
    if (m_state->unsavedRetryItems.isEmpty())
        return success();
    const QVector<RetryItem> unsaved(m_state->unsavedRetryItems.cbegin(),
                                     m_state->unsavedRetryItems.cend());
    Transaction transaction(*this);
    for (const RetryItem &item : unsaved) {
        if (Status put = putRetryItem(item); !put)
            return put;
    }
    return transaction.commit();
}

qsizetype Journal::unsavedRetryItemCount() const
{
    return m_state->unsavedRetryItems.size();
}

void Journal::settleRetryItems(bool committed)
{
    if (committed) {
        for (const QString &path : std::as_const(m_state->retryItemsInTransaction))
            m_state->unsavedRetryItems.remove(path);
    }
    m_state->retryItemsInTransaction.clear();
}

Status Journal::makeAllRetryItemsDue(qint64 nowMs)
{
    for (RetryItem &item : m_state->unsavedRetryItems) {
        item.nextDueMs = nowMs;
        item.failedPermanently = false;
    }
    return write(MakeAllDueSql, {nowMs}, QStringLiteral("cannot make the retry items due"));
}

Status Journal::makeQueuedRetryItemsDue(qint64 nowMs)
{
    for (RetryItem &item : m_state->unsavedRetryItems) {
        if (!item.failedPermanently)
            item.nextDueMs = nowMs;
    }
    return write(MakeQueuedDueSql, {nowMs}, QStringLiteral("cannot make the queued items due"));
}

Status Journal::putRemoteTemporary(const QString &path)
{
    return write(PutRemoteTemporarySql, {text(path)},
                 QStringLiteral("cannot record the temporary file \"%1\"").arg(path));
}

Status Journal::removeRemoteTemporary(const QString &path)
{
    return write(RemoveRemoteTemporarySql, {text(path)},
                 QStringLiteral("cannot forget the temporary file \"%1\"").arg(path));
}

QStringList Journal::remoteTemporaries() const
{
    QStringList result;
    read(SelectRemoteTemporariesSql, {},
         [&](const QSqlQuery &q) { result.append(q.value(0).toString()); });
    return result;
}

QVector<ConflictRecord> Journal::conflicts() const
{
    QVector<ConflictRecord> result;
    read(SelectConflictsSql, {}, [&](const QSqlQuery &q) { result.append(conflictFromRow(q)); });
    return result;
}

std::optional<ConflictRecord> Journal::conflict(const QString &path) const
{
    std::optional<ConflictRecord> result;
    read(SelectConflictSql, {path}, [&](const QSqlQuery &q) { result = conflictFromRow(q); });
    return result;
}

Status Journal::putConflict(const ConflictRecord &conflict)
{
    return write(PutConflictSql,
                 {text(conflict.path), text(conflict.localCopy), text(conflict.remoteCopy),
                  conflict.detectedMs, bytes(conflict.remoteSignature)},
                 QStringLiteral("cannot store the conflict \"%1\"").arg(conflict.path));
}

Status Journal::removeConflict(const QString &path)
{
    return write(RemoveConflictSql, {text(path)},
                 QStringLiteral("cannot remove the conflict \"%1\"").arg(path));
}

Counters Journal::counters() const
{
    Counters c;
    read(SelectCountersSql, {}, [&](const QSqlQuery &q) {
        c.uploads = q.value(0).toLongLong();
        c.downloads = q.value(1).toLongLong();
        c.localDeletes = q.value(2).toLongLong();
        c.remoteDeletes = q.value(3).toLongLong();
        c.moves = q.value(4).toLongLong();
        c.conflicts = q.value(5).toLongLong();
        c.successes = q.value(6).toLongLong();
        c.failures = q.value(7).toLongLong();
        c.bytesUp = q.value(8).toLongLong();
        c.bytesDown = q.value(9).toLongLong();
        c.skippedUnchanged = q.value(10).toLongLong();
    });
    return c;
}

Status Journal::addCounters(const Counters &delta)
{
    return write(AddCountersSql, counterValues(delta), QStringLiteral("cannot add counters"));
}

LiveStatus Journal::liveStatus() const
{
    LiveStatus status;
    read(SelectLiveStatusSql, {}, [&](const QSqlQuery &q) {
        status.state = q.value(0).toString();
        status.trackedFiles = q.value(1).toLongLong();
        status.pending = q.value(2).toLongLong();
        status.lastSyncMs = q.value(3).toLongLong();
        status.lastError = q.value(4).toString();
        status.updatedMs = q.value(5).toLongLong();
    });
    return status;
}

Status Journal::putLiveStatus(const LiveStatus &status)
{
    return write(PutLiveStatusSql,
                 {text(status.state), status.trackedFiles, status.pending, status.lastSyncMs,
                  text(status.lastError), status.updatedMs},
                 QStringLiteral("cannot store the live status"));
}

Status Journal::appendSample(const StatsSample &sample)
{
    return atomically([&]() -> Status {
        if (Status added =
                write(AppendSampleSql,
                      {sample.timeMs, sample.successRate, sample.pending, sample.retryQueue,
                       sample.failedPermanent, sample.bytesUp, sample.bytesDown},
                      QStringLiteral("cannot append a stats sample"));
            !added)
            return added;
        return write(PruneSamplesSql, {sample.timeMs - SampleRetentionMs},
                     QStringLiteral("cannot prune old stats samples"));
    });
}

QVector<StatsSample> Journal::samples(qint64 fromMs, qint64 toMs) const
{
    QVector<StatsSample> result;
    read(SelectSamplesSql, {fromMs, toMs}, [&](const QSqlQuery &q) {
        StatsSample sample;
        sample.timeMs = q.value(0).toLongLong();
        sample.successRate = q.value(1).toDouble();
        sample.pending = q.value(2).toLongLong();
        sample.retryQueue = q.value(3).toLongLong();
        sample.failedPermanent = q.value(4).toLongLong();
        sample.bytesUp = q.value(5).toLongLong();
        sample.bytesDown = q.value(6).toLongLong();
        result.append(sample);
    });
    return result;
}

QString Journal::setting(const QString &key) const
{
    QString value;
    read(SelectSettingSql, {key}, [&](const QSqlQuery &q) { value = q.value(0).toString(); });
    return value;
}

Status Journal::setSetting(const QString &key, const QString &value)
{
    return write(PutSettingSql, {text(key), text(value)},
                 QStringLiteral("cannot store the setting \"%1\"").arg(key));
}

Status Journal::runCheck(const char *sql) const
{
    QStringList problems;
    if (!read(sql, {}, [&](const QSqlQuery &q) { problems.append(q.value(0).toString()); })) {
        Error error = *m_state->readError;
        if (error.kind == ErrorKind::Permanent)
            error.kind = ErrorKind::Corrupt;
        return error;
    }
    if (problems == QStringList{QStringLiteral("ok")})
        return success();
    constexpr int MaxShown = 5;
    QString message = problems.mid(0, MaxShown).join(QLatin1String("; "));
    if (problems.size() > MaxShown)
        message += QStringLiteral("; and %1 more").arg(problems.size() - MaxShown);
    return makeError(ErrorKind::Corrupt,
                     QStringLiteral("journal %1 is damaged (%2)").arg(m_state->path, message));
}

Status Journal::checkIntegrity() const
{
    return runCheck("PRAGMA integrity_check");
}

std::optional<Error> Journal::lastReadError() const
{
    return m_state->readError;
}

Status Journal::setBusyTimeout(int ms)
{
    return execute(QStringLiteral("PRAGMA busy_timeout = %1").arg(ms),
                   QStringLiteral("cannot set the busy timeout"));
}

} // namespace steadysync
