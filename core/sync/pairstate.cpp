#include "sync/pairstate.h"

#include <algorithm>

namespace steadysync {

SyncState pairState(const PairFacts &facts)
{
    const StatusSnapshot &status = facts.status;
    if (facts.signInNeeded)
        return SyncState::SignInNeeded;
    if (facts.deletionHeld)
        return SyncState::DecisionNeeded;
    if (status.state == EngineState::Error)
        return SyncState::Error;
    if (status.openConflicts > 0)
        return SyncState::Conflict;
    if (status.failedPermanent > 0)
        return SyncState::FailedItems;
    if (status.state == EngineState::Offline)
        return SyncState::Offline;
    const bool workKnown = status.pending > 0 || status.retryQueue > 0;
    if (status.state == EngineState::Paused && status.pausedForMetered)
        return SyncState::PausedMetered;
    if (status.state == EngineState::Paused && status.pausedForBattery)
        return SyncState::PausedBattery;
    if (status.state == EngineState::Paused && status.pausedForSchedule)
        return SyncState::PausedSchedule;
    if (status.state == EngineState::Paused)
        return workKnown ? SyncState::PausedWithPending : SyncState::Paused;
    if (!facts.firstCycleDone || status.state == EngineState::Syncing || workKnown)
        return SyncState::Syncing;
    return SyncState::UpToDate;
}

SyncState appState(const QVector<SyncState> &pairStates)
{
    if (pairStates.isEmpty())
        return SyncState::NoPairs;
    return *std::min_element(pairStates.cbegin(), pairStates.cend());
}

QString stateKey(SyncState state)
{
    switch (state) {
    case SyncState::SignInNeeded:
        return QStringLiteral("sign-in-needed");
    case SyncState::DecisionNeeded:
        return QStringLiteral("decision-needed");
    case SyncState::Error:
        return QStringLiteral("error");
    case SyncState::Conflict:
        return QStringLiteral("conflict");
    case SyncState::FailedItems:
        return QStringLiteral("failed-items");
    case SyncState::Offline:
        return QStringLiteral("offline");
    case SyncState::PausedMetered:
        return QStringLiteral("paused-metered");
    case SyncState::PausedBattery:
        return QStringLiteral("paused-battery");
    case SyncState::PausedSchedule:
        return QStringLiteral("paused-schedule");
    case SyncState::PausedWithPending:
        return QStringLiteral("paused-with-pending");
    case SyncState::Syncing:
        return QStringLiteral("syncing");
    case SyncState::Paused:
        return QStringLiteral("paused");
    case SyncState::UpToDate:
        return QStringLiteral("up-to-date");
    case SyncState::NoPairs:
        break;
    }
    return QStringLiteral("no-pairs");
}

} // namespace steadysync
