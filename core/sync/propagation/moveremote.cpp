// Propagator::moveRemote: a rename made here, carried out on the server (DESIGN §4 "Moves are not
// deletions"), only from the version the plan compared; the journal's records move along.
#include "sync/propagation/actiontally.h"
#include "sync/propagator.h"

namespace steadysync {

void Propagator::moveRemote(const SyncAction &action, Done done)
{
    // A directory's own signature changes with its children, which the plan already checked.
    const Precondition precondition =
        action.base && action.type == ItemType::File
            ? Precondition::mustMatch(settledSignature(action.base->remoteSignature))
            : Precondition::none();
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
            Journal::Transaction transaction(*m_journal);
            m_journal->moveRecords(action.sourcePath, action.path);
            if (stat->succeeded() && action.local)
                m_journal->putRecord(recordAfterMove(action.path, *action.local, stat->entry()));
            done(Outcome::of(commitCounted(transaction, ActionTally::moved())));
        });
    });
}

} // namespace steadysync
