#pragma once

#include "entry.h"

namespace steadysync::test {

// The local side of path below root as a scan would see it, hashed (sha256 filled for files);
// an empty entry when path is not there.
LocalEntry scannedEntry(const QString &root, const QString &path);

} // namespace steadysync::test
