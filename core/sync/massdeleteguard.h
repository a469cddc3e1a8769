#pragma once

#include "sync/syncplan.h"

namespace steadysync {

// SPEC §4 mass-deletion guard: a plan that would delete more than 50% of the tracked files
// on either side, counted only when at least 10 files are tracked. A move is not a deletion:
// moves found by identity are MoveLocal/MoveRemote actions already; a deletion whose file
// reappears elsewhere (see MassDeleteVerdict::moves) is counted as a move too.
struct MassDeleteVerdict
{
    bool blocked = false;
    qint64 trackedFiles = 0;
    qint64 localDeletes = 0;  // files the plan deletes locally
    qint64 remoteDeletes = 0; // files the plan deletes remotely
    // Deletions not counted above: the file reappears once elsewhere on that side with the same
    // name and size (and content hash where known), a move the side's identity could not show.
    qint64 moves = 0;
};

MassDeleteVerdict checkMassDelete(const SyncPlan &plan, qint64 trackedFiles);

} // namespace steadysync
