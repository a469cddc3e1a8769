#pragma once

#include "sync/syncplan.h"

namespace steadysync {

// SPEC §4 mass-deletion guard: a plan that would delete more than 50% of the tracked files
// on either side, counted only when at least 10 files are tracked.
struct MassDeleteVerdict
{
    bool blocked = false;
    qint64 trackedFiles = 0;
    qint64 localDeletes = 0;  // files the plan deletes locally
    qint64 remoteDeletes = 0; // files the plan deletes remotely
};

MassDeleteVerdict checkMassDelete(const SyncPlan &plan, qint64 trackedFiles);

} // namespace steadysync
