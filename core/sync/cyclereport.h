#pragma once

#include "journal/journal.h"
#include "remote/serverspace.h"
#include "result.h"
#include "sync/enginestate.h"
#include "sync/massdeleteguard.h"

#include <QMetaType>
#include <QStringList>

#include <optional>

namespace steadysync {

// What one sync cycle did (the JSON of `steadysync-cli sync --json`, DESIGN §7).
struct CycleReport
{
    qint64 uploaded = 0;
    qint64 downloaded = 0;
    qint64 deletedLocal = 0;
    qint64 deletedRemote = 0;
    qint64 moved = 0;
    qint64 conflicts = 0;
    qint64 failed = 0; // failed permanently (incl. rejected names)
    qint64 queued = 0; // waiting in the retry queue
    qint64 skippedUnchanged = 0;
    qint64 bytesUp = 0;
    qint64 bytesDown = 0;
    double seconds = 0;
    qint64 openConflicts = 0; // conflicts waiting for the user (policy "ask")
    // Where the time went (DESIGN §9 measures the local side of a re-sync on its own).
    double localScanSeconds = 0;
    double remoteWalkSeconds = 0;
    // The first round's walk of the whole remote alone, 0 if none (it paces polls where a poll
    // walks all of it: Engine::onCycleFinished).
    double firstWholeWalkSeconds = 0;
    // The cycle planned with the walk of the poll that started it (FreshWalkOffer): it listed
    // nothing itself.
    bool remoteWalkFromPoll = false;

    // Set when the cycle executed nothing of its plan.
    std::optional<Error> fatal;
    bool fatalFromRemote = false; // the server failed the cycle (its answer, not our set-up)
    std::optional<MassDeleteVerdict> massDelete; // set when the guard stopped the cycle
    QStringList heldBack; // new remote folders waiting for the user's choice (selective sync)
    QStringList warnings; // skipped symlinks, rejected names, unreadable items: "path: why"
    QVector<RetryItem> unsyncedItems; // queued and failed items with their reasons, at the end

    void add(const CycleReport &other);
    bool clean() const
    {
        return !fatal && !massDelete && failed == 0 && queued == 0 && openConflicts == 0 &&
               heldBack.isEmpty();
    }
};

// A point-in-time view of a pair for the UI and `status` (DESIGN §6).
struct StatusSnapshot
{
    EngineState state = EngineState::Idle;
    Counters counters;
    qint64 trackedFiles = 0;
    qint64 pending = 0;
    qint64 retryQueue = 0;
    qint64 failedPermanent = 0;
    qint64 openConflicts = 0;
    qint64 excludedFolders = 0; // selective sync (FolderSelection)
    qint64 lastSyncMs = 0;
    QString lastError;
    bool pausedForMetered = false;  // paused only because the connection is metered
    bool pausedForBattery = false;  // paused only because the machine runs on battery
    bool pausedForSchedule = false; // paused only because it is outside the pair's sync window
    qint64 filesDone = 0;           // progress of the running cycle
    qint64 filesTotal = 0;
    qint64 bytesDone = 0;
    // The account's space on the server (Nextcloud, ownCloud: the root listing's quota);
    // nullopt where the server does not tell.
    std::optional<ServerSpace> serverSpace;

    double successRate() const
    {
        const qint64 total = counters.successes + counters.failures;
        return total == 0 ? 1.0 : double(counters.successes) / double(total);
    }
};

// The persisted part of a status: counters, queue lengths, conflicts, the live values last
// written by a running engine.
StatusSnapshot readStatus(const Journal &journal);
// The stats sample of a status at timeMs: the charts plot what the counters showed.
StatsSample statsSampleOf(const StatusSnapshot &status, qint64 timeMs);

} // namespace steadysync

Q_DECLARE_METATYPE(steadysync::CycleReport)
Q_DECLARE_METATYPE(steadysync::StatusSnapshot)
