// Propagator: uploads (DESIGN §4 "Uploads must not overwrite a remote change made meanwhile").
// A file is sent only as the plan saw it, with the remote precondition the plan compared; one
// that changed since, before or during the transfer, is looked at again.
#include "sync/localfileops.h"
#include "sync/propagation/actiontally.h"
#include "sync/propagator.h"
#include "versions/remoteversionkeeper.h"

namespace steadysync {

void Propagator::upload(const SyncAction &action, Done done)
{
    if (action.remote && action.remote->isDir()) {
        // A directory that became a file here: the (now empty) remote directory makes way.
        SyncAction replacing = action;
        replacing.remote.reset();
        return clearRemoteDirectory(action.path, [this, replacing, done](Outcome cleared) {
            if (!cleared.isDone())
                return done(cleared);
            upload(replacing, done);
        });
    }
    const LocalEntry local = *action.local;
    // A file that moved under us since the scan is looked at again, never sent half-written.
    if (!LocalFileOps::unchangedSince(m_settings.localRoot, action.path, local))
        return done(Outcome::redo());
    // A pending hash is taken by the upload itself where the backend can (one read of the
    // file instead of two), else first.
    if (local.hashPending && !m_backend->hashesSentBytes())
        return hashLocalThen(action, done,
                             [this](const SyncAction &hashed, Done then) { upload(hashed, then); });
    if (RemoteJob *keeping =
            RemoteVersionKeeper::keepBeforeUpload(m_settings.remoteVersions, action))
        return uploadOnceKept(keeping, action, done);
    const Precondition precondition = action.remote
                                          ? Precondition::mustMatch(action.remote->signature())
                                          : Precondition::mustNotExist();
    uploadFile(local, action.path, precondition,
               [this, action, done, local](Result<RemoteEntry> result, QByteArray sentSha256) {
                   LocalEntry uploaded = local;
                   if (uploaded.hashPending) {
                       uploaded.sha256 = sentSha256;
                       uploaded.hashPending = false;
                   }
                   done(recordUpload(action, local, uploaded, result));
               });
}

Propagator::Outcome Propagator::recordUpload(const SyncAction &action, const LocalEntry &planned,
                                             const LocalEntry &uploaded,
                                             const Result<RemoteEntry> &result)
{
    if (!result.ok()) {
        const ErrorKind kind = result.error().kind;
        if (kind == ErrorKind::PreconditionFailed || kind == ErrorKind::ParentMissing ||
            kind == ErrorKind::NotFound)
            return Outcome::redo();
        // It may have arrived all the same (a lost answer): remember what it was. Unremembered,
        // a later listing of that content is a conflict to compare, never a loss.
        if (!uploaded.sha256.isEmpty()) {
            if (Status noted = m_journal->putUnconfirmedUpload(action.path, uploaded.sha256);
                !noted)
                qWarning("%s", qPrintable(noted.error().message));
        }
        return Outcome::failed(result.error());
    }
    // Without the hash, the record could not tell a later change: look again.
    if (uploaded.sha256.isEmpty())
        return Outcome::redo();
    if (Status written =
            writeRecord(recordFor(uploaded, *result), ActionTally::uploaded(uploaded.size));
        !written)
        return Outcome::failed(written.error());
    // Changed while uploading: the record keeps the old state, so it goes up again.
    if (!LocalFileOps::unchangedSince(m_settings.localRoot, action.path, planned))
        return Outcome::redo();
    return Outcome::done();
}

void Propagator::uploadFile(const LocalEntry &local, const QString &path,
                            const Precondition &precondition,
                            std::function<void(Result<RemoteEntry>, QByteArray)> done)
{
    const UploadHashing hashing =
        local.hashPending ? UploadHashing::SentBytes : UploadHashing::None;
    // Recorded before the upload writes it, so the next cycle removes it after a kill.
    const QString temporary = m_backend->temporaryPathFor(path, precondition);
    if (!temporary.isEmpty()) {
        if (Status recorded = m_journal->putRemoteTemporary(temporary); !recorded)
            return done(recorded.error(), QByteArray());
    }
    EntryJob *job = m_backend->upload(absolute(local.path), path, local.mtimeNs, precondition,
                                      hashing, local.hashPending ? QByteArray() : local.sha256);
    track(job);
    reportTransferProgress(job, path, true, local.size);
    connect(job, &RemoteJob::finished, this, [this, job, temporary, path, done = std::move(done)] {
        // The job published or removed it; a row that cannot go now is swept next cycle.
        if (!temporary.isEmpty()) [[maybe_unused]]
            const Status forgotten = m_journal->removeRemoteTemporary(temporary);
        if (!job->succeeded()) {
            done(*job->error(), job->sentSha256());
            return;
        }
        m_report.bytesUp += job->bytesTransferred();
        RemoteEntry entry = job->entry();
        // Possibly another client's version (DESIGN §4 "Two writers"): its record then asks for
        // the content to be compared before it is trusted (RemoteEntry::signature() is the tag),
        // at once in this run, while no other client can have seen this version and edited it.
        if (job->writeUnproven()) {
            entry.writeUnproven = true;
            m_redo.append(path);
            // Checked a moment later, in the redo round (see pump()): another client's PUT that
            // raced ours has landed by then. Meanwhile the next uploads go ahead.
            m_unprovenSettled = QDeadlineTimer(m_settings.unprovenSettleMs);
        }
        done(entry, job->sentSha256());
    });
}

void Propagator::hashLocalThen(const SyncAction &action, Done done,
                               std::function<void(const SyncAction &, Done)> then)
{
    hashAsync(absolute(action.path), [this, action, done, then](Result<QByteArray> hash) {
        if (!hash.ok())
            return done(hash.error().kind == ErrorKind::NotFound ? Outcome::redo()
                                                                 : Outcome::failed(hash.error()));
        SyncAction hashed = action;
        hashed.local->sha256 = *hash;
        hashed.local->hashPending = false;
        if (!LocalFileOps::unchangedSince(m_settings.localRoot, action.path, *hashed.local))
            return done(Outcome::redo());
        then(hashed, done);
    });
}

} // namespace steadysync
