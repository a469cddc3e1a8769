#include "sync/propagator.h"

#include "fs/hasher.h"
#include "local/scanner.h"
#include "remote/remotebackend.h"
#include "sync/conflictnaming.h"
#include "sync/localfileops.h"
#include "sync/remotepermissioncheck.h"
#include "versions/remoteversionkeeper.h"
#include "versions/versionkeeper.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTimer>

#include <algorithm>

namespace steadysync {

namespace {

// Recorded for a remote file found rewritten by VerifyRemote: matches no listing, so the next
// round sees a remote change.
const QByteArray changedRemoteSignature("~changed-since-verified");

// How long an unproven write (SPEC §4 "Two writers") waits before its check: another
// client's create whose own check came just before ours ends its PUT within this.
constexpr int unprovenSettleMs = 500;

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
        const int limit = isFileUpload(action) ? concurrency * uploadsInFlightPerSlot : concurrency;
        if (m_inFlight > 0 && (alone || m_runningAlone || m_inFlight >= limit))
            break;
        ++m_next;
        ++m_inFlight;
        m_runningAlone = alone;
        runAction(action, [this, action](Outcome outcome) { onActionDone(action, outcome); });
    }
    if (!m_finished && m_inFlight == 0 && (m_next >= m_actions.size() || m_abortReason)) {
        // Queued: pump() may run inside start() or nested in an action's completion.
        m_finished = true;
        QMetaObject::invokeMethod(this, &Propagator::finished, Qt::QueuedConnection);
    }
}

void Propagator::runAction(const SyncAction &action, Done done)
{
    if (const std::optional<Error> refused =
            refusalByPermissions(action, m_folderPermissions))
        return keepingReadOnlyRefusals(action, std::move(done))(Outcome{refused});
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
    case ActionKind::UpdateJournal: {
        Outcome outcome;
        outcome.countsAsOperation = false;
        if (action.local && action.remote) {
            Counters delta;
            delta.skippedUnchanged = action.metadataOnly ? 1 : 0;
            const Status written = writeRecord(recordFor(*action.local, *action.remote), delta);
            if (!written)
                outcome.error = written.error();
            else if (action.metadataOnly)
                ++m_report.skippedUnchanged;
        }
        return done(outcome);
    }
    case ActionKind::VerifyRemote:
        return verifyRemote(action, std::move(done));
    case ActionKind::Forget: {
        Outcome outcome;
        outcome.countsAsOperation = false;
        const Status removed = m_journal->removeRecordsUnder(action.path);
        if (!removed)
            outcome.error = removed.error();
        return done(outcome);
    }
    }
}

void Propagator::onActionDone(const SyncAction &action, const Outcome &outcome)
{
    --m_inFlight;
    if (isTransfer(action.kind)) {
        ++m_filesDone;
        Q_EMIT progress(m_filesDone, m_filesTotal, m_report.bytesUp + m_report.bytesDown);
    }
    if (outcome.redo) {
        m_redo.append(action.path);
        if (!action.sourcePath.isEmpty())
            m_redo.append(action.sourcePath);
        Q_EMIT itemDone(action.path, action.kind, true, tr("changed meanwhile; checking again"));
    } else if (outcome.error) {
        const Error &error = *outcome.error;
        if (error.kind != ErrorKind::Cancelled) {
            RetryItem item = m_settings.retry.afterFailure(m_journal->retryItem(action.path),
                                                           action.path, error, m_clock->nowMs());
            item.sidesAtFailure = sidesFingerprint(action.local ? &*action.local : nullptr,
                                                   action.remote ? &*action.remote : nullptr);
            Journal::Transaction transaction(*m_journal);
            m_journal->putRetryItem(item);
            Counters delta;
            delta.failures = 1;
            m_journal->addCounters(delta);
            transaction.commit();
        }
        Q_EMIT itemDone(action.path, action.kind, false, error.message);
        if (abortsCycle(error.kind))
            return abort(error);
    } else {
        if (const auto queued = m_journal->readRetryItem(action.path); !queued || *queued)
            m_journal->removeRetryItem(action.path);
        Q_EMIT itemDone(action.path, action.kind, true, QString());
    }
    if (m_inFlight == 0)
        m_runningAlone = false;
    pump();
}

JournalRecord Propagator::recordAfterMove(const QString &path, const LocalEntry &local,
                                          const RemoteEntry &remote) const
{
    JournalRecord record = m_journal->record(path).value_or(JournalRecord{});
    const JournalRecord fresh = recordFor(local, remote);
    record.path = path;
    record.type = fresh.type;
    record.localSize = fresh.localSize;
    record.localMtimeNs = fresh.localMtimeNs;
    record.localInode = fresh.localInode;
    record.localCtimeNs = fresh.localCtimeNs;
    record.remoteSignature = fresh.remoteSignature;
    record.remoteSize = fresh.remoteSize;
    record.remoteMtimeNs = fresh.remoteMtimeNs;
    record.remoteId = fresh.remoteId;
    return record;
}

