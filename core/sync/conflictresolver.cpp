#include "sync/conflictresolver.h"

#include "fs/hasher.h"
#include "local/scanner.h"
#include "sync/localfileops.h"
#include "versions/versionkeeper.h"

#include <QPointer>
#include <QThreadPool>

#include <utility>

namespace steadysync {

ConflictResolver::ConflictResolver(QString localRoot, Journal &journal, VersionKeeper &versions,
                                   QObject *parent)
    : QObject(parent), m_localRoot(std::move(localRoot)), m_journal(journal), m_versions(versions)
{}

void ConflictResolver::resolve(const QString &path, ConflictChoice choice)
{
    const std::optional<ConflictRecord> conflict = m_journal.conflict(path);
    if (!conflict)
        return Q_EMIT failed(path, tr("%1 has no open conflict").arg(path));

    // Each choice leaves the files in place and a journal record from which the next cycle
    // derives the transfer, with the usual safety checks: the record knows the remote
    // version that was saved as the copy, so a newer remote version still shows as a change.
    // A failed read must not pass for "never synced": the record would lose what it knows.
    const Result<std::optional<JournalRecord>> recorded = m_journal.readRecord(conflict->path);
    if (!recorded)
        return Q_EMIT failed(path, recorded.error().message);
    JournalRecord record = recorded->value_or(JournalRecord{});
    record.path = conflict->path;
    record.type = ItemType::File;
    record.remoteSignature = conflict->remoteSignature;
    record.remoteCheck = RemoteCheck::Settled;
    record.remoteRewritten = false;
    record.resolution = LocalResolution::None;

    if (choice == ConflictChoice::KeepRemote)
        return keepRemote(*conflict, record);
    if (choice == ConflictChoice::KeepLocal) {
        if (Status trashed = trashRemoteCopy(*conflict); !trashed)
            return Q_EMIT failed(path, trashed.error().message);
    }
    // The local version differs from what the record says was synced: it goes up, on the
    // condition that the remote still holds the version the user saw.
    record.resolution = LocalResolution::KeepLocal;
    complete(*conflict, record);
}

void ConflictResolver::keepRemote(const ConflictRecord &conflict, JournalRecord record)
{
    const QString root = m_localRoot;
    const QString path = conflict.path;
    if (!Scanner::stat(root, conflict.remoteCopy))
        return Q_EMIT failed(path, tr("the conflict copy %1 is gone").arg(conflict.remoteCopy));
    // Snapshots, not links: the file goes on to the trash, where the user may edit it.
    if (Status kept = m_versions.keep(
            {conflict.path, VersionReason::Conflict, VersionStore::SaveMode::Snapshot});
        !kept)
        return Q_EMIT failed(path, kept.error().message);
    if (Status trashed = LocalFileOps::moveToTrash(root, conflict.path); !trashed)
        return Q_EMIT failed(path, trashed.error().message);
    if (Status renamed = LocalFileOps::renameNoReplace(
            root + QLatin1Char('/') + conflict.remoteCopy, root + QLatin1Char('/') + conflict.path);
        !renamed)
        return Q_EMIT failed(path, renamed.error().message);
    const std::optional<LocalEntry> placed = Scanner::stat(root, conflict.path);
    if (!placed)
        return Q_EMIT failed(path, tr("%1 vanished while resolving").arg(conflict.path));
    record.localStatKnown = true;
    record.localSize = placed->size;
    record.localMtimeNs = placed->mtimeNs;
    record.localInode = placed->inode;
    record.localCtimeNs = placed->ctimeNs;
    const QString absolute = root + QLatin1Char('/') + conflict.path;
    QPointer<ConflictResolver> self(this);
    QThreadPool::globalInstance()->start([self, absolute, record, path, conflict] {
        Result<QByteArray> hash = Hasher::sha256OfFile(absolute);
        QMetaObject::invokeMethod(
            self,
            [self, hash, record, path, conflict]() mutable {
                if (!self)
                    return;
                if (!hash.ok())
                    return Q_EMIT self->failed(path, hash.error().message);
                record.sha256 = *hash;
                self->complete(conflict, record);
            },
            Qt::QueuedConnection);
    });
}

Status ConflictResolver::trashRemoteCopy(const ConflictRecord &conflict)
{
    if (Status kept = m_versions.keep({conflict.path, VersionReason::Conflict,
                                       VersionStore::SaveMode::Snapshot, conflict.remoteCopy,
                                       QStringLiteral("remote")});
        !kept)
        return kept;
    return LocalFileOps::moveToTrash(m_localRoot, conflict.remoteCopy);
}

void ConflictResolver::complete(const ConflictRecord &conflict, const JournalRecord &record)
{
    Journal::Transaction transaction(m_journal);
    Status written = m_journal.putRecord(record);
    if (written)
        written = m_journal.removeConflict(conflict.path);
    if (!written)
        return Q_EMIT failed(conflict.path, written.error().message);
    if (Status committed = transaction.commit(); !committed)
        return Q_EMIT failed(conflict.path, committed.error().message);
    Q_EMIT resolved(conflict.path, {conflict.path, conflict.remoteCopy});
}

} // namespace steadysync
