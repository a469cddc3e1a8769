#pragma once

#include "entry.h"
#include "local/ignorerules.h"
#include "result.h"

#include <QStringList>

#include <optional>

namespace steadysync {

// What cannot be read is never reported as absent, because an absent path reads as a
// deletion to the engine:
// - a file whose content could not be hashed (permission denied, vanished or changed while
//   being read) keeps its entry with an EMPTY sha256 and is listed in `unreadable`: the
//   engine treats it as "cannot read now" and leaves it alone this cycle;
// - a directory that could not be listed keeps its own entry (when its parent could be
//   listed), is named in `unreadableDirectories`, and nothing below it is reported: the
//   engine must exclude those subtrees from deletion detection.
struct ScanResult
{
    LocalSnapshot entries;             // everything found in scope, the scope root included
    QStringList skippedSymlinks;       // not followed, not synced; reported
    QStringList skippedSpecial;        // sockets, FIFOs, devices: not synced; reported
    QStringList unreadable;            // "path: reason", e.g. a directory without permission
    QStringList unrepresentable;       // names that are not valid UTF-8 (reported, not synced)
    QStringList unreadableDirectories; // relative paths whose contents are unknown
    qint64 hashedFiles = 0;            // files whose content had to be hashed
    qint64 hashedBytes = 0;
};

// Walks the local tree (DESIGN §3). Blocking: run it in a thread pool, not the engine thread.
class Scanner
{
public:
    // Scans subPath ("" = the whole root) recursively. The journal gives the fast path: a
    // file whose (size, mtime, inode) equal its record reuses the recorded sha256; other
    // files are hashed. Ignored names are left out (not descended into). The root itself is
    // not an entry; for a non-empty subPath, subPath itself is one. Sockets, FIFOs and
    // devices are not synced: listed in `skippedSpecial`. Directories have size 0.
    // Error RootMissing when localRoot is absent, not a directory or unreadable.
    // If subPath does not exist, lies below a symlink or is ignored, the result is empty
    // (not an error).
    // deferHashFromBytes > 0: a readable file at least that large that no record names, by
    // path or by inode, is not hashed but marked hashPending; its upload hashes it (on
    // POSIX systems, where inodes tell moves apart).
    static Result<ScanResult> scan(const QString &localRoot, const QString &subPath,
                                   const IgnoreRules &ignore, const JournalSnapshot &journal,
                                   qint64 deferHashFromBytes = 0);

    // lstat of one path, no hashing; nullopt when absent (or a symlink).
    static std::optional<LocalEntry> stat(const QString &localRoot, const QString &path);
};

} // namespace steadysync
