#pragma once

// Hashing moved to core/fs (steadysync_fs), where core/remote and core/versions may use it.
// This forwarding header keeps branches written before the move building; include
// "fs/hasher.h" in new code.
#include "fs/hasher.h"
