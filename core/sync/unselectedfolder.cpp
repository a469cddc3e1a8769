#include "sync/unselectedfolder.h"

#include "local/scanner.h"
#include "sync/localfileops.h"
#include "versions/versionkeeper.h"

#include <QDir>
#include <QDirIterator>

#include <algorithm>

namespace steadysync {

namespace {

bool exactlyAsSynced(const std::optional<JournalRecord> &record,
                     const std::optional<LocalEntry> &local)
{
    return record && local && !record->isDir() && !local->isDir() && record->hasLocalStatOf(*local);
}

// Deepest first, so that a folder is empty when its turn comes.
void removeEmptyFolders(const QString &localRoot, const QString &folder)
{
    const QString absolute = localRoot + QLatin1Char('/') + folder;
    QStringList folders{absolute};
    QDirIterator it(absolute, QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden | QDir::NoSymLinks,
                    QDirIterator::Subdirectories);
    while (it.hasNext())
        folders.append(it.next());
    std::sort(folders.begin(), folders.end(), [](const QString &a, const QString &b) {
        return a.count(QLatin1Char('/')) > b.count(QLatin1Char('/'));
    });
    for (const QString &path : std::as_const(folders))
        QDir().rmdir(path); // fails, as it should, where something was kept
}

} // namespace

LocalCopyRemoval removeLocalCopy(const QString &localRoot, Journal &journal, const QString &folder)
{
    LocalCopyRemoval removal;
    VersionKeeper versions(localRoot, SystemClock::instance());
    const QDir root(localRoot);
    QDirIterator it(root.filePath(folder), QDir::Files | QDir::Hidden | QDir::System,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = root.relativeFilePath(it.next());
        const std::optional<LocalEntry> local = Scanner::stat(localRoot, path);
        if (!exactlyAsSynced(journal.record(path), local)) {
            removal.kept.append(path);
            continue;
        }
        // A snapshot, not a link: the file goes on to the trash, where the user may edit it.
        if (Status kept =
                versions.keep({path, VersionReason::Unselected, VersionStore::SaveMode::Snapshot});
            !kept) {
            removal.errors.append(path + QStringLiteral(": ") + kept.error().message);
            continue;
        }
        if (Status trashed = LocalFileOps::moveToTrash(localRoot, path); !trashed) {
            removal.errors.append(path + QStringLiteral(": ") + trashed.error().message);
            continue;
        }
        ++removal.trashed;
        removal.trashedBytes += local->size;
    }
    removeEmptyFolders(localRoot, folder);
    if (Status forgotten = journal.removeRecordsUnder(folder); !forgotten)
        removal.errors.append(folder + QStringLiteral(": ") + forgotten.error().message);
    removal.kept.sort();
    return removal;
}

} // namespace steadysync
