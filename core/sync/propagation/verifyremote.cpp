// Propagator::verifyRemote: a remote file whose recorded signature is not settled (it may hide a
// rewrite within the same second, or an upload the store could not make conditional) is
// compared with the synced content: by the hash a store keeps with the content (one stat, S3),
// else by downloading it; equal confirms the record, different records a remote change for the
// next round.
#include "sync/propagation/actiontally.h"
#include "sync/propagator.h"

#include <QFile>

namespace steadysync {

namespace {

bool localUnchangedSinceRecord(const SyncAction &action)
{
    return action.local && action.local->sha256 == action.base->sha256 &&
           action.base->hasLocalStatOf(*action.local);
}

} // namespace

void Propagator::verifyRemote(const SyncAction &action, Done done)
{
    if (!m_backend->statKnowsContentHash())
        return verifyByDownload(action, std::move(done));
    EntryJob *job = m_backend->stat(action.path);
    track(job);
    connect(job, &RemoteJob::finished, this, [this, job, action, done] {
        // The hash speaks for the listed version only: another version is left to the download.
        if (!job->succeeded() || job->entry().sha256.isEmpty() ||
            job->entry().signature() != action.remote->signature())
            return verifyByDownload(action, done);
        done(recordVerified(action,
                            DownloadedVersion{QString(), job->entry(), job->entry().sha256}));
    });
}

void Propagator::verifyByDownload(const SyncAction &action, Done done)
{
    downloadToTemporary(action.path, *action.remote,
                        [this, action, done](Result<DownloadedVersion> downloaded) {
                            if (!downloaded.ok())
                                return done(outcomeOfFetch(downloaded.error()));
                            QFile::remove(downloaded->temporary);
                            done(recordVerified(action, *downloaded));
                        });
}

Propagator::Outcome Propagator::recordVerified(const SyncAction &action,
                                               const DownloadedVersion &downloaded)
{
    bool again = false;
    JournalRecord record = *action.base;
    record.remoteSize = downloaded.entry.size;
    record.remoteMtimeNs = downloaded.entry.mtimeNs;
    record.remoteId = downloaded.entry.fileId;
    if (downloaded.sha256 != action.base->sha256) {
        // Rewritten in the same second: now a plain remote change, decided next round (the
        // record keeps its RemoteCheck: an unproven upload of ours stays unconfirmed).
        record.remoteSignature.clear();
        record.remoteRewritten = true;
        again = true;
    } else {
        record.remoteSignature = downloaded.entry.signature();
        record.remoteCheck = remoteCheckOf(downloaded.entry, m_clock->nowMs());
        // A local change or delete waits for no one: the content was just confirmed.
        if (!localUnchangedSinceRecord(action))
            record.remoteCheck = RemoteCheck::Settled;
        again = record.remoteCheck == RemoteCheck::Settled;
        // A deleted file's folder may be deleted too: that is decided one level up.
        if (!action.local && again)
            m_redo.append(parentPath(action.path));
    }
    if (Status written = writeRecord(record, ActionTally::none()); !written)
        return Outcome::failed(written.error());
    return again ? Outcome::redo() : Outcome::done();
}

} // namespace steadysync
