#pragma once

#include <QString>

#include <functional>

namespace steadysync {

// DESIGN §4: "NAME (conflict YYYY-MM-DD HHMMSS).EXT", the time being the losing version's
// mtime in local time; EXT follows the last dot of the file name ("a.tar.gz" ->
// "a.tar (conflict …).gz"); names without a dot and dotfiles (".bashrc") get the suffix at
// the end. If the name is taken (isTaken returns true), " 2", " 3", … go before the extension.
// Works on relative paths: only the last component is changed. The name is shortened to fit
// maxNameBytes of UTF-8 as markedCopyPath does: a conflict on a 255-byte name must converge.
QString conflictCopyPath(const QString &path, qint64 loserMtimeNs,
                         const std::function<bool(const QString &)> &isTaken,
                         int maxNameBytes = 255);

// "NAME (MARKER).EXT" by the same extension rule and numbering as conflictCopyPath, the stem
// shortened (never in the middle of a character) so that the name fits maxNameBytes of UTF-8,
// the usual file-system limit.
QString markedCopyPath(const QString &path, const QString &marker,
                       const std::function<bool(const QString &)> &isTaken, int maxNameBytes = 255);

// name (one path component) cut to maxNameBytes of UTF-8, its extension kept where it can be.
QString fitNameToLimit(const QString &name, int maxNameBytes = 255);

// True when the last component of path looks like a conflict copy made by conflictCopyPath.
bool isConflictCopyName(const QString &path);

} // namespace steadysync
