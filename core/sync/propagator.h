#pragma once

#include "clock.h"
#include "journal/journal.h"
#include "remote/remotebackend.h"
#include "result.h"
#include "sync/cyclereport.h"
#include "sync/remotepermissioncheck.h"
#include "sync/retrypolicy.h"
#include "sync/syncplan.h"

#include <QDeadlineTimer>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QThreadPool>

#include <functional>
#include <optional>

namespace steadysync {

class RemoteBackend;
class RemoteJob;
class VersionKeeper;
class RemoteVersionKeeper;
struct ActionTally;

struct PropagationSettings
{
    QString localRoot;
    ConflictPolicy conflictPolicy = ConflictPolicy::KeepBoth;
    RetryPolicy retry;
    int parallel = 4;
    qint64 diskReserveBytes = 512LL * 1024 * 1024;
    VersionKeeper *versions = nullptr; // keeps what is replaced or removed; none when null
    RemoteVersionKeeper *remoteVersions = nullptr; // keeps the server's versions; off when null
    // How long after an unproven write (DESIGN §4 "Two writers") its check may start: another
    // client's create whose own check came just before ours ends its PUT within this.
    int unprovenSettleMs = 500;
};

// Executes a SyncPlan (DESIGN §4 safety rules): downloads land in a temporary file, are
// checked and renamed over the target only if it is unchanged; uploads carry
// preconditions; local deletes go to the trash; conflicts follow the policy and never lose a
// version. Each finished action is written to the journal at once, in one transaction with
// its counters, so a kill at any point loses nothing. Failures go to the retry queue.
// Paths whose state moved under our feet are collected in redoPaths() for a new
// reconciliation instead of being forced.
//
// Layout, one file per action: propagator.cpp is the scheduler (which actions run together,
// the outcome of each: retry queue, redo, abort); core/sync/propagation/ holds the actions:
// upload.cpp, download.cpp (temporary file, checks, placement), verifyremote.cpp,
// deletion.cpp (local and remote), directories.cpp, moveremote.cpp, movelocal.cpp,
// conflict.cpp (which conflicts need a policy) and conflictpolicies.cpp (one function per
// policy), keep.cpp (DESIGN §4 "Two writers"), readonly.cpp (writes a read-only folder refused),
// and records.cpp with actiontally.h (what a finished action writes to the journal and counts).
class Propagator : public QObject
{
    Q_OBJECT
public:
    Propagator(const PropagationSettings &settings, RemoteBackend *backend, Journal *journal,
               const Clock *clock, QObject *parent = nullptr);
    ~Propagator() override;

    // remote is the snapshot the plan was made from (used to pick free conflict-copy names);
    // writes the server's permissions forbid in folders are refused without being sent.
    void start(const SyncPlan &plan, const RemoteSnapshot &remote,
               const FolderPermissions &folders = {});
    // Stops starting actions; in-flight remote jobs are cancelled. finished() follows.
    void abort(const Error &reason);

    const CycleReport &report() const { return m_report; }
    const QStringList &redoPaths() const { return m_redo; }
    // Set when an error made the rest of the plan pointless (offline, auth, root missing).
    const std::optional<Error> &abortReason() const { return m_abortReason; }

Q_SIGNALS:
    void finished();
    void progress(qint64 filesDone, qint64 filesTotal, qint64 bytesDone);
    // Bytes of one file moved so far, a few times a second while it moves (and at its end).
    void transferProgress(const QString &path, bool upload, qint64 bytesDone, qint64 bytesTotal);
    void itemDone(const QString &path, steadysync::ActionKind kind, bool ok,
                  const QString &message);
    void conflictOpened(const QString &path, const QString &conflictCopy);

private:
    // Relays job's byte counts as transferProgress(), paced so a fast transfer does not flood
    // the GUI thread with queued signals.
    void reportTransferProgress(RemoteJob *job, const QString &path, bool upload, qint64 size);
    // How an action ended: done, failed (the error goes to the retry queue), or redo: a side
    // changed since the plan, so the path is reconciled again instead of being forced.
    // journalFailed: the journal could not record what was done (a move): the cycle stops with
    // that error, the path goes to the retry queue, and the next cycle compares afresh.
    struct [[nodiscard]] Outcome
    {
        std::optional<Error> error;
        bool lookAgain = false;
        bool stopsCycle = false;

