#include "sync/engine.h"
#include "sync/pollpacing.h"

#include "local/debouncer.h"
#include "local/scanner.h"
#include "memoryrelease.h"
#include "sync/folderselection.h"
#include "sync/localfileops.h"
#include "sync/pairlock.h"
#include "sync/readonlyfolder.h"
#include "sync/remotewalker.h"
#include "sync/retryqueue.h"
#include "sync/rootidentity.h"
#include "threadaffinity.h"
#include "versions/remoteversionfetch.h"

#include <QDir>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QStorageInfo>

#include <tuple>
#include <utility>

namespace steadysync {

namespace {

constexpr qint64 MaxProbeDelayMs = 5000; // recovery within 10 s of the server's return (DESIGN §5)
constexpr int StatsSampleIntervalMs = 30'000;
// A watcher's report of the client's own write comes within the debounce delay, and this
// much later on a busy machine.
constexpr qint64 OwnWriteEchoSlackMs = 15'000;
constexpr int JournalPollIntervalMs = 2'000;
constexpr qint64 PartialDownloadMaxAgeS = 7 * 24 * 3600;

} // namespace

Engine::Engine(const EngineOptions &options, const Clock *clock, QObject *parent)
    : QObject(parent), m_options(options), m_clock(clock),
      m_runner(new CycleRunner(m_options, clock, m_mode, m_ignore, this))
{
    qRegisterMetaType<CycleReport>();
    qRegisterMetaType<StatusSnapshot>();
    qRegisterMetaType<ConflictChoice>();
    qRegisterMetaType<ActionKind>();
    qRegisterMetaType<MassDeleteVerdict>();
    qRegisterMetaType<SelectionChange>();
    qRegisterMetaType<SelectionOutcome>();
    for (QTimer *timer : {&m_pollTimer, &m_rescanTimer, &m_unwatchedTimer, &m_retryTimer,
                          &m_probeTimer, &m_sampleTimer, &m_journalPollTimer, &m_scheduleTimer})
        timer->setParent(this);
    m_retryTimer.setSingleShot(true);
    m_probeTimer.setSingleShot(true);
    connect(&m_pollTimer, &QTimer::timeout, this, &Engine::pollRemote);
    connect(&m_rescanTimer, &QTimer::timeout, this, [this] { requestCycle({}, true); });
    connect(&m_unwatchedTimer, &QTimer::timeout, this, [this] {
        if (m_watcher)
            m_watcher->pollUnwatched(); // reports through pathChanged, like a watch
    });
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
    connectRunner();
}

Engine::~Engine()
{
    delete m_runner; // its propagator and walkers use the journal and the backend
}

void Engine::connectRunner()
{
    connect(m_runner, &CycleRunner::roundStarted, this, [this] {
        m_ownWrites.startCycle(m_clock->nowMs());
        setState(EngineState::Syncing);
    });
    connect(m_runner, &CycleRunner::itemDone, this, &Engine::itemDone);
    connect(m_runner, &CycleRunner::itemDone, this,
            [this](const QString &path, ActionKind kind, bool ok) {
                m_ownWrites.record(path, kind, ok, m_clock->nowMs());
            });
    connect(m_runner, &CycleRunner::conflictOpened, this, &Engine::conflictOpened);
    connect(m_runner, &CycleRunner::transferProgress, this, &Engine::transferProgress);
    connect(m_runner, &CycleRunner::progressed, this, [this](qint64 done, qint64 total) {
        publishStatus(done == 1 || done == total); // first and last always show
    });
    connect(m_runner, &CycleRunner::remoteReached, this, &Engine::remoteReached);
    connect(m_runner, &CycleRunner::massDeleteBlocked, this, &Engine::massDeleteBlocked);
    connect(m_runner, &CycleRunner::heldBackChanged, this, &Engine::heldBackChanged);
    connect(m_runner, &CycleRunner::localRootBack, this, [this] {
        if (m_watcher) {
            // Unwatched, the pair still syncs on its poll and rescan timers.
            [[maybe_unused]] const Status watching = m_watcher->start();
        }
    });
    connect(m_runner, &CycleRunner::finished, this, &Engine::onCycleFinished);
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
    if (Status identified = identifyPair(); !identified) {
        m_journal.reset(); // not set up: a later call must not take the pair as ready
        m_lock.reset();
        return identified;
    }
    // Shown by `status` in other processes, read by `watch LOCAL_DIR` (the region), and
    // written again at every start: a failed write costs a default there, never data.
    std::ignore = m_journal->setSetting(QStringLiteral("conflict_policy"),
                                        conflictPolicyName(m_options.conflictPolicy));
    std::ignore = m_journal->setSetting(QStringLiteral("remote_user"), m_options.backend.user);
    std::ignore = m_journal->setSetting(QStringLiteral("remote_region"), m_options.backend.region);
    m_backend->setClientId(clientId());
    m_versions = std::make_unique<VersionKeeper>(root, m_clock);
    if (m_options.remoteVersions)
        m_remoteVersions = std::make_unique<RemoteVersionKeeper>(m_backend.get(), root, m_clock);
    // Also with the option off: versions kept on the server before still go by retention.
    m_remoteVersionPruner = std::make_unique<RemoteVersionPruner>(m_backend.get(), root, m_clock);
    m_runner->setResources({m_journal.get(), m_backend.get(), m_identity.get(), m_versions.get(),
                            m_remoteVersions.get()});
    loadIgnoreRules();
    Q_EMIT heldBackChanged(FolderSelection::heldBackFolders(*m_journal));
    // Partial downloads stay for the next attempt to resume (WebDavBackend::download).
    LocalFileOps::removeStaleTemporaries(root, PartialDownloadMaxAgeS);
    return success();
}

Status Engine::identifyPair()
{
    const QString root = m_options.localRoot;
    const QString known = m_journal->setting(QStringLiteral("remote_url"));
    const QString url = m_options.remoteUrl.toString(QUrl::RemoveUserInfo);
    if (known.isEmpty()) // unwritten, it is written at the next start: nothing compared is lost
        std::ignore = m_journal->setSetting(QStringLiteral("remote_url"), url);
    else if (known != url)
        return makeError(
            ErrorKind::Permanent,
            tr("%1 is already paired with %2; a folder syncs with one remote").arg(root, known));
    Result<RootIdentity> identity = RootIdentity::establish(root, m_options.remoteUrl, *m_journal);
    if (!identity.ok())
        return identity.error();
    m_identity = std::make_unique<RootIdentity>(std::move(*identity));
    if (const QString foreign = m_identity->foreignJournalReason(); !foreign.isEmpty())
        Q_EMIT warning(tr("the journal in %1/.steadysync does not belong to this folder (%2): "
                          "both sides are compared in full, nothing is deleted and differing "
                          "files are kept both")
                           .arg(root, foreign));
    return success();
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

void Engine::runOnce()
{
    assertOwnThread(this);
    m_mode = Mode::Once;
    m_runner->startReport();
    if (Status ready = setUp(); !ready) {
        CycleReport &report = m_runner->report();
        report.fatal = ready.error();
        report.seconds = m_runner->elapsedSeconds();
        Q_EMIT onceFinished(report);
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
    assertOwnThread(this);
    m_mode = Mode::Watching;
    if (Status ready = setUp(); !ready) {
        m_lastError = ready.error().message;
        setState(EngineState::Error);
        Q_EMIT startFailed(ready.error().message);
        Q_EMIT stopped();
        return;
    }
    m_debouncer = new Debouncer(m_options.debounceMs, m_clock, this);
    m_ownWrites.setEchoWindowMs(m_options.debounceMs + OwnWriteEchoSlackMs);
    connect(m_debouncer, &Debouncer::ready, this,
            [this](const QStringList &paths) { requestCycle(paths, false); });
    startLocalWatcher();
    m_pollTimer.start(int(pollIntervalMsAfterWalk(m_options.pollIntervalS, 0)));
    startRemoteChangeWatch();
    m_rescanTimer.start(int(qMax<qint64>(60, m_options.fullRescanIntervalS) * 1000));
    m_unwatchedTimer.start(int(qMax<qint64>(1, m_options.pollIntervalS) * 1000));
    m_sampleTimer.start(StatsSampleIntervalMs);
    m_journalPollTimer.start(JournalPollIntervalMs);
    sampleStatistics();
    applySchedule();
    publishStatus(true); // a pair held from the start says so before any cycle
    requestCycle({}, true);
}

void Engine::stop()
{
    assertOwnThread(this);
    m_mode = Mode::Idle;
    for (QTimer *timer : {&m_pollTimer, &m_rescanTimer, &m_unwatchedTimer, &m_retryTimer,
                          &m_probeTimer, &m_sampleTimer, &m_journalPollTimer, &m_scheduleTimer})
        timer->stop();
    if (m_watcher)
        m_watcher->stop();
    m_runner->abortPropagation(makeError(ErrorKind::Cancelled, tr("stopping")));
    delete m_pollWalker;
    delete m_changeWatch;
    if (m_journal) {
        sampleStatistics();
        setState(isPaused() ? EngineState::Paused : EngineState::Idle);
        publishStatus(true);
    }
    if (!m_runner->isRunning())
        Q_EMIT stopped();
}

void Engine::syncNow()
{
    assertOwnThread(this);
    if (m_journal)
        warnIfFailed(m_journal->makeAllRetryItemsDue(m_clock->nowMs()));
    requestCycle({}, true);
}

bool Engine::hasWorkInHand() const
{
    if (m_runner->isRunning())
        return true;
    if (m_mode != Mode::Watching)
        return false;
    // Changes in their quiet time: soon pending work (paused: soon known to be pending).
    if (m_debouncer && m_debouncer->pendingCount() > 0)
        return true;
    if (isPaused() || m_state == EngineState::Offline)
        return false;
    return m_fullCycleRequested || !m_dirtyPaths.isEmpty();
}

void Engine::pause()
{
    assertOwnThread(this);
    m_paused = true;
    m_runner->abortPropagation(makeError(ErrorKind::Cancelled, tr("paused")));
    setState(EngineState::Paused);
}

void Engine::resume()
{
    assertOwnThread(this);
    m_paused = false;
    if (isPaused())
        return publishStatus(true); // still held: by the network, the battery or the schedule
    setState(EngineState::Idle);
    requestCycle({}, true);
}

void Engine::setMeteredHold(bool held)
{
    assertOwnThread(this);
    applyHold(m_meteredHold, held, tr("metered connection"));
}

void Engine::setBatteryHold(bool held)
{
    assertOwnThread(this);
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
        m_runner->abortPropagation(makeError(ErrorKind::Cancelled, reason));
        if (m_state == EngineState::Paused)
            return publishStatus(true);
        return setState(EngineState::Paused);
    }
    if (isPaused())
        return publishStatus(true);
    setState(EngineState::Idle);
    requestCycle({}, true);
}

void Engine::retryAll()
{
    assertOwnThread(this);
    if (!m_journal)
        return;
    warnIfFailed(m_journal->makeAllRetryItemsDue(m_clock->nowMs()));
    requestCycle({}, true);
}

void Engine::confirmMassDelete()
{
    assertOwnThread(this);
    m_runner->confirmMassDelete();
    requestCycle({}, true);
}

void Engine::restoreMassDelete()
{
    assertOwnThread(this);
    m_runner->restoreDeletions();
    requestCycle({}, true);
}

void Engine::onPathChanged(const QString &path)
{
    // A new change to a failed file resets its attempts (DESIGN §5); the event of the rename
    // that made a kept copy of a refused edit is no new change.
    if (const std::optional<RetryItem> item = m_journal ? m_journal->retryItem(path) : std::nullopt;
        item &&
        !ReadOnlyFolder::keptHereAndUnchanged(*item, Scanner::stat(m_options.localRoot, path)))
        warnIfFailed(m_journal->removeRetryItem(path)); // left queued, it is only retried
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
    if (isPaused() && !m_runner->isRunning() && !m_dirtyPaths.isEmpty())
        publishStatus(true);
    // A poll's walk reads the tree cache, which a cycle's walk updates: one walk at a time.
    if (m_runner->isRunning() || m_pollWalker || isPaused() || !m_journal || m_mode == Mode::Idle)
        return;
    if (m_state == EngineState::Offline && m_mode == Mode::Watching)
        return; // the probe brings us back
    if (!m_fullCycleRequested && m_dirtyPaths.isEmpty())
        return;
    const bool full = m_fullCycleRequested;
    const QStringList scopes = full ? QStringList{QString()} : collapseScopes(m_dirtyPaths);
    m_fullCycleRequested = false;
    m_dirtyPaths.clear();
    if (m_mode == Mode::Watching)
        m_runner->startReport();
    m_runner->start(scopes, full);
}

void Engine::onCycleFinished(bool completed)
{
    if (!m_pendingSelections.isEmpty())
        QMetaObject::invokeMethod(this, &Engine::applyPendingSelections, Qt::QueuedConnection);
    // A cycle that failed may have left work undone that no remote change will show: the
    // next poll runs a full cycle.
    std::optional<RemoteFingerprint> walk = m_runner->takeCycleWalk();
    if (completed && walk)
        m_lastRemoteView = walk;
    else if (!completed)
        m_lastRemoteView.reset();
    const CycleReport &report = m_runner->report();
    // Where a poll lists all the cycle listed, the cycle's walk paces the polls as a poll's
    // does: an idle watch of a million files on a mounted folder walked them again 30 s after
    // its first cycle. Where polls skip seen folders a full walk is no measure of theirs.
    if (completed && report.firstWholeWalkSeconds > 0 &&
        !RemoteWalker::mayReuseTreeCache(*m_backend))
        pacePollsAfterWalk(qint64(report.firstWholeWalkSeconds * 1000));
    applyCycleOutcome(report);
    publishStatus(true);
    pruneVersions();
    Q_EMIT cycleFinished(report);

    if (m_mode == Mode::Once) {
        m_mode = Mode::Idle;
        Q_EMIT onceFinished(report);
        return;
    }
    if (m_mode == Mode::Idle) {
        Q_EMIT stopped();
        return;
    }
    armRetryTimer();
    maybeStartCycle();
    releaseMemoryOnceIdle();
}

// Watching until the next change: keep only what is live, once the objects deleted later (a
// cycle's, a poll's walk) are gone. The C library keeps freed pages for reuse, hundreds of
// bytes per file of a large tree.
void Engine::releaseMemoryOnceIdle()
{
    QMetaObject::invokeMethod(
        this,
        [this] {
            if (!m_runner->isRunning() && !m_pollWalker)
                releaseFreedMemory();
        },
        Qt::QueuedConnection);
}

void Engine::applyCycleOutcome(const CycleReport &report)
{
    if (!report.fatal) {
        if (!isPaused() && m_state != EngineState::Offline)
            setState(EngineState::Idle);
        m_lastError = m_runner->unsyncedError();
        // For `status` in other processes only; the next publish writes it again.
        std::ignore = m_journal->putLiveStatus(
            LiveStatus{engineStateName(m_state), m_journal->trackedFileCount(), 0, m_clock->nowMs(),
                       m_lastError, m_clock->nowMs()});
        return;
    }
    m_lastError = report.fatal->message;
    const ErrorKind kind = report.fatal->kind;
    // Only the remote reports RootMissing here: an unmounted share is "offline", probed
    // until it is back.
    if (kind == ErrorKind::Offline || kind == ErrorKind::Transient ||
        kind == ErrorKind::RootMissing)
        enterOffline(*report.fatal);
    else if (kind == ErrorKind::Auth) {
        m_paused = true;
        setState(EngineState::Paused);
        Q_EMIT credentialsRequired(report.fatal->message);
    } else
        setState(EngineState::Error);
}

void Engine::enterOffline(const Error &error)
{
    m_lastError = error.message;
    setState(EngineState::Offline);
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
            // failed permanently waits for a change of its file or the user (DESIGN §5).
            warnIfFailed(m_journal->makeQueuedRetryItemsDue(m_clock->nowMs()));
            Q_EMIT remoteReached();
            // Paused meanwhile (by the user or a hold): it stays paused, with the cycle due.
            setState(isPaused() ? EngineState::Paused : EngineState::Idle);
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

void Engine::fetchKeptVersion(const VersionEntry &entry)
{
    assertOwnThread(this);
    if (!m_backend)
        return Q_EMIT keptVersionFetched(entry.id, {}, tr("the pair is not running"));
    fetchRemoteVersion(m_backend.get(), m_options.localRoot, entry,
                       [this, id = entry.id](Result<VersionEntry> fetched) {
                           if (fetched)
                               Q_EMIT keptVersionFetched(id, fetched->sha256, QString());
                           else
                               Q_EMIT keptVersionFetched(id, {}, fetched.error().message);
                       });
}

void Engine::resolveConflict(const QString &path, ConflictChoice choice)
{
    assertOwnThread(this);
    if (!m_journal) {
        if (Status ready = setUp(); !ready)
            return Q_EMIT conflictResolved(path, false, ready.error().message);
    }
    auto *resolver = new ConflictResolver(m_options.localRoot, *m_journal, *m_versions, this);
    connect(resolver, &ConflictResolver::failed, this,
            [this, resolver](const QString &conflictPath, const QString &message) {
                resolver->deleteLater();
                Q_EMIT conflictResolved(conflictPath, false, message);
            });
    connect(resolver, &ConflictResolver::resolved, this,
            [this, resolver](const QString &conflictPath, const QStringList &changedPaths) {
                resolver->deleteLater();
                Q_EMIT conflictResolved(conflictPath, true, QString());
                requestCycle(changedPaths, false);
            });
    resolver->resolve(path, choice);
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

} // namespace steadysync
