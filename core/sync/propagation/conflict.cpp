// Propagator: both sides changed (DESIGN §4 "Never lose data"). A folder against a
// file: the folder keeps the name. Two files: the remote version is downloaded and compared;
// only a real difference goes to the pair's policy (conflictpolicies.cpp).
#include "sync/conflictnaming.h"
#include "sync/localfileops.h"
#include "sync/propagation/actiontally.h"
#include "sync/propagator.h"
#include "versions/versionkeeper.h"

#include <QFile>
#include <QFileInfo>

namespace steadysync {

void Propagator::conflict(const SyncAction &action, Done done)
{
    if (action.type == ItemType::Directory)
        return typeConflict(action, done);
    if (action.local && action.local->hashPending)
        return hashLocalThen(
            action, done, [this](const SyncAction &hashed, Done then) { conflict(hashed, then); });
    downloadToTemporary(action.path, *action.remote,
                        [this, action, done](Result<DownloadedVersion> downloaded) {
                            if (!downloaded.ok())
                                return done(outcomeOfFetch(downloaded.error()));
                            resolveConflict(action, *downloaded, done);
                        });
}

void Propagator::typeConflict(const SyncAction &action, Done done)
{
    // The directory keeps the name on both sides; the file moves aside as a conflict copy on
    // its side and travels under that name in the next round.
    const bool localIsDirectory = action.local && action.local->isDir();
    if (localIsDirectory) {
        const QString copy = freeConflictName(action.path, action.remote->mtimeNs);
        RemoteJob *move =
            m_backend->move(action.path, copy, Precondition::mustMatch(action.remote->signature()));
        track(move);
        connect(move, &RemoteJob::finished, this, [this, move, action, copy, done] {
            if (!move->succeeded())
                return done(move->error()->kind == ErrorKind::PreconditionFailed
                                ? Outcome::redo()
                                : Outcome::failed(*move->error()));
            m_redo.append(copy);
            SyncAction directory = action;
            directory.remote.reset();
            makeRemoteDirectory(directory, done);
        });
        return;
    }
    if (!LocalFileOps::unchangedSince(m_settings.localRoot, action.path, action.local))
        return done(Outcome::redo());
    const QString copy = freeConflictName(action.path, action.local->mtimeNs);
    if (Status moved = LocalFileOps::renameNoReplace(absolute(action.path), absolute(copy)); !moved)
        return done(Outcome::failed(moved.error()));
    m_redo.append(copy);
    SyncAction directory = action;
    directory.local.reset();
    makeLocalDirectory(directory, done);
}

void Propagator::resolveConflict(const SyncAction &action, const DownloadedVersion &remote,
                                 Done done)
{
    const LocalEntry local = *action.local;
    if (!LocalFileOps::unchangedSince(m_settings.localRoot, action.path, local)) {
        QFile::remove(remote.temporary);
        return done(Outcome::redo());
    }
    // Same content on both sides: nothing to keep twice.
    if (remote.sha256 == local.sha256) {
        QFile::remove(remote.temporary);
        return done(Outcome::of(
            writeRecord(recordFor(local, remote.entry), ActionTally::skippedUnchanged())));
    }
    if (onlyLocalChanged(action, remote.sha256)) {
        QFile::remove(remote.temporary);
        SyncAction plainUpload = action;
        plainUpload.kind = ActionKind::Upload;
        plainUpload.remote = remote.entry;
        return upload(plainUpload, done);
    }
    keepRemoteTime(remote.temporary, remote.entry);
    switch (m_settings.conflictPolicy) {
    case ConflictPolicy::Ask:
        return resolveByAsking(action, remote, done);
    case ConflictPolicy::KeepBoth:
        return resolveKeepingBoth(action, remote, done);
    case ConflictPolicy::LocalWins:
        return resolveLocalWins(action, remote, done);
    case ConflictPolicy::RemoteWins:
        return resolveRemoteWins(action, remote, done);
    }
}

// The remote still holds the version last synced (only its signature looked new, e.g. a
// server that re-tags unchanged files): only the local side changed, so it goes up. Likewise
// when the remote holds this client's own upload whose answer was lost: the local file only
// moved on from it.
bool Propagator::onlyLocalChanged(const SyncAction &action, const QByteArray &remoteSha) const
{
    const QByteArray sent = m_journal->unconfirmedUpload(action.path);
    const bool remoteIsOwnUpload = !sent.isEmpty() && remoteSha == sent;
    return (action.base && !action.base->sha256.isEmpty() && remoteSha == action.base->sha256) ||
           remoteIsOwnUpload;
}

// The loser stays as a conflict copy that is synced and may be edited, so its version must be
// independent of it: a snapshot (reflink or copy), not a hard link.
Status Propagator::keepConflictLoser(const QString &path, const QString &source,
                                     const QString &origin)
{
    return VersionKeeper::keepIn(
        m_settings.versions,
        {path, VersionReason::Conflict, VersionStore::SaveMode::Snapshot, source, origin});
}

QString Propagator::freeConflictName(const QString &path, qint64 loserMtimeNs)
{
    // Without a known time (a server that gives no readable date) the copy is named by now.
    const qint64 named = loserMtimeNs > 0 ? loserMtimeNs : m_clock->nowMs() * 1'000'000;
    QString name = conflictCopyPath(
        path, named,
        [this](const QString &candidate) {
            return m_reservedNames.contains(candidate) || m_remote.contains(candidate) ||
                   QFileInfo::exists(absolute(candidate)) ||
                   QFileInfo(absolute(candidate)).isSymLink();
        },
        LocalFileOps::maxNameBytes(m_settings.localRoot));
    m_reservedNames.insert(name);
    return name;
}

} // namespace steadysync