JournalRecord Propagator::recordFor(const LocalEntry &local, const RemoteEntry &remote) const
{
    JournalRecord record;
    record.path = local.path;
    record.type = local.type;
    record.localSize = local.size;
    record.localMtimeNs = local.mtimeNs;
    record.localInode = local.inode;
    record.localCtimeNs = local.ctimeNs;
    record.sha256 = local.sha256;
    record.remoteSignature = recordedSignature(remote, m_clock->nowMs());
    record.remoteSize = remote.size;
    record.remoteMtimeNs = remote.mtimeNs;
    record.remoteId = remote.fileId;
    return record;
}

Status Propagator::writeRecord(const JournalRecord &record, const Counters &delta)
{
    Journal::Transaction transaction(*m_journal);
    if (Status put = m_journal->putRecord(record); !put)
        return put;
    if (Status settled = m_journal->removeUnconfirmedUpload(record.path); !settled)
        return settled;
    if (Status added = m_journal->addCounters(delta); !added)
        return added;
    return transaction.commit();
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

void Propagator::uploadFile(const LocalEntry &local, const QString &path,
                            const Precondition &precondition,
                            std::function<void(Result<RemoteEntry>, QByteArray)> done)
{
    const UploadHashing hashing =
        local.hashPending ? UploadHashing::SentBytes : UploadHashing::None;
    // Recorded before the upload writes it, so the next cycle removes it after a kill.
    const QString temporary = m_backend->temporaryPathFor(path);
    if (!temporary.isEmpty()) {
        if (Status recorded = m_journal->putRemoteTemporary(temporary); !recorded)
            return done(recorded.error(), QByteArray());
    }
    EntryJob *job = m_backend->upload(absolute(local.path), path, local.mtimeNs, precondition,
                                      hashing, local.hashPending ? QByteArray() : local.sha256);
    track(job);
    reportTransferProgress(job, path, true, local.size);
    connect(job, &RemoteJob::finished, this, [this, job, temporary, path, done = std::move(done)] {
        // The job published or removed it; a row that cannot go now is swept next cycle.
        if (!temporary.isEmpty())
            [[maybe_unused]] const Status forgotten = m_journal->removeRemoteTemporary(temporary);
        if (!job->succeeded()) {
            done(*job->error(), job->sentSha256());
            return;
        }
        m_report.bytesUp += job->bytesTransferred();
        RemoteEntry entry = job->entry();
        // Possibly another client's version (SPEC §4 "Two writers"): its record then asks for
        // the content to be compared before it is trusted (RemoteEntry::signature() is the tag),
        // at once in this run, while no other client can have seen this version and edited it.
        if (job->writeUnproven()) {
            entry.etag = unprovenSignature(entry);
            m_redo.append(path);
            // Checked a moment later: another client's PUT that raced ours has landed by then.
            QTimer::singleShot(unprovenSettleMs, this,
                               [done, entry, sent = job->sentSha256()] { done(entry, sent); });
            return;
        }
        done(entry, job->sentSha256());
    });
}

void Propagator::hashLocalThen(const SyncAction &action, Done done,
                               std::function<void(const SyncAction &, Done)> then)
{
    hashAsync(absolute(action.path), [this, action, done, then](Result<QByteArray> hash) {
        if (!hash.ok())
            return done(hash.error().kind == ErrorKind::NotFound ? Outcome{std::nullopt, true}
                                                                 : Outcome{hash.error()});
        SyncAction hashed = action;
        hashed.local->sha256 = *hash;
        hashed.local->hashPending = false;
        if (!LocalFileOps::unchangedSince(m_settings.localRoot, action.path, *hashed.local))
            return done({std::nullopt, true});
        then(hashed, done);
    });
}

void Propagator::clearRemoteDirectory(const QString &path, std::function<void(Outcome)> then)
{
    // Only an empty directory goes: anything that appeared in it meanwhile stays.
    ListJob *list = m_backend->list(path);
    track(list);
    connect(list, &RemoteJob::finished, this, [this, list, path, then] {
        if (!list->succeeded()) {
            if (list->error()->kind == ErrorKind::NotFound)
                return then({});
            return then({*list->error()});
        }
        if (!list->entries().isEmpty())
            return then({std::nullopt, true});
        RemoteJob *job = m_backend->remove(path, Precondition::none());
        track(job);
        connect(job, &RemoteJob::finished, this, [job, then] {
            if (!job->succeeded() && job->error()->kind != ErrorKind::NotFound)
                return then({*job->error()});
            then({});
        });
    });
}

Propagator::Outcome Propagator::clearLocalDirectory(const QString &path)
{
    const QStringList left =
        QDir(absolute(path))
            .entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System);
    if (!left.isEmpty())
        return {std::nullopt, true};
    if (Status trashed = LocalFileOps::moveToTrash(m_settings.localRoot, path); !trashed)
        return {trashed.error()};
    return {};
}

