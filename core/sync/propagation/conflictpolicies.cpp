// Propagator: a real conflict resolved by the pair's policy, one function per policy
// (DESIGN §4 conflict policies). Whatever the policy, both versions stay: the
// loser as a conflict copy that is synced too, and as a version (VersionKeeper).
#include "local/scanner.h"
#include "sync/localfileops.h"
#include "sync/propagation/actiontally.h"
#include "sync/propagator.h"

#include <QFile>

namespace steadysync {

// Ask: the remote version waits beside the local one as a conflict copy, and the user decides.
void Propagator::resolveByAsking(const SyncAction &action, const DownloadedVersion &remote,
                                 Done done)
{
    const QString copy = freeConflictName(action.path, remote.entry.mtimeNs);
    if (Status placed = LocalFileOps::renameNoReplace(remote.temporary, absolute(copy)); !placed) {
        QFile::remove(remote.temporary);
        return done(Outcome::failed(placed.error()));
    }
    ConflictRecord record{action.path, action.path, copy, m_clock->nowMs(),
                          remote.entry.signature()};
    Journal::Transaction transaction(*m_journal);
    if (Status put = m_journal->putConflict(record); !put)
        return done(Outcome::failed(put.error()));
    if (Status committed = commitCounted(transaction, ActionTally::conflict()); !committed)
        return done(Outcome::failed(committed.error()));
    Q_EMIT conflictOpened(action.path, copy);
    done(Outcome::done());
}

// Keep both: the newer version keeps the name. An empty remote file never takes the name from
// a real edit (an empty resource a LOCK left behind, DESIGN §4 "Two writers"); it is still kept
// as the conflict copy.
void Propagator::resolveKeepingBoth(const SyncAction &action, const DownloadedVersion &remote,
                                    Done done)
{
    const LocalEntry &local = *action.local;
    const bool localIsNewer =
        local.mtimeNs >= remote.entry.mtimeNs || (remote.entry.size == 0 && local.size > 0);
    if (localIsNewer)
        return resolveLocalWins(action, remote, done);
    resolveRemoteWins(action, remote, done);
}

// Local wins: the remote version becomes the conflict copy, locally first (safe on disk), then
// it goes up under that name and the local version goes up under the name.
void Propagator::resolveLocalWins(const SyncAction &action, const DownloadedVersion &remote,
                                  Done done)
{
    const LocalEntry local = *action.local;
    const QString copy = freeConflictName(action.path, remote.entry.mtimeNs);
    if (Status kept = keepConflictLoser(action.path, remote.temporary, QStringLiteral("remote"));
        !kept) {
        QFile::remove(remote.temporary);
        return done(Outcome::failed(kept.error()));
    }
    if (Status placed = LocalFileOps::renameNoReplace(remote.temporary, absolute(copy)); !placed) {
        QFile::remove(remote.temporary);
        return done(Outcome::failed(placed.error()));
    }
    // The journal now says: the remote version is merged in; the local one is newer. The
    // local stat stays out of the record: matching it would let the scanner take the remote
    // hash for the local file, and a failed upload below would then never be retried.
    JournalRecord merged = recordFor(local, remote.entry);
    merged.sha256 = remote.sha256;
    merged.localStatKnown = false;
    merged.localSize = 0;
    merged.localMtimeNs = 0;
    merged.localInode = 0;
    merged.localCtimeNs = 0;
    if (Status written = writeRecord(merged, ActionTally::conflict()); !written)
        return done(Outcome::failed(written.error()));
    std::optional<LocalEntry> copyEntry = Scanner::stat(m_settings.localRoot, copy);
    if (!copyEntry)
        return done(Outcome::redo());
    copyEntry->sha256 = remote.sha256;
    const RemoteEntry replaced = remote.entry;
    uploadFile(*copyEntry, copy, Precondition::mustNotExist(),
               [this, action, local, replaced, copyEntry, done](Result<RemoteEntry> copyUploaded,
                                                                QByteArray) {
                   if (copyUploaded.ok()) [[maybe_unused]]
                       const Status recorded =
                           writeRecord(recordFor(*copyEntry, *copyUploaded), ActionTally::none());
                   uploadWinner(action, local, replaced, done);
               });
}

// The local version goes up over the remote one it beat, only if that is still there.
void Propagator::uploadWinner(const SyncAction &action, const LocalEntry &local,
                              const RemoteEntry &replaced, Done done)
{
    uploadFile(local, action.path, Precondition::mustMatch(replaced.signature()),
               [this, local, done](Result<RemoteEntry> uploaded, QByteArray) {
                   if (!uploaded.ok()) {
                       if (uploaded.error().kind == ErrorKind::PreconditionFailed)
                           return done(Outcome::redo());
                       return done(Outcome::failed(uploaded.error()));
                   }
                   done(Outcome::of(writeRecord(recordFor(local, *uploaded),
                                                ActionTally::uploaded(local.size))));
               });
}

// Remote wins: the local version moves aside as the conflict copy and goes up under that name;
// the remote version takes the name locally.
void Propagator::resolveRemoteWins(const SyncAction &action, const DownloadedVersion &remote,
                                   Done done)
{
    const LocalEntry &local = *action.local;
    const QString copy = freeConflictName(action.path, local.mtimeNs);
    if (Status placed = placeRemoteWinner(action.path, copy, remote.temporary); !placed) {
        QFile::remove(remote.temporary);
        return done(Outcome::failed(placed.error()));
    }
    std::optional<LocalEntry> winner = Scanner::stat(m_settings.localRoot, action.path);
    if (!winner)
        return done(Outcome::redo());
    winner->sha256 = remote.sha256;
    ActionTally tally = ActionTally::conflict();
    tally += ActionTally::downloaded(remote.entry.size);
    if (Status written = writeRecord(recordFor(*winner, remote.entry), tally); !written)
        return done(Outcome::failed(written.error()));
    std::optional<LocalEntry> copyEntry = Scanner::stat(m_settings.localRoot, copy);
    if (!copyEntry)
        return done(Outcome::redo());
    copyEntry->sha256 = local.sha256;
    uploadFile(
        *copyEntry, copy, Precondition::mustNotExist(),
        [this, copyEntry, done](Result<RemoteEntry> uploaded, QByteArray) {
            if (!uploaded.ok())
                return done(Outcome::redo()); // the copy is safe locally; next cycle uploads it
            done(Outcome::of(writeRecord(recordFor(*copyEntry, *uploaded),
                                         ActionTally::conflictCopyUploaded(copyEntry->size))));
        });
}

// The local version is kept and moved aside to copy; the downloaded one takes path.
Status Propagator::placeRemoteWinner(const QString &path, const QString &copy,
                                     const QString &temporary)
{
    if (Status kept = keepConflictLoser(path, path, QStringLiteral("local")); !kept)
        return kept;
    if (Status moved = LocalFileOps::renameNoReplace(absolute(path), absolute(copy)); !moved)
        return moved;
    return LocalFileOps::renameNoReplace(temporary, absolute(path));
}

} // namespace steadysync
