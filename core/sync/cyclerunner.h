#pragma once

#include "clock.h"
#include "journal/journal.h"
#include "local/ignorerules.h"
#include "local/scanner.h"
#include "remote/remotebackend.h"
#include "sync/cyclereport.h"
#include "sync/engineoptions.h"
#include "sync/etagpropagation.h"
#include "sync/freshwalk.h"
#include "sync/reconciler.h"
#include "sync/remotefingerprint.h"
#include "sync/remotepermissioncheck.h"
#include "sync/remotetreecache.h"
#include "sync/syncplan.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QSet>

#include <functional>
#include <future>
#include <optional>
#include <utility>

namespace steadysync {

class RemoteVersionKeeper;

class AbsenceProof;
class Propagator;
class RemoteWalker;
class RootIdentity;
class VersionKeeper;

// How an engine runs: stopped, one cycle (the CLI's `sync`), or watching (`watch`, the app).
enum class EngineMode { Idle, Once, Watching };

// Drops paths that lie below another path of the set: scanning the ancestor covers them.
QStringList collapseScopes(const QSet<QString> &paths);

// What a cycle works with: the pair's journal, remote, roots and versions, which the Engine
// owns and sets up before the first cycle.
struct CycleResources
{
    Journal *journal = nullptr;
    RemoteBackend *backend = nullptr;
    RootIdentity *identity = nullptr;
    VersionKeeper *versions = nullptr;
    RemoteVersionKeeper *remoteVersions = nullptr; // with EngineOptions::remoteVersions only
};

// One sync cycle of a pair: scan → walk → plan → guards → propagate, then redo rounds for what
// changed meanwhile (DESIGN §3–§5). The Engine decides when a cycle runs (watcher, timers, polls,
// holds) and what its end means for the pair's state; the runner reports through signals and
// its report(). Lives on the engine's thread, as its child.
class CycleRunner : public QObject
{
    Q_OBJECT
public:
    // A race lost on a server without locks takes five: the upload, its check (unproven), the
    // download that keeps our version aside, the copy's upload and its check.
    static constexpr int MaxRedoRounds = 5;

    // options, mode and ignore are the engine's, read as they are when a step needs them.
    CycleRunner(const EngineOptions &options, const Clock *clock, const EngineMode &mode,
                const IgnoreRules &ignore, QObject *parent);
    ~CycleRunner() override;

    void setResources(const CycleResources &resources) { m_res = resources; }

    // A new report, accumulated over the cycle's rounds; its time counts from now.
    void startReport();
    CycleReport &report() { return m_report; }
    double elapsedSeconds() const { return double(m_cycleTimer.elapsed()) / 1000.0; }
    // When report().fatal is empty: the reason a queued or failed item gives (`status` shows).
    const QString &unsyncedError() const { return m_unsyncedError; }

    // Runs a cycle over scopes (full: the whole tree); finished() at its end.
    void start(const QStringList &scopes, bool full);
    bool isRunning() const { return m_running; }
    // Ends the running propagation (pause, hold, stop): the cycle finishes with reason.
    void abortPropagation(const Error &reason);
    // The answers to a held mass deletion, for the next cycle (confirm) or full cycle (restore).
    void confirmMassDelete()
    {
        m_massDeleteConfirmed = true;
        m_heldMassDelete.reset();
    }
    void restoreDeletions() { m_restoreDeletions = true; }

    struct Progress
    {
        qint64 filesDone = 0;
        qint64 filesTotal = 0;
        qint64 bytesDone = 0;
    };
    const Progress &progress() const { return m_progress; }
    // The remote as the running full cycle walked it; the engine takes it at the cycle's end.
    std::optional<RemoteFingerprint> takeCycleWalk() { return std::exchange(m_cycleWalk, {}); }

