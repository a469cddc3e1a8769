// DESIGN §4 "Two writers": a local file replaced by a download is never the only copy of a
// version. Where the content being replaced was never confirmed on the server (no record of
// it, a hash other than the record's, or this client's own upload that the server turned out
// not to hold, see RemoteCheck::Unproven), it is kept as a conflict copy and goes up under that
// name; the server's version takes the name.
#include "sync/propagator.h"

#include "sync/conflictnaming.h"
#include "sync/localfileops.h"
#include "sync/propagation/actiontally.h"

namespace steadysync {

bool Propagator::replacesUnconfirmedVersion(const SyncAction &action,
                                            const QByteArray &downloadedSha256)
{
    if (!action.local || action.local->isDir() || action.local->sha256 == downloadedSha256)
        return false;
    if (!action.base || action.local->sha256 != action.base->sha256)
        return true;
    // Rewritten or not since, an unproven upload of ours stays unconfirmed.
    return action.base->remoteCheck == RemoteCheck::Unproven;
}

Status Propagator::keepReplacedVersion(const SyncAction &action)
{
    const QString copy = freeConflictName(action.path, action.local->mtimeNs);
    if (Status moved = LocalFileOps::renameNoReplace(absolute(action.path), absolute(copy)); !moved)
        return moved;
    Journal::Transaction transaction(*m_journal);
    if (Status counted = commitCounted(transaction, ActionTally::conflict()); !counted)
        return counted;
    m_redo.append(copy); // goes up under its new name in the next round
    return success();
}

} // namespace steadysync
