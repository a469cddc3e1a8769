#include "selectcommand.h"

#include "clioutput.h"
#include "progressline.h"

#include "journal/journal.h"
#include "sync/folderselection.h"
#include "sync/pairlock.h"
#include "sync/selectionchange.h"

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

// Says what became of each newly excluded folder's local copy: exit 1 when anything was kept
// or could not be moved.
int reportRemovals(const SelectionOutcome &outcome)
{
    for (const SelectionOutcome::Removed &folder : outcome.removed) {
        const LocalCopyRemoval &removal = folder.removal;
        printLine(stderr, QStringLiteral("%1: %2 file(s), %3, moved to the trash here; the server "
                                         "keeps them")
                              .arg(folder.folder)
                              .arg(removal.trashed)
                              .arg(ProgressLine::formatBytes(removal.trashedBytes)));
        for (const QString &path : removal.kept)
            printLine(stderr, QStringLiteral("kept %1: not synced as it is now, so it stays here "
                                             "(it is not uploaded while its folder is excluded)")
                                  .arg(path));
        for (const QString &error : removal.errors)
            printLine(stderr, QStringLiteral("failed %1").arg(error));
    }
    return outcome.keptAnything() ? Incomplete : InSync;
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

    const Result<QStringList> folders = normalizedFolders(invocation.folders);
    if (!folders.ok())
        return failWith(folders.error().message);
    SelectionChange change;
    (invocation.selectAction == SelectAction::Include ? change.include : change.exclude) = *folders;
    const Result<SelectionOutcome> outcome = applySelectionChange(localRoot, journal, change);
    if (!outcome.ok())
        return failWith(outcome.error().message);
    return reportRemovals(*outcome);
}

} // namespace steadysync::cli
