#pragma once

#include "entry.h"

#include <QString>
#include <QStringList>

namespace steadysync {

// Whether names in `directory` are matched regardless of letter case (vfat, exFAT, NTFS
// mounted that way, macOS by default): a probe file created there is looked up under another
// case. STEADYSYNC_TEST_CASE_INSENSITIVE=1 says yes for tests on a case-sensitive disk.
bool isCaseInsensitiveDirectory(const QString &directory);

// Remote paths that a case-insensitive local disk cannot hold: of remote items whose paths
// differ only in letter case ("Readme.md" and "README.md"), the one the local side has, else
// the one the journal tracks, else the first in order stays; the others are returned, to be
// left alone on both sides and reported (never downloaded over each other, never taken for
// deleted).
QStringList caseClashesToSetAside(const RemoteSnapshot &remote, const LocalSnapshot &local,
                                  const JournalSnapshot &journal);

} // namespace steadysync
