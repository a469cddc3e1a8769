#pragma once

#include "entry.h"

namespace steadysync::test {

// The local side of path below root as a scan would see it, hashed (sha256 filled for files);
// an empty entry when path is not there.
LocalEntry scannedEntry(const QString &root, const QString &path);

// The journal a sync of exactly these entries would leave: their local side recorded.
JournalSnapshot journalFrom(const LocalSnapshot &entries);

} // namespace steadysync::test
