#pragma once

#include "journal/journal.h"
#include "result.h"

#include <QString>
#include <QStringList>

namespace steadysync {

// What became of the local copy of a folder the pair no longer syncs (selective sync).
struct LocalCopyRemoval
{
    int trashed = 0; // synced files moved to the trash (the server still has them)
    qint64 trashedBytes = 0;
    QStringList kept;   // files whose content the server may not have: left in place
    QStringList errors; // "path: why" for files that could not be moved
};

// Removes the local copy of folder (relative to localRoot), which the server keeps: only
// files that are exactly as last synced (size, mtime and inode as the journal recorded them)
// go, and they go to the trash, each kept in the version store first; anything else (new, edited,
// not yet uploaded) stays, so an unselect never loses a version. Emptied folders are removed; the
// folder's records are forgotten.
[[nodiscard]] LocalCopyRemoval removeLocalCopy(const QString &localRoot, Journal &journal,
                                               const QString &folder);

} // namespace steadysync