    // The tree cache (the last walks, for servers with telling directory ETags), shared with
    // the engine's polls: a walker that reuses it (the caller starts it), and its update.
    RemoteWalker *newRemoteWalker();
    void updateTreeCache(const QStringList &scopes, const RemoteWalker &walker);
    // Forgets what the walks saw (the ignore rules changed): the cache and an offered walk.
    void clearTreeCache();
    // The walk of the whole remote a poll just made and found changed (see FreshWalkOffer):
    // the next cycle uses it instead of listing the remote again if mayUseFreshWalk(), and
    // drops it either way. Takes walker (one of newRemoteWalker()'s).
    void offerFreshWalk(RemoteWalker *walker, quint64 journalChangesAtStart);
    // Whether the remote's collection ETags were verified to propagate to the root
    // (EtagPropagationProbe, cyclerunnerpropagation.cpp): a cheap poll of the root tells then.
    bool remotePropagationVerified() const;

Q_SIGNALS:
    // A round starts (redo rounds too): the pair is syncing.
    void roundStarted();
    void progressed(qint64 filesDone, qint64 filesTotal);
    // The cycle ended; completed: it ran to its end (report().fatal empty, or a cancellation
    // that the report does not show). report() is complete.
    void finished(bool completed);
    void itemDone(const QString &path, steadysync::ActionKind kind, bool ok,
                  const QString &message);
    void conflictOpened(const QString &path, const QString &conflictCopy);
    void transferProgress(const QString &path, bool upload, qint64 bytesDone, qint64 bytesTotal);
    void remoteReached();
    void massDeleteBlocked(const steadysync::MassDeleteVerdict &verdict);
    void heldBackChanged(const QStringList &folders);
    // The local root was found again after it went (a disk mounted again): watch it anew.
    void localRootBack();

private:
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

    void startRound(const QStringList &scopes, bool full);
    // Both roots are still the ones this pair was set up with (RootIdentity); a changed one
    // stops the cycle before anything is planned.
    Status checkRoots();
    void removeLeftoverTemporaries(std::function<void()> then);
    // Scans the scopes in the thread pool; then() runs on this thread.
    void scanLocal(const QStringList &scopes, const JournalSnapshot &journal,
                   std::function<void(Result<ScanResult>)> then);
    // cyclerunnerpropagation.cpp: the verdict on ETag propagation, once per pair (kept in the
    // journal's settings), and the tree cache kept between runs where it is verified.
    bool propagationKnown() const;
    void learnPropagation(std::function<void()> then);
    void adoptPropagationVerdict(const EtagPropagationVerdict &verdict);
    QString treeCacheFilePath() const;
    void saveTreeCache(const RemoteWalker &walker, bool cacheChanged);
    bool keepsTreeCacheBetweenRuns() const;
    void startReadingLeavesCache();
    void takeLeavesCache();
    void forgetTreeCache();
    void announceRemoteChanges(std::function<void()> then);
    // The offered walk if this round may use it, else nullptr; the offer is gone either way.
    RemoteWalker *takeFreshWalk(const QStringList &scopes, bool full);
    void dropFreshWalk();
    // The round's own walk of the remote, started beside the local scan where nothing needs
    // to happen on the remote first (the two do not depend on each other: a no-change sync of
    // 100,000 files waited for its walk after its scan). then(walker) runs once it is done;
    // the walker is deleted later.
    void startRoundWalk(const QStringList &scopes);
    void awaitRoundWalk(std::function<void(RemoteWalker *)> then);
    void dropRoundWalk();
    void onLocalScanned(const QStringList &scopes, bool full, Result<ScanResult> scan,
                        const JournalSnapshot &journal);
    void onRemoteWalked(const QStringList &scopes, bool full, const ScanResult &scan,
                        const JournalSnapshot &journal, RemoteWalker *walker);
    void reportSkipped(const ScanResult &scan, const RemoteWalker &walker);
    // What cannot be seen now must not look deleted: set aside in the cycle's three snapshots.
    QStringList setAsideUnseen(const QStringList &scopes, bool full, const ScanResult &scan,
                               const RemoteWalker &walker, PlannedCycle &cycle);
    // The deletion guards (DESIGN §4) unless the user allowed or confirmed: the reason the
    // cycle stops, or none.
    std::optional<Error> guardDeletions(const PlannedCycle &cycle);
    void holdMassDeletion(const MassDeleteVerdict &verdict);
    void proveAbsences(const PlannedCycle &cycle);
    void onAbsencesProven(PlannedCycle cycle, const AbsenceProof &proof);
    void propagate(const QStringList &scopes, const SyncPlan &plan, const RemoteSnapshot &remote);
    void onPropagated();
    void finish(const std::optional<Error> &fatal);
    // The end of the report: queued and failed items from the retry queue, open conflicts.
    void completeReport(const std::optional<Error> &fatal);
    ReconcileOptions reconcileOptions() const;
    // Paths this cycle leaves alone: open conflicts, and items that failed permanently unless
    // one of their sides changed since (those are taken off the retry queue).
    QSet<QString> excludedPaths(const QStringList &scopes, const LocalSnapshot &local,
                                const RemoteSnapshot &remote);
    // Large new remote folders held back until the user chooses (selective sync).
    QStringList newFoldersHeldBack(bool full, const LocalSnapshot &local,
                                   const RemoteSnapshot &remote, const JournalSnapshot &journal);
    // On a local disk that ignores letter case, the remote paths it cannot hold beside another
    // that differs only in case: reported (exit 1) and left alone this cycle.
    QStringList caseClashesLeftAlone(const LocalSnapshot &local, const RemoteSnapshot &remote,
                                     const JournalSnapshot &journal);
    // Keeps m_rejectedRemotePaths as the walk of scopes found them.
    void rememberRejectedPaths(const QStringList &scopes, const QStringList &rejected);
    // A queued item the plan has nothing left to do for is settled (another client made both
    // sides equal, the file went away on both): it leaves the queue instead of waiting forever.
    void dropSettledRetryItems(const QStringList &scopes, const SyncPlan &plan,
                               const QStringList &untouchable);

