#include "jsonreport.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace steadysync::cli {

QString isoTime(qint64 epochMs)
{
    return QDateTime::fromMSecsSinceEpoch(epochMs, Qt::UTC).toString(Qt::ISODateWithMs);
}

QByteArray cycleReportJson(const CycleReport &report)
{
    QJsonObject object{
        {QStringLiteral("uploaded"), report.uploaded},
        {QStringLiteral("downloaded"), report.downloaded},
        {QStringLiteral("deleted_local"), report.deletedLocal},
        {QStringLiteral("deleted_remote"), report.deletedRemote},
        {QStringLiteral("moved"), report.moved},
        {QStringLiteral("conflicts"), report.conflicts},
        {QStringLiteral("failed"), report.failed},
        {QStringLiteral("queued"), report.queued},
        {QStringLiteral("skipped_unchanged"), report.skippedUnchanged},
        {QStringLiteral("bytes_up"), report.bytesUp},
        {QStringLiteral("bytes_down"), report.bytesDown},
        {QStringLiteral("seconds"), report.seconds},
        {QStringLiteral("local_scan_seconds"), report.localScanSeconds},
        {QStringLiteral("remote_walk_seconds"), report.remoteWalkSeconds},
    };
    // Why items are not in sync: what a script needs to act on exit code 1.
    QJsonArray unsynced;
    for (const RetryItem &item : report.unsyncedItems)
        unsynced.append(QJsonObject{{QStringLiteral("path"), item.path},
                                    {QStringLiteral("reason"), item.lastError},
                                    {QStringLiteral("retrying"), !item.failedPermanently},
                                    {QStringLiteral("attempts"), item.attempts}});
    object.insert(QStringLiteral("failed_items"), unsynced);
    object.insert(QStringLiteral("held_back"), QJsonArray::fromStringList(report.heldBack));
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QByteArray statusJson(const StatusSnapshot &status)
{
    return QJsonDocument(statusObject(status)).toJson(QJsonDocument::Compact);
}

namespace {

// null where the server does not tell; a byte count or null for each value it may leave out.
QJsonValue serverSpaceJson(const std::optional<ServerSpace> &space)
{
    if (!space)
        return QJsonValue(QJsonValue::Null);
    const auto bytes = [](qint64 value) {
        return value >= 0 ? QJsonValue(value) : QJsonValue(QJsonValue::Null);
    };
    return QJsonObject{{QStringLiteral("used_bytes"), bytes(space->usedBytes)},
                       {QStringLiteral("free_bytes"), bytes(space->freeBytes)},
                       {QStringLiteral("total_bytes"), bytes(space->totalBytes())},
                       {QStringLiteral("unlimited"), space->unlimited}};
}

} // namespace

QJsonObject statusObject(const StatusSnapshot &status)
{
    return QJsonObject{
        {QStringLiteral("state"), engineStateName(status.state)},
        {QStringLiteral("tracked_files"), status.trackedFiles},
        {QStringLiteral("pending"), status.pending},
        {QStringLiteral("retry_queue"), status.retryQueue},
        {QStringLiteral("failed_permanent"), status.failedPermanent},
        {QStringLiteral("conflicts"), status.openConflicts},
        {QStringLiteral("excluded_folders"), status.excludedFolders},
        {QStringLiteral("successes"), status.counters.successes},
        {QStringLiteral("failures"), status.counters.failures},
        {QStringLiteral("success_rate"), status.successRate()},
        {QStringLiteral("bytes_up"), status.counters.bytesUp},
        {QStringLiteral("bytes_down"), status.counters.bytesDown},
        {QStringLiteral("last_sync"), status.lastSyncMs > 0 ? QJsonValue(isoTime(status.lastSyncMs))
                                                            : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("last_error"),
         status.lastError.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(status.lastError)},
        {QStringLiteral("server_space"), serverSpaceJson(status.serverSpace)},
    };
}

QByteArray conflictsJson(const QVector<ConflictRecord> &conflicts)
{
    QJsonArray array;
    for (const ConflictRecord &conflict : conflicts) {
        array.append(QJsonObject{
            {QStringLiteral("path"), conflict.path},
            {QStringLiteral("local_copy"), conflict.localCopy},
            {QStringLiteral("remote_copy"), conflict.remoteCopy},
            {QStringLiteral("detected"), isoTime(conflict.detectedMs)},
        });
    }
    return QJsonDocument(array).toJson(QJsonDocument::Compact);
}

} // namespace steadysync::cli
