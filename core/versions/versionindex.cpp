#include "versions/versionindex.h"

#include <QAtomicInteger>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <fcntl.h>
#include <unistd.h>

namespace steadysync {

namespace {

constexpr int BusyTimeoutMs = 30'000;

const char *const SchemaSql[] = {
    "CREATE TABLE IF NOT EXISTS versions ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT, path TEXT NOT NULL, reason TEXT NOT NULL,"
    " saved_ms INTEGER NOT NULL, size INTEGER NOT NULL, sha256 TEXT NOT NULL,"
    " origin TEXT NOT NULL, mtime_ns INTEGER NOT NULL DEFAULT 0)",
    "CREATE INDEX IF NOT EXISTS versions_by_path ON versions(path)",
    "CREATE INDEX IF NOT EXISTS versions_by_sha ON versions(sha256)",
};

QString nextConnectionName()
{
    static QAtomicInteger<quint64> counter;
    return QStringLiteral("steadysync-versions-%1").arg(counter.fetchAndAddRelaxed(1));
}

// SQLite's primary result codes (the driver reports extended ones; the low byte is primary).
constexpr int SqliteCorrupt = 11;
constexpr int SqliteFull = 13;
constexpr int SqliteNotADatabase = 26;

Error sqlError(const QSqlQuery &query, const QString &what)
{
    bool isNumber = false;
    const int code = query.lastError().nativeErrorCode().toInt(&isNumber) & 0xff;
    ErrorKind kind = ErrorKind::Transient;
    if (isNumber && (code == SqliteCorrupt || code == SqliteNotADatabase))
        kind = ErrorKind::Corrupt;
    else if (isNumber && code == SqliteFull)
        kind = ErrorKind::DiskFull;
    return makeError(kind,
                     QStringLiteral("version index: %1: %2").arg(what, query.lastError().text()));
}

VersionEntry entryFrom(const QSqlQuery &query)
{
    VersionEntry entry;
    entry.id = query.value(0).toLongLong();
    entry.path = query.value(1).toString();
    entry.reason =
        versionReasonFromName(query.value(2).toString()).value_or(VersionReason::Overwritten);
    entry.savedMs = query.value(3).toLongLong();
    entry.size = query.value(4).toLongLong();
    entry.sha256 = query.value(5).toString().toLatin1();
    entry.origin = query.value(6).toString();
    entry.mtimeNs = query.value(7).toLongLong();
    return entry;
}

constexpr char SelectColumns[] =
    "SELECT id, path, reason, saved_ms, size, sha256, origin, mtime_ns FROM versions";

// LIKE with its wildcards escaped, for "everything below folder".
QString likePrefix(const QString &folder)
{
    QString escaped = folder;
    escaped.replace(QLatin1Char('\\'), QStringLiteral("\\\\"))
        .replace(QLatin1Char('%'), QStringLiteral("\\%"))
        .replace(QLatin1Char('_'), QStringLiteral("\\_"));
    return escaped + QStringLiteral("/%");
}

} // namespace

VersionIndex::VersionIndex(QString connectionName) : m_connectionName(std::move(connectionName)) {}

VersionIndex::~VersionIndex()
{
    if (QSqlDatabase::contains(m_connectionName)) {
        QSqlDatabase::database(m_connectionName, false).close();
        QSqlDatabase::removeDatabase(m_connectionName);
    }
}

Result<std::unique_ptr<VersionIndex>> VersionIndex::open(const QString &databasePath)
{
    // Created here so that it is never world-readable, whatever the umask.
    const int fd =
        ::open(QFile::encodeName(databasePath).constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return makeError(ErrorKind::Permanent,
                         QStringLiteral("cannot open the version index %1").arg(databasePath));
    ::close(fd);
    std::unique_ptr<VersionIndex> index(new VersionIndex(nextConnectionName()));
    {
        QSqlDatabase database =
            QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), index->m_connectionName);
        database.setDatabaseName(databasePath);
        database.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(BusyTimeoutMs));
        if (!database.open())
            return makeError(ErrorKind::Permanent,
                             QStringLiteral("version index %1: %2")
                                 .arg(databasePath, database.lastError().text()));
    }
    // WAL: `versions list` reads while the engine writes. FULL: a kept version is on disk
    // before the file it keeps is replaced, even across a power cut.
    for (const char *sql : {"PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL"})
        if (Status done = index->execute(QString::fromLatin1(sql)); !done)
            return done.error();
    for (const char *sql : SchemaSql)
        if (Status done = index->execute(QString::fromLatin1(sql)); !done)
            return done.error();
    QSqlQuery check(QSqlDatabase::database(index->m_connectionName, false));
    if (!check.exec(QStringLiteral("PRAGMA quick_check")))
        return sqlError(check, QStringLiteral("quick_check"));
    if (!check.next() || check.value(0).toString() != QLatin1String("ok"))
        return makeError(ErrorKind::Corrupt, QStringLiteral("version index %1 is damaged: %2")
                                                 .arg(databasePath, check.value(0).toString()));
    return index;
}

