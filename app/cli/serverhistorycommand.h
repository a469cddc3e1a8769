#pragma once

#include "commandline.h"

#include <QJsonArray>

#include <optional>

namespace steadysync {
class VersionStore;
}

namespace steadysync::cli {

// What `versions list` shows beside the local versions: what the server keeps of its own
// accord (Nextcloud's versions and trashbin, issue 19 item 8), where the pair's remote is a
// Nextcloud server that offers them. Prints nothing and asks nothing of other servers.
// Server versions are listed for the file PATH names, or for the files directly in the
// folder it names (the root without PATH), at most maxFilesAsked of them. Appends to json
// when given, else prints lines like the local ones. False when the server could not be
// asked or answered nonsense (said on stderr; the local versions are still shown).
[[nodiscard]] bool listServerHistory(const std::optional<EngineOptions> &remote,
                                     const QString &path, QJsonArray *json);
constexpr int maxFilesAsked = 50;

// versions restore LOCAL_DIR PATH --id server-…: an exit code.
int restoreServerHistory(VersionStore &store, const Invocation &invocation,
                         const std::optional<EngineOptions> &remote);

} // namespace steadysync::cli
