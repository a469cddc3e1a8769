#pragma once

#include "result.h"

#include <QString>

namespace steadysync::BlobFiles {

// How a blob got its content: a hard link to the file's own inode (no data written), a
// reflink (shared extents, copy-on-write), or a byte copy.
enum class Placement { Link, Reflink, Copy };

// Creates target (which must not exist) with source's content: FICLONE where the file system
// shares extents, else a byte copy; the target is fsync'd. On error nothing is left at target.
[[nodiscard]] Result<Placement> cloneOrCopy(const QString &source, const QString &target);

// link(2): target becomes another name of source's inode. PreconditionFailed when target
// exists; other errors (EXDEV, EPERM on file systems without hard links) as errno maps them.
[[nodiscard]] Status link(const QString &source, const QString &target);

// fsync of a directory, so that a rename or link in it survives a power cut.
void syncDirectory(const QString &directory);

// A test hook (DESIGN §5 "a kill at any point"): when STEADYSYNC_TEST_VERSIONS_KILL_AT names
// step, the process kills itself with SIGKILL there.
void crashPoint(const char *step);

} // namespace steadysync::BlobFiles
