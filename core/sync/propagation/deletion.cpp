// Propagator: deletions (DESIGN §4 "Deletions need proof"; the plan holds the proof). A local
// item goes to the trash, its version kept; a remote one is deleted only as the plan saw it.
// A folder goes only when empty: anything that appeared in it meanwhile stays.
#include "sync/localfileops.h"
#include "sync/propagation/actiontally.h"
#include "sync/propagator.h"
#include "versions/remoteversionkeeper.h"
#include "versions/versionkeeper.h"

#include <QDir>

namespace steadysync {

void Propagator::deleteRemote(const SyncAction &action, Done done)
{
    if (action.type == ItemType::Directory) {
        return clearRemoteDirectory(action.path, [this, action, done](Outcome cleared) {
            if (!cleared.isDone())
                return done(cleared);
            done(forgetDeleted(action.path, ActionTally::none()));
        });
    }
    const Precondition precondition =
        action.remote ? Precondition::mustMatch(action.remote->signature()) : Precondition::none();
    RemoteJob *job =
        RemoteVersionKeeper::remove(m_settings.remoteVersions, m_backend, action, precondition);
    track(job);
    connect(job, &RemoteJob::finished, this, [this, job, action, done] {
        if (!job->succeeded()) {
            const ErrorKind kind = job->error()->kind;
            if (kind == ErrorKind::PreconditionFailed)
                return done(Outcome::redo()); // modified remotely: it will be downloaded
            // Gone already, e.g. a resent DELETE whose first answer was lost: the deletion
            // the user made is in effect, and counts as such.
            if (kind != ErrorKind::NotFound)
                return done(Outcome::failed(*job->error()));
        }
        done(forgetDeleted(action.path, ActionTally::deletedRemotely()));
    });
}

void Propagator::deleteLocal(const SyncAction &action, Done done)
{
    if (!LocalFileOps::unchangedSince(m_settings.localRoot, action.path, action.local))
        return done(Outcome::redo()); // modified locally: it will be uploaded
    if (action.type == ItemType::Directory) {
        if (const Outcome cleared = clearLocalDirectory(action.path); !cleared.isDone())
            return done(cleared);
    } else if (Status kept = VersionKeeper::keepIn(
                   m_settings.versions,
                   // The file itself goes on to the trash, where the user may take it back and
                   // edit it: the version is a copy of its own (a reflink where possible).
                   {action.path, VersionReason::DeletedRemotely, VersionStore::SaveMode::Snapshot});
               !kept) {
        return done(Outcome::failed(kept.error()));
    } else if (Status trashed = LocalFileOps::moveToTrash(m_settings.localRoot, action.path);
               !trashed) {
        return done(Outcome::failed(trashed.error()));
    }
    done(forgetDeleted(action.path, action.type == ItemType::File ? ActionTally::deletedLocally()
                                                                  : ActionTally::none()));
}

// The journal forgets a deleted item and what was below it; a folder's deletion is not
// counted (its files were).
Propagator::Outcome Propagator::forgetDeleted(const QString &path, const ActionTally &tally)
{
    Journal::Transaction transaction(*m_journal);
    if (Status forgotten = m_journal->removeRecordsUnder(path); !forgotten)
        return Outcome::failed(forgotten.error());
    return Outcome::of(commitCounted(transaction, tally));
}

void Propagator::clearRemoteDirectory(const QString &path, Done then)
{
    ListJob *list = m_backend->list(path);
    track(list);
    connect(list, &RemoteJob::finished, this, [this, list, path, then] {
        if (!list->succeeded()) {
            if (list->error()->kind == ErrorKind::NotFound)
                return then(Outcome::done());
            return then(Outcome::failed(*list->error()));
        }
        if (!list->entries().isEmpty())
            return then(Outcome::redo());
        RemoteJob *job = m_backend->remove(path, Precondition::none());
        track(job);
        connect(job, &RemoteJob::finished, this, [job, then] {
            if (!job->succeeded() && job->error()->kind != ErrorKind::NotFound)
                return then(Outcome::failed(*job->error()));
            then(Outcome::done());
        });
    });
}

Propagator::Outcome Propagator::clearLocalDirectory(const QString &path)
{
    const QStringList left =
        QDir(absolute(path))
            .entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System);
    if (!left.isEmpty())
        return Outcome::redo();
    return Outcome::of(LocalFileOps::moveToTrash(m_settings.localRoot, path));
}

} // namespace steadysync