        static Outcome done() { return {}; }
        static Outcome failed(Error error) { return {std::move(error), false}; }
        static Outcome redo() { return {std::nullopt, true}; }
        static Outcome journalFailed(Error error) { return {std::move(error), false, true}; }
        static Outcome of(const Status &status) { return status ? done() : failed(status.error()); }
        static Outcome ofJournal(const Status &status)
        {
            return status ? done() : journalFailed(status.error());
        }
        bool isDone() const { return !error && !lookAgain; }
    };
    using Done = std::function<void(Outcome)>;

    void pump();
    bool waitingForUnprovenWrites();
    void runAction(const SyncAction &action, Done done);
    Outcome updateJournal(const SyncAction &action);
    void onActionDone(const SyncAction &action, const Outcome &outcome);

    void upload(const SyncAction &action, Done done);
    // Uploads once the server's version is kept (propagatorremoteversions.cpp).
    void uploadOnceKept(RemoteJob *keeping, const SyncAction &action, Done done);
    // Records an upload's result; planned is the local file as the plan saw it.
    Outcome recordUpload(const SyncAction &action, const LocalEntry &planned,
                         const LocalEntry &uploaded, const Result<RemoteEntry> &result);
    // Downloads a file whose recorded signature is not settled and compares it with the synced
    // content: equal confirms the record, different records a remote change.
    void verifyRemote(const SyncAction &action, Done done);
    void verifyByDownload(const SyncAction &action, Done done);
    // done() also gets the hash of what was sent, for a local entry whose hash is pending.
    void uploadFile(const LocalEntry &local, const QString &path, const Precondition &precondition,
                    std::function<void(Result<RemoteEntry>, QByteArray sentSha256)> done);
    // Hashes a local file whose hash the scan left pending, then runs then() with it filled
    // in (or looks at the path again when the file changed meanwhile).
    void hashLocalThen(const SyncAction &action, Done done,
                       std::function<void(const SyncAction &, Done)> then);
    void download(const SyncAction &action, Done done);
    struct DownloadedVersion
    {
        QString temporary; // in LOCAL_ROOT/.steadysync/tmp, size checked
        RemoteEntry entry; // the version downloaded
        QByteArray sha256;
    };
    // Downloads into a temporary file and hashes it off the event loop.
    void downloadToTemporary(const QString &path, const RemoteEntry &expected,
                             std::function<void(Result<DownloadedVersion>)> done);
    QString temporaryFor(const QString &path) const;
    void verifyDownloaded(const QString &path, const QString &temporary, const RemoteEntry &entry,
                          std::function<void(Result<DownloadedVersion>)> done);
    static Outcome outcomeOfFetch(const Error &error);
    void placeDownload(const SyncAction &action, const DownloadedVersion &downloaded, Done done);
    [[nodiscard]] Status replaceWithDownload(const SyncAction &action,
                                             const DownloadedVersion &downloaded);
    Outcome recordVerified(const SyncAction &action, const DownloadedVersion &downloaded);
    void conflict(const SyncAction &action, Done done);
    void typeConflict(const SyncAction &action, Done done);
    void clearRemoteDirectory(const QString &path, Done then);
    Outcome clearLocalDirectory(const QString &path);
    void resolveConflict(const SyncAction &action, const DownloadedVersion &remote, Done done);
    bool onlyLocalChanged(const SyncAction &action, const QByteArray &remoteSha) const;
    // One per ConflictPolicy (conflictpolicies.cpp); remote is the downloaded remote version.
    void resolveByAsking(const SyncAction &action, const DownloadedVersion &remote, Done done);
    void resolveKeepingBoth(const SyncAction &action, const DownloadedVersion &remote, Done done);
    void resolveLocalWins(const SyncAction &action, const DownloadedVersion &remote, Done done);
    void resolveRemoteWins(const SyncAction &action, const DownloadedVersion &remote, Done done);
    void uploadWinner(const SyncAction &action, const LocalEntry &local,
                      const RemoteEntry &replaced, Done done);
    [[nodiscard]] Status placeRemoteWinner(const QString &path, const QString &copy,
                                           const QString &temporary);
    void deleteRemote(const SyncAction &action, Done done);
    void deleteLocal(const SyncAction &action, Done done);
    Outcome forgetDeleted(const QString &path, const ActionTally &tally);
    void makeRemoteDirectory(const SyncAction &action, Done done);
    void makeLocalDirectory(const SyncAction &action, Done done);
    void moveRemote(const SyncAction &action, Done done);
    // A remote rename carried out on disk, journal records moved along (movelocal.cpp).
    void moveLocal(const SyncAction &action, Done done);

