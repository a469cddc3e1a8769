#pragma once

#include "sync/cyclereport.h"

#include <QIcon>
#include <QString>
#include <QVector>

namespace steadysync {

// The one state the tray icon shows for all pairs together (SPEC §8), most urgent first.
enum class TrayState { Error, Conflict, Offline, Syncing, Paused, Idle };

TrayState trayStateOf(const StatusSnapshot &status);
TrayState combinedTrayState(const QVector<StatusSnapshot> &statuses);
QIcon trayIcon(TrayState state);
QString trayStateName(TrayState state);
// The translated word for an engine state ("idle", "syncing", ...).
QString stateLabel(const QString &engineState);

} // namespace steadysync
