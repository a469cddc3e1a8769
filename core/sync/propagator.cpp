// The Propagator's scheduler: which actions of a plan run together, which action runs for each
// kind, and what becomes of its outcome (retry queue, redo, abort). The actions themselves are
// in core/sync/propagation/ (see propagator.h).
#include "sync/propagator.h"

#include "fs/hasher.h"
#include "remote/remotebackend.h"
#include "sync/localfileops.h"
#include "sync/propagation/actiontally.h"
#include "sync/remotepermissioncheck.h"
#include "threadaffinity.h"

#include <QDir>
#include <QTimer>

namespace steadysync {

namespace {

bool isTransfer(ActionKind kind)
{
    return kind == ActionKind::Upload || kind == ActionKind::Download ||
           kind == ActionKind::Conflict;
}

bool abortsCycle(ErrorKind kind)
{
    return kind == ErrorKind::Offline || kind == ErrorKind::Auth || kind == ErrorKind::RootMissing;
}

// Actions that change the shape of the tree (moves, directories, type changes) run alone, in
// plan order; runs of plain file actions between them run concurrently.
bool runsAlone(const SyncAction &action)
{
    switch (action.kind) {
    case ActionKind::MoveRemote:
    case ActionKind::MoveLocal:
    case ActionKind::MakeRemoteDir:
    case ActionKind::MakeLocalDir:
        return true;
    default:
        break;
    }
    return action.type == ItemType::Directory || (action.local && action.local->isDir()) ||
           (action.remote && action.remote->isDir());
}

// File uploads may be in flight several times over the backend's parallelism: a backend
// runs `parallel` requests at once and queues the rest, and an upload waiting for the stat of
// what it wrote holds no connection (WebDAV stats of one directory go out together).
constexpr int uploadsInFlightPerSlot = 16;

bool isFileUpload(const SyncAction &action)
{
    return action.kind == ActionKind::Upload && action.type != ItemType::Directory &&
           !(action.remote && action.remote->isDir());
}

} // namespace

Propagator::Propagator(const PropagationSettings &settings, RemoteBackend *backend,
                       Journal *journal, const Clock *clock, QObject *parent)
    : QObject(parent), m_settings(settings), m_backend(backend), m_journal(journal), m_clock(clock)
{
    m_hashPool.setMaxThreadCount(qMax(1, settings.parallel));
}

Propagator::~Propagator()
{
    for (const QPointer<RemoteJob> &job : std::as_const(m_jobs)) {
        if (job)
            job->disconnect(this);
    }
    m_hashPool.waitForDone();
}

void Propagator::start(const SyncPlan &plan, const RemoteSnapshot &remote,
                       const FolderPermissions &folders)
{
    assertOwnThread(this);
    m_remote = remote;
    m_folderPermissions = folders;
    m_actions = plan.actions;
    for (const SyncAction &action : std::as_const(m_actions)) {
        if (isTransfer(action.kind))
            ++m_filesTotal;
    }
    QDir().mkpath(LocalFileOps::temporaryDirectory(m_settings.localRoot));
    pump();
}

void Propagator::abort(const Error &reason)
{
    assertOwnThread(this);
    if (!m_abortReason)
        m_abortReason = reason;
    m_next = m_actions.size();
    for (const QPointer<RemoteJob> &job : std::as_const(m_jobs)) {
        if (job)
            job->cancel();
    }
    pump();
}

void Propagator::pump()
{
    if (m_finished)
        return;
    const int concurrency = qMax(1, m_settings.parallel);
    while (m_next < m_actions.size() && !m_abortReason) {
        const SyncAction &action = m_actions.at(m_next);
        const bool alone = runsAlone(action);
        const int limit = isFileUpload(action) ? qMax(concurrency * uploadsInFlightPerSlot,
                                                      m_backend->uploadsInFlightWanted())
                                               : concurrency;
        if (m_inFlight > 0 && (alone || m_runningAlone || m_inFlight >= limit))
            break;
        ++m_next;
        ++m_inFlight;
        m_runningAlone = alone;
        runAction(action, [this, action](Outcome outcome) { onActionDone(action, outcome); });
    }
    if (!m_finished && m_inFlight == 0 && (m_next >= m_actions.size() || m_abortReason)) {
        if (waitingForUnprovenWrites())
            return;
        // Queued: pump() may run inside start() or nested in an action's completion.
        m_finished = true;
        QMetaObject::invokeMethod(this, &Propagator::finished, Qt::QueuedConnection);
    }
}

// The redo round checks this run's unproven writes (DESIGN §4 "Two writers"): it starts only once
// a PUT that raced the last of them has landed. An aborted run checks them next time.
bool Propagator::waitingForUnprovenWrites()
{
    if (m_abortReason || m_unprovenSettled.hasExpired())
        return false;
    if (!m_settleTimerRunning) {
        m_settleTimerRunning = true;
        QTimer::singleShot(m_unprovenSettled.remainingTime(), this, [this] {
            m_settleTimerRunning = false;
            pump();
        });
    }
    return true;
}

void Propagator::runAction(const SyncAction &action, Done done)
{
    if (const std::optional<Error> refused = refusalByPermissions(action, m_folderPermissions))
        return keepingReadOnlyRefusals(action, std::move(done))(Outcome::failed(*refused));
    switch (action.kind) {
    case ActionKind::Upload:
        done = keepingReadOnlyRefusals(action, std::move(done));
        if (action.type == ItemType::Directory)
            return makeRemoteDirectory(action, std::move(done));
        return upload(action, std::move(done));
    case ActionKind::Download:
        if (action.type == ItemType::Directory)
            return makeLocalDirectory(action, std::move(done));
        return download(action, std::move(done));
    case ActionKind::MakeRemoteDir:
        return makeRemoteDirectory(action, keepingReadOnlyRefusals(action, std::move(done)));
    case ActionKind::MakeLocalDir:
        return makeLocalDirectory(action, std::move(done));
    case ActionKind::DeleteRemote:
        return deleteRemote(action, keepingReadOnlyRefusals(action, std::move(done)));
    case ActionKind::DeleteLocal:
        return deleteLocal(action, std::move(done));
    case ActionKind::MoveRemote:
        return moveRemote(action, keepingReadOnlyRefusals(action, std::move(done)));
    case ActionKind::MoveLocal:
        return moveLocal(action, std::move(done));
    case ActionKind::Conflict:
        return conflict(action, std::move(done));
    case ActionKind::UpdateJournal:
        return done(updateJournal(action));
    case ActionKind::VerifyRemote:
        return verifyRemote(action, std::move(done));
    case ActionKind::Forget:
        return done(Outcome::of(m_journal->removeRecordsUnder(action.path)));
    }
}

// Both sides agree: only the record learns their state (a metadata-only local change counts
// as skipped unchanged, DESIGN §6).
Propagator::Outcome Propagator::updateJournal(const SyncAction &action)
{
    if (!action.local || !action.remote)
        return Outcome::done();
    const ActionTally tally =
        action.metadataOnly ? ActionTally::skippedUnchanged() : ActionTally::none();
    return Outcome::of(writeRecord(recordFor(*action.local, *action.remote), tally));
}

void Propagator::onActionDone(const SyncAction &action, const Outcome &outcome)
{
    --m_inFlight;
    if (isTransfer(action.kind)) {
        ++m_filesDone;
        Q_EMIT progress(m_filesDone, m_filesTotal, m_report.bytesUp + m_report.bytesDown);
    }
    if (outcome.lookAgain) {
        m_redo.append(action.path);
        if (!action.sourcePath.isEmpty())
            m_redo.append(action.sourcePath);
        Q_EMIT itemDone(action.path, action.kind, true, tr("changed meanwhile; checking again"));
    } else if (outcome.error) {
        const Error &error = *outcome.error;
        const Status queued =
            error.kind == ErrorKind::Cancelled ? success() : queueForRetry(action, error);
        Q_EMIT itemDone(action.path, action.kind, false, error.message);
        if (abortsCycle(error.kind) || outcome.stopsCycle)
            return abort(error);
        if (!queued) // the journal cannot say how often it failed: stop rather than guess
            return abort(queued.error());
    } else {
        if (const auto queued = m_journal->readRetryItem(action.path); !queued || *queued) {
            // Left behind, the item only makes the path be tried again: harmless.
            if (Status removed = m_journal->removeRetryItem(action.path); !removed)
                qWarning("%s", qPrintable(removed.error().message));
        }
        Q_EMIT itemDone(action.path, action.kind, true, QString());
    }
    if (m_inFlight == 0)
        m_runningAlone = false;
    pump();
}

QString Propagator::absolute(const QString &path) const
{
    return path.isEmpty() ? m_settings.localRoot : m_settings.localRoot + QLatin1Char('/') + path;
}

void Propagator::track(RemoteJob *job)
{
    m_jobs.removeAll(QPointer<RemoteJob>());
    m_jobs.append(job);
}

void Propagator::hashAsync(const QString &absolutePath,
                           std::function<void(Result<QByteArray>)> done)
{
    // The pool is waited for in the destructor, so `this` outlives every task.
    m_hashPool.start([this, absolutePath, done = std::move(done)] {
        Result<QByteArray> hash = Hasher::sha256OfFile(absolutePath);
        QMetaObject::invokeMethod(
            this, [done, hash] { done(hash); }, Qt::QueuedConnection);
    });
}

void Propagator::reportTransferProgress(RemoteJob *job, const QString &path, bool upload,
                                        qint64 size)
{
    constexpr qint64 IntervalMs = 250;
    connect(job, &RemoteJob::progress, this,
            [this, path, upload, size, lastMs = qint64(-IntervalMs)](qint64 bytes) mutable {
                const qint64 now = m_clock->nowMs();
                if (now - lastMs < IntervalMs && bytes < size)
                    return;
                lastMs = now;
                Q_EMIT transferProgress(path, upload, bytes, size);
            });
}

} // namespace steadysync