    // Writes a read-only server folder refused (readonly.cpp): done, wrapped so that
    // a refused local delete is undone from the server and a refused edit is kept beside the
    // server's version; each is said once, and what stays here only is one failed item.
    Done keepingReadOnlyRefusals(const SyncAction &action, Done done);
    void restoreRefusedDelete(const SyncAction &action, Done done);
    void restoreRefusedMove(const SyncAction &action, Done done);
    void keepRefusedEdit(const SyncAction &action, const Error &refusal, Done done);

    // DESIGN §4 "Two writers" (keep.cpp): whether a download replacing the local file
    // would replace content the server was never seen to hold; keepReplacedVersion() then moves
    // it aside as a conflict copy first.
    static bool replacesUnconfirmedVersion(const SyncAction &action,
                                           const QByteArray &downloadedSha256);
    [[nodiscard]] Status keepReplacedVersion(const SyncAction &action);

    void hashAsync(const QString &absolutePath, std::function<void(Result<QByteArray>)> done);
    QString absolute(const QString &path) const;
    QString freeConflictName(const QString &path, qint64 loserMtimeNs);
    [[nodiscard]] Status keepConflictLoser(const QString &path, const QString &source,
                                           const QString &origin);
    static void keepRemoteTime(const QString &downloaded, const RemoteEntry &entry);
    // Records a finished action (records.cpp): its record and tally in one transaction, then the
    // tally in the cycle report; commitCounted() does the same for the caller's transaction.
    [[nodiscard]] Status writeRecord(const JournalRecord &record, const ActionTally &tally);
    [[nodiscard]] Status commitCounted(Journal::Transaction &transaction, const ActionTally &tally);
    JournalRecord recordFor(const LocalEntry &local, const RemoteEntry &remote) const;
    // The record of an item just moved to `path` (already renamed in the journal): its stat and
    // remote state as they are now, its content hash as recorded (a rename changes no content).
    Result<JournalRecord> recordAfterMove(const QString &path, const LocalEntry &local,
                                          const RemoteEntry &remote) const;
    // The same for MoveLocal; asks for another look where the server changed the file too.
    Result<JournalRecord> recordAfterLocalMove(const SyncAction &action, const LocalEntry &moved);
    // Queues a failed action for retry. Fails only when the journal cannot say how often it
    // failed before (a failed read must not restart its backoff as a first failure).
    [[nodiscard]] Status queueForRetry(const SyncAction &action, const Error &error);
    [[nodiscard]] Status recordLocalMove(const SyncAction &action,
                                         const std::optional<LocalEntry> &moved);
    [[nodiscard]] Status recordRemoteMove(const SyncAction &action,
                                          const std::optional<RemoteEntry> &moved);
    void track(RemoteJob *job);

    PropagationSettings m_settings;
    RemoteBackend *m_backend;
    Journal *m_journal;
    const Clock *m_clock;
    QThreadPool m_hashPool;

    QVector<SyncAction> m_actions;
    qsizetype m_next = 0;
    int m_inFlight = 0;
    bool m_runningAlone = false;
    bool m_finished = false;
    // Until then the redo round of this run's unproven writes may not start (finished() waits).
    QDeadlineTimer m_unprovenSettled;
    bool m_settleTimerRunning = false;
    std::optional<Error> m_abortReason;
    QSet<QString> m_reservedNames;
    RemoteSnapshot m_remote;
    FolderPermissions m_folderPermissions;
    QList<QPointer<RemoteJob>> m_jobs;

    CycleReport m_report;
    QStringList m_redo;
    qint64 m_filesTotal = 0;
    qint64 m_filesDone = 0;
};

} // namespace steadysync