void Propagator::upload(const SyncAction &action, Done done)
{
    if (action.remote && action.remote->isDir()) {
        // A directory that became a file here: the (now empty) remote directory makes way.
        SyncAction replacing = action;
        replacing.remote.reset();
        return clearRemoteDirectory(action.path, [this, replacing, done](Outcome cleared) {
            if (cleared.error || cleared.redo)
                return done(cleared);
            upload(replacing, done);
        });
    }
    const LocalEntry local = *action.local;
    // A file that moved under us since the scan is looked at again, never sent half-written.
    if (!LocalFileOps::unchangedSince(m_settings.localRoot, action.path, local))
        return done({std::nullopt, true});
    // A pending hash is taken by the upload itself where the backend can (one read of the
    // file instead of two), else first.
    if (local.hashPending && !m_backend->hashesSentBytes())
        return hashLocalThen(action, done,
                             [this](const SyncAction &hashed, Done then) { upload(hashed, then); });
    if (RemoteJob *keeping =
            RemoteVersionKeeper::keepBeforeUpload(m_settings.remoteVersions, action))
        return uploadOnceKept(keeping, action, done);
    const Precondition precondition = action.remote
                                          ? Precondition::mustMatch(action.remote->signature())
                                          : Precondition::mustNotExist();
    uploadFile(local, action.path, precondition,
               [this, action, done, local](Result<RemoteEntry> result, QByteArray sentSha256) {
                   LocalEntry uploaded = local;
                   if (uploaded.hashPending) {
                       uploaded.sha256 = sentSha256;
                       uploaded.hashPending = false;
                   }
                   if (!result.ok()) {
                       const ErrorKind kind = result.error().kind;
                       if (kind == ErrorKind::PreconditionFailed ||
                           kind == ErrorKind::ParentMissing || kind == ErrorKind::NotFound)
                           return done({std::nullopt, true});
                       // It may have arrived all the same (a lost answer): remember what it was.
                       if (!uploaded.sha256.isEmpty())
                           m_journal->putUnconfirmedUpload(action.path, uploaded.sha256);
                       return done({result.error()});
                   }
                   // Without the hash, the record could not tell a later change: look again.
                   if (uploaded.sha256.isEmpty())
                       return done({std::nullopt, true});
                   Counters delta;
                   delta.uploads = 1;
                   delta.successes = 1;
                   delta.bytesUp = uploaded.size;
                   if (Status written = writeRecord(recordFor(uploaded, *result), delta); !written)
                       return done({written.error()});
                   ++m_report.uploaded;
                   // Changed while uploading: the record keeps the old state, so it goes up again.
                   const bool changedDuringUpload =
                       !LocalFileOps::unchangedSince(m_settings.localRoot, action.path, local);
                   done({std::nullopt, changedDuringUpload});
               });
}

void Propagator::downloadToTemporary(const QString &path, const RemoteEntry &expected,
                                     std::function<void(Result<DownloadedVersion>)> done)
{
    const qint64 free = LocalFileOps::freeBytes(m_settings.localRoot);
    if (free >= 0 && free < expected.size + m_settings.diskReserveBytes) {
        done(makeError(
            ErrorKind::DiskFull,
            tr("%1: not enough free disk space (%2 bytes free, %3 needed plus a reserve of %4)")
                .arg(path)
                .arg(free)
                .arg(expected.size)
                .arg(m_settings.diskReserveBytes)));
        return;
    }
    // One temporary name per remote file (server and path): a download cut off by the
    // network is kept there, and the retry, in this run or a later one, resumes it (the
    // backend asks for the rest with Range + If-Range).
    const QByteArray remoteFile =
        m_backend->url().toString(QUrl::RemoveUserInfo).toUtf8() + '\n' + path.toUtf8();
    const QString temporary =
        LocalFileOps::temporaryDirectory(m_settings.localRoot) + QLatin1Char('/') +
        QLatin1String(LocalFileOps::partialDownloadPrefix) +
        QString::fromLatin1(QCryptographicHash::hash(remoteFile, QCryptographicHash::Sha1).toHex());
    EntryJob *job = m_backend->download(path, temporary);
    track(job);
    reportTransferProgress(job, path, false, expected.size);
    connect(job, &RemoteJob::finished, this, [this, job, temporary, path, done = std::move(done)] {
        auto fail = [&](const Error &error) {
            QFile::remove(temporary);
            done(error);
        };
        if (!job->succeeded()) {
            if (job->error()->kind == ErrorKind::Transient)
                return done(*job->error());
            return fail(*job->error());
        }
        const RemoteEntry entry = job->entry();
        if (QFileInfo(temporary).size() != entry.size)
            return fail(
                makeError(ErrorKind::Transient, tr("%1: download incomplete (%2 of %3 bytes)")
                                                    .arg(path)
                                                    .arg(QFileInfo(temporary).size())
                                                    .arg(entry.size)));
        m_report.bytesDown += entry.size;
        hashAsync(temporary, [this, temporary, entry, path, done](Result<QByteArray> hash) {
            if (hash.ok() && !entry.sha256.isEmpty() && entry.sha256 != *hash)
                hash =
                    makeError(ErrorKind::Transient,
                              tr("%1: downloaded content does not match its checksum").arg(path));
            if (!hash.ok()) {
                QFile::remove(temporary);
                return done(hash.error());
            }
            done(DownloadedVersion{temporary, entry, *hash});
        });
    });
}

