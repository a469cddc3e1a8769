// Propagator: folders made on one side are made on the other. A file in the way gives way only
// as the plan saw it (its content is kept: in the journal's version remotely, as a version and
// in the trash locally); one that appeared meanwhile makes the path be looked at again.
#include "local/scanner.h"
#include "sync/localfileops.h"
#include "sync/propagation/actiontally.h"
#include "sync/propagator.h"
#include "versions/versionkeeper.h"

#include <QDir>
#include <QFileInfo>

namespace steadysync {

void Propagator::makeRemoteDirectory(const SyncAction &action, Done done)
{
    if (action.remote && !action.remote->isDir()) {
        // The recorded remote file gives way to the directory made here (it is unchanged
        // since the last sync, so its content still exists locally in the journal's version).
        RemoteJob *job =
            m_backend->remove(action.path, Precondition::mustMatch(action.remote->signature()));
        track(job);
        SyncAction replacing = action;
        replacing.remote.reset();
        connect(job, &RemoteJob::finished, this, [this, job, replacing, done] {
            if (!job->succeeded()) {
                const ErrorKind kind = job->error()->kind;
                if (kind == ErrorKind::PreconditionFailed)
                    return done(Outcome::redo());
                if (kind != ErrorKind::NotFound)
                    return done(Outcome::failed(*job->error()));
            }
            makeRemoteDirectory(replacing, done);
        });
        return;
    }
    EntryJob *job = m_backend->makeDirectory(action.path);
    track(job);
    connect(job, &RemoteJob::finished, this, [this, job, action, done] {
        if (!job->succeeded()) {
            const ErrorKind kind = job->error()->kind;
            if (kind == ErrorKind::ParentMissing || kind == ErrorKind::PreconditionFailed)
                return done(Outcome::redo());
            return done(Outcome::failed(*job->error()));
        }
        LocalEntry fallback;
        fallback.path = action.path;
        fallback.type = ItemType::Directory;
        const LocalEntry local = action.local.value_or(fallback);
        done(Outcome::of(writeRecord(recordFor(local, job->entry()), ActionTally::none())));
    });
}

void Propagator::makeLocalDirectory(const SyncAction &action, Done done)
{
    if (action.local && !action.local->isDir()) {
        if (!LocalFileOps::unchangedSince(m_settings.localRoot, action.path, action.local))
            return done(Outcome::redo());
        if (Status kept =
                VersionKeeper::keepIn(m_settings.versions, {action.path, VersionReason::Overwritten,
                                                            VersionStore::SaveMode::Snapshot});
            !kept)
            return done(Outcome::failed(kept.error()));
        if (Status trashed = LocalFileOps::moveToTrash(m_settings.localRoot, action.path); !trashed)
            return done(Outcome::failed(trashed.error()));
        SyncAction replacing = action;
        replacing.local.reset();
        return makeLocalDirectory(replacing, done);
    }
    const QString target = absolute(action.path);
    const QFileInfo existing(target);
    if (existing.exists() && !existing.isDir())
        return done(Outcome::redo());
    if (!QDir().mkpath(target))
        return done(Outcome::failed(
            makeError(ErrorKind::Permanent, tr("%1: cannot create the folder").arg(action.path))));
    const std::optional<LocalEntry> local = Scanner::stat(m_settings.localRoot, action.path);
    if (!local)
        return done(Outcome::redo());
    done(Outcome::of(writeRecord(recordFor(*local, *action.remote), ActionTally::none())));
}

} // namespace steadysync
