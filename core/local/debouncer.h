#pragma once

#include "clock.h"

#include <QHash>
#include <QObject>
#include <QStringList>
#include <QTimer>

#include <set>
#include <utility>

namespace steadysync {

// Per-path debounce (DESIGN §3): a path becomes ready once no event touched it for delayMs.
// Events for the same path merge. One QTimer is armed for the earliest deadline; time is
// read from the injected Clock so tests can call processDue() after advancing a ManualClock.
class Debouncer : public QObject
{
    Q_OBJECT
public:
    Debouncer(qint64 delayMs, const Clock *clock, QObject *parent = nullptr);

    void touch(const QString &path);
    void touchAll(const QStringList &paths);
    int pendingCount() const;
    qint64 nextDeadlineMs() const; // -1 when nothing is pending
    qint64 delayMs() const { return m_delayMs; }

public Q_SLOTS:
    // Emits ready() for every path whose quiet period has elapsed, then re-arms the timer.
    void processDue();

Q_SIGNALS:
    void ready(const QStringList &paths);

private:
    void rearm();

    qint64 m_delayMs;
    const Clock *m_clock;
    QHash<QString, qint64> m_deadlines;                // path -> epoch ms
    std::set<std::pair<qint64, QString>> m_byDeadline; // the same, ordered by deadline
    QTimer m_timer;
};

} // namespace steadysync