Propagator::Outcome Propagator::outcomeOfFetch(const Error &error)
{
    // Gone remotely since the listing: reconcile that path again rather than fail.
    if (error.kind == ErrorKind::NotFound)
        return {std::nullopt, true};
    return {error};
}

void Propagator::download(const SyncAction &action, Done done)
{
    if (action.local && action.local->isDir()) {
        const Outcome cleared = clearLocalDirectory(action.path);
        if (cleared.error || cleared.redo)
            return done(cleared);
        SyncAction replacing = action;
        replacing.local.reset();
        return download(replacing, done);
    }
    downloadToTemporary(action.path, *action.remote,
                        [this, action, done](Result<DownloadedVersion> downloaded) {
                            if (!downloaded.ok())
                                return done(outcomeOfFetch(downloaded.error()));
                            placeDownload(action, downloaded->temporary, downloaded->entry,
                                          downloaded->sha256, done);
                        });
}

void Propagator::verifyRemote(const SyncAction &action, Done done)
{
    downloadToTemporary(
        action.path, *action.remote, [this, action, done](Result<DownloadedVersion> downloaded) {
            if (!downloaded.ok())
                return done(outcomeOfFetch(downloaded.error()));
            QFile::remove(downloaded->temporary);
            Outcome outcome;
            outcome.countsAsOperation = false;
            JournalRecord record = *action.base;
            record.remoteSize = downloaded->entry.size;
            record.remoteMtimeNs = downloaded->entry.mtimeNs;
            record.remoteId = downloaded->entry.fileId;
            if (downloaded->sha256 != action.base->sha256) {
                // Rewritten in the same second: now a plain remote change, decided next round.
                record.remoteSignature =
                    signatureOfRewrittenRemote(*action.base, changedRemoteSignature);
                outcome.redo = true;
            } else {
                record.remoteSignature = recordedSignature(downloaded->entry, m_clock->nowMs());
                const bool localUnchanged = action.local &&
                                            action.local->sha256 == action.base->sha256 &&
                                            action.local->size == action.base->localSize &&
                                            action.local->mtimeNs == action.base->localMtimeNs &&
                                            action.local->inode == action.base->localInode;
                // A local change or delete waits for no one: the content was just confirmed.
                if (!localUnchanged)
                    record.remoteSignature = settledSignature(record.remoteSignature);
                outcome.redo = !isUnsettledSignature(record.remoteSignature);
                // A deleted file's folder may be deleted too: that is decided one level up.
                if (!action.local && outcome.redo)
                    m_redo.append(parentPath(action.path));
            }
            if (Status written = writeRecord(record, {}); !written)
                return done({written.error()});
            done(outcome);
        });
}

void Propagator::placeDownload(const SyncAction &action, const QString &temporary,
                               const RemoteEntry &entry, const QByteArray &sha256, Done done)
{
    // Only replace what we examined: a local edit since then becomes a conflict next round.
    if (!LocalFileOps::unchangedSince(m_settings.localRoot, action.path, action.local)) {
        QFile::remove(temporary);
        return done({std::nullopt, true});
    }
    if (action.local && !action.local->sha256.isEmpty() && action.local->sha256 == sha256) {
        // Same content (e.g. a touched remote file): the local file stays as it is; only the
        // record learns the remote's new state.
        QFile::remove(temporary);
        Counters delta;
        delta.skippedUnchanged = 1;
        if (Status written = writeRecord(recordFor(*action.local, entry), delta); !written)
            return done({written.error()});
        ++m_report.skippedUnchanged;
        return done({std::nullopt, false, false});
    }
    if (replacesUnconfirmedVersion(action, sha256))
        if (Status kept = keepReplacedVersion(action); !kept) {
            QFile::remove(temporary);
            return done({kept.error()});
        }
    const QString target = absolute(action.path);
    QDir().mkpath(QFileInfo(target).absolutePath());
    keepRemoteTime(temporary, entry);
    if (Status kept =
            VersionKeeper::keepIn(m_settings.versions, {action.path, VersionReason::Overwritten});
        !kept) {
        QFile::remove(temporary);
        return done({kept.error()});
    }
    if (Status renamed = LocalFileOps::renameReplacing(temporary, target); !renamed) {
        QFile::remove(temporary);
        return done({renamed.error()});
    }
    std::optional<LocalEntry> placed = Scanner::stat(m_settings.localRoot, action.path);
    if (!placed)
        return done(
            {makeError(ErrorKind::Transient, tr("%1: vanished after download").arg(action.path))});
    placed->sha256 = sha256;
    Counters delta;
    delta.downloads = 1;
    delta.successes = 1;
    delta.bytesDown = entry.size;
    if (Status written = writeRecord(recordFor(*placed, entry), delta); !written)
        return done({written.error()});
    ++m_report.downloaded;
    done({});
}

