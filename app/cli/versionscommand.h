#pragma once

#include "commandline.h"

#include <functional>
#include <optional>

namespace steadysync::cli {

// steadysync-cli versions list LOCAL_DIR [PATH] [--json] | restore LOCAL_DIR PATH [--id ID]
// [--to DEST] | prune LOCAL_DIR | config LOCAL_DIR [retention options] (DESIGN §7, §10): the
// pair's version store. Runs beside a running engine (the store has its own lock); a restored
// file syncs like any local change. remoteOptions: the remote the pair syncs with and its
// credentials, asked for only to fetch a version kept on the server; nullopt when unknown.
using RemoteOptionsSource = std::function<std::optional<EngineOptions>()>;
int runVersions(const Invocation &invocation, const RemoteOptionsSource &remoteOptions);

} // namespace steadysync::cli
