#pragma once

#include "journal/journal.h"

namespace steadysync {

struct CycleReport;

// What one finished action did, recorded once (Propagator::commitCounted): the journal's
// counters, in the transaction that records the action, and the cycle report, once that
// transaction holds, are both derived from it, so the two cannot disagree.
// Two numbers are not taken from here: the report's bytes are those that crossed the network,
// counted as each transfer ends (Propagator::uploadFile, downloadToTemporary), where the
// counters' bytes are the sizes of the files synced; and the report's failures are the failed
// items in the retry queue at the cycle's end (Engine), where the counters count each failure.
struct [[nodiscard]] ActionTally
{
    Counters counters;

    static ActionTally none() { return {}; }
    static ActionTally uploaded(qint64 size);
    // A conflict copy sent under its own name: an upload, but no success of its own.
    static ActionTally conflictCopyUploaded(qint64 size);
    static ActionTally downloaded(qint64 size);
    static ActionTally skippedUnchanged();
    static ActionTally conflict();
    static ActionTally deletedLocally();
    static ActionTally deletedRemotely();
    static ActionTally moved();
    static ActionTally failure();

    ActionTally &operator+=(const ActionTally &other);
    void addTo(CycleReport &report) const;
};

} // namespace steadysync