// A remote entry's mtime 0 means the server gave no date we could read (RemoteEntry): the
// downloaded file then keeps the time it was written, never 1970-01-01.
void Propagator::keepRemoteTime(const QString &downloaded, const RemoteEntry &entry)
{
    if (entry.mtimeNs > 0)
        LocalFileOps::setModificationTime(downloaded, entry.mtimeNs);
}

// The loser stays as a conflict copy that is synced and may be edited, so its version must be
// independent of it: a snapshot (reflink or copy), not a hard link.
Status Propagator::keepConflictLoser(const QString &path, const QString &source,
                                     const QString &origin)
{
    return VersionKeeper::keepIn(
        m_settings.versions,
        {path, VersionReason::Conflict, VersionStore::SaveMode::Snapshot, source, origin});
}

QString Propagator::freeConflictName(const QString &path, qint64 loserMtimeNs)
{
    // Without a known time (a server that gives no readable date) the copy is named by now.
    const qint64 named = loserMtimeNs > 0 ? loserMtimeNs : m_clock->nowMs() * 1'000'000;
    const QString name = conflictCopyPath(
        path, named,
        [this](const QString &candidate) {
            return m_reservedNames.contains(candidate) || m_remote.contains(candidate) ||
                   QFileInfo::exists(absolute(candidate)) ||
                   QFileInfo(absolute(candidate)).isSymLink();
        },
        LocalFileOps::maxNameBytes(m_settings.localRoot));
    m_reservedNames.insert(name);
    return name;
}

void Propagator::typeConflict(const SyncAction &action, Done done)
{
    // The directory keeps the name on both sides; the file moves aside as a conflict copy on
    // its side and travels under that name in the next round.
    const bool localIsDirectory = action.local && action.local->isDir();
    if (localIsDirectory) {
        const QString copy = freeConflictName(action.path, action.remote->mtimeNs);
        RemoteJob *move =
            m_backend->move(action.path, copy, Precondition::mustMatch(action.remote->signature()));
        track(move);
        connect(move, &RemoteJob::finished, this, [this, move, action, copy, done] {
            if (!move->succeeded())
                return done(move->error()->kind == ErrorKind::PreconditionFailed
                                ? Outcome{std::nullopt, true}
                                : Outcome{*move->error()});
            m_redo.append(copy);
            SyncAction directory = action;
            directory.remote.reset();
            makeRemoteDirectory(directory, done);
        });
        return;
    }
    if (!LocalFileOps::unchangedSince(m_settings.localRoot, action.path, action.local))
        return done({std::nullopt, true});
    const QString copy = freeConflictName(action.path, action.local->mtimeNs);
    if (Status moved = LocalFileOps::renameNoReplace(absolute(action.path), absolute(copy)); !moved)
        return done({moved.error()});
    m_redo.append(copy);
    SyncAction directory = action;
    directory.local.reset();
    makeLocalDirectory(directory, done);
}

void Propagator::conflict(const SyncAction &action, Done done)
{
    if (action.type == ItemType::Directory)
        return typeConflict(action, done);
    if (action.local && action.local->hashPending)
        return hashLocalThen(
            action, done, [this](const SyncAction &hashed, Done then) { conflict(hashed, then); });
    downloadToTemporary(action.path, *action.remote,
                        [this, action, done](Result<DownloadedVersion> downloaded) {
                            if (!downloaded.ok())
                                return done(outcomeOfFetch(downloaded.error()));
                            resolveConflict(action, downloaded->temporary, downloaded->entry,
                                            downloaded->sha256, done);
                        });
}

