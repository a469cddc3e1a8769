// Propagator::moveRemote: a rename made here, carried out on the server (DESIGN §4 "Moves are not
// deletions"), only from the version the plan compared; the journal's records move along.
#include "sync/propagation/actiontally.h"
#include "sync/propagator.h"

namespace steadysync {

void Propagator::moveRemote(const SyncAction &action, Done done)
{
    // A directory's own signature changes with its children, which the plan already checked.
    const bool file = action.base && action.type == ItemType::File;
    // Rewritten there since: no version to move from (a condition would fail the same way).
    if (file && action.base->remoteRewritten)
        return done(Outcome::redo());
    const Precondition precondition =
        file ? Precondition::mustMatch(action.base->remoteSignature) : Precondition::none();
    RemoteJob *job = m_backend->move(action.sourcePath, action.path, precondition);
    track(job);
    connect(job, &RemoteJob::finished, this, [this, job, action, done] {
        if (!job->succeeded()) {
            const ErrorKind kind = job->error()->kind;
            if (kind == ErrorKind::PreconditionFailed || kind == ErrorKind::NotFound ||
                kind == ErrorKind::ParentMissing)
                return done(Outcome::redo());
            return done(Outcome::failed(*job->error()));
        }
        EntryJob *stat = m_backend->stat(action.path);
        track(stat);
        connect(stat, &RemoteJob::finished, this, [this, stat, action, done] {
            const std::optional<RemoteEntry> moved =
                stat->succeeded() ? std::optional(stat->entry()) : std::nullopt;
            done(Outcome::ofJournal(recordRemoteMove(action, moved)));
        });
    });
}

// The records move along, all or none: a journal that cannot record the move keeps saying
// what was synced before it (the server's rename then shows as a new and a deleted path).
Status Propagator::recordRemoteMove(const SyncAction &action,
                                    const std::optional<RemoteEntry> &moved)
{
    Journal::Transaction transaction(*m_journal);
    if (Status relocated = m_journal->moveRecords(action.sourcePath, action.path); !relocated)
        return relocated;
    if (moved && action.local) {
        Result<JournalRecord> record = recordAfterMove(action.path, *action.local, *moved);
        if (!record)
            return record.error();
        if (Status put = m_journal->putRecord(*record); !put)
            return put;
    }
    return commitCounted(transaction, ActionTally::moved());
}

} // namespace steadysync
