#include "sync/massdeleteguard.h"

namespace steadysync {

MassDeleteVerdict checkMassDelete(const SyncPlan &plan, qint64 trackedFiles)
{
    MassDeleteVerdict verdict;
    verdict.trackedFiles = trackedFiles;
    for (const SyncAction &action : plan.actions) {
        if (action.type != ItemType::File)
            continue;
        if (action.kind == ActionKind::DeleteLocal)
            ++verdict.localDeletes;
        else if (mayDeleteRemote(action))
            ++verdict.remoteDeletes;
    }
    verdict.blocked = trackedFiles >= 10 && (verdict.localDeletes * 2 > trackedFiles ||
                                             verdict.remoteDeletes * 2 > trackedFiles);
    return verdict;
}

} // namespace steadysync
