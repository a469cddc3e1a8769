#include "selectcommand.h"

#include "clioutput.h"
#include "progressline.h"

#include "journal/journal.h"
#include "sync/folderselection.h"
#include "sync/pairlock.h"
#include "sync/unselectedfolder.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace steadysync::cli {

namespace {

int failWith(const QString &message)
{
    printLine(stderr, QStringLiteral("steadysync-cli: %1").arg(message));
    return UsageError;
}

int list(const Journal &journal, bool json)
{
    const QStringList excluded = FolderSelection::excludedFolders(journal);
    if (json) {
        const QJsonObject object{
            {QStringLiteral("excluded"), QJsonArray::fromStringList(excluded)},
            {QStringLiteral("held_back"),
             QJsonArray::fromStringList(FolderSelection::heldBackFolders(journal))}};
        printLine(stdout, QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact)));
        return InSync;
    }
    for (const QString &folder : excluded)
        printLine(stdout, QStringLiteral("excluded\t%1").arg(folder));
    for (const QString &folder : FolderSelection::heldBackFolders(journal))
        printLine(stdout, QStringLiteral("held back\t%1").arg(folder));
    return InSync;
}

// The local copy of each newly excluded folder goes to the trash, except what the server may
// not have (kept, and said); exit 1 when anything was kept or could not be moved.
int removeLocalCopies(const QString &localRoot, Journal &journal, const QStringList &folders)
{
    int exitCode = InSync;
    for (const QString &folder : folders) {
        if (!QFileInfo(localRoot + QLatin1Char('/') + folder).isDir())
            continue;
        const LocalCopyRemoval removal = removeLocalCopy(localRoot, journal, folder);
        printLine(stderr, QStringLiteral("%1: %2 file(s), %3, moved to the trash here; the server "
                                         "keeps them")
                              .arg(folder)
                              .arg(removal.trashed)
                              .arg(ProgressLine::formatBytes(removal.trashedBytes)));
        for (const QString &path : removal.kept)
            printLine(stderr, QStringLiteral("kept %1: not synced as it is now, so it stays here "
                                             "(it is not uploaded while its folder is excluded)")
                                  .arg(path));
        for (const QString &error : removal.errors)
            printLine(stderr, QStringLiteral("failed %1").arg(error));
        if (!removal.kept.isEmpty() || !removal.errors.isEmpty())
            exitCode = Incomplete;
    }
    return exitCode;
}

// Included folders are taken as they are, however large, and are held back no more.
int acceptNewFolders(Journal &journal, const QStringList &folders)
{
    QStringList held = FolderSelection::heldBackFolders(journal);
    for (const QString &folder : folders)
        held.removeAll(folder);
    if (Status saved = FolderSelection::setAcceptedFolders(
            journal, FolderSelection::acceptedFolders(journal) + folders);
        !saved)
        return failWith(saved.error().message);
    if (Status saved = FolderSelection::setHeldBackFolders(journal, held); !saved)
        return failWith(saved.error().message);
    return InSync;
}

} // namespace

int runSelect(const Invocation &invocation)
{
    const QString localRoot = invocation.engine.localRoot;
    Result<std::unique_ptr<PairLock>> lock = PairLock::acquire(localRoot);
    if (!lock.ok())
        return failWith(lock.error().message);
    Result<std::unique_ptr<Journal>> opened = Journal::open(localRoot);
    if (!opened.ok())
        return failWith(opened.error().message);
    Journal &journal = **opened;
    if (invocation.selectAction == SelectAction::List)
        return list(journal, invocation.json);

    QStringList folders;
    for (const QString &given : invocation.folders) {
        const std::optional<QString> folder = FolderSelection::normalizedFolder(given);
        if (!folder)
            return failWith(QStringLiteral("%1 is not a folder below the remote root").arg(given));
        folders.append(*folder);
    }
    const QStringList current = FolderSelection::excludedFolders(journal);
    if (invocation.selectAction == SelectAction::Include) {
        const Result<QStringList> remaining = FolderSelection::withIncluded(current, folders);
        if (!remaining.ok())
            return failWith(remaining.error().message);
        if (Status saved = FolderSelection::setExcludedFolders(journal, *remaining); !saved)
            return failWith(saved.error().message);
        return acceptNewFolders(journal, folders);
    }
    if (Status saved = FolderSelection::setExcludedFolders(
            journal, FolderSelection::withExcluded(current, folders));
        !saved)
        return failWith(saved.error().message);
    QStringList held = FolderSelection::heldBackFolders(journal);
    for (const QString &folder : folders)
        held.removeAll(folder);
    if (Status saved = FolderSelection::setHeldBackFolders(journal, held); !saved)
        return failWith(saved.error().message);
    return removeLocalCopies(localRoot, journal, folders);
}

} // namespace steadysync::cli