void Propagator::resolveConflict(const SyncAction &action, const QString &temporary,
                                 const RemoteEntry &entry, const QByteArray &remoteSha, Done done)
{
    const LocalEntry local = *action.local;
    if (!LocalFileOps::unchangedSince(m_settings.localRoot, action.path, local)) {
        QFile::remove(temporary);
        return done({std::nullopt, true});
    }
    // Same content on both sides: nothing to keep twice.
    if (remoteSha == local.sha256) {
        QFile::remove(temporary);
        Counters delta;
        delta.skippedUnchanged = 1;
        if (Status written = writeRecord(recordFor(local, entry), delta); !written)
            return done({written.error()});
        ++m_report.skippedUnchanged;
        return done({std::nullopt, false, false});
    }
    // The remote still holds the version last synced (only its signature looked new, e.g.
    // a server that re-tags unchanged files): only the local side changed, so it goes up.
    // Likewise when the remote holds this client's own upload whose answer was lost: the local
    // file only moved on from it.
    const QByteArray sent = m_journal->unconfirmedUpload(action.path);
    const bool remoteIsOwnUpload = !sent.isEmpty() && remoteSha == sent;
    if ((action.base && !action.base->sha256.isEmpty() && remoteSha == action.base->sha256) ||
        remoteIsOwnUpload) {
        QFile::remove(temporary);
        SyncAction plainUpload = action;
        plainUpload.kind = ActionKind::Upload;
        plainUpload.remote = entry;
        return upload(plainUpload, done);
    }
    keepRemoteTime(temporary, entry);
    const ConflictPolicy policy = m_settings.conflictPolicy;
    Counters conflictDelta;
    conflictDelta.conflicts = 1;

    if (policy == ConflictPolicy::Ask) {
        const QString copy = freeConflictName(action.path, entry.mtimeNs);
        if (Status placed = LocalFileOps::renameNoReplace(temporary, absolute(copy)); !placed) {
            QFile::remove(temporary);
            return done({placed.error()});
        }
        ConflictRecord record{action.path, action.path, copy, m_clock->nowMs(), entry.signature()};
        Journal::Transaction transaction(*m_journal);
        m_journal->putConflict(record);
        m_journal->addCounters(conflictDelta);
        transaction.commit();
        ++m_report.conflicts;
        Q_EMIT conflictOpened(action.path, copy);
        return done({std::nullopt, false, false});
    }

    // An empty remote file never takes the name from a real edit (an empty resource a LOCK
    // left behind, SPEC §4 "Two writers"); it is still kept as the conflict copy.
    const bool localWins =
        policy == ConflictPolicy::LocalWins ||
        (policy == ConflictPolicy::KeepBoth &&
         (local.mtimeNs >= entry.mtimeNs || (entry.size == 0 && local.size > 0)));
    if (localWins) {
        // The remote version becomes the conflict copy, locally first (safe on disk), then
        // the local version goes up under the name.
        const QString copy = freeConflictName(action.path, entry.mtimeNs);
        if (Status kept = keepConflictLoser(action.path, temporary, QStringLiteral("remote"));
            !kept) {
            QFile::remove(temporary);
            return done({kept.error()});
        }
        if (Status placed = LocalFileOps::renameNoReplace(temporary, absolute(copy)); !placed) {
            QFile::remove(temporary);
            return done({placed.error()});
        }
        // The journal now says: the remote version is merged in; the local one is newer. The
        // local stat stays out of the record: matching it would let the scanner take the remote
        // hash for the local file, and a failed upload below would then never be retried.
        JournalRecord merged = recordFor(local, entry);
        merged.sha256 = remoteSha;
        merged.localSize = -1;
        merged.localMtimeNs = 0;
        merged.localInode = 0;
        merged.localCtimeNs = 0;
        if (Status written = writeRecord(merged, conflictDelta); !written)
            return done({written.error()});
        ++m_report.conflicts;
        std::optional<LocalEntry> copyEntry = Scanner::stat(m_settings.localRoot, copy);
        if (!copyEntry)
            return done({std::nullopt, true});
        copyEntry->sha256 = remoteSha;
        uploadFile(*copyEntry, copy, Precondition::mustNotExist(),
                   [this, action, local, entry, copyEntry, done](Result<RemoteEntry> copyUploaded,
                                                                 QByteArray) {
                       if (copyUploaded.ok())
                           writeRecord(recordFor(*copyEntry, *copyUploaded), {});
                       uploadFile(
                           local, action.path, Precondition::mustMatch(entry.signature()),
                           [this, action, local, done](Result<RemoteEntry> uploaded, QByteArray) {
                               if (!uploaded.ok()) {
                                   if (uploaded.error().kind == ErrorKind::PreconditionFailed)
                                       return done({std::nullopt, true});
                                   return done({uploaded.error()});
                               }
                               Counters delta;
                               delta.uploads = 1;
                               delta.successes = 1;
                               delta.bytesUp = local.size;
                               if (Status written = writeRecord(recordFor(local, *uploaded), delta);
                                   !written)
                                   return done({written.error()});
                               ++m_report.uploaded;
                               done({});
                           });
                   });
        return;
    }

    // Remote wins: the local version moves aside as the conflict copy and goes up under that
    // name; the remote version takes the name locally.
    const QString copy = freeConflictName(action.path, local.mtimeNs);
    if (Status kept = keepConflictLoser(action.path, action.path, QStringLiteral("local")); !kept) {
        QFile::remove(temporary);
        return done({kept.error()});
    }
    if (Status moved = LocalFileOps::renameNoReplace(absolute(action.path), absolute(copy));
        !moved) {
        QFile::remove(temporary);
        return done({moved.error()});
    }
    if (Status placed = LocalFileOps::renameNoReplace(temporary, absolute(action.path)); !placed) {
        QFile::remove(temporary);
        return done({placed.error()});
    }
    std::optional<LocalEntry> winner = Scanner::stat(m_settings.localRoot, action.path);
    if (!winner)
        return done({std::nullopt, true});
    winner->sha256 = remoteSha;
    Counters delta = conflictDelta;
    delta.downloads = 1;
    delta.successes = 1;
    delta.bytesDown = entry.size;
    if (Status written = writeRecord(recordFor(*winner, entry), delta); !written)
        return done({written.error()});
    ++m_report.conflicts;
    ++m_report.downloaded;
    std::optional<LocalEntry> copyEntry = Scanner::stat(m_settings.localRoot, copy);
    if (!copyEntry)
        return done({std::nullopt, true});
    copyEntry->sha256 = local.sha256;
    uploadFile(*copyEntry, copy, Precondition::mustNotExist(),
               [this, copyEntry, done](Result<RemoteEntry> uploaded, QByteArray) {
                   if (!uploaded.ok())
                       return done(
                           {std::nullopt, true}); // the copy is safe locally; next cycle uploads it
                   Counters delta;
                   delta.uploads = 1;
                   delta.bytesUp = copyEntry->size;
                   if (Status written = writeRecord(recordFor(*copyEntry, *uploaded), delta);
                       !written)
                       return done({written.error()});
                   ++m_report.uploaded;
                   done({});
               });
}

