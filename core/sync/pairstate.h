#pragma once

#include "sync/cyclereport.h"

#include <QString>
#include <QVector>

namespace steadysync {

// The one state model of a pair (DESIGN §8), shared by everything that tells how a pair stands:
// the desktop app's tray, cards and notifications (ui/syncstate.h adds labels and icons) and
// the D-Bus API of whichever process runs the pair (the app or `steadysync-cli watch`).
//
// Precedence, most urgent first; the enum's order IS the precedence. A pair is in the first
// state whose condition holds; the app is in the most urgent state of its pairs, or NoPairs.
//  1. SignInNeeded       the server refused the credentials (the engine holds the pair)
//  2. DecisionNeeded     the mass-deletion guard holds the pair until the user chooses
//  3. Error              the pair cannot sync at all: set-up failed, the server refused the
//                        cycle
//  4. Conflict           open conflicts wait for the user's choice
//  5. FailedItems        items failed permanently; they wait for a change or "Retry Now"
//  6. Offline            the server is unreachable; the engine probes it
//  7. PausedMetered      paused, by the pair's option, while the connection is metered
//  8. PausedBattery      paused, by the pair's option, on battery below a charge or in
//                        power-saver mode
//  9. PausedSchedule     paused outside the pair's sync window (its schedule)
// 10. PausedWithPending  paused by the user while changes or retries wait
// 11. Syncing            a cycle runs, work is known (pending changes, queued retries), or
//                        the engine has not ended its first cycle yet (nothing is known)
// 12. Paused             paused with nothing waiting
// 13. UpToDate           idle with nothing pending, queued, failed or in conflict
// 14. NoPairs            the app only: no folder pair is configured
// Conditions that hold together are ranked by what the user must do first: a pair whose server
// refused the password is also paused, and says "Sign-in needed"; one paused pair among idle
// ones makes the app "Paused", never "Up to date".
enum class SyncState {
    SignInNeeded,
    DecisionNeeded,
    Error,
    Conflict,
    FailedItems,
    Offline,
    PausedMetered,
    PausedBattery,
    PausedSchedule,
    PausedWithPending,
    Syncing,
    Paused,
    UpToDate,
    NoPairs,
};

// What a pair's state is computed from.
struct PairFacts
{
    StatusSnapshot status;
    bool firstCycleDone = false; // the engine ended a cycle since the process started it
    bool signInNeeded = false;   // the server refused the credentials since the last good contact
    bool deletionHeld = false;   // the mass-deletion guard holds the pair until the user decides
};

SyncState pairState(const PairFacts &facts);
SyncState appState(const QVector<SyncState> &pairStates);

// "sign-in-needed", "up-to-date", ...: stable names for tests, logs and the D-Bus API.
QString stateKey(SyncState state);

} // namespace steadysync
