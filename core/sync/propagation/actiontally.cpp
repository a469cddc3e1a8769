#include "sync/propagation/actiontally.h"

#include "sync/cyclereport.h"

namespace steadysync {

namespace {

ActionTally succeeded(Counters counters)
{
    counters.successes = 1;
    return {counters};
}

} // namespace

ActionTally ActionTally::uploaded(qint64 size)
{
    ActionTally tally = conflictCopyUploaded(size);
    tally.counters.successes = 1;
    return tally;
}

ActionTally ActionTally::conflictCopyUploaded(qint64 size)
{
    Counters counters;
    counters.uploads = 1;
    counters.bytesUp = size;
    return {counters};
}

ActionTally ActionTally::downloaded(qint64 size)
{
    Counters counters;
    counters.downloads = 1;
    counters.bytesDown = size;
    return succeeded(counters);
}

ActionTally ActionTally::skippedUnchanged()
{
    Counters counters;
    counters.skippedUnchanged = 1;
    return {counters};
}

ActionTally ActionTally::conflict()
{
    Counters counters;
    counters.conflicts = 1;
    return {counters};
}

ActionTally ActionTally::deletedLocally()
{
    Counters counters;
    counters.localDeletes = 1;
    return succeeded(counters);
}

ActionTally ActionTally::deletedRemotely()
{
    Counters counters;
    counters.remoteDeletes = 1;
    return succeeded(counters);
}

ActionTally ActionTally::moved()
{
    Counters counters;
    counters.moves = 1;
    return succeeded(counters);
}

ActionTally ActionTally::failure()
{
    Counters counters;
    counters.failures = 1;
    return {counters};
}

ActionTally &ActionTally::operator+=(const ActionTally &other)
{
    counters += other.counters;
    return *this;
}

void ActionTally::addTo(CycleReport &report) const
{
    report.uploaded += counters.uploads;
    report.downloaded += counters.downloads;
    report.deletedLocal += counters.localDeletes;
    report.deletedRemote += counters.remoteDeletes;
    report.moved += counters.moves;
    report.conflicts += counters.conflicts;
    report.skippedUnchanged += counters.skippedUnchanged;
}

} // namespace steadysync
