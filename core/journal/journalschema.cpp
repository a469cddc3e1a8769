#include "journal/journal.h"

#include "journal/journalstate.h"

#include <span>

namespace steadysync {

namespace {

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

// State in named fields instead of markers inside the data (issue 16). Rows written before
// carry the markers, converted here:
// - remote_signature "<signature>~unsettled": remote_check 1 (RemoteCheck::Unsettled);
// - remote_signature "<signature>~unproven~unsettled": remote_check 2 (RemoteCheck::Unproven);
// - remote_signature "~changed-since-verified": remote_rewritten 1, no signature;
// - remote_signature "~changed-since-unproven-upload": remote_rewritten 1, remote_check 2;
// - sha256 "resolved-keep-local": resolution 1 (LocalResolution::KeepLocal), no hash;
// - local_size -1: local_stat_known 0 (a conflict's merged record).
#define MARKER(text) "CAST('" text "' AS BLOB)"
#define ENDS_WITH(column, text) "substr(" column ", -length(" MARKER(text) ")) = " MARKER(text)
#define CHOP(column, text) "substr(" column ", 1, length(" column ") - length(" MARKER(text) "))"
constexpr const char *SchemaV6[] = {
    "ALTER TABLE records ADD COLUMN remote_check INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE records ADD COLUMN remote_rewritten INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE records ADD COLUMN local_stat_known INTEGER NOT NULL DEFAULT 1",
    "ALTER TABLE records ADD COLUMN resolution INTEGER NOT NULL DEFAULT 0",
    "UPDATE records SET remote_rewritten = 1, remote_check = 2, remote_signature = x''"
    " WHERE remote_signature = " MARKER("~changed-since-unproven-upload"),
    "UPDATE records SET remote_rewritten = 1, remote_signature = x''"
    " WHERE remote_signature = " MARKER("~changed-since-verified"),
    "UPDATE records SET remote_check = 2,"
    " remote_signature = " CHOP("remote_signature", "~unproven~unsettled") //
    " WHERE " ENDS_WITH("remote_signature", "~unproven~unsettled"),
    "UPDATE records SET remote_check = 1,"
    " remote_signature = " CHOP("remote_signature", "~unsettled") //
    " WHERE " ENDS_WITH("remote_signature", "~unsettled"),
    "UPDATE records SET resolution = 1, sha256 = x''"
    " WHERE sha256 = " MARKER("resolved-keep-local"),
    "UPDATE records SET local_stat_known = 0, local_size = 0 WHERE local_size = -1",
};
#undef CHOP
#undef ENDS_WITH
#undef MARKER

// Migrations[i] takes the schema from version i to i + 1. Released entries are never edited:
// a schema change appends a migration and bumps Journal::SchemaVersion.
constexpr std::span<const char *const> Migrations[] = {SchemaV1, SchemaV2, SchemaV3,
                                                       SchemaV4, SchemaV5, SchemaV6};
static_assert(std::size(Migrations) == Journal::SchemaVersion);

} // namespace

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

} // namespace steadysync
