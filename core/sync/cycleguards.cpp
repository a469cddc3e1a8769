// The deletion guards of a cycle (DESIGN §4 "mass-deletion guard"): the empty-side and ratio
// rows of checkDeletionGuards(), and the hold that keeps a stopped deletion stopped.
#include "sync/cyclerunner.h"

#include "sync/massdeleteguard.h"

#include <algorithm>

namespace steadysync {
namespace {

qint64 countFiles(const JournalSnapshot &journal)
{
    return std::count_if(journal.cbegin(), journal.cend(),
                         [](const JournalRecord &record) { return !record.isDir(); });
}

} // namespace

// A held deletion stays held until the user decides or a full cycle no longer plans it: no
// later cycle may carry it out piece by piece (watcher batches of a few deletions each, each
// under the guard's threshold).
std::optional<Error> CycleRunner::guardDeletions(const PlannedCycle &cycle)
{
    if (m_options.allowMassDelete || m_massDeleteConfirmed) {
        m_heldMassDelete.reset();
        return std::nullopt;
    }
    DeletionGuardInput input;
    input.fullCycle = cycle.full;
    input.localEmpty = cycle.local.isEmpty();
    input.remoteEmpty = cycle.remote.isEmpty();
    input.syncedFiles = countFiles(cycle.journal);
    input.trackedFiles = m_res.journal->trackedFileCount();
    const MassDeleteVerdict verdict = checkDeletionGuards(cycle.plan, input);
    if (!verdict.blocked && m_heldMassDelete && verdict.localDeletes + verdict.remoteDeletes > 0) {
        holdMassDeletion(*m_heldMassDelete);
        return makeError(ErrorKind::Permanent,
                         tr("deletions wait for your decision on the held mass deletion; "
                            "nothing was changed"));
    }
    if (!verdict.blocked) {
        if (cycle.full)
            m_heldMassDelete.reset(); // a whole look at both sides plans no deletion any more
        else if (m_heldMassDelete)
            m_report.massDelete = m_heldMassDelete; // still waiting, though this cycle ran
        return std::nullopt;
    }
    holdMassDeletion(verdict);
    if (verdict.emptySide != MassDeleteVerdict::EmptySide::None) {
        const bool localEmpty = verdict.emptySide == MassDeleteVerdict::EmptySide::Local;
        return makeError(ErrorKind::Permanent,
                         tr("the %1 side lists no files although %2 were synced; nothing was "
                            "deleted (confirm with --allow-mass-delete)")
                             .arg(localEmpty ? tr("local") : tr("remote"))
                             .arg(verdict.trackedFiles));
    }
    return makeError(ErrorKind::Permanent,
                     tr("stopped by the mass-deletion guard: the plan deletes %1 local and %2 "
                        "remote files of %3 tracked; nothing was changed")
                         .arg(verdict.localDeletes)
                         .arg(verdict.remoteDeletes)
                         .arg(verdict.trackedFiles));
}

void CycleRunner::holdMassDeletion(const MassDeleteVerdict &verdict)
{
    m_heldMassDelete = verdict;
    m_report.massDelete = verdict;
    Q_EMIT massDeleteBlocked(verdict);
}

} // namespace steadysync
