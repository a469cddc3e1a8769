#pragma once

#include "clock.h"
#include "journal/journal.h"
#include "local/ignorerules.h"
#include "local/localwatcher.h"
#include "local/scanner.h"
#include "remote/remotebackend.h"
#include "sync/conflictresolver.h"
#include "sync/cyclereport.h"
#include "sync/cyclerunner.h"
#include "sync/engineoptions.h"
#include "sync/enginestate.h"
#include "sync/ownwrites.h"
#include "sync/propagator.h"
#include "sync/reconciler.h"
#include "sync/remotechangewatch.h"
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

class Debouncer;
class PairLock;
class RemoteWalker;
class RootIdentity;

// The sync engine of one folder pair (DESIGN §1–§6). Create it, move it to a worker QThread,
// then call its slots through queued connections; it reports through signals only.
// runOnce() is the CLI's `sync`; startWatching() is `watch` and the GUI. The Engine decides
// when a cycle runs (watcher, debounce, timers, polls, holds, the offline probe) and publishes
// the pair's status; its CycleRunner runs the cycles.
class Engine : public QObject
{
    Q_OBJECT
public:
    explicit Engine(const EngineOptions &options, const Clock *clock = SystemClock::instance(),
                    QObject *parent = nullptr);
    ~Engine() override;

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
    // A version kept on the server (remote-side versions) brought into the local store with
    // this pair's backend and credentials, for the app's Versions view; answered by
    // keptVersionFetched(). Call on the engine's thread.
    void fetchKeptVersion(const steadysync::VersionEntry &entry);

    // The wait between remote polls now (pollIntervalMsAfterWalk), and how long the last
    // walk that paces them took (-1: none yet): a poll's, or a full cycle's own where every
    // walk lists the whole remote (RemoteWalker::mayReuseTreeCache).
    int pollIntervalMs() const { return m_pollTimer.interval(); }
    qint64 lastPollWalkMs() const { return m_lastPollWalkMs; }

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
    // fetchKeptVersion() ended: the version's SHA-256 as fetched, or why it was not.
    void keptVersionFetched(qint64 id, const QByteArray &sha256, const QString &error);
    // A poll found the remote as the last cycle left it (changed: false; nothing else runs),
    // or changed (a full cycle follows).
    void remotePolled(bool changed);
    // A changeFolderSelection() was applied (error empty) or refused (error says why).
    void folderSelectionChanged(const steadysync::SelectionOutcome &outcome, const QString &error);
    // The new remote folders held back until the user chooses, at set-up and after each full
    // cycle and selection change (FolderSelection::heldBackFolders).
    void heldBackChanged(const QStringList &folders);

private:
    using Mode = EngineMode;

    // The runner's signals: forwarded, or turned into the engine's state and status.
    void connectRunner();
    Status setUp();
    // The journal names this pair's remote (or learns it) and both roots are the ones the pair
    // was set up with (RootIdentity).
    Status identifyPair();
    // The user's patterns plus the folders the selection leaves out.
    void loadIgnoreRules();
    void startLocalWatcher();
    void applyPendingSelections();
    void requestCycle(const QStringList &paths, bool full);
    void maybeStartCycle();
    // The runner's cycle ended: the pair's state and status follow from its report.
    void onCycleFinished(bool completed);
    void applyCycleOutcome(const CycleReport &report);
    // Every poll interval while watching: walks the remote only, and starts a full cycle when
    // it differs from the last full cycle's walk (local changes travel through the watcher).
    void pollRemote();
    void startRemoteChangeWatch(); // enginechangewatch.cpp
    void onPollWalked(RemoteWalker *walker);
    bool mayOfferPollWalk(const RemoteWalker &walker) const;
    void pacePollsAfterWalk(qint64 walkMs);
    void releaseMemoryOnceIdle();
    QString clientId();
    void enterOffline(const Error &error);
    void probeRemote();
    void armRetryTimer();
    void onRetryTimer();
    void onPathChanged(const QString &path);
    void setState(EngineState state);
    void publishStatus(bool force = false);
    void publishServerSpace(StatusSnapshot &status);
    // Work known and not done: the rest of the cycle's plan, and changes seen since (not the
    // echoes of the client's own writes). The counters and the stats samples both show it.
    qint64 pendingWork() const;
    void sampleStatistics();
    void appendSample(const StatusSnapshot &status);
    // Starts a bounded prune of the version store in the background (after a cycle).
    void pruneVersions();
    // Schedules (engineschedule.cpp): applies the window and the timetable for the clock's
    // local time, then sleeps until their next boundary.
    void applySchedule();
    void setScheduleHold(bool held);

    EngineOptions m_options;
    const Clock *m_clock;
    Mode m_mode = Mode::Idle;
    EngineState m_state = EngineState::Idle;
    QString m_lastError;
    bool m_paused = false;
    bool m_meteredHold = false;
    bool m_batteryHold = false;
    bool m_scheduleHold = false; // outside the pair's sync window
    bool isPaused() const { return m_paused || m_meteredHold || m_batteryHold || m_scheduleHold; }
    void applyHold(bool &hold, bool held, const QString &reason);

    std::unique_ptr<PairLock> m_lock;
    std::unique_ptr<Journal> m_journal;
    std::unique_ptr<RootIdentity> m_identity;
    std::unique_ptr<RemoteBackend> m_backend;
    std::unique_ptr<LocalWatcher> m_watcher;
    IgnoreRules m_ignore;
    Debouncer *m_debouncer = nullptr;
    CycleRunner *m_runner = nullptr; // a child, deleted before the journal and the backend
    // What the remote looked like to the last full cycle that ended well, for a poll to
    // compare with.
    std::optional<RemoteFingerprint> m_lastRemoteView;
    QPointer<RemoteWalker> m_pollWalker;
    QElapsedTimer m_pollWalkClock; // since m_pollWalker started
    // When m_pollWalker started: Journal::recordChanges(), the ignore rules, whether the
    // remote root was this pair's (RootIdentity).
    quint64 m_pollWalkJournalChanges = 0;
    QString m_pollWalkIgnoreRules;
    bool m_pollWalkRootChecked = false;
    qint64 m_lastPollWalkMs = -1;
    QPointer<RemoteChangeWatch> m_changeWatch; // remote changes in seconds (watch only)

    QVector<SelectionChange> m_pendingSelections;          // wait for the running cycle to end
    std::unique_ptr<VersionKeeper> m_versions;             // keeps what a cycle replaces or removes
    std::unique_ptr<RemoteVersionKeeper> m_remoteVersions; // with options.remoteVersions only
    std::unique_ptr<RemoteVersionPruner> m_remoteVersionPruner; // always: earlier ones too
    VersionPruner m_versionPruner; // off the sync path; waits for its run on exit

    QSet<QString> m_dirtyPaths;
    OwnWrites m_ownWrites;
    bool m_fullCycleRequested = false;

    QTimer m_pollTimer;
    QTimer m_rescanTimer;
    QTimer m_unwatchedTimer; // looks at what the watch limit left unwatched, at the poll pace
    QTimer m_retryTimer;
    QTimer m_probeTimer;
    QTimer m_sampleTimer;
    QTimer m_journalPollTimer;
    QTimer m_scheduleTimer;
    qint64 m_probeDelayMs = 1000;
    qint64 m_lastStatusPublishMs = 0;
    qint64 m_lastSampleMs = 0;
};

} // namespace steadysync
