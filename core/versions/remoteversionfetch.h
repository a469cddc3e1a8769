#pragma once

#include "result.h"
#include "versions/versionentry.h"

#include <QString>

#include <functional>

namespace steadysync {

class RemoteBackend;

// A version kept on the server (VersionEntry::isOnRemote) brought into the pair's local store
// for a restore: its copy is downloaded from the versions collection, checked against the
// listed SHA-256 (where the client knew it), and becomes a blob, so that VersionRestorer
// restores it like any other version. done gets the entry with its sha256 (hashed from what
// came, when the listing had none); Corrupt when the content is not what was listed.
void fetchRemoteVersion(RemoteBackend *backend, const QString &localRoot, const VersionEntry &entry,
                        std::function<void(Result<VersionEntry>)> done);

// The same, waiting in a local event loop (the command line).
[[nodiscard]] Result<VersionEntry>
fetchRemoteVersionNow(RemoteBackend *backend, const QString &localRoot, const VersionEntry &entry);

} // namespace steadysync
