#include "sync/engine.h"

#include "fs/hasher.h"
#include "local/debouncer.h"
#include "local/scanner.h"
#include "sync/absenceproof.h"
#include "sync/caseclash.h"
#include "sync/conflictnaming.h"
#include "sync/folderselection.h"
#include "sync/localfileops.h"
#include "sync/massdeleteguard.h"
#include "sync/newfolderhold.h"
#include "sync/pairlock.h"
#include "sync/readonlyfolder.h"
#include "sync/reconciler.h"
#include "sync/remotewalker.h"
#include "sync/rootidentity.h"

#include <QDir>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QStorageInfo>
#include <QThreadPool>

#include <algorithm>
#include <utility>

namespace steadysync {

namespace {

constexpr qint64 StatusPublishIntervalMs = 250;

// "Restore from the other side" for a held mass deletion: the journal forgets what one side
// lost, so the other side's copy reads as new there and is copied back instead of deleted.
SyncPlan planRestoringDeletions(const SyncPlan &plan, JournalSnapshot *journal,
                                const LocalSnapshot &local, const RemoteSnapshot &remote,
                                const ReconcileOptions &options)
{
    bool forgotten = false;
    for (const SyncAction &action : plan.actions) {
        if (mayDeleteRemote(action) || action.kind == ActionKind::DeleteLocal)
            forgotten |= journal->remove(action.path) > 0;
    }
    return forgotten ? Reconciler::reconcile(*journal, local, remote, options) : plan;
}
constexpr qint64 MaxProbeDelayMs = 5000; // recovery within 10 s of the server's return (SPEC §5)
constexpr int StatsSampleIntervalMs = 30'000;
// While a cycle runs, a sample goes with a published status at most this often, so that a
// short sync draws a line on the 10-minute chart and the chart follows the counters.
constexpr qint64 BusySampleIntervalMs = 2'000;
// A watcher's report of the client's own write comes within the debounce delay, and this
// much later on a busy machine.
constexpr qint64 OwnWriteEchoSlackMs = 15'000;
constexpr int JournalPollIntervalMs = 2'000;
constexpr qint64 StalePartialAgeS = 3600;
constexpr qint64 PartialDownloadMaxAgeS = 7 * 24 * 3600;

// Drops paths that lie below another path of the set: scanning the ancestor covers them.
QStringList collapseScopes(const QSet<QString> &paths)
{
    QStringList sorted(paths.cbegin(), paths.cend());
    std::sort(sorted.begin(), sorted.end());
    QStringList scopes;
    for (const QString &path : std::as_const(sorted)) {
        if (!scopes.isEmpty() && isSameOrBelow(path, scopes.constLast()))
            continue;
        scopes.append(path);
    }
    return scopes;
}

qint64 countFiles(const JournalSnapshot &journal)
{
    return std::count_if(journal.cbegin(), journal.cend(),
                         [](const JournalRecord &record) { return !record.isDir(); });
}

} // namespace

Engine::Engine(const EngineOptions &options, const Clock *clock, QObject *parent)
    : QObject(parent), m_options(options), m_clock(clock)
{
    qRegisterMetaType<CycleReport>();
    qRegisterMetaType<StatusSnapshot>();
    qRegisterMetaType<ConflictChoice>();
    qRegisterMetaType<ActionKind>();
    qRegisterMetaType<MassDeleteVerdict>();
    qRegisterMetaType<SelectionChange>();
    qRegisterMetaType<SelectionOutcome>();
    for (QTimer *timer : {&m_pollTimer, &m_rescanTimer, &m_retryTimer, &m_probeTimer,
                          &m_sampleTimer, &m_journalPollTimer, &m_scheduleTimer})
        timer->setParent(this);
    m_retryTimer.setSingleShot(true);
    m_probeTimer.setSingleShot(true);
    connect(&m_pollTimer, &QTimer::timeout, this, &Engine::pollRemote);
    connect(&m_rescanTimer, &QTimer::timeout, this, [this] { requestCycle({}, true); });
    connect(&m_retryTimer, &QTimer::timeout, this, &Engine::onRetryTimer);
    connect(&m_probeTimer, &QTimer::timeout, this, &Engine::probeRemote);
    m_scheduleTimer.setSingleShot(true);
    m_scheduleTimer.setTimerType(Qt::PreciseTimer); // a window opens on the minute, not 5% late
    connect(&m_scheduleTimer, &QTimer::timeout, this, &Engine::applySchedule);
    connect(&m_sampleTimer, &QTimer::timeout, this, &Engine::sampleStatistics);
    connect(&m_journalPollTimer, &QTimer::timeout, this, [this] {
        armRetryTimer();
        publishStatus();
    });
}

Engine::~Engine()
{
    delete m_propagator;
}

Status Engine::setUp()
{
    if (m_journal)
        return success();
    const QString root = m_options.localRoot;
    QString error;
    m_backend = RemoteBackend::create(m_options.remoteUrl, m_options.backend, &error);
    if (!m_backend)
        return makeError(ErrorKind::Permanent, error);
    connect(m_backend.get(), &RemoteBackend::warning, this, &Engine::warning);
    QFileInfo rootInfo(root);
    if (!rootInfo.exists()) {
        // A new pair may name a folder that does not exist yet; with no journal there is
        // nothing that could be mistaken for a deletion.
        if (!QDir().mkpath(root))
            return makeError(ErrorKind::Permanent,
                             tr("cannot create the local folder %1").arg(root));
    } else if (!rootInfo.isDir() || !rootInfo.isReadable()) {
        return makeError(ErrorKind::Permanent,
                         tr("the local folder %1 is not a readable folder").arg(root));
    }
    Result<std::unique_ptr<PairLock>> lock = PairLock::acquire(root);
    if (!lock.ok())
        return lock.error();
    m_lock = std::move(*lock);
    Result<std::unique_ptr<Journal>> journal = Journal::open(root);
    if (!journal.ok())
        return journal.error();
    m_journal = std::move(*journal);

    const QString known = m_journal->setting(QStringLiteral("remote_url"));
    const QString url = m_options.remoteUrl.toString(QUrl::RemoveUserInfo);
    if (known.isEmpty())
        m_journal->setSetting(QStringLiteral("remote_url"), url);
    else if (known != url) {
        m_journal.reset(); // not set up: a later call must not take the pair as ready
        m_lock.reset();
        return makeError(
            ErrorKind::Permanent,
            tr("%1 is already paired with %2; a folder syncs with one remote").arg(root, known));
    }
    Result<RootIdentity> identity = RootIdentity::establish(root, m_options.remoteUrl, *m_journal);
    if (!identity.ok()) {
        m_journal.reset();
        m_lock.reset();
        return identity.error();
    }
    m_identity = std::make_unique<RootIdentity>(std::move(*identity));
    if (const QString foreign = m_identity->foreignJournalReason(); !foreign.isEmpty())
        Q_EMIT warning(tr("the journal in %1/.steadysync does not belong to this folder (%2): "
                          "both sides are compared in full, nothing is deleted and differing "
                          "files are kept both")
                           .arg(root, foreign));
    m_journal->setSetting(QStringLiteral("conflict_policy"),
                          conflictPolicyName(m_options.conflictPolicy));
    m_journal->setSetting(QStringLiteral("remote_user"), m_options.backend.user);
    m_backend->setClientId(clientId());
    m_versions = std::make_unique<VersionKeeper>(root, m_clock);
    if (m_options.remoteVersions)
        m_remoteVersions = std::make_unique<RemoteVersionKeeper>(m_backend.get(), root, m_clock);
    // Also with the option off: versions kept on the server before still go by retention.
    m_remoteVersionPruner = std::make_unique<RemoteVersionPruner>(m_backend.get(), root, m_clock);
    loadIgnoreRules();
    Q_EMIT heldBackChanged(FolderSelection::heldBackFolders(*m_journal));
    // Partial downloads stay for the next attempt to resume (WebDavBackend::download).
    LocalFileOps::removeStaleTemporaries(root, PartialDownloadMaxAgeS);
    return success();
}

Status Engine::checkRoots()
{
    if (Status local = m_identity->checkLocal(); !local) {
        m_localRootLost = true;
        return local;
    }
    // The folder is back (a disk mounted again): its watches went with the unmount.
    if (std::exchange(m_localRootLost, false) && m_watcher) {
        [[maybe_unused]] const Status watching = m_watcher->start();
    }
    Status remote = m_identity->checkRemote(*m_journal);
    if (!remote)
        m_report.fatalFromRemote = true;
    return remote;
}

// A random id of this pair's journal: names the client's temporary files on the remote.
QString Engine::clientId()
{
    const QString key = QStringLiteral("client_id");
    QString id = m_journal->setting(key);
    if (id.isEmpty()) {
        id = QString::number(QRandomGenerator::system()->generate64(), 36);
        if (!m_journal->setSetting(key, id))
            return {}; // random names then, swept by age
    }
    return id;
}

// Temporary files a killed run left on the remote: recorded before use, so known by name.
void Engine::removeLeftoverTemporaries(std::function<void()> then)
{
    const QStringList leftovers = m_journal->remoteTemporaries();
    if (leftovers.isEmpty())
        return then();
    RemoteJob *job = m_backend->removeTemporaries(leftovers);
    connect(job, &RemoteJob::finished, this, [this, job, leftovers, then] {
        if (job->succeeded()) { // otherwise tried again next cycle
            for (const QString &path : leftovers)
                [[maybe_unused]] const Status forgotten = m_journal->removeRemoteTemporary(path);
        }
        then();
    });
}

void Engine::runOnce()
{
    m_mode = Mode::Once;
    m_report = {};
    m_cycleTimer.start();
    if (Status ready = setUp(); !ready) {
        m_report.fatal = ready.error();
        m_report.seconds = m_cycleTimer.elapsed() / 1000.0;
        Q_EMIT onceFinished(m_report);
        return;
    }
    applySchedule(); // the bandwidth timetable; `sync` checks the window before it starts
    requestCycle({}, true);
}

void Engine::startLocalWatcher()
{
    m_watcher = LocalWatcher::create(m_options.watcherBackend, m_options.localRoot, m_ignore);
    connect(m_watcher.get(), &LocalWatcher::pathChanged, this, &Engine::onPathChanged);
    connect(m_watcher.get(), &LocalWatcher::rescanNeeded, this, [this](const QString &reason) {
        Q_EMIT warning(tr("Watching is incomplete (%1); running a full rescan").arg(reason));
        requestCycle({}, true);
    });
    if (Status watching = m_watcher->start(); !watching)
        Q_EMIT warning(tr("Cannot watch the local folder (%1); relying on periodic rescans")
                           .arg(watching.error().message));
}

void Engine::startWatching()
{
    m_mode = Mode::Watching;
    if (Status ready = setUp(); !ready) {
        m_lastError = ready.error().message;
        setState(QStringLiteral("error"));
        Q_EMIT startFailed(ready.error().message);
        Q_EMIT stopped();
        return;
    }
    m_debouncer = new Debouncer(m_options.debounceMs, m_clock, this);
    m_ownWrites.setEchoWindowMs(m_options.debounceMs + OwnWriteEchoSlackMs);
    connect(m_debouncer, &Debouncer::ready, this,
            [this](const QStringList &paths) { requestCycle(paths, false); });
    startLocalWatcher();
    m_pollTimer.start(int(qMax<qint64>(1, m_options.pollIntervalS) * 1000));
    m_rescanTimer.start(int(qMax<qint64>(60, m_options.fullRescanIntervalS) * 1000));
    m_sampleTimer.start(StatsSampleIntervalMs);
    m_journalPollTimer.start(JournalPollIntervalMs);
    sampleStatistics();
    applySchedule();
    publishStatus(true); // a pair held from the start says so before any cycle
    requestCycle({}, true);
}

void Engine::stop()
{
    m_mode = Mode::Idle;
    for (QTimer *timer : {&m_pollTimer, &m_rescanTimer, &m_retryTimer, &m_probeTimer,
                          &m_sampleTimer, &m_journalPollTimer, &m_scheduleTimer})
        timer->stop();
    if (m_watcher)
        m_watcher->stop();
    if (m_propagator)
        m_propagator->abort(makeError(ErrorKind::Cancelled, tr("stopping")));
    delete m_pollWalker;
    if (m_journal) {
        sampleStatistics();
        setState(isPaused() ? QStringLiteral("paused") : QStringLiteral("idle"));
        publishStatus(true);
    }
    if (!m_cycleRunning)
        Q_EMIT stopped();
}

void Engine::syncNow()
{
    if (m_journal)
        m_journal->makeAllRetryItemsDue(m_clock->nowMs());
    requestCycle({}, true);
}

bool Engine::hasWorkInHand() const
{
    if (m_cycleRunning)
        return true;
    if (m_mode != Mode::Watching)
        return false;
    // Changes in their quiet time: soon pending work (paused: soon known to be pending).
    if (m_debouncer && m_debouncer->pendingCount() > 0)
        return true;
    if (isPaused() || m_state == QStringLiteral("offline"))
        return false;
    return m_fullCycleRequested || !m_dirtyPaths.isEmpty();
}

void Engine::pause()
{
    m_paused = true;
    if (m_propagator)
        m_propagator->abort(makeError(ErrorKind::Cancelled, tr("paused")));
    setState(QStringLiteral("paused"));
}

void Engine::resume()
{
    m_paused = false;
    if (isPaused())
        return publishStatus(true); // still held: by the network, the battery or the schedule
    setState(QStringLiteral("idle"));
    requestCycle({}, true);
}

void Engine::setMeteredHold(bool held)
{
    applyHold(m_meteredHold, held, tr("metered connection"));
}

void Engine::setBatteryHold(bool held)
{
    applyHold(m_batteryHold, held, tr("on battery"));
}

// One of the automatic holds (metered, battery, schedule) starts or ends; the pair moves again
// only when none holds it and the user has not paused it.
void Engine::applyHold(bool &hold, bool held, const QString &reason)
{
    if (hold == held)
        return;
    hold = held;
    if (held) {
        if (m_propagator)
            m_propagator->abort(makeError(ErrorKind::Cancelled, reason));
        if (m_state == QStringLiteral("paused"))
            return publishStatus(true);
        return setState(QStringLiteral("paused"));
    }
    if (isPaused())
        return publishStatus(true);
    setState(QStringLiteral("idle"));
    requestCycle({}, true);
}

void Engine::retryAll()
{
    if (!m_journal)
        return;
    m_journal->makeAllRetryItemsDue(m_clock->nowMs());
    requestCycle({}, true);
}

void Engine::confirmMassDelete()
{
    m_massDeleteConfirmed = true;
    m_heldMassDelete.reset();
    requestCycle({}, true);
}

void Engine::restoreMassDelete()
{
    m_restoreDeletions = true; // the hold ends with the full cycle that brings the files back
    requestCycle({}, true);
}

void Engine::onPathChanged(const QString &path)
{
    // A new change to a failed file resets its attempts (SPEC §5); the event of the rename
    // that made a kept copy of a refused edit is no new change.
    if (const std::optional<RetryItem> item = m_journal ? m_journal->retryItem(path) : std::nullopt;
        item &&
        !ReadOnlyFolder::keptHereAndUnchanged(*item, Scanner::stat(m_options.localRoot, path)))
        m_journal->removeRetryItem(path);
    if (m_debouncer)
        m_debouncer->touch(path);
}

void Engine::requestCycle(const QStringList &paths, bool full)
{
    if (full)
        m_fullCycleRequested = true;
    for (const QString &path : paths)
        m_dirtyPaths.insert(path);
    // Let queued events (more watcher paths) arrive before starting.
    QMetaObject::invokeMethod(this, &Engine::maybeStartCycle, Qt::QueuedConnection);
}

void Engine::maybeStartCycle()
{
    // While paused, changes wait; the UI must still learn that work is pending.
    if (isPaused() && !m_cycleRunning && !m_dirtyPaths.isEmpty())
        publishStatus(true);
    // A poll's walk reads the tree cache, which a cycle's walk updates: one walk at a time.
    if (m_cycleRunning || m_pollWalker || isPaused() || !m_journal || m_mode == Mode::Idle)
        return;
    if (m_state == QStringLiteral("offline") && m_mode == Mode::Watching)
        return; // the probe brings us back
    if (!m_fullCycleRequested && m_dirtyPaths.isEmpty())
        return;
    const bool full = m_fullCycleRequested;
    const QStringList scopes = full ? QStringList{QString()} : collapseScopes(m_dirtyPaths);
    m_fullCycleRequested = false;
    m_dirtyPaths.clear();
    if (m_mode == Mode::Watching) {
        m_report = {};
        m_cycleTimer.start();
    }
    m_redoRound = 0;
    startCycle(scopes, full);
}

void Engine::startCycle(const QStringList &scopes, bool full)
{
    m_cycleRunning = true;
    m_filesDone = m_filesTotal = m_bytesDone = 0;
    m_ownWrites.startCycle(m_clock->nowMs());
    // Failures the full disk kept from the journal go in as soon as it takes writes again.
    [[maybe_unused]] const Status saved = m_journal->saveUnsavedRetryItems();
    setState(QStringLiteral("syncing"));
    const QFileInfo root(m_options.localRoot);
    if (!root.isDir() || !root.isReadable())
        return finishCycle(
            makeError(ErrorKind::Permanent,
                      tr("the local folder %1 is missing or unreadable; nothing is deleted")
                          .arg(m_options.localRoot)));
    EntryJob *probe = m_backend->stat(QString());
    connect(probe, &RemoteJob::finished, this, [this, probe, scopes, full] {
        if (!probe->succeeded()) {
            m_report.fatalFromRemote = true;
            return finishCycle(*probe->error());
        }
        m_remoteRootPermissions = probe->entry().permissions;
        Q_EMIT remoteReached();
        if (Status roots = checkRoots(); !roots)
            return finishCycle(roots.error());
        if (full)
            m_backend->removeStalePartials(StalePartialAgeS);
        // Before any upload of this cycle can write under the same names.
        removeLeftoverTemporaries([this, scopes, full] {
            JournalSnapshot journal;
            for (const QString &scope : scopes) {
                // An unreadable journal must not pass for one that never synced.
                Result<JournalSnapshot> records = m_journal->readRecordsUnder(scope);
                if (!records)
                    return finishCycle(records.error());
                journal.insert(*records);
            }
            scanLocal(scopes, journal, [this, scopes, full, journal](Result<ScanResult> scan) {
                onLocalScanned(scopes, full, std::move(scan), journal);
            });
        });
    });
}

namespace {

// New files this large are hashed by their upload, which reads them anyway (Scanner::scan):
// the hash no longer holds up the plan, and the file is read once instead of twice.
constexpr qint64 deferredHashMinBytes = 8 * 1024 * 1024;

} // namespace

void Engine::scanLocal(const QStringList &scopes, const JournalSnapshot &journal,
                       std::function<void(Result<ScanResult>)> then)
{
    const QString root = m_options.localRoot;
    const IgnoreRules ignore = m_ignore;
    QPointer<Engine> self(this);
    QThreadPool::globalInstance()->start([self, root, scopes, ignore, journal, then] {
        QElapsedTimer timer;
        timer.start();
        Result<ScanResult> merged = ScanResult{};
        for (const QString &scope : scopes) {
            Result<ScanResult> part =
                Scanner::scan(root, scope, ignore, journal, deferredHashMinBytes);
            if (!part.ok()) {
                merged = part.error();
                break;
            }
            merged->entries.insert(part->entries);
            merged->skippedSymlinks += part->skippedSymlinks;
            merged->skippedSpecial += part->skippedSpecial;
            merged->unreadable += part->unreadable;
            merged->unreadableDirectories += part->unreadableDirectories;
            merged->unrepresentable += part->unrepresentable;
        }
        const double seconds = double(timer.nsecsElapsed()) / 1e9;
        if (self)
            QMetaObject::invokeMethod(
                self,
                [self, then, merged, seconds] {
                    if (!self)
                        return;
                    self->m_report.localScanSeconds += seconds;
                    then(merged);
                },
                Qt::QueuedConnection);
    });
}

void Engine::onLocalScanned(const QStringList &scopes, bool full, Result<ScanResult> scan,
                            const JournalSnapshot &journal)
{
    if (!scan.ok())
        return finishCycle(scan.error());
    RemoteWalker *walker = newRemoteWalker();
    QElapsedTimer walkTimer;
    walkTimer.start();
    connect(walker, &RemoteWalker::finished, this,
            [this, walker, scopes, full, scan, journal, walkTimer] {
                walker->deleteLater();
                m_report.remoteWalkSeconds += double(walkTimer.nsecsElapsed()) / 1e9;
                onRemoteWalked(scopes, full, *scan, journal, walker);
            });
    walker->start(scopes);
}

QSet<QString> Engine::excludedPaths(const QStringList &scopes, const LocalSnapshot &local,
                                    const RemoteSnapshot &remote)
{
    QSet<QString> excluded;
    for (const ConflictRecord &conflict : m_journal->conflicts()) {
        excluded.insert(conflict.path);
        excluded.insert(conflict.remoteCopy);
    }
    // Backoff paces a running pair (SPEC §5): an item still waiting out its backoff, or a
    // server's Retry-After, sits out cycles that other changes start, unless it changed.
    const qint64 now = m_clock->nowMs();
    for (const RetryItem &item : m_journal->retryItems()) {
        const bool waiting = !item.failedPermanently && m_mode == Mode::Watching &&
                             item.nextDueMs > now && !item.sidesAtFailure.isEmpty();
        if (!item.failedPermanently && !waiting)
            continue;
        const bool inScope = std::any_of(scopes.cbegin(), scopes.cend(), [&](const QString &scope) {
            return isSameOrBelow(item.path, scope);
        });
        const auto localIt = local.constFind(item.path);
        const auto remoteIt = remote.constFind(item.path);
        const QByteArray sides = sidesFingerprint(localIt == local.cend() ? nullptr : &*localIt,
                                                  remoteIt == remote.cend() ? nullptr : &*remoteIt);
        // Changed on either side since it failed (another client created the directory, the
        // user replaced the file): worth another try, with fresh attempts.
        if (inScope && !item.sidesAtFailure.isEmpty() && sides != item.sidesAtFailure) {
            if (item.failedPermanently)
                m_journal->removeRetryItem(item.path);
        } else {
            excluded.insert(item.path);
        }
    }
    return excluded;
}

// A refused name is seen only where its collection is listed; a cycle of a smaller scope
// (a path below it) does not list that collection and must still leave the path alone.
void Engine::rememberRejectedPaths(const QStringList &scopes, const QStringList &rejected)
{
    const auto listedBy = [&scopes](const QString &path) {
        return std::any_of(scopes.cbegin(), scopes.cend(), [&path](const QString &scope) {
            return isSameOrBelow(parentPath(path), scope);
        });
    };
    for (auto it = m_rejectedRemotePaths.begin(); it != m_rejectedRemotePaths.end();)
        it = listedBy(*it) ? m_rejectedRemotePaths.erase(it) : std::next(it);
    for (const QString &path : rejected)
        m_rejectedRemotePaths.insert(path);
}

void Engine::dropSettledRetryItems(const QStringList &scopes, const SyncPlan &plan,
                                   const QStringList &untouchable)
{
    QSet<QString> planned;
    for (const SyncAction &action : plan.actions) {
        planned.insert(action.path);
        if (!action.sourcePath.isEmpty())
            planned.insert(action.sourcePath);
    }
    const auto isBelowAny = [](const QString &path, const QStringList &dirs) {
        return std::any_of(dirs.cbegin(), dirs.cend(),
                           [&path](const QString &dir) { return isSameOrBelow(path, dir); });
    };
    for (const RetryItem &item : m_journal->retryItems()) {
        if (!item.failedPermanently && !planned.contains(item.path) &&
            isBelowAny(item.path, scopes) && !isBelowAny(item.path, untouchable))
            m_journal->removeRetryItem(item.path);
    }
}

// Large new remote folders wait for the user (DESIGN.md, "Selective sync"): left alone, named
// in the report (exit 1) and in the journal for `select list` and the app.
QStringList Engine::newFoldersHeldBack(bool full, const LocalSnapshot &local,
                                       const RemoteSnapshot &remote, const JournalSnapshot &journal)
{
    QStringList accepted = FolderSelection::acceptedFolders(*m_journal);
    const QVector<HeldFolder> held =
        foldersToHoldBack(journal, local, remote, m_options.newFolderLimitBytes, accepted);
    QStringList paths;
    for (const HeldFolder &folder : held) {
        paths.append(folder.path);
        if (m_report.heldBack.contains(folder.path))
            continue; // said in an earlier round of this cycle
        m_report.heldBack.append(folder.path);
        m_report.warnings.append(
            tr("%1: a new folder on the server with %2 MiB in it, held back until you choose "
               "(select ... include, or --accept-new-folders)")
                .arg(folder.path)
                .arg(folder.bytes / (1024 * 1024)));
    }
    if (full) {
        // Taken folders that are synced now need no mark any more.
        accepted.erase(std::remove_if(accepted.begin(), accepted.end(),
                                      [&journal](const QString &path) {
                                          return journal.contains(path);
                                      }),
                       accepted.end());
        [[maybe_unused]] const Status savedAccepted =
            FolderSelection::setAcceptedFolders(*m_journal, accepted);
        [[maybe_unused]] const Status savedHeld =
            FolderSelection::setHeldBackFolders(*m_journal, paths);
        Q_EMIT heldBackChanged(paths);
    }
    return paths;
}

QStringList Engine::caseClashesLeftAlone(const LocalSnapshot &local, const RemoteSnapshot &remote,
                                         const JournalSnapshot &journal)
{
    if (!m_localCaseInsensitive)
        m_localCaseInsensitive =
            isCaseInsensitiveDirectory(ReservedNames::statePath(m_options.localRoot));
    if (!*m_localCaseInsensitive)
        return {};
    const QStringList clashes = caseClashesToSetAside(remote, local, journal);
    for (const QString &path : clashes) {
        m_report.warnings.append(path + QStringLiteral(": differs from another name on the "
                                                       "server only in letter case, which this "
                                                       "local disk cannot hold beside it; left "
                                                       "alone on both sides"));
        ++m_report.failed;
    }
    return clashes;
}

// SPEC §4 mass-deletion guard. A held deletion stays held until the user decides or a full
// cycle no longer plans it: no later cycle may carry it out piece by piece (watcher batches of
// a few deletions each, each under the guard's threshold).
std::optional<Error> Engine::guardMassDeletion(bool full, const SyncPlan &plan,
                                               const JournalSnapshot &journal,
                                               const LocalSnapshot &local,
                                               const RemoteSnapshot &remote)
{
    if (m_options.allowMassDelete || std::exchange(m_massDeleteConfirmed, false)) {
        m_heldMassDelete.reset();
        return std::nullopt;
    }
    const qint64 trackedFiles = countFiles(journal);
    // An empty side that would delete the other is most likely an unmounted disk.
    const bool localEmpty =
        full && trackedFiles > 0 && local.isEmpty() &&
        std::any_of(plan.actions.cbegin(), plan.actions.cend(),
                    [](const SyncAction &a) { return mayDeleteRemote(a); });
    const bool remoteEmpty = full && trackedFiles > 0 && remote.isEmpty() &&
                             plan.count(ActionKind::DeleteLocal) > 0;
    if (localEmpty || remoteEmpty) {
        holdMassDeletion(MassDeleteVerdict{true, trackedFiles, localEmpty ? 0 : trackedFiles,
                                           localEmpty ? trackedFiles : 0, 0});
        return makeError(ErrorKind::Permanent,
                         tr("the %1 side lists no files although %2 were synced; nothing was "
                            "deleted (confirm with --allow-mass-delete)")
                             .arg(localEmpty ? tr("local") : tr("remote"))
                             .arg(trackedFiles));
    }
    const MassDeleteVerdict verdict = checkMassDelete(plan, m_journal->trackedFileCount());
    const bool deletes = verdict.localDeletes + verdict.remoteDeletes > 0;
    if (!verdict.blocked && m_heldMassDelete && deletes) {
        holdMassDeletion(*m_heldMassDelete);
        return makeError(ErrorKind::Permanent,
                         tr("deletions wait for your decision on the held mass deletion; "
                            "nothing was changed"));
    }
    if (verdict.blocked) {
        holdMassDeletion(verdict);
        return makeError(ErrorKind::Permanent,
                         tr("stopped by the mass-deletion guard: the plan deletes %1 local "
                            "and %2 remote files of %3 tracked; nothing was changed")
                             .arg(verdict.localDeletes)
                             .arg(verdict.remoteDeletes)
                             .arg(verdict.trackedFiles));
    }
    if (full)
        m_heldMassDelete.reset(); // a whole look at both sides plans no deletion any more
    else if (m_heldMassDelete)
        m_report.massDelete = m_heldMassDelete; // still waiting, though this cycle ran
    return std::nullopt;
}

void Engine::holdMassDeletion(const MassDeleteVerdict &verdict)
{
    m_heldMassDelete = verdict;
    m_report.massDelete = verdict;
    Q_EMIT massDeleteBlocked(verdict);
}

void Engine::onRemoteWalked(const QStringList &scopes, bool full, const ScanResult &scan,
                            const JournalSnapshot &journalIn, RemoteWalker *walker)
{
    if (walker->error()) {
        m_report.fatalFromRemote = true;
        return finishCycle(*walker->error());
    }
    updateTreeCache(scopes, *walker);
    if (full)
        m_cycleWalk = RemoteFingerprint::of(walker->snapshot(), walker->rejectedNames());
    LocalSnapshot local = scan.entries;
    RemoteSnapshot remote = walker->snapshot();
    JournalSnapshot journal = journalIn;

    for (const QString &name : scan.skippedSymlinks)
        m_report.warnings.append(name + QStringLiteral(": symbolic link, not synced"));
    for (const QString &name : scan.skippedSpecial)
        m_report.warnings.append(name + QStringLiteral(": not a regular file, not synced"));
    // A file that cannot be read or named is not in sync: it counts as failed (exit 1).
    for (const QString &problem : scan.unreadable + scan.unrepresentable) {
        m_report.warnings.append(problem);
        ++m_report.failed;
    }
    for (const QString &rejected : walker->rejectedNames()) {
        m_report.warnings.append(rejected + QStringLiteral(": rejected remote name"));
        ++m_report.failed;
    }
    // What cannot be seen now must not look deleted: leave unreadable folders alone, what
    // the remote lists under names we refuse, and the items that wait for the user or failed
    // permanently.
    rememberRejectedPaths(scopes, walker->rejectedPaths());
    QStringList untouchable = scan.unreadableDirectories;
    for (const QString &path : std::as_const(m_rejectedRemotePaths))
        untouchable.append(path);
    for (const QString &path : excludedPaths(scopes, local, remote))
        untouchable.append(path);
    untouchable += caseClashesLeftAlone(local, remote, journal);
    untouchable += newFoldersHeldBack(full, local, remote, journal);
    Reconciler::setAside(untouchable, &journal, &local, &remote);
    if (Status roots = checkRoots(); !roots) // the scan or the walk may have met another root
        return finishCycle(roots.error());

    SyncPlan plan = Reconciler::reconcile(journal, local, remote, reconcileOptions());
    if (full && std::exchange(m_restoreDeletions, false))
        plan = planRestoringDeletions(plan, &journal, local, remote, reconcileOptions());
    if (std::optional<Error> held = guardMassDeletion(full, plan, journal, local, remote))
        return finishCycle(held);
    m_massDeleteConfirmed = false;
    proveAbsences(PlannedCycle{scopes, full, plan, journal, local, remote, untouchable});
}

// Nothing goes to the local trash on the word of one listing (DESIGN.md, "Deletions need
// proof"): the folders of the planned local deletions are listed again first.
void Engine::proveAbsences(const PlannedCycle &cycle)
{
    auto *proof = new AbsenceProof(m_backend.get(), 2 * m_options.backend.parallel, this);
    connect(proof, &AbsenceProof::finished, this, [this, proof, cycle] {
        proof->deleteLater();
        onAbsencesProven(cycle, *proof);
    });
    proof->start(cycle.plan, cycle.remote);
}

// What could not be proven gone is left alone this cycle, with all below it, and queued (exit 1,
// retried): the plan is made again without it, as for any item that cannot be seen now.
void Engine::onAbsencesProven(PlannedCycle cycle, const AbsenceProof &proof)
{
    if (proof.fatal())
        return finishCycle(*proof.fatal());
    if (!proof.unproven().isEmpty()) {
        QStringList unproven;
        for (const AbsenceProof::Unproven &item : proof.unproven()) {
            // A walk that missed what is there may have come from a tree listing that left
            // out more than the proof can see (a truncated answer): walk with Depth 1 now.
            if (item.listedAfterAll)
                m_backend->distrustTreeListing();
            unproven.append(item.path);
            m_journal->putRetryItem(m_options.retry.afterFailure(
                m_journal->retryItem(item.path), item.path, item.reason, m_clock->nowMs()));
        }
        Reconciler::setAside(unproven, &cycle.journal, &cycle.local, &cycle.remote);
        cycle.untouchable += unproven;
        cycle.plan =
            Reconciler::reconcile(cycle.journal, cycle.local, cycle.remote, reconcileOptions());
    }
    dropSettledRetryItems(cycle.scopes, cycle.plan, cycle.untouchable);
    propagate(cycle.scopes, cycle.full, cycle.plan, cycle.remote);
}

void Engine::propagate(const QStringList &scopes, bool full, const SyncPlan &plan,
                       const RemoteSnapshot &remote)
{
    PropagationSettings settings;
    settings.localRoot = m_options.localRoot;
    settings.conflictPolicy = m_options.conflictPolicy;
    settings.retry = m_options.retry;
    settings.parallel = m_options.backend.parallel;
    settings.diskReserveBytes = m_options.diskReserveBytes;
    settings.versions = m_versions.get();
    settings.remoteVersions = m_remoteVersions.get();
    m_propagator = new Propagator(settings, m_backend.get(), m_journal.get(), m_clock, this);
    connect(m_propagator, &Propagator::itemDone, this, &Engine::itemDone);
    connect(m_propagator, &Propagator::itemDone, this,
            [this](const QString &path, ActionKind kind, bool ok) {
                m_ownWrites.record(path, kind, ok, m_clock->nowMs());
            });
    connect(m_propagator, &Propagator::conflictOpened, this, &Engine::conflictOpened);
    connect(m_propagator, &Propagator::transferProgress, this, &Engine::transferProgress);
    connect(m_propagator, &Propagator::progress, this,
            [this](qint64 done, qint64 total, qint64 bytes) {
                m_filesDone = done;
                m_filesTotal = total;
                m_bytesDone = bytes;
                publishStatus(done == 1 || done == total); // first and last always show
            });
    connect(m_propagator, &Propagator::finished, this,
            [this, scopes, full] { onPropagated(scopes, full); });
    updateFolderPermissions(&m_folderPermissions, scopes, remote);
    if (m_remoteRootPermissions.known)
        m_folderPermissions.insert(QString(), m_remoteRootPermissions);
    m_propagator->start(plan, remote, m_folderPermissions);
}

ReconcileOptions Engine::reconcileOptions() const
{
    ReconcileOptions options;
    options.remoteEtagsSurviveMoves = m_backend->etagsSurviveMoves();
    return options;
}

RemoteWalker *Engine::newRemoteWalker()
{
    auto *walker =
        new RemoteWalker(m_backend.get(), m_ignore, 2 * m_options.backend.parallel, this);
    walker->setTreeCache(&m_remoteTreeCache, m_clock);
    return walker;
}

void Engine::updateTreeCache(const QStringList &scopes, const RemoteWalker &walker)
{
    if (m_backend->propagatesDirectoryEtags() || m_backend->directoryEtagsFollowChildren())
        m_remoteTreeCache.update(scopes, walker.snapshot(), walker.rejectedByDirectory(),
                                 walker.fullWalkStartedMs());
    else
        m_remoteTreeCache.clear(); // of no use there
}

void Engine::pollRemote()
{
    if (m_mode != Mode::Watching || isPaused() || !m_journal || m_pollWalker || m_cycleRunning ||
        m_state == QStringLiteral("offline"))
        return; // a running cycle walks the remote itself; the probe brings an offline one back
    if (!m_lastRemoteView)
        return requestCycle({}, true);
    RemoteWalker *walker = newRemoteWalker();
    m_pollWalker = walker;
    connect(walker, &RemoteWalker::finished, this, [this, walker] { onPollWalked(walker); });
    walker->start({QString()});
}

void Engine::onPollWalked(RemoteWalker *walker)
{
    walker->deleteLater();
    m_pollWalker = nullptr;
    if (m_mode != Mode::Watching)
        return;
    bool changed = true;
    if (!walker->error()) {
        const RemoteFingerprint now =
            RemoteFingerprint::of(walker->snapshot(), walker->rejectedNames());
        changed = !now.signaturesTellChanges() || now != m_lastRemoteView;
        // Unchanged, the cache holds this walk already; a full walk still renews its age.
        if (changed || walker->fullWalkStartedMs())
            updateTreeCache({QString()}, *walker);
    }
    Q_EMIT remotePolled(changed);
    if (changed)
        requestCycle({}, true); // a failed walk too: the cycle reports it, or goes offline
    else
        maybeStartCycle(); // watcher paths that arrived during the walk
}

void Engine::onPropagated(const QStringList &scopes, bool full)
{
    Q_UNUSED(scopes);
    Q_UNUSED(full);
    Propagator *propagator = m_propagator;
    m_propagator = nullptr;
    propagator->deleteLater();
    CycleReport part = propagator->report();
    part.failed = 0; // failures are counted from the retry queue at the end
    m_report.add(part);
    if (propagator->abortReason())
        return finishCycle(propagator->abortReason());

    QSet<QString> redo(propagator->redoPaths().cbegin(), propagator->redoPaths().cend());
    if (!redo.isEmpty() && m_mode != Mode::Idle) {
        if (++m_redoRound <= MaxRedoRounds)
            return startCycle(collapseScopes(redo), false);
        // Still moving after several rounds: the watcher or the retry queue comes back to it.
        for (const QString &path : std::as_const(redo)) {
            const RetryItem item = m_options.retry.afterFailure(
                m_journal->retryItem(path), path,
                makeError(ErrorKind::Transient, tr("kept changing during the sync")),
                m_clock->nowMs());
            m_journal->putRetryItem(item);
        }
    }
    finishCycle(std::nullopt);
}

void Engine::finishCycle(const std::optional<Error> &fatal)
{
    m_cycleRunning = false;
    if (!m_pendingSelections.isEmpty())
        QMetaObject::invokeMethod(this, &Engine::applyPendingSelections, Qt::QueuedConnection);
    m_filesDone = m_filesTotal = m_bytesDone = 0;
    // A cycle that failed may have left work undone that no remote change will show: the
    // next poll runs a full cycle.
    if (!fatal && m_cycleWalk)
        m_lastRemoteView = std::move(m_cycleWalk);
    else if (fatal)
        m_lastRemoteView.reset();
    m_cycleWalk.reset();
    m_report.fatal = fatal;
    if (fatal && fatal->kind == ErrorKind::Cancelled)
        m_report.fatal.reset();
    qint64 queued = 0;
    qint64 failed = 0;
    QString itemError; // a failed item's reason, else a queued one's: what `status` shows
    m_report.unsyncedItems.clear();
    for (const RetryItem &item : m_journal->retryItems()) {
        m_report.unsyncedItems.append(item);
        (item.failedPermanently ? failed : queued) += 1;
        if (itemError.isEmpty() || (item.failedPermanently && failed == 1))
            itemError = item.path + QStringLiteral(": ") + item.lastError;
    }
    m_report.queued = queued;
    m_report.failed += failed;
    m_report.openConflicts = m_journal->conflicts().size();
    m_report.seconds = m_cycleTimer.elapsed() / 1000.0;

    if (m_report.fatal) {
        m_lastError = m_report.fatal->message;
        const ErrorKind kind = m_report.fatal->kind;
        // Only the remote reports RootMissing here: an unmounted share is "offline", probed
        // until it is back.
        if (kind == ErrorKind::Offline || kind == ErrorKind::Transient ||
            kind == ErrorKind::RootMissing)
            enterOffline(*m_report.fatal);
        else if (kind == ErrorKind::Auth) {
            m_paused = true;
            setState(QStringLiteral("paused"));
            Q_EMIT credentialsRequired(m_report.fatal->message);
        } else
            setState(QStringLiteral("error"));
    } else {
        if (!isPaused() && m_state != QStringLiteral("offline"))
            setState(QStringLiteral("idle"));
        m_lastError = itemError;
        m_journal->putLiveStatus(LiveStatus{m_state, m_journal->trackedFileCount(), 0,
                                            m_clock->nowMs(), m_lastError, m_clock->nowMs()});
    }
    publishStatus(true);
    pruneVersions();
    Q_EMIT cycleFinished(m_report);

    if (m_mode == Mode::Once) {
        m_mode = Mode::Idle;
        Q_EMIT onceFinished(m_report);
        return;
    }
    if (m_mode == Mode::Idle) {
        Q_EMIT stopped();
        return;
    }
    armRetryTimer();
    maybeStartCycle();
}

void Engine::enterOffline(const Error &error)
{
    m_lastError = error.message;
    setState(QStringLiteral("offline"));
    if (m_mode != Mode::Watching)
        return;
    m_probeDelayMs = 1000;
    m_probeTimer.start(int(m_probeDelayMs));
}

void Engine::probeRemote()
{
    EntryJob *probe = m_backend->stat(QString());
    connect(probe, &RemoteJob::finished, this, [this, probe] {
        if (m_mode != Mode::Watching)
            return;
        if (probe->succeeded()) {
            // Back online: everything queued is due at once, whatever its backoff stage; what
            // failed permanently waits for a change of its file or the user (SPEC §5).
            m_journal->makeQueuedRetryItemsDue(m_clock->nowMs());
            setState(QStringLiteral("idle"));
            requestCycle({}, true);
            return;
        }
        m_probeDelayMs = qMin(m_probeDelayMs * 2, MaxProbeDelayMs);
        m_probeTimer.start(int(m_probeDelayMs));
    });
}

void Engine::armRetryTimer()
{
    if (m_mode != Mode::Watching || !m_journal)
        return;
    qint64 earliest = -1;
    for (const RetryItem &item : m_journal->retryItems()) {
        if (!item.failedPermanently && (earliest < 0 || item.nextDueMs < earliest))
            earliest = item.nextDueMs;
    }
    if (earliest < 0) {
        m_retryTimer.stop();
        return;
    }
    m_retryTimer.start(int(qBound<qint64>(0, earliest - m_clock->nowMs(), 24LL * 3600 * 1000)));
}

void Engine::onRetryTimer()
{
    QStringList due;
    const qint64 now = m_clock->nowMs();
    for (const RetryItem &item : m_journal->retryItems()) {
        if (!item.failedPermanently && item.nextDueMs <= now)
            due.append(item.path);
    }
    if (!due.isEmpty())
        requestCycle(due, false);
    armRetryTimer();
}

void Engine::setState(const QString &state)
{
    if (m_state == state)
        return;
    m_state = state;
    publishStatus(true);
}

void Engine::publishStatus(bool force)
{
    if (!m_journal)
        return;
    const qint64 now = m_clock->nowMs();
    if (!force && now - m_lastStatusPublishMs < StatusPublishIntervalMs)
        return;
    m_lastStatusPublishMs = now;
    StatusSnapshot status = readStatus(*m_journal);
    status.state = m_state;
    status.pending = pendingWork();
    status.filesDone = m_filesDone;
    status.filesTotal = m_filesTotal;
    status.bytesDone = m_bytesDone;
    status.lastError = m_lastError;
    status.pausedForMetered = m_meteredHold && !m_paused && m_state == QStringLiteral("paused");
    status.pausedForBattery = m_batteryHold && !m_paused && m_state == QStringLiteral("paused");
    status.pausedForSchedule = m_scheduleHold && !m_paused && m_state == QStringLiteral("paused");
    m_journal->putLiveStatus(LiveStatus{m_state, status.trackedFiles, status.pending,
                                        status.lastSyncMs, m_lastError, now});
    // The chart's samples are the statuses the counters showed: a forced publish (a cycle
    // starts or ends, work waits while paused) and, while syncing, one every 2 s.
    if (force || (m_state == QStringLiteral("syncing") &&
                  now - m_lastSampleMs >= BusySampleIntervalMs))
        appendSample(status);
    Q_EMIT statusChanged(status);
}

qint64 Engine::pendingWork() const
{
    return qMax<qint64>(0, m_filesTotal - m_filesDone) + m_ownWrites.foreignCount(m_dirtyPaths);
}

void Engine::sampleStatistics()
{
    if (!m_journal)
        return;
    StatusSnapshot status = readStatus(*m_journal);
    status.pending = pendingWork();
    appendSample(status);
}

void Engine::appendSample(const StatusSnapshot &status)
{
    m_lastSampleMs = m_clock->nowMs();
    [[maybe_unused]] const Status stored =
        m_journal->appendSample(statsSampleOf(status, m_lastSampleMs));
}

void Engine::resolveConflict(const QString &path, ConflictChoice choice)
{
    auto fail = [this, path](const QString &message) {
        Q_EMIT conflictResolved(path, false, message);
    };
    if (!m_journal) {
        if (Status ready = setUp(); !ready)
            return fail(ready.error().message);
    }
    const std::optional<ConflictRecord> conflict = m_journal->conflict(path);
    if (!conflict)
        return fail(tr("%1 has no open conflict").arg(path));
    const QString root = m_options.localRoot;

    // Each choice leaves the files in place and a journal record from which the next cycle
    // derives the transfer, with the usual safety checks: the record knows the remote
    // version that was saved as the copy, so a newer remote version still shows as a change.
    JournalRecord record = m_journal->record(conflict->path).value_or(JournalRecord{});
    record.path = conflict->path;
    record.type = ItemType::File;
    record.remoteSignature = conflict->remoteSignature;

    if (choice == ConflictChoice::KeepRemote) {
        if (!Scanner::stat(root, conflict->remoteCopy))
            return fail(tr("the conflict copy %1 is gone").arg(conflict->remoteCopy));
        // Snapshots, not links: the file goes on to the trash, where the user may edit it.
        if (Status kept = m_versions->keep(
                {conflict->path, VersionReason::Conflict, VersionStore::SaveMode::Snapshot});
            !kept)
            return fail(kept.error().message);
        if (Status trashed = LocalFileOps::moveToTrash(root, conflict->path); !trashed)
            return fail(trashed.error().message);
        if (Status renamed =
                LocalFileOps::renameNoReplace(root + QLatin1Char('/') + conflict->remoteCopy,
                                              root + QLatin1Char('/') + conflict->path);
            !renamed)
            return fail(renamed.error().message);
        const std::optional<LocalEntry> placed = Scanner::stat(root, conflict->path);
        if (!placed)
            return fail(tr("%1 vanished while resolving").arg(conflict->path));
        record.localSize = placed->size;
        record.localMtimeNs = placed->mtimeNs;
        record.localInode = placed->inode;
        record.localCtimeNs = placed->ctimeNs;
        const QString absolute = root + QLatin1Char('/') + conflict->path;
        QPointer<Engine> self(this);
        QThreadPool::globalInstance()->start([self, absolute, record, path, conflict] {
            Result<QByteArray> hash = Hasher::sha256OfFile(absolute);
            QMetaObject::invokeMethod(
                self,
                [self, hash, record, path, conflict]() mutable {
                    if (!self)
                        return;
                    if (!hash.ok())
                        return Q_EMIT self->conflictResolved(path, false, hash.error().message);
                    record.sha256 = *hash;
                    self->completeResolution(*conflict, record);
                },
                Qt::QueuedConnection);
        });
        return;
    }
    if (choice == ConflictChoice::KeepLocal) {
        if (Status kept = m_versions->keep({conflict->path, VersionReason::Conflict,
                                            VersionStore::SaveMode::Snapshot, conflict->remoteCopy,
                                            QStringLiteral("remote")});
            !kept)
            return fail(kept.error().message);
        if (Status trashed = LocalFileOps::moveToTrash(root, conflict->remoteCopy); !trashed)
            return fail(trashed.error().message);
    }
    // The local version differs from what the record says was synced: it goes up, on the
    // condition that the remote still holds the version the user saw.
    record.sha256 = QByteArrayLiteral("resolved-keep-local");
    completeResolution(*conflict, record);
}

void Engine::pruneVersions()
{
    const Journal *journal = m_journal.get();
    const RetentionPolicy policy = RetentionPolicy::fromSettings(
        [journal](const QString &key) { return journal->setting(key); },
        QStorageInfo(m_options.localRoot).bytesTotal());
    m_versionPruner.pruneSoon(m_options.localRoot, policy, m_clock);
    if (m_remoteVersionPruner)
        m_remoteVersionPruner->pruneSoon(policy);
}

void Engine::completeResolution(const ConflictRecord &conflict, const JournalRecord &record)
{
    Journal::Transaction transaction(*m_journal);
    m_journal->putRecord(record);
    m_journal->removeConflict(conflict.path);
    if (Status committed = transaction.commit(); !committed)
        return Q_EMIT conflictResolved(conflict.path, false, committed.error().message);
    Q_EMIT conflictResolved(conflict.path, true, QString());
    requestCycle({conflict.path, conflict.remoteCopy}, false);
}

} // namespace steadysync