Result<std::unique_ptr<VersionIndex>> VersionIndex::openReadOnly(const QString &databasePath)
{
    if (!QFile::exists(databasePath))
        return makeError(ErrorKind::NotFound,
                         QStringLiteral("no version index %1").arg(databasePath));
    std::unique_ptr<VersionIndex> index(new VersionIndex(nextConnectionName()));
    QSqlDatabase database =
        QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), index->m_connectionName);
    database.setDatabaseName(databasePath);
    database.setConnectOptions(
        QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=%1").arg(BusyTimeoutMs));
    if (!database.open())
        return makeError(
            ErrorKind::Transient,
            QStringLiteral("version index %1: %2").arg(databasePath, database.lastError().text()));
    return index;
}

Status VersionIndex::execute(const QString &sql) const
{
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    if (!query.exec(sql))
        return sqlError(query, sql);
    return success();
}

Result<VersionEntry> VersionIndex::insert(const VersionEntry &entry)
{
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.prepare(QStringLiteral("INSERT INTO versions (path, reason, saved_ms, size, sha256, "
                                 "origin, mtime_ns) VALUES (?, ?, ?, ?, ?, ?, ?)"));
    query.addBindValue(entry.path);
    query.addBindValue(versionReasonName(entry.reason));
    query.addBindValue(entry.savedMs);
    query.addBindValue(entry.size);
    // Never NULL: a version kept on the server may have no known hash (an empty one).
    query.addBindValue(entry.sha256.isEmpty() ? QStringLiteral("")
                                              : QString::fromLatin1(entry.sha256));
    query.addBindValue(entry.origin);
    query.addBindValue(entry.mtimeNs);
    if (!query.exec())
        return sqlError(query, QStringLiteral("insert"));
    VersionEntry inserted = entry;
    inserted.id = query.lastInsertId().toLongLong();
    return inserted;
}

Result<QList<VersionEntry>> VersionIndex::list(const QString &path) const
{
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.setForwardOnly(true);
    QString sql = QString::fromLatin1(SelectColumns);
    if (!path.isEmpty())
        sql += QStringLiteral(" WHERE path = ? OR path LIKE ? ESCAPE '\\'");
    query.prepare(sql + QStringLiteral(" ORDER BY saved_ms DESC, id DESC"));
    if (!path.isEmpty()) {
        query.addBindValue(path);
        query.addBindValue(likePrefix(path));
    }
    if (!query.exec())
        return sqlError(query, QStringLiteral("list"));
    QList<VersionEntry> entries;
    while (query.next())
        entries.append(entryFrom(query));
    return entries;
}

Result<std::optional<VersionEntry>> VersionIndex::find(qint64 id) const
{
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.prepare(QString::fromLatin1(SelectColumns) + QStringLiteral(" WHERE id = ?"));
    query.addBindValue(id);
    if (!query.exec())
        return sqlError(query, QStringLiteral("find"));
    if (!query.next())
        return std::optional<VersionEntry>();
    return std::optional<VersionEntry>(entryFrom(query));
}

Status VersionIndex::remove(const QList<qint64> &ids)
{
    if (ids.isEmpty())
        return success();
    QSqlDatabase database = QSqlDatabase::database(m_connectionName, false);
    if (!database.transaction())
        return makeError(
            ErrorKind::Transient,
            QStringLiteral("version index: cannot begin: %1").arg(database.lastError().text()));
    QSqlQuery query(database);
    query.prepare(QStringLiteral("DELETE FROM versions WHERE id = ?"));
    for (qint64 id : ids) {
        query.bindValue(0, id);
        if (!query.exec()) {
            const Error error = sqlError(query, QStringLiteral("remove"));
            database.rollback();
            return error;
        }
    }
    if (!database.commit())
        return makeError(
            ErrorKind::Transient,
            QStringLiteral("version index: cannot commit: %1").arg(database.lastError().text()));
    return success();
}

void VersionIndex::compact()
{
    (void)execute(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)")); // a reader may hold it: later
}

} // namespace steadysync
