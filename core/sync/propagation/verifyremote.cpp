// Propagator::verifyRemote: a remote file whose recorded signature is unsettled (it may hide a
// rewrite within the same second) is downloaded and compared with the synced content; equal
// confirms the record, different records a remote change for the next round.
#include "sync/propagation/actiontally.h"
#include "sync/propagator.h"

#include <QFile>

namespace steadysync {

namespace {

// Recorded for a remote file found rewritten by VerifyRemote: matches no listing, so the next
// round sees a remote change.
const QByteArray changedRemoteSignature("~changed-since-verified");

bool localUnchangedSinceRecord(const SyncAction &action)
{
    return action.local && action.local->sha256 == action.base->sha256 &&
           action.local->size == action.base->localSize &&
           action.local->mtimeNs == action.base->localMtimeNs &&
           action.local->inode == action.base->localInode;
}

} // namespace

void Propagator::verifyRemote(const SyncAction &action, Done done)
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
        // Rewritten in the same second: now a plain remote change, decided next round.
        record.remoteSignature = signatureOfRewrittenRemote(*action.base, changedRemoteSignature);
        again = true;
    } else {
        record.remoteSignature = recordedSignature(downloaded.entry, m_clock->nowMs());
        // A local change or delete waits for no one: the content was just confirmed.
        if (!localUnchangedSinceRecord(action))
            record.remoteSignature = settledSignature(record.remoteSignature);
        again = !isUnsettledSignature(record.remoteSignature);
        // A deleted file's folder may be deleted too: that is decided one level up.
        if (!action.local && again)
            m_redo.append(parentPath(action.path));
    }
    if (Status written = writeRecord(record, ActionTally::none()); !written)
        return Outcome::failed(written.error());
    return again ? Outcome::redo() : Outcome::done();
}

} // namespace steadysync
