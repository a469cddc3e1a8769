#pragma once

#include "commandline.h"

namespace steadysync::cli {

// steadysync-cli select LOCAL_DIR list [--json] | exclude|include REMOTE_FOLDER...
// (selective sync, FolderSelection). Works before a pair's first sync, so that a new pair
// never downloads what it leaves out; refused while another process runs the pair.
int runSelect(const Invocation &invocation);

} // namespace steadysync::cli
