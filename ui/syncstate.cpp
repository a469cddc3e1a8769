#include "syncstate.h"

#include <QCoreApplication>
#include <QLocale>

#include <algorithm>

namespace steadysync {

SyncState pairState(const PairFacts &facts)
{
    const StatusSnapshot &status = facts.status;
    if (facts.signInNeeded)
        return SyncState::SignInNeeded;
    if (facts.deletionHeld)
        return SyncState::DecisionNeeded;
    if (status.state == QStringLiteral("error"))
        return SyncState::Error;
    if (status.openConflicts > 0)
        return SyncState::Conflict;
    if (status.failedPermanent > 0)
        return SyncState::FailedItems;
    if (status.state == QStringLiteral("offline"))
        return SyncState::Offline;
    const bool workKnown = status.pending > 0 || status.retryQueue > 0;
    if (status.state == QStringLiteral("paused"))
        return workKnown ? SyncState::PausedWithPending : SyncState::Paused;
    if (!facts.firstCycleDone || status.state == QStringLiteral("syncing") || workKnown)
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

QString stateLabel(SyncState state)
{
    switch (state) {
    case SyncState::SignInNeeded:
        return QCoreApplication::translate("steadysync::State", "Sign-in needed");
    case SyncState::DecisionNeeded:
        return QCoreApplication::translate("steadysync::State", "Waiting for your decision");
    case SyncState::Error:
        return QCoreApplication::translate("steadysync::State", "Error");
    case SyncState::Conflict:
        return QCoreApplication::translate("steadysync::State", "Conflicts to review");
    case SyncState::FailedItems:
        return QCoreApplication::translate("steadysync::State", "Some files could not be synced");
    case SyncState::Offline:
        return QCoreApplication::translate("steadysync::State", "Offline");
    case SyncState::PausedWithPending:
        return QCoreApplication::translate("steadysync::State", "Paused, changes waiting");
    case SyncState::Syncing:
        return QCoreApplication::translate("steadysync::State", "Syncing");
    case SyncState::Paused:
        return QCoreApplication::translate("steadysync::State", "Paused");
    case SyncState::UpToDate:
        return QCoreApplication::translate("steadysync::State", "Up to date");
    case SyncState::NoPairs:
        break;
    }
    return QCoreApplication::translate("steadysync::State", "No folder pair set up");
}

QString pairStateText(SyncState state, const StatusSnapshot &status)
{
    switch (state) {
    case SyncState::Conflict:
        return QCoreApplication::translate("steadysync::State", "Conflicts to review: %1")
            .arg(status.openConflicts);
    case SyncState::FailedItems:
        return QCoreApplication::translate("steadysync::State", "Files not synced: %1")
            .arg(status.failedPermanent);
    case SyncState::PausedWithPending:
        return QCoreApplication::translate("steadysync::State", "Paused, changes waiting: %1")
            .arg(status.pending + status.retryQueue);
    case SyncState::Syncing:
        // Of all the work known, not just this cycle's plan: the card's "Pending" counts the
        // changes seen since the plan too, and done + pending must make the total shown here.
        if (status.state == QStringLiteral("syncing") && status.filesTotal > 0)
            return QCoreApplication::translate("steadysync::State", "Syncing %1 of %2")
                .arg(QLocale().toString(status.filesDone),
                     QLocale().toString(status.filesDone + status.pending));
        if (status.state != QStringLiteral("syncing") && status.retryQueue > 0)
            return QCoreApplication::translate("steadysync::State", "Files waiting for a retry: %1")
                .arg(status.retryQueue);
        break;
    default:
        break;
    }
    return stateLabel(state);
}

QIcon stateIcon(SyncState state)
{
    const char *name = "idle";
    switch (state) {
    case SyncState::SignInNeeded:
    case SyncState::Error:
    case SyncState::FailedItems:
        name = "error";
        break;
    case SyncState::DecisionNeeded:
        name = "conflict";
        break;
    case SyncState::Conflict:
        name = "conflict";
        break;
    case SyncState::Offline:
        name = "offline";
        break;
    case SyncState::Syncing:
        name = "syncing";
        break;
    case SyncState::PausedWithPending:
    case SyncState::Paused:
    case SyncState::NoPairs:
        name = "paused";
        break;
    case SyncState::UpToDate:
        break;
    }
    return QIcon(QStringLiteral(":/icons/state-%1.svg").arg(QLatin1String(name)));
}

} // namespace steadysync
