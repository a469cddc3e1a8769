#include "sync/rootidentity.h"

#include "fs/reservednames.h"
#include "journal/journal.h"
#include "sync/localfileops.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QSaveFile>
#include <QTemporaryFile>

#include <optional>

#include <sys/stat.h>

namespace steadysync {

namespace {

const QString PairIdKey = QStringLiteral("pair_id");
const QString RootDeviceKey = QStringLiteral("local_root_device");
const QString RootInodeKey = QStringLiteral("local_root_inode");
const QString RemoteMarkerKey = QStringLiteral("remote_marker");
const QString ClientIdKey = QStringLiteral("client_id");
// How many tracked files an upgrade looks at to tell whether the journal was used here.
constexpr int UpgradeSampleSize = 100;

struct DirectoryId
{
    quint64 device = 0;
    quint64 inode = 0;
};

std::optional<DirectoryId> directoryId(const QString &path)
{
    struct stat info;
    if (::stat(QFile::encodeName(path).constData(), &info) != 0 || !S_ISDIR(info.st_mode))
        return std::nullopt;
    return DirectoryId{quint64(info.st_dev), quint64(info.st_ino)};
}

QString newId()
{
    QRandomGenerator *random = QRandomGenerator::system();
    return QStringLiteral("%1%2")
        .arg(random->generate64(), 16, 16, QLatin1Char('0'))
        .arg(random->generate64(), 16, 16, QLatin1Char('0'));
}

// The id in a small file, empty when the file is missing, unreadable or holds no id.
QString readId(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromLatin1(file.read(128)).trimmed();
}

Status writeId(const QString &path, const QString &id)
{
    QDir().mkpath(QFileInfo(path).path());
    QSaveFile file(path); // written whole or not at all
    if (!file.open(QIODevice::WriteOnly) || file.write(id.toLatin1() + '\n') < 0 || !file.commit())
        return makeError(ErrorKind::Permanent,
                         QCoreApplication::translate("RootIdentity", "cannot write %1: %2")
                             .arg(path, file.errorString()));
    return success();
}

// The marker of a remote root, made or adopted: two clients setting up a pair on one remote
// at the same moment must end with the same id, so the marker is created whole under a
// temporary name and renamed into place only where no marker is yet.
Result<QString> makeOrAdoptMarker(const QString &marker)
{
    QDir().mkpath(QFileInfo(marker).path());
    QTemporaryFile draft(marker + QStringLiteral(".XXXXXX"));
    const QString id = newId();
    if (!draft.open() || draft.write(id.toLatin1() + '\n') < 0 || !draft.flush())
        return makeError(ErrorKind::Permanent, draft.errorString());
    const Status placed = LocalFileOps::renameNoReplace(draft.fileName(), marker);
    if (placed.ok()) {
        draft.setAutoRemove(false);
        return id;
    }
    if (placed.error().kind != ErrorKind::PreconditionFailed)
        return placed.error();
    const QString existing = readId(marker); // another client was first
    if (existing.isEmpty())
        return makeError(ErrorKind::Transient, marker + QStringLiteral(": being written"));
    return existing;
}

// A journal written before pair ids existed was used in this folder when its tracked files are
// here with the inodes it recorded: a copy of it (or a restored one) names inodes of elsewhere.
bool recordedInodesFit(const QString &localRoot, const Journal &journal)
{
    int tested = 0;
    for (const JournalRecord &record : journal.records()) {
        if (record.isDir() || record.localInode == 0)
            continue;
        struct stat info;
        const QByteArray path = QFile::encodeName(localRoot + QLatin1Char('/') + record.path);
        if (::lstat(path.constData(), &info) == 0 && quint64(info.st_ino) == record.localInode)
            return true;
        if (++tested >= UpgradeSampleSize)
            break;
    }
    return tested == 0;
}

// Whether a file:// remote without a marker holds any of the files the journal tracks (up to
// UpgradeSampleSize of them are looked for); true when the journal tracks none.
bool holdsRecordedFiles(const QString &remoteDirectory, const Journal &journal)
{
    int tested = 0;
    for (const JournalRecord &record : journal.records()) {
        if (record.isDir())
            continue;
        if (QFileInfo::exists(remoteDirectory + QLatin1Char('/') + record.path))
            return true;
        if (++tested >= UpgradeSampleSize)
            break;
    }
    return tested == 0;
}

// Why the journal does not belong to the root, or an empty string when it does.
QString foreignReason(const QString &localRoot, const Journal &journal, const QString &fileId,
                      const DirectoryId &root)
{
    const QString journalId = journal.setting(PairIdKey);
    if (journalId.isEmpty()) {
        if (journal.trackedFileCount() == 0 || recordedInodesFit(localRoot, journal))
            return {}; // a new pair, or a journal from before pair ids used here: adopted
        return QCoreApplication::translate(
            "RootIdentity", "the journal has no pair id and none of its files is in this folder");
    }
    if (fileId.isEmpty())
        return QCoreApplication::translate(
            "RootIdentity",
            "the folder has no pair id (.steadysync/pair-id), so the journal was copied "
            "or restored into it");
    if (fileId != journalId)
        return QCoreApplication::translate("RootIdentity",
                                           "the journal's pair id is not the folder's");
    // The device alone may change when a disk is attached again; the inode stays. A root
    // directory made anew with the very files moved into it still holds what the journal
    // recorded; a copy or a restore of the folder does not.
    if (QString::number(root.inode) != journal.setting(RootInodeKey) &&
        !recordedInodesFit(localRoot, journal))
        return QCoreApplication::translate("RootIdentity",
                                           "the folder is not the one the journal was used in "
                                           "(another inode): copied or restored with its "
                                           ".steadysync/");
    return {};
}

} // namespace

QString RootIdentity::pairIdPath(const QString &localRoot)
{
    return ReservedNames::statePath(localRoot, QStringLiteral("pair-id"));
}

QString RootIdentity::remoteMarkerPath(const QString &remoteDirectory)
{
    return ReservedNames::statePath(remoteDirectory, QStringLiteral("folder-id"));
}

Result<RootIdentity> RootIdentity::establish(const QString &localRoot, const QUrl &remoteUrl,
                                             Journal &journal)
{
    const std::optional<DirectoryId> root = directoryId(localRoot);
    if (!root)
        return makeError(ErrorKind::Permanent,
                         QCoreApplication::translate("RootIdentity",
                                                     "the local folder %1 is missing or unreadable")
                             .arg(localRoot));
    RootIdentity identity;
    identity.m_localRoot = localRoot;
    if (remoteUrl.isLocalFile())
        identity.m_remoteDirectory = remoteUrl.toLocalFile();
    const QString fileId = readId(pairIdPath(localRoot));
    const QString journalId = journal.setting(PairIdKey);
    identity.m_foreignReason = foreignReason(localRoot, journal, fileId, *root);
    if (!identity.m_foreignReason.isEmpty()) {
        // History first: a crash before the new id is stored finds the mismatch again.
        if (Status forgotten = journal.forgetSyncHistory(); !forgotten)
            return forgotten.error();
        // The sibling's temporaries on the remote carry its client id: never ours to remove.
        if (Status cleared = journal.setSetting(ClientIdKey, QString()); !cleared)
            return cleared.error();
        identity.m_pairId = newId(); // a copied folder must not share its origin's id
    } else {
        identity.m_pairId = !journalId.isEmpty() ? journalId : !fileId.isEmpty() ? fileId : newId();
    }
    if (fileId != identity.m_pairId) {
        if (Status written = writeId(pairIdPath(localRoot), identity.m_pairId); !written)
            return written.error();
    }
    identity.m_device = root->device;
    identity.m_inode = root->inode;
    // Written only when changed: a pair that is what it was writes nothing, so it starts on a
    // full disk as before.
    const QList<std::pair<QString, QString>> settings{
        {PairIdKey, identity.m_pairId},
        {RootDeviceKey, QString::number(root->device)},
        {RootInodeKey, QString::number(root->inode)}};
    for (const auto &[key, value] : settings) {
        if (journal.setting(key) == value)
            continue;
        if (Status stored = journal.setSetting(key, value); !stored)
            return stored.error();
    }
    return identity;
}

Status RootIdentity::checkLocal() const
{
    const std::optional<DirectoryId> root = directoryId(m_localRoot);
    if (!root)
        return makeError(
            ErrorKind::Permanent,
            QCoreApplication::translate(
                "RootIdentity", "the local folder %1 is missing or unreadable; nothing is deleted")
                .arg(m_localRoot));
    if (root->device != m_device || root->inode != m_inode)
        return makeError(ErrorKind::Permanent,
                         QCoreApplication::translate(
                             "RootIdentity",
                             "the local folder %1 is not the folder this pair syncs any more "
                             "(replaced or unmounted: its device or inode changed); nothing is "
                             "deleted")
                             .arg(m_localRoot));
    if (readId(pairIdPath(m_localRoot)) != m_pairId)
        return makeError(ErrorKind::Permanent,
                         QCoreApplication::translate(
                             "RootIdentity",
                             "the local folder %1 lost its pair id (.steadysync/ removed or "
                             "replaced); nothing is deleted")
                             .arg(m_localRoot));
    return success();
}

Status RootIdentity::checkRemote(Journal &journal) const
{
    if (m_remoteDirectory.isEmpty())
        return success();
    const QString marker = remoteMarkerPath(m_remoteDirectory);
    const QString recorded = journal.setting(RemoteMarkerKey);
    const QString present = readId(marker);
    if (recorded.isEmpty()) {
        // A new pair, or a journal from before markers: the remote root is adopted where it
        // holds what the journal says was synced; a bare mount point at the upgrade is not.
        if (present.isEmpty() && !holdsRecordedFiles(m_remoteDirectory, journal))
            return makeError(ErrorKind::RootMissing,
                             QCoreApplication::translate(
                                 "RootIdentity",
                                 "the remote folder %1 has no marker and none of the files this "
                                 "pair synced (unmounted?); nothing is deleted")
                                 .arg(m_remoteDirectory));
        // A remote that cannot take the marker (read-only) goes on unprotected; asked again
        // next cycle.
        const Result<QString> id = present.isEmpty() ? makeOrAdoptMarker(marker) : present;
        if (!id.ok())
            return success();
        [[maybe_unused]] const Status stored = journal.setSetting(RemoteMarkerKey, *id);
        return success();
    }
    if (present.isEmpty())
        return makeError(ErrorKind::RootMissing,
                         QCoreApplication::translate(
                             "RootIdentity",
                             "the remote folder %1 lost its marker %2 (unmounted or replaced); "
                             "nothing is deleted")
                             .arg(m_remoteDirectory, marker));
    if (present != recorded)
        return makeError(ErrorKind::RootMissing,
                         QCoreApplication::translate(
                             "RootIdentity",
                             "the remote folder %1 is another folder than this pair synced (its "
                             "marker %2 differs); nothing is deleted")
                             .arg(m_remoteDirectory, marker));
    return success();
}

} // namespace steadysync