void Propagator::deleteRemote(const SyncAction &action, Done done)
{
    auto forget = [this, action, done](bool counted) {
        Journal::Transaction transaction(*m_journal);
        m_journal->removeRecordsUnder(action.path);
        Counters delta;
        if (counted) {
            delta.remoteDeletes = 1;
            delta.successes = 1;
        }
        m_journal->addCounters(delta);
        if (Status committed = transaction.commit(); !committed)
            return done({committed.error()});
        if (counted)
            ++m_report.deletedRemote;
        done({std::nullopt, false, counted});
    };
    if (action.type == ItemType::Directory) {
        return clearRemoteDirectory(action.path, [done, forget](Outcome cleared) {
            if (cleared.error || cleared.redo)
                return done(cleared);
            forget(false);
        });
    }
    const Precondition precondition =
        action.remote ? Precondition::mustMatch(action.remote->signature()) : Precondition::none();
    RemoteJob *job =
        RemoteVersionKeeper::remove(m_settings.remoteVersions, m_backend, action, precondition);
    track(job);
    connect(job, &RemoteJob::finished, this, [job, done, forget] {
        if (!job->succeeded()) {
            const ErrorKind kind = job->error()->kind;
            // Gone already, e.g. a resent DELETE whose first answer was lost: the deletion
            // the user made is in effect, and counts as such.
            if (kind == ErrorKind::NotFound)
                return forget(true);
            if (kind == ErrorKind::PreconditionFailed)
                return done({std::nullopt, true}); // modified remotely: it will be downloaded
            return done({*job->error()});
        }
        forget(true);
    });
}

void Propagator::deleteLocal(const SyncAction &action, Done done)
{
    if (!LocalFileOps::unchangedSince(m_settings.localRoot, action.path, action.local))
        return done({std::nullopt, true}); // modified locally: it will be uploaded
    if (action.type == ItemType::Directory) {
        if (const Outcome cleared = clearLocalDirectory(action.path); cleared.error || cleared.redo)
            return done(cleared);
    } else if (Status kept = VersionKeeper::keepIn(
                   m_settings.versions,
                   // The file itself goes on to the trash, where the user may take it back and
                   // edit it: the version is a copy of its own (a reflink where possible).
                   {action.path, VersionReason::DeletedRemotely, VersionStore::SaveMode::Snapshot});
               !kept) {
        return done({kept.error()});
    } else if (Status trashed = LocalFileOps::moveToTrash(m_settings.localRoot, action.path);
               !trashed) {
        return done({trashed.error()});
    }
    const bool counted = action.type == ItemType::File;
    Journal::Transaction transaction(*m_journal);
    m_journal->removeRecordsUnder(action.path);
    Counters delta;
    if (counted) {
        delta.localDeletes = 1;
        delta.successes = 1;
    }
    m_journal->addCounters(delta);
    if (Status committed = transaction.commit(); !committed)
        return done({committed.error()});
    if (counted)
        ++m_report.deletedLocal;
    done({std::nullopt, false, counted});
}

