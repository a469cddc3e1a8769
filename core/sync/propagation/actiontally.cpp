#include "sync/propagation/actiontally.h"

#include "sync/cyclereport.h"

namespace steadysync {

namespace {

// One action counted once in counter.
ActionTally counting(qint64 Counters::*counter)
{
    ActionTally tally;
    tally.counters.*counter = 1;
    return tally;
}

// One action counted once in counter, and as a success.
ActionTally succeededCounting(qint64 Counters::*counter)
{
    ActionTally tally = counting(counter);
    tally.counters.successes = 1;
    return tally;
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
    ActionTally tally = counting(&Counters::uploads);
    tally.counters.bytesUp = size;
    return tally;
}

ActionTally ActionTally::downloaded(qint64 size)
{
    ActionTally tally = succeededCounting(&Counters::downloads);
    tally.counters.bytesDown = size;
    return tally;
}

ActionTally ActionTally::skippedUnchanged()
{
    return counting(&Counters::skippedUnchanged);
}

ActionTally ActionTally::conflict()
{
    return counting(&Counters::conflicts);
}

ActionTally ActionTally::deletedLocally()
{
    return succeededCounting(&Counters::localDeletes);
}

ActionTally ActionTally::deletedRemotely()
{
    return succeededCounting(&Counters::remoteDeletes);
}

ActionTally ActionTally::moved()
{
    return succeededCounting(&Counters::moves);
}

ActionTally ActionTally::failure()
{
    return counting(&Counters::failures);
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
