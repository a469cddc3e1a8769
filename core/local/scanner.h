#pragma once

#include "entry.h"
#include "local/ignorerules.h"
#include "result.h"

#include <QStringList>

#include <optional>

namespace steadysync {

struct ScanResult
{
    LocalSnapshot entries;        // everything found in scope, the scope root included
    QStringList skippedSymlinks;  // not followed, not synced; reported
    QStringList unreadable;       // "path: reason", e.g. a directory without permission
    QStringList unrepresentable;  // names that are not valid UTF-8 (reported, not synced)
    qint64 hashedFiles = 0;       // files whose content had to be hashed
    qint64 hashedBytes = 0;
};

// Walks the local tree (SPEC §3). Blocking: run it in a thread pool, not the engine thread.
class Scanner
{
public:
    // Scans subPath ("" = the whole root) recursively. The journal gives the fast path: a
    // file whose (size, mtime, inode) equal its record reuses the recorded sha256; other
    // files are hashed. Ignored names are left out. The root itself is not an entry.
    // Error RootMissing when localRoot is absent, not a directory or unreadable.
    // If subPath does not exist, the result is empty (not an error).
    static Result<ScanResult> scan(const QString &localRoot, const QString &subPath,
                                   const IgnoreRules &ignore, const JournalSnapshot &journal);

    // lstat of one path, no hashing; nullopt when absent (or a symlink).
    static std::optional<LocalEntry> stat(const QString &localRoot, const QString &path);
};

} // namespace steadysync
