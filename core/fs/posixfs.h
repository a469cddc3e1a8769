#pragma once

#include <QByteArray>
#include <QtGlobal>

#include <ctime>

struct stat;

// Small POSIX helpers shared by the scanner, the file:// backend and the local file operations.
namespace steadysync::PosixFs {

inline constexpr qint64 nanosecondsPerSecond = 1'000'000'000;

// The modification time of a stat result in nanoseconds since the epoch.
qint64 mtimeNsOf(const struct stat &status);
// The change time (ctime) likewise.
qint64 ctimeNsOf(const struct stat &status);
// A timespec for utimensat/futimens, also for times before 1970.
timespec timespecFromNs(qint64 ns);

// rename(2) relative to directory descriptors (AT_FDCWD for plain paths) that never replaces
// an existing target: 0, or errno (EEXIST when the target exists). Atomic where the file
// system supports RENAME_NOREPLACE; elsewhere it checks, then renames.
int renameNoReplace(int fromDir, const QByteArray &from, int toDir, const QByteArray &to);

} // namespace steadysync::PosixFs
