#pragma once

#include "clock.h"
#include "versions/retention.h"

#include <QList>
#include <QObject>
#include <QString>

#include <functional>

namespace steadysync {

class RemoteBackend;

// Prunes the versions kept on the server (RemoteVersionKeeper) by the pair's retention: the
// same staggered schedule and size cap as the local store, applied to the remote versions on
// their own. Runs on the engine's thread but never blocks it (one remote DELETE at a time,
// asynchronous); at most one run at a time and one every minIntervalMs, at most maxRemovals
// copies a run. Each copy goes before its row, so a kill leaves at worst a row whose copy is
// gone, which the next run drops (an absent copy is no error).
class RemoteVersionPruner : public QObject
{
    Q_OBJECT
public:
    RemoteVersionPruner(RemoteBackend *backend, QString localRoot, const Clock *clock,
                        qint64 minIntervalMs = 10 * 60 * 1000, QObject *parent = nullptr);

    void pruneSoon(const RetentionPolicy &policy);
    bool isRunning() const { return m_running; }
    static constexpr int MaxRemovals = 200;

Q_SIGNALS:
    // One run ended: how many versions went, and the first error that stopped it (empty: none).
    void pruned(int removed, const QString &error);

private:
    struct Doomed
    {
        qint64 id = 0;
        QString keptPath;
    };
    void removeNext(QList<Doomed> left, int removed);
    void end(int removed, const QString &error);

    RemoteBackend *m_backend;
    QString m_localRoot;
    const Clock *m_clock;
    qint64 m_minIntervalMs;
    qint64 m_lastStartMs = -1;
    bool m_running = false;
};

} // namespace steadysync
