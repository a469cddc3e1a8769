#include "sync/cyclerunner.h"

#include "fs/reservednames.h"

#include "sync/absenceproof.h"
#include "sync/caseclash.h"
#include "sync/folderselection.h"
#include "sync/massdeleteguard.h"
#include "sync/newfolderhold.h"
#include "sync/propagator.h"
#include "sync/remotewalker.h"
#include "sync/retryqueue.h"
#include "sync/rootidentity.h"
#include "threadaffinity.h"

#include <QFileInfo>
#include <QThreadPool>

#include <algorithm>

namespace steadysync {

namespace {

constexpr qint64 StalePartialAgeS = 3600;
// New files this large are hashed by their upload, which reads them anyway (Scanner::scan):
// the hash no longer holds up the plan, and the file is read once instead of twice.
constexpr qint64 deferredHashMinBytes = 8 * 1024 * 1024;

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

} // namespace

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

CycleRunner::CycleRunner(const EngineOptions &options, const Clock *clock, const EngineMode &mode,
                         const IgnoreRules &ignore, QObject *parent)
    : QObject(parent), m_options(options), m_clock(clock), m_mode(mode), m_ignore(ignore)
{}

CycleRunner::~CycleRunner()
{
    delete m_propagator; // before the journal and the backend it uses go
}

void CycleRunner::startReport()
{
    assertOwnThread(this);
    m_report = {};
    m_cycleTimer.start();
}

void CycleRunner::abortPropagation(const Error &reason)
{
    assertOwnThread(this);
    if (m_propagator)
        m_propagator->abort(reason);
}

void CycleRunner::start(const QStringList &scopes, bool full)
{
    assertOwnThread(this);
    m_redoRound = 0;
    startRound(scopes, full);
}

void CycleRunner::startRound(const QStringList &scopes, bool full)
{
    m_running = true;
    m_roundUsedPollWalk = false;
    m_progress = {};
    // Failures the full disk kept from the journal go in as soon as it takes writes again.
    [[maybe_unused]] const Status saved = m_res.journal->saveUnsavedRetryItems();
    Q_EMIT roundStarted();
    const QFileInfo root(m_options.localRoot);
    if (!root.isDir() || !root.isReadable())
        return finish(
            makeError(ErrorKind::Permanent,
                      tr("the local folder %1 is missing or unreadable; nothing is deleted")
                          .arg(m_options.localRoot)));
    EntryJob *probe = m_res.backend->stat(QString());
    connect(probe, &RemoteJob::finished, this, [this, probe, scopes, full] {
        if (!probe->succeeded()) {
            m_report.fatalFromRemote = true;
            return finish(*probe->error());
        }
        m_remoteRootPermissions = probe->entry().permissions;
        m_rootEntry = probe->entry();
        Q_EMIT remoteReached();
        if (Status roots = checkRoots(); !roots)
            return finish(roots.error());
        startReadingLeavesCache();
        if (full)
            m_res.backend->removeStalePartials(StalePartialAgeS);
        // Before any upload of this cycle can write under the same names.
        removeLeftoverTemporaries([this, scopes, full] {
            JournalSnapshot journal;
            for (const QString &scope : scopes) {
                // An unreadable journal must not pass for one that never synced.
                Result<JournalSnapshot> records = m_res.journal->readRecordsUnder(scope);
                if (!records)
                    return finish(records.error());
                journal.insert(*records);
            }
            if (propagationKnown() && !m_freshWalk)
                startRoundWalk(scopes);
            scanLocal(scopes, journal, [this, scopes, full, journal](Result<ScanResult> scan) {
                onLocalScanned(scopes, full, std::move(scan), journal);
            });
        });
    });
}

Status CycleRunner::checkRoots()
{
    if (Status local = m_res.identity->checkLocal(); !local) {
        m_localRootLost = true;
        return local;
    }
    // The folder is back (a disk mounted again): its watches went with the unmount.
    if (std::exchange(m_localRootLost, false))
        Q_EMIT localRootBack();
    Status remote = m_res.identity->checkRemote(*m_res.journal);
    if (!remote)
        m_report.fatalFromRemote = true;
    return remote;
}

// Temporary files a killed run left on the remote: recorded before use, so known by name.
void CycleRunner::removeLeftoverTemporaries(std::function<void()> then)
{
    const QStringList leftovers = m_res.journal->remoteTemporaries();
    if (leftovers.isEmpty())
        return then();
    RemoteJob *job = m_res.backend->removeTemporaries(leftovers);
    connect(job, &RemoteJob::finished, this, [this, job, leftovers, then] {
        if (job->succeeded()) { // otherwise tried again next cycle
            for (const QString &path : leftovers)
                [[maybe_unused]] const Status forgotten =
                    m_res.journal->removeRemoteTemporary(path);
        }
        then();
    });
}

void CycleRunner::scanLocal(const QStringList &scopes, const JournalSnapshot &journal,
                            std::function<void(Result<ScanResult>)> then)
{
    const QString root = m_options.localRoot;
    const IgnoreRules ignore = m_ignore;
    QPointer<CycleRunner> self(this);
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

void CycleRunner::onLocalScanned(const QStringList &scopes, bool full, Result<ScanResult> scan,
                                 const JournalSnapshot &journal)
{
    if (!scan.ok()) {
        dropRoundWalk();
        return finish(scan.error());
    }
    if (!propagationKnown()) // once per pair: whether an unchanged root means no change
        return learnPropagation([=, this] { onLocalScanned(scopes, full, scan, journal); });
    if (RemoteWalker *fresh = takeFreshWalk(scopes, full)) {
        dropRoundWalk(); // none runs beside an offered walk today; the cache is theirs alone
        m_report.remoteWalkFromPoll = true;
        m_roundUsedPollWalk = true;
        return onRemoteWalked(scopes, full, *scan, journal, fresh);
    }
    if (!m_roundWalk)
        startRoundWalk(scopes);
    awaitRoundWalk([this, scopes, full, scan, journal](RemoteWalker *walker) {
        onRemoteWalked(scopes, full, *scan, journal, walker);
    });
}

void CycleRunner::onRemoteWalked(const QStringList &scopes, bool full, const ScanResult &scan,
                                 const JournalSnapshot &journal, RemoteWalker *walker)
{
    if (walker->error()) {
        m_report.fatalFromRemote = true;
        return finish(*walker->error());
    }
    updateTreeCache(scopes, *walker);
    if (full)
        m_cycleWalk = RemoteFingerprint::of(walker->snapshot(), walker->rejectedNames());
    PlannedCycle cycle{scopes, full, {}, journal, scan.entries, walker->snapshot(), {}};
    reportSkipped(scan, *walker);
    cycle.untouchable = setAsideUnseen(scopes, full, scan, *walker, cycle);
    if (Status roots = checkRoots(); !roots) // the scan or the walk may have met another root
        return finish(roots.error());

    cycle.plan =
        Reconciler::reconcile(cycle.journal, cycle.local, cycle.remote, reconcileOptions());
    if (full && std::exchange(m_restoreDeletions, false))
        cycle.plan = planRestoringDeletions(cycle.plan, &cycle.journal, cycle.local, cycle.remote,
                                            reconcileOptions());
    if (const std::optional<Error> stop = guardDeletions(cycle))
        return finish(stop);
    m_massDeleteConfirmed = false;
    proveAbsences(cycle);
}

void CycleRunner::reportSkipped(const ScanResult &scan, const RemoteWalker &walker)
{
    for (const QString &name : scan.skippedSymlinks)
        m_report.warnings.append(name + QStringLiteral(": symbolic link, not synced"));
    for (const QString &name : scan.skippedSpecial)
        m_report.warnings.append(name + QStringLiteral(": not a regular file, not synced"));
    // A file that cannot be read or named is not in sync: it counts as failed (exit 1).
    for (const QString &problem : scan.unreadable + scan.unrepresentable) {
        m_report.warnings.append(problem);
        ++m_report.failed;
    }
    for (const QString &rejected : walker.rejectedNames()) {
        m_report.warnings.append(rejected + QStringLiteral(": rejected remote name"));
        ++m_report.failed;
    }
}

// What cannot be seen now must not look deleted: leave unreadable folders alone, what the
// remote lists under names we refuse, and the items that wait for the user or failed
// permanently.
QStringList CycleRunner::setAsideUnseen(const QStringList &scopes, bool full,
                                        const ScanResult &scan, const RemoteWalker &walker,
                                        PlannedCycle &cycle)
{
    rememberRejectedPaths(scopes, walker.rejectedPaths());
    QStringList untouchable = scan.unreadableDirectories;
    for (const QString &path : std::as_const(m_rejectedRemotePaths))
        untouchable.append(path);
    for (const QString &path : excludedPaths(scopes, cycle.local, cycle.remote))
        untouchable.append(path);
    untouchable += caseClashesLeftAlone(cycle.local, cycle.remote, cycle.journal);
    untouchable += newFoldersHeldBack(full, cycle.local, cycle.remote, cycle.journal);
    Reconciler::setAside(untouchable, &cycle.journal, &cycle.local, &cycle.remote);
    return untouchable;
}

// Nothing goes to the local trash on the word of one listing (DESIGN.md, "Deletions need
// proof"): the folders of the planned local deletions are listed again first.
void CycleRunner::proveAbsences(const PlannedCycle &cycle)
{
    auto *proof = new AbsenceProof(m_res.backend, 2 * m_options.backend.parallel, this);
    connect(proof, &AbsenceProof::finished, this, [this, proof, cycle] {
        proof->deleteLater();
        onAbsencesProven(cycle, *proof);
    });
    proof->start(cycle.plan, cycle.remote);
}

// What could not be proven gone is left alone this cycle, with all below it, and queued (exit 1,
// retried): the plan is made again without it, as for any item that cannot be seen now.
void CycleRunner::onAbsencesProven(PlannedCycle cycle, const AbsenceProof &proof)
{
    if (proof.fatal())
        return finish(*proof.fatal());
    // The poll's walk is older than the proof: what it missed may have come since. The round
    // is planned again with a walk of its own, and the server's tree listing keeps its trust.
    const auto listedAfterAll = [](const AbsenceProof::Unproven &item) {
        return item.listedAfterAll;
    };
    if (m_roundUsedPollWalk &&
        std::any_of(proof.unproven().cbegin(), proof.unproven().cend(), listedAfterAll))
        return startRound(cycle.scopes, cycle.full);
    if (!proof.unproven().isEmpty()) {
        QStringList unproven;
        for (const AbsenceProof::Unproven &item : proof.unproven()) {
            // A walk that missed what is there may have come from a tree listing that left
            // out more than the proof can see (a truncated answer): walk with Depth 1 now.
            if (item.listedAfterAll) {
                m_res.backend->distrustTreeListing();
                forgetTreeCache(); // it may hold the same wrong listing
            }
            unproven.append(item.path);
            warnIfFailed(queueRetry(*m_res.journal, m_options.retry, item.path, item.reason,
                                    m_clock->nowMs()));
        }
        Reconciler::setAside(unproven, &cycle.journal, &cycle.local, &cycle.remote);
        cycle.untouchable += unproven;
        cycle.plan =
            Reconciler::reconcile(cycle.journal, cycle.local, cycle.remote, reconcileOptions());
    }
    dropSettledRetryItems(cycle.scopes, cycle.plan, cycle.untouchable);
    propagate(cycle.scopes, cycle.plan, cycle.remote);
}

void CycleRunner::propagate(const QStringList &scopes, const SyncPlan &plan,
                            const RemoteSnapshot &remote)
{
    PropagationSettings settings;
    settings.localRoot = m_options.localRoot;
    settings.conflictPolicy = m_options.conflictPolicy;
    settings.retry = m_options.retry;
    settings.parallel = m_options.backend.parallel;
    settings.diskReserveBytes = m_options.diskReserveBytes;
    settings.versions = m_res.versions;
    settings.remoteVersions = m_res.remoteVersions;
    m_propagator = new Propagator(settings, m_res.backend, m_res.journal, m_clock, this);
    connect(m_propagator, &Propagator::itemDone, this, &CycleRunner::itemDone);
    connect(m_propagator, &Propagator::conflictOpened, this, &CycleRunner::conflictOpened);
    connect(m_propagator, &Propagator::transferProgress, this, &CycleRunner::transferProgress);
    connect(m_propagator, &Propagator::progress, this,
            [this](qint64 done, qint64 total, qint64 bytes) {
                m_progress = {done, total, bytes};
                Q_EMIT progressed(done, total);
            });
    connect(m_propagator, &Propagator::finished, this, &CycleRunner::onPropagated);
    updateFolderPermissions(&m_folderPermissions, scopes, remote);
    if (m_remoteRootPermissions.known)
        m_folderPermissions.insert(QString(), m_remoteRootPermissions);
    m_propagator->start(plan, remote, m_folderPermissions);
}

void CycleRunner::onPropagated()
{
    Propagator *propagator = m_propagator;
    m_propagator = nullptr;
    propagator->deleteLater();
    CycleReport part = propagator->report();
    part.failed = 0; // failures are counted from the retry queue at the end
    m_report.add(part);
    if (propagator->abortReason())
        return finish(propagator->abortReason());

    QSet<QString> redo(propagator->redoPaths().cbegin(), propagator->redoPaths().cend());
    if (!redo.isEmpty() && m_mode != EngineMode::Idle) {
        if (++m_redoRound <= MaxRedoRounds)
            return startRound(collapseScopes(redo), false);
        // Still moving after several rounds: the watcher or the retry queue comes back to it.
        for (const QString &path : std::as_const(redo)) {
            warnIfFailed(
                queueRetry(*m_res.journal, m_options.retry, path,
                           makeError(ErrorKind::Transient, tr("kept changing during the sync")),
                           m_clock->nowMs()));
        }
    }
    announceRemoteChanges([this] { finish(std::nullopt); });
}

void CycleRunner::finish(const std::optional<Error> &fatal)
{
    m_running = false;
    dropFreshWalk();
    dropRoundWalk();
    m_progress = {};
    completeReport(fatal);
    Q_EMIT finished(!fatal);
}

void CycleRunner::completeReport(const std::optional<Error> &fatal)
{
    m_report.fatal = fatal;
    if (fatal && fatal->kind == ErrorKind::Cancelled)
        m_report.fatal.reset();
    qint64 queued = 0;
    qint64 failed = 0;
    m_unsyncedError.clear(); // a failed item's reason, else a queued one's: what `status` shows
    m_report.unsyncedItems.clear();
    for (const RetryItem &item : m_res.journal->retryItems()) {
        m_report.unsyncedItems.append(item);
        (item.failedPermanently ? failed : queued) += 1;
        if (m_unsyncedError.isEmpty() || (item.failedPermanently && failed == 1))
            m_unsyncedError = item.path + QStringLiteral(": ") + item.lastError;
    }
    m_report.queued = queued;
    m_report.failed += failed;
    m_report.openConflicts = m_res.journal->conflicts().size();
    m_report.seconds = elapsedSeconds();
}

ReconcileOptions CycleRunner::reconcileOptions() const
{
    ReconcileOptions options;
    options.remoteEtagsSurviveMoves = m_res.backend->etagsSurviveMoves();
    return options;
}

RemoteWalker *CycleRunner::newRemoteWalker()
{
    takeLeavesCache();
    auto *walker = new RemoteWalker(m_res.backend, m_ignore, 2 * m_options.backend.parallel, this);
    // Skipping collections by their ETags needs propagation verified, not only claimed.
    if (!m_res.backend->propagatesDirectoryEtags() || remotePropagationVerified())
        walker->setTreeCache(&m_remoteTreeCache, m_clock);
    return walker;
}

void CycleRunner::updateTreeCache(const QStringList &scopes, const RemoteWalker &walker)
{
    if (RemoteWalker::mayReuseTreeCache(*m_res.backend)) {
        // A no-change walk of 100,000 files would rebuild the cache as it is and rewrite a
        // 10 MB file that has it already.
        const bool sameAsCached =
            !walker.fullWalkStartedMs() && scopes == QStringList{QString()} &&
            walker.snapshot() == m_remoteTreeCache.entries() &&
            walker.rejectedByDirectory() == m_remoteTreeCache.rejected() &&
            (!walker.root() || walker.root()->etag == m_remoteTreeCache.rootEtag());
        if (!sameAsCached)
            m_remoteTreeCache.update(scopes, walker.snapshot(), walker.rejectedByDirectory(),
                                     walker.fullWalkStartedMs());
        // Only a whole walk is written: the file then holds one consistent look at the remote.
        saveTreeCache(walker, !sameAsCached && scopes == QStringList{QString()});
    } else
        m_remoteTreeCache.clear(); // of no use there
}

QSet<QString> CycleRunner::excludedPaths(const QStringList &scopes, const LocalSnapshot &local,
                                         const RemoteSnapshot &remote)
{
    QSet<QString> excluded;
    for (const ConflictRecord &conflict : m_res.journal->conflicts()) {
        excluded.insert(conflict.path);
        excluded.insert(conflict.remoteCopy);
    }
    // Backoff paces a running pair (DESIGN §5): an item still waiting out its backoff, or a
    // server's Retry-After, sits out cycles that other changes start, unless it changed.
    const qint64 now = m_clock->nowMs();
    for (const RetryItem &item : m_res.journal->retryItems()) {
        const bool waiting = !item.failedPermanently && m_mode == EngineMode::Watching &&
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
            if (item.failedPermanently) // left queued, it is only tried again
                warnIfFailed(m_res.journal->removeRetryItem(item.path));
        } else {
            excluded.insert(item.path);
        }
    }
    return excluded;
}

// A refused name is seen only where its collection is listed; a cycle of a smaller scope
// (a path below it) does not list that collection and must still leave the path alone.
void CycleRunner::rememberRejectedPaths(const QStringList &scopes, const QStringList &rejected)
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

void CycleRunner::dropSettledRetryItems(const QStringList &scopes, const SyncPlan &plan,
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
    for (const RetryItem &item : m_res.journal->retryItems()) {
        if (!item.failedPermanently && !planned.contains(item.path) &&
            isBelowAny(item.path, scopes) && !isBelowAny(item.path, untouchable))
            warnIfFailed(m_res.journal->removeRetryItem(item.path)); // left: only tried again
    }
}

// Large new remote folders wait for the user (DESIGN.md, "Selective sync"): left alone, named
// in the report (exit 1) and in the journal for `select list` and the app.
QStringList CycleRunner::newFoldersHeldBack(bool full, const LocalSnapshot &local,
                                            const RemoteSnapshot &remote,
                                            const JournalSnapshot &journal)
{
    QStringList accepted = FolderSelection::acceptedFolders(*m_res.journal);
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
        accepted.erase(
            std::remove_if(accepted.begin(), accepted.end(),
                           [&journal](const QString &path) { return journal.contains(path); }),
            accepted.end());
        [[maybe_unused]] const Status savedAccepted =
            FolderSelection::setAcceptedFolders(*m_res.journal, accepted);
        [[maybe_unused]] const Status savedHeld =
            FolderSelection::setHeldBackFolders(*m_res.journal, paths);
        Q_EMIT heldBackChanged(paths);
    }
    return paths;
}

QStringList CycleRunner::caseClashesLeftAlone(const LocalSnapshot &local,
                                              const RemoteSnapshot &remote,
                                              const JournalSnapshot &journal)
{
    if (!m_localCaseInsensitive)
        m_localCaseInsensitive =
            isCaseInsensitiveDirectory(ReservedNames::statePath(m_options.localRoot));
    if (!*m_localCaseInsensitive)
        return {};
    QStringList clashes = caseClashesToSetAside(remote, local, journal);
    for (const QString &path : clashes) {
        m_report.warnings.append(path + QStringLiteral(": differs from another name on the "
                                                       "server only in letter case, which this "
                                                       "local disk cannot hold beside it; left "
                                                       "alone on both sides"));
        ++m_report.failed;
    }
    return clashes;
}

} // namespace steadysync
