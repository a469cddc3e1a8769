#pragma once

#include "sync/cyclereport.h"
#include "sync/pairstate.h"

#include <QIcon>
#include <QString>
#include <QVector>

namespace steadysync {

// The labels and icons of the one state model (sync/pairstate.h), which everything that tells
// the user how things stand derives from: tray icon, tooltip, pair cards, notifications.

// The translated short label: "Sign-in needed", "Up to date", ...
QString stateLabel(SyncState state);
// The label with its numbers for one pair ("Conflicts to review: 2", "Syncing 3 of 10").
QString pairStateText(SyncState state, const StatusSnapshot &status);
QIcon stateIcon(SyncState state);

} // namespace steadysync
