#pragma once

#include "syncplan.h"

#include <QHash>
#include <QSet>
#include <QString>

namespace steadysync {

// The local paths the client itself wrote lately. The watcher reports them like a user's
// change (a download renamed into place, a folder made), and they end up among the engine's
// dirty paths; counted as pending, a 5,000-file download showed "Pending 4,305" beside
// "Syncing 2,730 of 5,000". They still lead to a (quick) follow-up cycle; they are only not
// counted as work waiting.
class OwnWrites
{
public:
    // How long after a write its echo may still come (the debounce delay and some slack).
    explicit OwnWrites(qint64 echoWindowMs = 15'000) : m_echoWindowMs(echoWindowMs) {}

    void setEchoWindowMs(qint64 echoWindowMs) { m_echoWindowMs = echoWindowMs; }
    // A cycle starts: writes older than the echo window are forgotten. Those of the running
    // cycle are kept while it runs, however long.
    void startCycle(qint64 nowMs);
    // A propagated item: remembered when it changed the local side.
    void record(const QString &path, ActionKind kind, bool ok, qint64 nowMs);
    // The dirty paths that are not echoes of the client's own writes.
    qint64 foreignCount(const QSet<QString> &dirtyPaths) const;

private:
    qint64 m_echoWindowMs;
    QHash<QString, qint64> m_writtenMs; // path -> when it was written
};

} // namespace steadysync
