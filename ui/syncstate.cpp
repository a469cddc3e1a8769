#include "syncstate.h"

#include <QCoreApplication>
#include <QLocale>

namespace steadysync {

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
    case SyncState::PausedMetered:
        return QCoreApplication::translate("steadysync::State", "Paused: metered connection");
    case SyncState::PausedBattery:
        return QCoreApplication::translate("steadysync::State", "Paused: on battery");
    case SyncState::PausedSchedule:
        return QCoreApplication::translate("steadysync::State", "Paused: outside its sync window");
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
        if (status.state == EngineState::Syncing && status.filesTotal > 0)
            return QCoreApplication::translate("steadysync::State", "Syncing %1 of %2")
                .arg(QLocale().toString(status.filesDone),
                     QLocale().toString(status.filesDone + status.pending));
        if (status.state != EngineState::Syncing && status.retryQueue > 0)
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
    case SyncState::Conflict:
        name = "conflict";
        break;
    case SyncState::Offline:
        name = "offline";
        break;
    case SyncState::Syncing:
        name = "syncing";
        break;
    case SyncState::PausedMetered:
    case SyncState::PausedBattery:
    case SyncState::PausedSchedule:
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
