#pragma once

#include "sync/syncplan.h"

namespace steadysync {

// DESIGN §4 mass-deletion guard: a plan that would delete more than 50% of the tracked files
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
    // Set when the empty-side rule stopped the plan (checkDeletionGuards): the side that lists
    // nothing. The deletions above are then all the synced files, on the other side.
    enum class EmptySide { None, Local, Remote } emptySide = EmptySide::None;
};

MassDeleteVerdict checkMassDelete(const SyncPlan &plan, qint64 trackedFiles);

// What the deletion guards judge a plan by, besides the plan.
struct DeletionGuardInput
{
    bool fullCycle = false;   // the empty-side rule judges only a plan of the whole tree
    bool localEmpty = false;  // the local scan found nothing (set-aside items not counted)
    bool remoteEmpty = false; // the remote walk found nothing (likewise)
    qint64 syncedFiles = 0;   // files in the journal the plan was made from (set-aside ones not)
    qint64 trackedFiles = 0;  // files the journal tracks: the mass-deletion guard's base
};

// Both deletion guards of DESIGN §4, the first that holds wins:
// - empty side: in a full cycle with files synced, a side that lists nothing while the plan
//   deletes on the other side is most likely an unmounted disk or an emptied share: blocked,
//   all synced files counted as deleted on the other side (the local side first);
// - mass deletion: checkMassDelete(plan, trackedFiles).
MassDeleteVerdict checkDeletionGuards(const SyncPlan &plan, const DeletionGuardInput &input);

} // namespace steadysync
