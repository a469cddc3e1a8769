#include "traystate.h"

#include <QCoreApplication>

#include <algorithm>

namespace steadysync {

TrayState trayStateOf(const StatusSnapshot &status)
{
    if (status.state == QStringLiteral("error"))
        return TrayState::Error;
    if (status.openConflicts > 0)
        return TrayState::Conflict;
    if (status.state == QStringLiteral("offline"))
        return TrayState::Offline;
    if (status.state == QStringLiteral("syncing"))
        return TrayState::Syncing;
    if (status.state == QStringLiteral("paused"))
        return TrayState::Paused;
    return TrayState::Idle;
}

TrayState combinedTrayState(const QVector<StatusSnapshot> &statuses)
{
    if (statuses.isEmpty())
        return TrayState::Idle;
    QVector<TrayState> states;
    for (const StatusSnapshot &status : statuses)
        states.append(trayStateOf(status));
    // Paused counts only when every pair is paused; otherwise the others speak.
    const bool allPaused = std::all_of(states.begin(), states.end(),
                                       [](TrayState s) { return s == TrayState::Paused; });
    if (allPaused)
        return TrayState::Paused;
    states.removeAll(TrayState::Paused);
    return *std::min_element(states.begin(), states.end());
}

QString trayStateName(TrayState state)
{
    switch (state) {
    case TrayState::Error:
        return QStringLiteral("error");
    case TrayState::Conflict:
        return QStringLiteral("conflict");
    case TrayState::Offline:
        return QStringLiteral("offline");
    case TrayState::Syncing:
        return QStringLiteral("syncing");
    case TrayState::Paused:
        return QStringLiteral("paused");
    case TrayState::Idle:
        return QStringLiteral("idle");
    }
    return {};
}

QIcon trayIcon(TrayState state)
{
    return QIcon(QStringLiteral(":/icons/state-%1.svg").arg(trayStateName(state)));
}

QString stateLabel(const QString &engineState)
{
    if (engineState == QStringLiteral("syncing"))
        return QCoreApplication::translate("steadysync::State", "Syncing");
    if (engineState == QStringLiteral("paused"))
        return QCoreApplication::translate("steadysync::State", "Paused");
    if (engineState == QStringLiteral("offline"))
        return QCoreApplication::translate("steadysync::State", "Offline");
    if (engineState == QStringLiteral("error"))
        return QCoreApplication::translate("steadysync::State", "Error");
    if (engineState == QStringLiteral("conflict"))
        return QCoreApplication::translate("steadysync::State", "Conflict");
    return QCoreApplication::translate("steadysync::State", "Up to date");
}

} // namespace steadysync
