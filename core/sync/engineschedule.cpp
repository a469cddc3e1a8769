// Engine: schedules (issue 20) — the pair's sync window and its bandwidth timetable.
#include "sync/engine.h"

namespace steadysync {

namespace {

// A wake-up at least this often: a clock set by hand or a suspended laptop must not leave a
// window unnoticed until a boundary computed from the old time.
constexpr qint64 MaxScheduleSleepMs = 3600 * 1000;

QDateTime earlier(const QDateTime &a, const QDateTime &b)
{
    if (!a.isValid())
        return b;
    if (!b.isValid())
        return a;
    return qMin(a, b);
}

} // namespace

std::pair<qint64, qint64> Engine::bandwidthLimits() const
{
    if (!m_backend)
        return {m_options.backend.bwLimitUpKiB, m_options.backend.bwLimitDownKiB};
    return m_backend->bandwidthLimits();
}

void Engine::applySchedule()
{
    if (!m_backend)
        return;
    const qint64 nowMs = m_clock->nowMs();
    const QDateTime now = QDateTime::fromMSecsSinceEpoch(nowMs, Qt::LocalTime);
    const BandwidthTimetable &timetable = m_options.bandwidthTimetable;
    if (!timetable.isEmpty()) {
        const BandwidthLimits limits = timetable.limitsAt(now);
        if (bandwidthLimits() != std::pair(limits.upKiB, limits.downKiB))
            m_backend->setBandwidthLimits(limits.upKiB, limits.downKiB);
    }
    // Only a watched pair is held: a one-shot `sync` checks its window before it starts.
    if (m_mode == Mode::Watching)
        setScheduleHold(!m_options.syncWindow.isOpenAt(now));
    const QDateTime next =
        earlier(m_options.syncWindow.nextChangeAfter(now), timetable.nextChangeAfter(now));
    if (!next.isValid())
        return m_scheduleTimer.stop();
    const qint64 sleepMs = qBound<qint64>(1, next.toMSecsSinceEpoch() - nowMs, MaxScheduleSleepMs);
    m_scheduleTimer.start(int(sleepMs));
}

// Like the metered hold: paused as by pause(), independent of the user's pause.
void Engine::setScheduleHold(bool held)
{
    applyHold(m_scheduleHold, held, tr("outside the sync window"));
}

} // namespace steadysync
