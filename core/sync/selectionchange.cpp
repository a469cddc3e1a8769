#include "sync/selectionchange.h"

#include "sync/folderselection.h"

#include <QFileInfo>

namespace steadysync {

namespace {

QStringList without(QStringList folders, const QStringList &removed)
{
    for (const QString &folder : removed)
        folders.removeAll(folder);
    return folders;
}

// Included folders are taken as they are, however large, and are held back no more.
Status include(Journal &journal, const QStringList &folders)
{
    if (folders.isEmpty())
        return success();
    const Result<QStringList> remaining =
        FolderSelection::withIncluded(FolderSelection::excludedFolders(journal), folders);
    if (!remaining.ok())
        return remaining.error();
    if (Status saved = FolderSelection::setExcludedFolders(journal, *remaining); !saved)
        return saved;
    if (Status saved = FolderSelection::setAcceptedFolders(
            journal, FolderSelection::acceptedFolders(journal) + folders);
        !saved)
        return saved;
    return FolderSelection::setHeldBackFolders(
        journal, without(FolderSelection::heldBackFolders(journal), folders));
}

Status exclude(Journal &journal, const QStringList &folders)
{
    if (folders.isEmpty())
        return success();
    if (Status saved = FolderSelection::setExcludedFolders(
            journal,
            FolderSelection::withExcluded(FolderSelection::excludedFolders(journal), folders));
        !saved)
        return saved;
    return FolderSelection::setHeldBackFolders(
        journal, without(FolderSelection::heldBackFolders(journal), folders));
}

} // namespace

bool SelectionOutcome::keptAnything() const
{
    for (const Removed &folder : removed) {
        if (!folder.removal.kept.isEmpty() || !folder.removal.errors.isEmpty())
            return true;
    }
    return false;
}

Result<QStringList> normalizedFolders(const QStringList &given)
{
    QStringList folders;
    for (const QString &input : given) {
        const std::optional<QString> folder = FolderSelection::normalizedFolder(input);
        if (!folder)
            return makeError(ErrorKind::Permanent,
                             QStringLiteral("%1 is not a folder below the remote root").arg(input));
        folders.append(*folder);
    }
    return folders;
}

Result<SelectionOutcome> applySelectionChange(const QString &localRoot, Journal &journal,
                                              const SelectionChange &change)
{
    const Result<QStringList> included = normalizedFolders(change.include);
    if (!included.ok())
        return included.error();
    const Result<QStringList> excluded = normalizedFolders(change.exclude);
    if (!excluded.ok())
        return excluded.error();
    if (Status saved = include(journal, *included); !saved)
        return saved.error();
    if (Status saved = exclude(journal, *excluded); !saved)
        return saved.error();
    SelectionOutcome outcome;
    for (const QString &folder : *excluded) {
        if (QFileInfo(localRoot + QLatin1Char('/') + folder).isDir())
            outcome.removed.append({folder, removeLocalCopy(localRoot, journal, folder)});
    }
    return outcome;
}

} // namespace steadysync
