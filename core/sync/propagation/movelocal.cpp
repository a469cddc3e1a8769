// Propagator::moveLocal: a rename made on the remote, carried out on disk (DESIGN §4 "Moves are
// not deletions"). The source must be as the plan saw it; nothing is renamed over.

#include "local/scanner.h"
#include "sync/localfileops.h"
#include "sync/propagation/actiontally.h"
#include "sync/propagator.h"

#include <QFileInfo>

namespace steadysync {

void Propagator::moveLocal(const SyncAction &action, Done done)
{
    // The source must still be what the plan compared and the target's folder must be there
    // (created earlier in the plan); otherwise both paths are looked at again, nothing forced.
    if (!action.local || !action.remote ||
        !LocalFileOps::unchangedSince(m_settings.localRoot, action.sourcePath, action.local) ||
        !QFileInfo(absolute(parentPath(action.path))).isDir())
        return done(Outcome::redo());
    // Never over an item that appeared at the target meanwhile: it may be a version of its own.
    if (Status renamed =
            LocalFileOps::renameNoReplace(absolute(action.sourcePath), absolute(action.path));
        !renamed) {
        if (renamed.error().kind == ErrorKind::PreconditionFailed ||
            renamed.error().kind == ErrorKind::NotFound)
            return done(Outcome::redo());
        return done(Outcome::failed(renamed.error()));
    }
    const std::optional<LocalEntry> moved = Scanner::stat(m_settings.localRoot, action.path);

    done(Outcome::ofJournal(recordLocalMove(action, moved)));
}

// The records move along, all or none: a journal that cannot record the move keeps saying
// what was synced before it (the rename on disk then shows as a new and a deleted path).
Status Propagator::recordLocalMove(const SyncAction &action, const std::optional<LocalEntry> &moved)
{
    Journal::Transaction transaction(*m_journal);
    if (Status relocated = m_journal->moveRecords(action.sourcePath, action.path); !relocated)
        return relocated;
    // The records below a moved folder keep their stat and ETags: a rename changes neither.
    if (moved) {
        Result<JournalRecord> record = recordAfterLocalMove(action, *moved);
        if (!record)
            return record.error();
        if (Status put = m_journal->putRecord(*record); !put)
            return put;
    }
    return commitCounted(transaction, ActionTally::moved());
}

// A file found by its server file id may have been edited on the server as well as moved:
// its record keeps the version this side has, so the edit is downloaded next, as any other.
Result<JournalRecord> Propagator::recordAfterLocalMove(const SyncAction &action,
                                                       const LocalEntry &moved)
{
    Result<JournalRecord> found = recordAfterMove(action.path, moved, *action.remote);
    if (!found)
        return found;
    JournalRecord record = std::move(found).value();
    const bool editedThere = action.type == ItemType::File && action.base &&
                             (action.base->remoteRewritten ||
                              action.base->remoteSignature != action.remote->signature());
    if (editedThere) {
        record.remoteSignature = action.base->remoteSignature;
        record.remoteCheck = action.base->remoteCheck;
        record.remoteRewritten = action.base->remoteRewritten;
        record.remoteSize = action.base->remoteSize;
        record.remoteMtimeNs = action.base->remoteMtimeNs;
        m_redo.append(action.path);
    }
    return record;
}

} // namespace steadysync
