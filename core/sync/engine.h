#pragma once

#include "clock.h"
#include "journal/journal.h"
#include "local/ignorerules.h"
#include "local/localwatcher.h"
#include "local/scanner.h"
#include "remote/remotebackend.h"
#include "sync/cyclereport.h"
#include "sync/ownwrites.h"
#include "sync/propagator.h"
#include "sync/reconciler.h"
#include "sync/remotefingerprint.h"
#include "sync/remotepermissioncheck.h"
#include "sync/remotetreecache.h"
#include "sync/retrypolicy.h"
#include "sync/schedule.h"
#include "sync/selectionchange.h"
#include "sync/syncplan.h"
#include "versions/remoteversionkeeper.h"
#include "versions/remoteversionpruner.h"
#include "versions/versionkeeper.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>
#include <QUrl>

#include <functional>
#include <memory>
#include <optional>

namespace steadysync {

class AbsenceProof;
class Debouncer;
class PairLock;
class RemoteWalker;
class RootIdentity;

struct EngineOptions
{
    QString localRoot;
    QUrl remoteUrl;
    BackendOptions backend;
    ConflictPolicy conflictPolicy = ConflictPolicy::KeepBoth;
    RetryPolicy retry;
    qint64 debounceMs = 1000;
    qint64 pollIntervalS = 30;
    qint64 fullRescanIntervalS = 3600;
    qint64 diskReserveBytes = 512LL * 1024 * 1024;
    bool allowMassDelete = false;
    // A new remote folder with more than this in it waits for the user (selective sync);
    // 0: none waits. The CLI's default is 500 MiB, the app's a pair setting (500 MiB too).
    qint64 newFolderLimitBytes = 0;
    QStringList excludes;
    LocalWatcher::Backend watcherBackend = LocalWatcher::Backend::Auto;
    // Schedules (issue 20): outside its window a watched pair is held; the timetable's limits
    // replace backend.bwLimitUpKiB/DownKiB when it is not empty.
    SyncWindow syncWindow;
    BandwidthTimetable bandwidthTimetable;
    // Keep the server's version before overwriting or deleting a file there, in the hidden
    // .steadysync-versions/ collection (issue 17; RemoteVersionKeeper). Off by default.
    bool remoteVersions = false;
};

enum class ConflictChoice { KeepLocal, KeepRemote, KeepBoth };

// The sync engine of one folder pair (SPEC §1–§6). Create it, move it to a worker QThread,
// then call its slots through queued connections; it reports through signals only.
// runOnce() is the CLI's `sync`; startWatching() is `watch` and the GUI.
class Engine : public QObject
{
    Q_OBJECT
public:
    explicit Engine(const EngineOptions &options, const Clock *clock = SystemClock::instance(),
                    QObject *parent = nullptr);
    ~Engine() override;

    // A race lost on a server without locks takes five: the upload, its check (unproven), the
    // download that keeps our version aside, the copy's upload and its check.
    static constexpr int MaxRedoRounds = 5;

    // For the process serving the pair on D-Bus; call them on the engine's thread.
    // The pair lock is held and the journal open (startWatching() or runOnce() set it up).
    bool isSetUp() const { return m_journal != nullptr; }
    // A cycle runs or is due now (changes seen, maybe still in their quiet time, or a cycle
    // asked for). A paused or offline pair holds nothing it could do now.
    bool hasWorkInHand() const;
    // The bandwidth limits in force on the remote: {up, down} KiB/s, 0 = unlimited.
    std::pair<qint64, qint64> bandwidthLimits() const;

public Q_SLOTS:
    // One full cycle (plus re-checks of what moved meanwhile); emits onceFinished().
    void runOnce();
    // Watch the local side, poll the remote, retry with backoff until stop().
    void startWatching();
    void stop();
    void syncNow();
    void pause();
    void resume();
    // Held while the connection is metered (a pair option): paused as by pause(), but a
    // resume() by the user leaves it held, and the end of the hold leaves a user's pause.
    void setMeteredHold(bool held);
    // Held on battery power (a pair option: below a charge or in power-saver mode), as the
    // metered hold is: independent of the user's pause.
    void setBatteryHold(bool held);
    void retryAll();
    void confirmMassDelete();
    // The other answer to a held mass deletion: the next full cycle copies what one side lost
    // back from the other side instead of deleting it there.
    void restoreMassDelete();
    void resolveConflict(const QString &path, steadysync::ConflictChoice choice);
    // Selective sync from the app (SelectionChange, applySelectionChange): applied once no
    // cycle runs, then a full cycle follows; answered by folderSelectionChanged().
    void changeFolderSelection(const steadysync::SelectionChange &change);

Q_SIGNALS:
    void onceFinished(const steadysync::CycleReport &report);
    void cycleFinished(const steadysync::CycleReport &report);
    void statusChanged(const steadysync::StatusSnapshot &status);
    // One file's bytes moved so far, a few times a second while it moves (Propagator).
    void transferProgress(const QString &path, bool upload, qint64 bytesDone, qint64 bytesTotal);
    void itemDone(const QString &path, steadysync::ActionKind kind, bool ok,
                  const QString &message);
    void conflictOpened(const QString &path, const QString &conflictCopy);
    void warning(const QString &message);
    // startWatching() could not set the pair up (lock held, paired elsewhere, unusable
    // journal); stopped() follows.
    void startFailed(const QString &message);
    // A cycle found the remote root there and the credentials accepted.
    void remoteReached();
    void massDeleteBlocked(const steadysync::MassDeleteVerdict &verdict);
    void credentialsRequired(const QString &message);
    void stopped();
    void conflictResolved(const QString &path, bool ok, const QString &message);
    // A poll found the remote as the last cycle left it (changed: false; nothing else runs),
    // or changed (a full cycle follows).
    void remotePolled(bool changed);
    // A changeFolderSelection() was applied (error empty) or refused (error says why).
    void folderSelectionChanged(const steadysync::SelectionOutcome &outcome, const QString &error);
    // The new remote folders held back until the user chooses, at set-up and after each full
    // cycle and selection change (FolderSelection::heldBackFolders).
    void heldBackChanged(const QStringList &folders);

private:
    enum class Mode { Idle, Once, Watching };

