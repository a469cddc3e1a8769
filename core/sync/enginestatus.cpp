// Engine: the status it publishes (statusChanged, the journal's live status for other
// processes) and the samples of the statistics charts.
#include "sync/engine.h"

#include <tuple>

namespace steadysync {

namespace {

constexpr qint64 StatusPublishIntervalMs = 250;
// While a cycle runs, a sample goes with a published status at most this often, so that a
// short sync draws a line on the 10-minute chart and the chart follows the counters.
constexpr qint64 BusySampleIntervalMs = 2'000;

} // namespace

void Engine::setState(EngineState state)
{
    if (m_state == state)
        return;
    m_state = state;
    publishStatus(true);
}

void Engine::publishStatus(bool force)
{
    if (!m_journal)
        return;
    const qint64 now = m_clock->nowMs();
    if (!force && now - m_lastStatusPublishMs < StatusPublishIntervalMs)
        return;
    m_lastStatusPublishMs = now;
    StatusSnapshot status = readStatus(*m_journal);
    status.state = m_state;
    status.pending = pendingWork();
    status.filesDone = m_runner->progress().filesDone;
    status.filesTotal = m_runner->progress().filesTotal;
    status.bytesDone = m_runner->progress().bytesDone;
    status.lastError = m_lastError;
    const bool heldOnly = !m_paused && m_state == EngineState::Paused;
    status.pausedForMetered = m_meteredHold && heldOnly;
    status.pausedForBattery = m_batteryHold && heldOnly;
    status.pausedForSchedule = m_scheduleHold && heldOnly;
    publishServerSpace(status);
    // For `status` in other processes only; the next publish writes it again.
    std::ignore =
        m_journal->putLiveStatus(LiveStatus{engineStateName(m_state), status.trackedFiles,
                                            status.pending, status.lastSyncMs, m_lastError, now});
    // The chart's samples are the statuses the counters showed: a forced publish (a cycle
    // starts or ends, work waits while paused) and, while syncing, one every 2 s.
    if (force || (m_state == EngineState::Syncing && now - m_lastSampleMs >= BusySampleIntervalMs))
        appendSample(status);
    Q_EMIT statusChanged(status);
}

// The server's space as the backend last learnt it; kept in the journal for `status` in
// other processes (and for the dashboard before the first listing of a run).
void Engine::publishServerSpace(StatusSnapshot &status)
{
    const std::optional<ServerSpace> space = m_backend ? m_backend->serverSpace() : std::nullopt;
    if (!space || space == status.serverSpace)
        return;
    status.serverSpace = space;
    // Lost, it is shown again after the next listing of the root.
    std::ignore =
        m_journal->setSetting(QLatin1String(ServerSpace::serverSpaceSetting), space->serialized());
}

qint64 Engine::pendingWork() const
{
    const CycleRunner::Progress &progress = m_runner->progress();
    return qMax<qint64>(0, progress.filesTotal - progress.filesDone) +
           m_ownWrites.foreignCount(m_dirtyPaths);
}

void Engine::sampleStatistics()
{
    if (!m_journal)
        return;
    StatusSnapshot status = readStatus(*m_journal);
    status.pending = pendingWork();
    appendSample(status);
}

void Engine::appendSample(const StatusSnapshot &status)
{
    m_lastSampleMs = m_clock->nowMs();
    // A chart sample lost to a failed write leaves a gap in the chart, nothing more.
    [[maybe_unused]] const Status stored =
        m_journal->appendSample(statsSampleOf(status, m_lastSampleMs));
}

} // namespace steadysync
