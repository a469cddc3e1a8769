#pragma once

#include "commandline.h"

namespace steadysync::cli {

// steadysync-cli versions list LOCAL_DIR [PATH] [--json] | restore LOCAL_DIR PATH [--id ID]
// [--to DEST] | prune LOCAL_DIR (SPEC §7, §10): the pair's version store. Runs beside a
// running engine (the store has its own lock); a restored file syncs like any local change.
int runVersions(const Invocation &invocation);

} // namespace steadysync::cli