void Propagator::makeRemoteDirectory(const SyncAction &action, Done done)
{
    if (action.remote && !action.remote->isDir()) {
        // The recorded remote file gives way to the directory made here (it is unchanged
        // since the last sync, so its content still exists locally in the journal's version).
        RemoteJob *job =
            m_backend->remove(action.path, Precondition::mustMatch(action.remote->signature()));
        track(job);
        SyncAction replacing = action;
        replacing.remote.reset();
        connect(job, &RemoteJob::finished, this, [this, job, replacing, done] {
            if (!job->succeeded()) {
                const ErrorKind kind = job->error()->kind;
                if (kind == ErrorKind::PreconditionFailed)
                    return done({std::nullopt, true});
                if (kind != ErrorKind::NotFound)
                    return done({*job->error()});
            }
            makeRemoteDirectory(replacing, done);
        });
        return;
    }
    EntryJob *job = m_backend->makeDirectory(action.path);
    track(job);
    connect(job, &RemoteJob::finished, this, [this, job, action, done] {
        if (!job->succeeded()) {
            const ErrorKind kind = job->error()->kind;
            if (kind == ErrorKind::ParentMissing || kind == ErrorKind::PreconditionFailed)
                return done({std::nullopt, true});
            return done({*job->error()});
        }
        LocalEntry fallback;
        fallback.path = action.path;
        fallback.type = ItemType::Directory;
        const LocalEntry local = action.local.value_or(fallback);
        if (Status written = writeRecord(recordFor(local, job->entry()), {}); !written)
            return done({written.error()});
        done({std::nullopt, false, false});
    });
}

void Propagator::makeLocalDirectory(const SyncAction &action, Done done)
{
    if (action.local && !action.local->isDir()) {
        if (!LocalFileOps::unchangedSince(m_settings.localRoot, action.path, action.local))
            return done({std::nullopt, true});
        if (Status kept =
                VersionKeeper::keepIn(m_settings.versions, {action.path, VersionReason::Overwritten,
                                                            VersionStore::SaveMode::Snapshot});
            !kept)
            return done({kept.error()});
        if (Status trashed = LocalFileOps::moveToTrash(m_settings.localRoot, action.path); !trashed)
            return done({trashed.error()});
        SyncAction replacing = action;
        replacing.local.reset();
        return makeLocalDirectory(replacing, done);
    }
    const QString target = absolute(action.path);
    const QFileInfo existing(target);
    if (existing.exists() && !existing.isDir())
        return done({std::nullopt, true});
    if (!QDir().mkpath(target))
        return done(
            {makeError(ErrorKind::Permanent, tr("%1: cannot create the folder").arg(action.path))});
    const std::optional<LocalEntry> local = Scanner::stat(m_settings.localRoot, action.path);
    if (!local)
        return done({std::nullopt, true});
    if (Status written = writeRecord(recordFor(*local, *action.remote), {}); !written)
        return done({written.error()});
    done({std::nullopt, false, false});
}

void Propagator::moveRemote(const SyncAction &action, Done done)
{
    // A directory's own signature changes with its children, which the plan already checked.
    const Precondition precondition =
        action.base && action.type == ItemType::File
            ? Precondition::mustMatch(settledSignature(action.base->remoteSignature))
            : Precondition::none();
    RemoteJob *job = m_backend->move(action.sourcePath, action.path, precondition);
    track(job);
    connect(job, &RemoteJob::finished, this, [this, job, action, done] {
        if (!job->succeeded()) {
            const ErrorKind kind = job->error()->kind;
            if (kind == ErrorKind::PreconditionFailed || kind == ErrorKind::NotFound ||
                kind == ErrorKind::ParentMissing)
                return done({std::nullopt, true});
            return done({*job->error()});
        }
        EntryJob *stat = m_backend->stat(action.path);
        track(stat);
        connect(stat, &RemoteJob::finished, this, [this, stat, action, done] {
            Journal::Transaction transaction(*m_journal);
            m_journal->moveRecords(action.sourcePath, action.path);
            if (stat->succeeded() && action.local)
                m_journal->putRecord(recordAfterMove(action.path, *action.local, stat->entry()));
            Counters delta;
            delta.moves = 1;
            delta.successes = 1;
            m_journal->addCounters(delta);
            if (Status committed = transaction.commit(); !committed)
                return done({committed.error()});
            ++m_report.moved;
            done({});
        });
    });
}

} // namespace steadysync
