#include "sync/cyclereport.h"

#include "sync/folderselection.h"

namespace steadysync {

void CycleReport::add(const CycleReport &other)
{
    uploaded += other.uploaded;
    downloaded += other.downloaded;
    deletedLocal += other.deletedLocal;
    deletedRemote += other.deletedRemote;
    moved += other.moved;
    conflicts += other.conflicts;
    failed += other.failed;
    queued += other.queued;
    skippedUnchanged += other.skippedUnchanged;
    bytesUp += other.bytesUp;
    bytesDown += other.bytesDown;
    localScanSeconds += other.localScanSeconds;
    remoteWalkSeconds += other.remoteWalkSeconds;
    remoteWalkFromPoll = remoteWalkFromPoll || other.remoteWalkFromPoll;
    heldBack += other.heldBack;
    heldBack.removeDuplicates();
    warnings += other.warnings;
}

StatusSnapshot readStatus(const Journal &journal)
{
    StatusSnapshot status;
    const LiveStatus live = journal.liveStatus();
    status.state = engineStateFromName(live.state);
    status.lastSyncMs = live.lastSyncMs;
    status.lastError = live.lastError;
    status.pending = live.pending;
    status.counters = journal.counters();
    status.trackedFiles = journal.trackedFileCount();
    for (const RetryItem &item : journal.retryItems())
        (item.failedPermanently ? status.failedPermanent : status.retryQueue) += 1;
    status.openConflicts = journal.conflicts().size();
    status.excludedFolders = FolderSelection::excludedFolders(journal).size();
    status.serverSpace =
        ServerSpace::parse(journal.setting(QLatin1String(ServerSpace::serverSpaceSetting)));
    return status;
}

StatsSample statsSampleOf(const StatusSnapshot &status, qint64 timeMs)
{
    StatsSample sample;
    sample.timeMs = timeMs;
    const qint64 total = status.counters.successes + status.counters.failures;
    sample.successRate = total == 0 ? 1.0 : double(status.counters.successes) / double(total);
    sample.pending = status.pending;
    sample.retryQueue = status.retryQueue;
    sample.failedPermanent = status.failedPermanent;
    sample.bytesUp = status.counters.bytesUp;
    sample.bytesDown = status.counters.bytesDown;
    return sample;
}

} // namespace steadysync