    const EngineOptions &m_options;
    const Clock *m_clock;
    const EngineMode &m_mode;
    const IgnoreRules &m_ignore;
    CycleResources m_res;

    bool m_running = false;
    int m_redoRound = 0;
    bool m_massDeleteConfirmed = false;
    bool m_restoreDeletions = false; // restoreDeletions() asked; the next full cycle does it
    // A deletion the guards stopped, until the user decides or a full cycle no longer plans it.
    std::optional<MassDeleteVerdict> m_heldMassDelete;
    bool m_localRootLost = false; // a cycle found the local root replaced or unmounted
    std::optional<bool> m_localCaseInsensitive; // probed at the first walk
    CycleReport m_report;
    QString m_unsyncedError;
    QElapsedTimer m_cycleTimer;
    Progress m_progress;
    QPointer<Propagator> m_propagator;
    RemoteTreeCache m_remoteTreeCache;
    QPointer<RemoteWalker> m_freshWalk; // offerFreshWalk(), with its offer
    QPointer<RemoteWalker> m_roundWalk; // startRoundWalk()
    bool m_roundWalkDone = false;
    std::function<void(RemoteWalker *)> m_onRoundWalked;
    FreshWalkOffer m_freshWalkOffer;
    bool m_roundUsedPollWalk = false; // this round planned with the offered walk
    bool m_propagationAsked = false;
    bool m_leavesCacheRead = false; // startReadingLeavesCache
    std::future<RemoteTreeCache> m_leavesCacheFile;
    std::optional<qint64> m_treeCacheSavedMs; // saveTreeCache, this runner's last write
    static constexpr qint64 TreeCacheSaveIntervalMs = 10 * 60 * 1000;
    std::optional<EtagPropagationVerdict> m_propagation;
    RemoteEntry m_rootEntry; // the remote root as this round's first stat saw it
    // What the running full cycle's walk found, for the engine's polls to compare with.
    std::optional<RemoteFingerprint> m_cycleWalk;
    // Where the remote lists names we refuse, as the last walk of their collection found it.
    QSet<QString> m_rejectedRemotePaths;
    RemotePermissions m_remoteRootPermissions; // of the remote root, from the cycle's first stat
    FolderPermissions m_folderPermissions;     // oc:permissions of the folders last listed
};

} // namespace steadysync