    Status setUp();
    // The user's patterns plus the folders the selection leaves out.
    void loadIgnoreRules();
    void startLocalWatcher();
    void applyPendingSelections();
    // Both roots are still the ones this pair was set up with (RootIdentity); a changed one
    // stops the cycle before anything is planned.
    Status checkRoots();
    std::optional<Error> guardMassDeletion(bool full, const SyncPlan &plan,
                                           const JournalSnapshot &journal,
                                           const LocalSnapshot &local,
                                           const RemoteSnapshot &remote);
    void holdMassDeletion(const MassDeleteVerdict &verdict);
    void requestCycle(const QStringList &paths, bool full);
    void maybeStartCycle();
    void startCycle(const QStringList &scopes, bool full);
    // Scans the scopes in the thread pool; then() runs on the engine's thread.
    void scanLocal(const QStringList &scopes, const JournalSnapshot &journal,
                   std::function<void(Result<ScanResult>)> then);
    void onLocalScanned(const QStringList &scopes, bool full, Result<ScanResult> scan,
                        const JournalSnapshot &journal);
    void onRemoteWalked(const QStringList &scopes, bool full, const ScanResult &scan,
                        const JournalSnapshot &journal, RemoteWalker *walker);
    // A cycle planned and past the deletion guards, before its local deletions are proven.
    struct PlannedCycle
    {
        QStringList scopes;
        bool full = false;
        SyncPlan plan;
        JournalSnapshot journal;
        LocalSnapshot local;
        RemoteSnapshot remote;
        QStringList untouchable;
    };
    void proveAbsences(const PlannedCycle &cycle);
    void onAbsencesProven(PlannedCycle cycle, const AbsenceProof &proof);
    void propagate(const QStringList &scopes, bool full, const SyncPlan &plan,
                   const RemoteSnapshot &remote);
    void onPropagated(const QStringList &scopes, bool full);
    // Every poll interval while watching: walks the remote only, and starts a full cycle when
    // it differs from the last full cycle's walk (local changes travel through the watcher).
    void pollRemote();
    void onPollWalked(RemoteWalker *walker);
    // A walker that reuses what m_remoteTreeCache holds; the caller starts it.
    ReconcileOptions reconcileOptions() const;
    RemoteWalker *newRemoteWalker();
    QString clientId();
    void removeLeftoverTemporaries(std::function<void()> then);
    void updateTreeCache(const QStringList &scopes, const RemoteWalker &walker);
    void finishCycle(const std::optional<Error> &fatal);
    void enterOffline(const Error &error);
    void probeRemote();
    void armRetryTimer();
    void onRetryTimer();
    void onPathChanged(const QString &path);
    void setState(const QString &state);
    void publishStatus(bool force = false);
    // Work known and not done: the rest of the cycle's plan, and changes seen since (not the
    // echoes of the client's own writes). The counters and the stats samples both show it.
    qint64 pendingWork() const;
    void sampleStatistics();
    void appendSample(const StatusSnapshot &status);
    // Paths this cycle leaves alone: open conflicts, and items that failed permanently unless
    // one of their sides changed since (those are taken off the retry queue).
    QSet<QString> excludedPaths(const QStringList &scopes, const LocalSnapshot &local,
                                const RemoteSnapshot &remote);
    // On a local disk that ignores letter case, the remote paths it cannot hold beside another
    // that differs only in case: reported (exit 1) and left alone this cycle.
    QStringList newFoldersHeldBack(bool full, const LocalSnapshot &local,
                                   const RemoteSnapshot &remote, const JournalSnapshot &journal);
    QStringList caseClashesLeftAlone(const LocalSnapshot &local, const RemoteSnapshot &remote,
                                     const JournalSnapshot &journal);
    // Keeps m_rejectedRemotePaths as the walk of scopes found them.
    void rememberRejectedPaths(const QStringList &scopes, const QStringList &rejected);
    // A queued item the plan has nothing left to do for is settled (another client made both
    // sides equal, the file went away on both): it leaves the queue instead of waiting forever.
    void dropSettledRetryItems(const QStringList &scopes, const SyncPlan &plan,
                               const QStringList &untouchable);
    // Starts a bounded prune of the version store in the background (after a cycle).
    void pruneVersions();
    void completeResolution(const ConflictRecord &conflict, const JournalRecord &record);
    // Schedules (engineschedule.cpp): applies the window and the timetable for the clock's
    // local time, then sleeps until their next boundary.
    void applySchedule();
    void setScheduleHold(bool held);

