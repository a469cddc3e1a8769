#pragma once

// The reconciler's view of one side of a path against the journal, shared by the reconciler
// (reconciler.cpp) and the detection of local moves (localmovedetector.cpp). Internal to
// core/sync.
#include "entry.h"
#include "journal/journal.h"

#include <QHash>
#include <QStringList>

namespace steadysync::reconcile {

// How one side of a path compares with the journal.
enum class State {
    Absent,       // not there, and no record
    New,          // there, no record
    Unchanged,    // same type and content as recorded (directories: same type)
    MetadataOnly, // file with the recorded content but another size/mtime/inode
    Changed,      // other type, or other content
    Deleted,      // recorded, not there any more
    Unreadable,   // local file whose content could not be hashed: nothing can be decided
    Unverified,   // remote file whose signature matches an unsettled record: content decides
};

int depthOf(const QString &path);
State localState(const LocalEntry *local, const JournalRecord *base);
State remoteState(const RemoteEntry *remote, const JournalRecord *base);

template<typename T> const T *entryAt(const QHash<QString, T> &map, const QString &path)
{
    const auto it = map.constFind(path);
    return it == map.cend() ? nullptr : &it.value();
}

// The keys of map that lie strictly below dir, given the map's keys sorted: they form one
// contiguous range because they share the prefix "dir/".
QStringList keysBelow(const QStringList &sortedKeys, const QString &dir);

} // namespace steadysync::reconcile
