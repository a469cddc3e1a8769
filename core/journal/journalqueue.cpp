#include "journal/journal.h"

#include "journal/journalstate.h"

#include <algorithm>
#include <tuple>

namespace steadysync {

using JournalValues::bytes;
using JournalValues::readColumns;
using JournalValues::text;

namespace {

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

RetryItem retryItemFromRow(const QSqlQuery &query)
{
    RetryItem item;
    QString kindName;
    int permanently = 0;
    readColumns(query, item.path, item.attempts, item.firstFailureMs, item.nextDueMs,
                item.lastError, kindName, permanently, item.sidesAtFailure);
    item.lastErrorKind = errorKindFromName(kindName);
    item.failedPermanently = permanently != 0;
    return item;
}

ConflictRecord conflictFromRow(const QSqlQuery &query)
{
    ConflictRecord conflict;
    readColumns(query, conflict.path, conflict.localCopy, conflict.remoteCopy, conflict.detectedMs,
                conflict.remoteSignature);
    return conflict;
}

} // namespace

QVector<RetryItem> Journal::withUnsavedRetryItems(QVector<RetryItem> saved) const
{
    const QHash<QString, RetryItem> &unsaved = m_state->unsavedRetryItems;
    if (unsaved.isEmpty())
        return saved;
    saved.erase(std::remove_if(saved.begin(), saved.end(),
                               [&](const RetryItem &item) { return unsaved.contains(item.path); }),
                saved.end());
    saved.append(QVector<RetryItem>(unsaved.cbegin(), unsaved.cend()));
    std::sort(saved.begin(), saved.end(), [](const RetryItem &a, const RetryItem &b) {
        return std::tie(a.nextDueMs, a.path) < std::tie(b.nextDueMs, b.path);
    });
    return saved;
}

Result<QVector<RetryItem>> Journal::readRetryItems() const
{
    QVector<RetryItem> saved;
    if (Status read = readRows(SelectRetryItemsSql, {},
                               [&](const QSqlQuery &q) { saved.append(retryItemFromRow(q)); });
        !read)
        return read.error();
    return withUnsavedRetryItems(std::move(saved));
}

QVector<RetryItem> Journal::retryItems() const
{
    // What could be read, and at least the items held in memory.
    QVector<RetryItem> saved;
    read(SelectRetryItemsSql, {}, [&](const QSqlQuery &q) { saved.append(retryItemFromRow(q)); });
    return withUnsavedRetryItems(std::move(saved));
}

Result<std::optional<RetryItem>> Journal::readRetryItem(const QString &path) const
{
    if (const auto unsaved = m_state->unsavedRetryItems.constFind(path);
        unsaved != m_state->unsavedRetryItems.cend())
        return std::optional<RetryItem>(*unsaved);
    std::optional<RetryItem> result;
    if (Status read = readRows(SelectRetryItemSql, {path},
                               [&](const QSqlQuery &q) { result = retryItemFromRow(q); });
        !read)
        return read.error();
    return result;
}

std::optional<RetryItem> Journal::retryItem(const QString &path) const
{
    return JournalValues::valueOrEmpty(readRetryItem(path));
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

} // namespace steadysync
