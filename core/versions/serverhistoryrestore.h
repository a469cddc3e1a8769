#pragma once

#include "remote/nextcloudhistory.h"
#include "result.h"

#include <QString>

namespace steadysync {

class VersionStore;

// Restoring what the server keeps of its own accord (issue 19 item 8), shared by
// `steadysync-cli versions restore --id server-…` and the app's Versions view. Never replaces
// a live file without keeping it as a version first.
namespace ServerHistoryRestore {

struct Outcome
{
    enum class Kind {
        Restored,         // written into destination (kept what it replaced, as local restores do)
        AlreadyThere,     // destination holds this very content
        RestoredOnServer, // the server's own restore: the file is back in its place there, and
                          // the next sync brings it here
    };
    Kind kind = Kind::Restored;
    QString destination; // absolute; for RestoredOnServer the local place it will sync to
};

// destination empty: the entry's own place. A server version is downloaded, checked and made
// a blob of the local store, then restored like a local version (what it replaces is kept as
// a version, reason "overwritten"); the next sync uploads it. A trashed item goes back by the
// server's own restore when its place is free on both sides (nothing there, its folder there);
// otherwise a trashed file is downloaded beside it as "NAME (restored).EXT", never over a live
// file. A trashed folder is restored only by the server.
[[nodiscard]] Result<Outcome> restore(NextcloudHistory &history, VersionStore &store,
                                      const QString &localRoot, const ServerHistoryEntry &entry,
                                      const QString &destination = {});

// "a/b (restored).txt", "a/b (restored 2).txt", … for path "a/b.txt" (pure).
QString restoredName(const QString &path, int attempt);

} // namespace ServerHistoryRestore

} // namespace steadysync
