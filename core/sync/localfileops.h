#pragma once

#include "entry.h"
#include "fs/reservednames.h"
#include "result.h"

#include <QString>

namespace steadysync {

// The few local file-system operations the propagator needs beyond scanning, with errors
// as values. Paths given here are absolute unless named otherwise.
namespace LocalFileOps {

// Moves a file or directory to the freedesktop trash: $XDG_DATA_HOME/Trash (created if
// missing) when that is on the item's device, else the volume's $topdir/.Trash/$UID or
// $topdir/.Trash-$UID; when none is usable, into
// LOCAL_ROOT/.steadysync/trash/<timestamp>/<relativePath>. Never deletes, never writes into
// the current directory (Qt 6.4's QFile::moveToTrash did without ~/.local/share).
Status moveToTrash(const QString &localRoot, const QString &relativePath);

// Sets the modification time (nanoseconds) without following symlinks.
Status setModificationTime(const QString &path, qint64 mtimeNs);

// rename(2), replacing the target (files only). Errors mapped like the scanner's.
Status renameReplacing(const QString &from, const QString &to);

// rename(2) that fails with PreconditionFailed when the target exists.
Status renameNoReplace(const QString &from, const QString &to);

// The longest name (bytes) the file system holding directory takes, at most 255 (the usual
// limit, which the remote's is taken to be too): eCryptfs takes 143, for one.
int maxNameBytes(const QString &directory);

// Free bytes for an unprivileged user on the file system holding path; -1 when unknown.
qint64 freeBytes(const QString &path);

// True when a fresh stat of the item equals what a snapshot recorded (type, size, mtime,
// inode, and ctime where the snapshot has one): nobody touched it since it was examined. An absent
// item matches "absent".
bool unchangedSince(const QString &localRoot, const QString &relativePath,
                    const std::optional<LocalEntry> &examined);

// The directory for the client's own temporary files: LOCAL_ROOT/.steadysync/tmp.
QString temporaryDirectory(const QString &localRoot);

// Partial downloads are kept in the temporary directory under names starting with this, so
// that the next attempt (in this run or a later one) resumes them.
inline constexpr const char *partialDownloadPrefix = ReservedNames::partialDownloadPrefix;

// Empties the temporary directory except for partial downloads changed within maxPartialAgeS
// (older ones are stale: their files were probably synced or removed since).
void removeStaleTemporaries(const QString &localRoot, qint64 maxPartialAgeS);

// An Error with the relative path and strerror in the message, classified by the errno table
// (fs/errnokind.h).
Error errorFromErrno(int errnoValue, const QString &what);

} // namespace LocalFileOps

} // namespace steadysync