    EngineOptions m_options;
    const Clock *m_clock;
    Mode m_mode = Mode::Idle;
    std::optional<bool> m_localCaseInsensitive; // probed at the first walk
    QString m_state = QStringLiteral("idle");
    QString m_lastError;
    bool m_paused = false;
    bool m_meteredHold = false;
    bool m_batteryHold = false;
    bool m_scheduleHold = false; // outside the pair's sync window
    bool isPaused() const
    {
        return m_paused || m_meteredHold || m_batteryHold || m_scheduleHold;
    }
    void applyHold(bool &hold, bool held, const QString &reason);
    bool m_cycleRunning = false;
    bool m_massDeleteConfirmed = false;
    bool m_restoreDeletions = false; // restoreMassDelete() asked; the next full cycle does it
    // A deletion the guard stopped, until the user decides or a full cycle no longer plans it.
    std::optional<MassDeleteVerdict> m_heldMassDelete;

    std::unique_ptr<PairLock> m_lock;
    std::unique_ptr<Journal> m_journal;
    std::unique_ptr<RootIdentity> m_identity;
    bool m_localRootLost = false; // a cycle found the local root replaced or unmounted
    std::unique_ptr<RemoteBackend> m_backend;
    std::unique_ptr<LocalWatcher> m_watcher;
    IgnoreRules m_ignore;
    Debouncer *m_debouncer = nullptr;
    QPointer<Propagator> m_propagator;
    RemoteTreeCache m_remoteTreeCache; // the last walks, for servers with telling directory ETags
    // What the remote looked like to a walk, for a poll to compare with: the running full
    // cycle's walk, and that of the last full cycle that ended well.
    std::optional<RemoteFingerprint> m_cycleWalk;
    std::optional<RemoteFingerprint> m_lastRemoteView;
    QPointer<RemoteWalker> m_pollWalker;
    // Where the remote lists names we refuse, as the last walk of their collection found it.
    QSet<QString> m_rejectedRemotePaths;

    QVector<SelectionChange> m_pendingSelections; // wait for the running cycle to end
    std::unique_ptr<VersionKeeper> m_versions; // keeps what a cycle replaces or removes
    VersionPruner m_versionPruner;             // off the sync path; waits for its run on exit
    std::unique_ptr<RemoteVersionKeeper> m_remoteVersions;      // with options.remoteVersions only
    std::unique_ptr<RemoteVersionPruner> m_remoteVersionPruner; // always: earlier ones too

    QSet<QString> m_dirtyPaths;
    OwnWrites m_ownWrites;
    bool m_fullCycleRequested = false;
    int m_redoRound = 0;
    CycleReport m_report;                      // accumulates over redo rounds
    RemotePermissions m_remoteRootPermissions; // of the remote root, from the cycle's first stat
    FolderPermissions m_folderPermissions;     // oc:permissions of the folders last listed
    QElapsedTimer m_cycleTimer;

    QTimer m_pollTimer;
    QTimer m_rescanTimer;
    QTimer m_retryTimer;
    QTimer m_probeTimer;
    QTimer m_sampleTimer;
    QTimer m_journalPollTimer;
    QTimer m_scheduleTimer;
    qint64 m_probeDelayMs = 1000;
    qint64 m_lastStatusPublishMs = 0;
    qint64 m_lastSampleMs = 0;
    qint64 m_filesDone = 0;
    qint64 m_filesTotal = 0;
    qint64 m_bytesDone = 0;
};

} // namespace steadysync

Q_DECLARE_METATYPE(steadysync::ConflictChoice)
