#pragma once

#include "syncplan.h"

#include <QSet>
#include <QString>

namespace steadysync {

// The local paths the client itself wrote in the running cycle and the one before. The
// watcher reports them like a user's change (a download renamed into place, a folder made),
// and they end up among the engine's dirty paths; counted as pending, a 5,000-file download
// showed "Pending 4,305" beside "Syncing 2,730 of 5,000". They still lead to a (quick)
// follow-up cycle; they are only not counted as work waiting.
class OwnWrites
{
public:
    // A new cycle starts: the previous cycle's writes may still echo (debounce), older not.
    void startCycle();
    // A propagated item: remembered when it changed the local side.
    void record(const QString &path, ActionKind kind, bool ok);
    // The dirty paths that are not echoes of the client's own writes.
    qint64 foreignCount(const QSet<QString> &dirtyPaths) const;

private:
    bool contains(const QString &path) const;

    QSet<QString> m_current;
    QSet<QString> m_previous;
};

} // namespace steadysync
