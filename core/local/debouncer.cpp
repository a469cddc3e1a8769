#include "local/debouncer.h"

#include <algorithm>
#include <limits>

namespace steadysync {

Debouncer::Debouncer(qint64 delayMs, const Clock *clock, QObject *parent)
    : QObject(parent), m_delayMs(std::max<qint64>(0, delayMs)), m_clock(clock), m_timer(this)
{
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &Debouncer::processDue);
}

void Debouncer::touch(const QString &path)
{
    const qint64 deadline = m_clock->nowMs() + m_delayMs;
    const qint64 earliestBefore = nextDeadlineMs();
    const auto existing = m_deadlines.constFind(path);
    if (existing != m_deadlines.constEnd()) {
        if (existing.value() == deadline)
            return;
        m_byDeadline.erase({existing.value(), path});
    }
    m_deadlines.insert(path, deadline);
    m_byDeadline.insert({deadline, path});
    // Restarting the timer on every event would be wasted work while a burst keeps arriving.
    if (!m_timer.isActive() || nextDeadlineMs() != earliestBefore)
        rearm();
}

void Debouncer::touchAll(const QStringList &paths)
{
    for (const QString &path : paths)
        touch(path);
}

int Debouncer::pendingCount() const
{
    return int(m_deadlines.size());
}

qint64 Debouncer::nextDeadlineMs() const
{
    return m_byDeadline.empty() ? -1 : m_byDeadline.begin()->first;
}

void Debouncer::processDue()
{
    const qint64 now = m_clock->nowMs();
    QStringList due;
    while (!m_byDeadline.empty() && m_byDeadline.begin()->first <= now) {
        due.append(m_byDeadline.begin()->second);
        m_deadlines.remove(m_byDeadline.begin()->second);
        m_byDeadline.erase(m_byDeadline.begin());
    }
    // Re-arm before emitting: a receiver may touch() again from its slot.
    rearm();
    if (due.isEmpty())
        return;
    due.sort();
    Q_EMIT ready(due);
}

void Debouncer::rearm()
{
    if (m_byDeadline.empty()) {
        m_timer.stop();
        return;
    }
    const qint64 wait = std::clamp<qint64>(m_byDeadline.begin()->first - m_clock->nowMs(), 0,
                                           std::numeric_limits<int>::max());
    m_timer.start(int(wait));
}

} // namespace steadysync
