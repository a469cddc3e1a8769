#include "journal/journal.h"

#include "journal/journalstate.h"

namespace steadysync {

using JournalValues::readColumns;
using JournalValues::text;

namespace {

constexpr qint64 SampleRetentionMs = 8LL * 24 * 60 * 60 * 1000;

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

QVariantList counterValues(const Counters &c)
{
    return {c.uploads, c.downloads, c.localDeletes,    c.remoteDeletes,
            c.moves,   c.conflicts, c.successes,       c.failures,
            c.bytesUp, c.bytesDown, c.skippedUnchanged};
}

} // namespace

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

Counters Journal::counters() const
{
    Counters c;
    read(SelectCountersSql, {}, [&](const QSqlQuery &q) {
        readColumns(q, c.uploads, c.downloads, c.localDeletes, c.remoteDeletes, c.moves,
                    c.conflicts, c.successes, c.failures, c.bytesUp, c.bytesDown,
                    c.skippedUnchanged);
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
        readColumns(q, status.state, status.trackedFiles, status.pending, status.lastSyncMs,
                    status.lastError, status.updatedMs);
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
        readColumns(q, sample.timeMs, sample.successRate, sample.pending, sample.retryQueue,
                    sample.failedPermanent, sample.bytesUp, sample.bytesDown);
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

} // namespace steadysync
