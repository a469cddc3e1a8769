// The Propagator's "changed meanwhile" branches, driven deterministically: each test makes a
// plan from the two sides, changes one side before (or while) the action runs, and checks
// that no version is lost and that the path is handed back for a new reconciliation
// (redoPaths) instead of being forced. The remote is a plain directory (LocalDirBackend),
// wrapped so that a test can change a side at the moment a transfer starts.
#include "journal/journal.h"
#include "remote/localdirbackend.h"
#include "scannedentry.h"
#include "sync/propagator.h"
#include "testutil.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <functional>
#include <memory>

using namespace steadysync;
using steadysync::test::readFile;
using steadysync::test::waitFor;
using steadysync::test::writeFile;

namespace {

SyncAction actionOn(ActionKind kind, const QString &path)
{
    SyncAction action;
    action.kind = kind;
    action.path = path;
    return action;
}

// LocalDirBackend with a hook that runs just before a transfer starts: the moment a file can
// change under a running action.
class HookedBackend final : public RemoteBackend
{
public:
    explicit HookedBackend(const QString &root) : m_inner(root, BackendOptions{}) {}

    std::function<void()> beforeUpload;
    std::function<void()> beforeDownload;

    QUrl url() const override { return m_inner.url(); }
    bool enforcesPreconditions() const override { return m_inner.enforcesPreconditions(); }
    bool etagsSurviveMoves() const override { return m_inner.etagsSurviveMoves(); }
    EntryJob *stat(const QString &path) override { return m_inner.stat(path); }
    ListJob *list(const QString &directory) override { return m_inner.list(directory); }
    EntryJob *download(const QString &path, const QString &localTargetFile) override
    {
        if (beforeDownload)
            std::exchange(beforeDownload, nullptr)();
        return m_inner.download(path, localTargetFile);
    }
    EntryJob *upload(const QString &localFile, const QString &path, qint64 mtimeNs,
                     const Precondition &precondition, UploadHashing hashing,
                     const QByteArray &contentSha256) override
    {
        if (beforeUpload)
            std::exchange(beforeUpload, nullptr)();
        return m_inner.upload(localFile, path, mtimeNs, precondition, hashing, contentSha256);
    }
    EntryJob *makeDirectory(const QString &path) override { return m_inner.makeDirectory(path); }
    RemoteJob *move(const QString &from, const QString &to,
                    const Precondition &precondition) override
    {
        return m_inner.move(from, to, precondition);
    }
    RemoteJob *remove(const QString &path, const Precondition &precondition) override
    {
        return m_inner.remove(path, precondition);
    }
    RemoteJob *removeStalePartials(qint64 maxAgeS) override
    {
        return m_inner.removeStalePartials(maxAgeS);
    }
    QString temporaryPathFor(const QString &path, const Precondition &precondition) const override
    {
        return m_inner.temporaryPathFor(path, precondition);
    }
    RemoteJob *removeTemporaries(const QStringList &paths) override
    {
        return m_inner.removeTemporaries(paths);
    }

private:
    LocalDirBackend m_inner;
};

} // namespace

class TestPropagator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void uploadOfFileChangedSincePlanIsRedone();
    void uploadOverRemoteChangedSincePlanIsRedone();
    void fileChangedWhileUploadingIsRedone();
    void downloadOverLocalChangedSincePlanIsRedone();
    void downloadOfRemoteDeletedSincePlanIsRedone();
    void remoteChangedSincePlanIsDownloadedAsFound();
    void remoteDeleteOfRemoteChangedSincePlanIsRedone();
    void localDeleteOfLocalChangedSincePlanIsRedone();
    void conflictWithLocalChangedSincePlanIsRedone();
    void remoteMoveOfRemoteChangedSincePlanIsRedone();
    void localMoveOfLocalChangedSincePlanIsRedone();
    void localFolderOverNewFileIsRedone();

private:
    QString localPath(const QString &path) const { return m_local->path() + u'/' + path; }
    QString remotePath(const QString &path) const { return m_remote->path() + u'/' + path; }
    // The local side of path as a scan would see it, hashed.
    LocalEntry scanned(const QString &path) const;
    // The remote side of path as a listing would show it.
    RemoteEntry listed(const QString &path);
    // Runs one action to its end; fails the test if it does not finish.
    void propagate(const SyncAction &action);
    // Rewrites a file with new content of another size, so that every stat sees the change.
    static void rewrite(const QString &absolutePath, const QByteArray &content);

    std::unique_ptr<QTemporaryDir> m_local;
    std::unique_ptr<QTemporaryDir> m_remote;
    std::unique_ptr<HookedBackend> m_backend;
    std::unique_ptr<Journal> m_journal;
    std::unique_ptr<Propagator> m_propagator;
};

void TestPropagator::init()
{
    m_local = std::make_unique<QTemporaryDir>();
    m_remote = std::make_unique<QTemporaryDir>();
    QVERIFY(m_local->isValid() && m_remote->isValid());
    m_backend = std::make_unique<HookedBackend>(m_remote->path());
    Result<std::unique_ptr<Journal>> journal = Journal::open(m_local->path());
    QVERIFY(journal.ok());
    m_journal = std::move(*journal);
}

void TestPropagator::cleanup()
{
    m_propagator.reset();
    m_journal.reset();
    m_backend.reset();
    m_remote.reset();
    m_local.reset();
}

LocalEntry TestPropagator::scanned(const QString &path) const
{
    return test::scannedEntry(m_local->path(), path);
}

RemoteEntry TestPropagator::listed(const QString &path)
{
    // A job deletes itself once finished: its entry is taken as it finishes.
    EntryJob *job = m_backend->stat(path);
    std::optional<RemoteEntry> entry;
    bool finished = false;
    connect(job, &RemoteJob::finished, this, [&] {
        finished = true;
        if (job->succeeded())
            entry = job->entry();
    });
    if (!waitFor([&] { return finished; }))
        return {};
    return entry.value_or(RemoteEntry{});
}

void TestPropagator::propagate(const SyncAction &action)
{
    PropagationSettings settings;
    settings.localRoot = m_local->path();
    m_propagator = std::make_unique<Propagator>(settings, m_backend.get(), m_journal.get(),
                                                SystemClock::instance());
    QSignalSpy finished(m_propagator.get(), &Propagator::finished);
    SyncPlan plan;
    plan.actions.append(action);
    m_propagator->start(plan, RemoteSnapshot{});
    QVERIFY(waitFor([&] { return finished.count() > 0; }));
}

void TestPropagator::rewrite(const QString &absolutePath, const QByteArray &content)
{
    QFile file(absolutePath);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(file.write(content), content.size());
}

void TestPropagator::uploadOfFileChangedSincePlanIsRedone()
{
    writeFile(m_local->path(), QStringLiteral("a.txt"), "planned");
    SyncAction action = actionOn(ActionKind::Upload, QStringLiteral("a.txt"));
    action.local = scanned(action.path);
    rewrite(localPath(action.path), "written after the plan");

    propagate(action);

    QVERIFY(m_propagator->redoPaths().contains(action.path));
    QVERIFY(!QFile::exists(remotePath(action.path))); // never sent half-written
    QCOMPARE(readFile(localPath(action.path)), QByteArray("written after the plan"));
    QCOMPARE(m_propagator->report().uploaded, 0);
    QVERIFY(!m_journal->record(action.path));
}

void TestPropagator::uploadOverRemoteChangedSincePlanIsRedone()
{
    writeFile(m_remote->path(), QStringLiteral("a.txt"), "remote v1");
    writeFile(m_local->path(), QStringLiteral("a.txt"), "local edit");
    SyncAction action = actionOn(ActionKind::Upload, QStringLiteral("a.txt"));
    action.local = scanned(action.path);
    action.remote = listed(action.path);
    rewrite(remotePath(action.path), "remote v2, written after the plan");

    propagate(action);

    QVERIFY(m_propagator->redoPaths().contains(action.path));
    QCOMPARE(readFile(remotePath(action.path)), QByteArray("remote v2, written after the plan"));
    QCOMPARE(readFile(localPath(action.path)), QByteArray("local edit"));
    QCOMPARE(m_propagator->report().uploaded, 0);
    QVERIFY(!m_journal->record(action.path));
}

void TestPropagator::fileChangedWhileUploadingIsRedone()
{
    writeFile(m_local->path(), QStringLiteral("a.txt"), "planned");
    SyncAction action = actionOn(ActionKind::Upload, QStringLiteral("a.txt"));
    action.local = scanned(action.path);
    m_backend->beforeUpload = [this, action] {
        rewrite(localPath(action.path), "written while uploading");
    };

    propagate(action);

    // What went up is recorded with the stat planned, so the later write goes up next round.
    QVERIFY(m_propagator->redoPaths().contains(action.path));
    QCOMPARE(readFile(localPath(action.path)), QByteArray("written while uploading"));
    const std::optional<JournalRecord> record = m_journal->record(action.path);
    QVERIFY(record);
    QCOMPARE(record->localSize, action.local->size);
    QVERIFY(record->localSize != QFileInfo(localPath(action.path)).size());
}

void TestPropagator::downloadOverLocalChangedSincePlanIsRedone()
{
    writeFile(m_remote->path(), QStringLiteral("a.txt"), "remote edit");
    writeFile(m_local->path(), QStringLiteral("a.txt"), "local v1");
    SyncAction action = actionOn(ActionKind::Download, QStringLiteral("a.txt"));
    action.local = scanned(action.path);
    action.remote = listed(action.path);
    m_backend->beforeDownload = [this, action] {
        rewrite(localPath(action.path), "local v2, written while downloading");
    };

    propagate(action);

    QVERIFY(m_propagator->redoPaths().contains(action.path));
    QCOMPARE(readFile(localPath(action.path)), QByteArray("local v2, written while downloading"));
    QCOMPARE(readFile(remotePath(action.path)), QByteArray("remote edit"));
    QCOMPARE(m_propagator->report().downloaded, 0);
    QVERIFY(!m_journal->record(action.path));
    // The downloaded version is not left behind in the temporary folder either.
    QVERIFY(QDir(m_local->path() + QStringLiteral("/.steadysync/tmp"))
                .entryList(QDir::Files | QDir::Hidden)
                .isEmpty());
}

void TestPropagator::downloadOfRemoteDeletedSincePlanIsRedone()
{
    writeFile(m_remote->path(), QStringLiteral("a.txt"), "remote");
    SyncAction action = actionOn(ActionKind::Download, QStringLiteral("a.txt"));
    action.remote = listed(action.path);
    QVERIFY(QFile::remove(remotePath(action.path)));

    propagate(action);

    QVERIFY(m_propagator->redoPaths().contains(action.path));
    QVERIFY(!QFile::exists(localPath(action.path)));
    QVERIFY(!m_propagator->abortReason());
}

void TestPropagator::remoteChangedSincePlanIsDownloadedAsFound()
{
    writeFile(m_remote->path(), QStringLiteral("a.txt"), "remote v1");
    SyncAction action = actionOn(ActionKind::Download, QStringLiteral("a.txt"));
    action.remote = listed(action.path);
    rewrite(remotePath(action.path), "remote v2, written after the plan");

    propagate(action);

    // The version fetched is the one recorded: the record never claims v1 while v2 is here.
    QCOMPARE(readFile(localPath(action.path)), QByteArray("remote v2, written after the plan"));
    const std::optional<JournalRecord> record = m_journal->record(action.path);
    QVERIFY(record);
    QCOMPARE(record->remoteSignature, listed(action.path).signature());
    QCOMPARE(record->sha256, scanned(action.path).sha256);
    // Counted once, alike in the cycle's report and the journal's counters.
    QCOMPARE(m_propagator->report().downloaded, 1);
    QCOMPARE(m_journal->counters().downloads, 1);
    QCOMPARE(m_journal->counters().bytesDown, record->localSize);
}

void TestPropagator::remoteDeleteOfRemoteChangedSincePlanIsRedone()
{
    writeFile(m_remote->path(), QStringLiteral("a.txt"), "remote v1");
    SyncAction action = actionOn(ActionKind::DeleteRemote, QStringLiteral("a.txt"));
    action.remote = listed(action.path);
    rewrite(remotePath(action.path), "remote v2, written after the plan");

    propagate(action);

    QVERIFY(m_propagator->redoPaths().contains(action.path));
    QCOMPARE(readFile(remotePath(action.path)), QByteArray("remote v2, written after the plan"));
    QCOMPARE(m_propagator->report().deletedRemote, 0);
}

void TestPropagator::localDeleteOfLocalChangedSincePlanIsRedone()
{
    writeFile(m_local->path(), QStringLiteral("a.txt"), "local v1");
    SyncAction action = actionOn(ActionKind::DeleteLocal, QStringLiteral("a.txt"));
    action.local = scanned(action.path);
    rewrite(localPath(action.path), "local v2, written after the plan");

    propagate(action);

    QVERIFY(m_propagator->redoPaths().contains(action.path));
    QCOMPARE(readFile(localPath(action.path)), QByteArray("local v2, written after the plan"));
    QCOMPARE(m_propagator->report().deletedLocal, 0);
}

void TestPropagator::conflictWithLocalChangedSincePlanIsRedone()
{
    writeFile(m_remote->path(), QStringLiteral("a.txt"), "remote edit");
    writeFile(m_local->path(), QStringLiteral("a.txt"), "local edit");
    SyncAction action = actionOn(ActionKind::Conflict, QStringLiteral("a.txt"));
    action.local = scanned(action.path);
    action.remote = listed(action.path);
    m_backend->beforeDownload = [this, action] {
        rewrite(localPath(action.path), "local edit 2, written while resolving");
    };

    propagate(action);

    QVERIFY(m_propagator->redoPaths().contains(action.path));
    QCOMPARE(readFile(localPath(action.path)), QByteArray("local edit 2, written while resolving"));
    QCOMPARE(readFile(remotePath(action.path)), QByteArray("remote edit"));
    // Nothing resolved yet: no conflict copy on either side.
    QCOMPARE(QDir(m_local->path()).entryList(QDir::Files), QStringList{action.path});
    QCOMPARE(QDir(m_remote->path()).entryList(QDir::Files), QStringList{action.path});
    QCOMPARE(m_propagator->report().conflicts, 0);
}

void TestPropagator::remoteMoveOfRemoteChangedSincePlanIsRedone()
{
    writeFile(m_remote->path(), QStringLiteral("old.txt"), "remote v1");
    writeFile(m_local->path(), QStringLiteral("new.txt"), "remote v1");
    SyncAction action = actionOn(ActionKind::MoveRemote, QStringLiteral("new.txt"));
    action.sourcePath = QStringLiteral("old.txt");
    action.local = scanned(action.path);
    JournalRecord base;
    base.path = action.sourcePath;
    base.remoteSignature = listed(action.sourcePath).signature();
    action.base = base;
    rewrite(remotePath(action.sourcePath), "remote v2, written after the plan");

    propagate(action);

    QVERIFY(m_propagator->redoPaths().contains(action.path));
    QVERIFY(m_propagator->redoPaths().contains(action.sourcePath));
    QCOMPARE(readFile(remotePath(action.sourcePath)),
             QByteArray("remote v2, written after the plan"));
    QVERIFY(!QFile::exists(remotePath(action.path)));
    QCOMPARE(m_propagator->report().moved, 0);
}

void TestPropagator::localMoveOfLocalChangedSincePlanIsRedone()
{
    writeFile(m_local->path(), QStringLiteral("old.txt"), "local v1");
    writeFile(m_remote->path(), QStringLiteral("new.txt"), "local v1");
    SyncAction action = actionOn(ActionKind::MoveLocal, QStringLiteral("new.txt"));
    action.sourcePath = QStringLiteral("old.txt");
    action.local = scanned(action.sourcePath);
    action.remote = listed(action.path);
    rewrite(localPath(action.sourcePath), "local v2, written after the plan");

    propagate(action);

    QVERIFY(m_propagator->redoPaths().contains(action.path));
    QVERIFY(m_propagator->redoPaths().contains(action.sourcePath));
    QCOMPARE(readFile(localPath(action.sourcePath)),
             QByteArray("local v2, written after the plan"));
    QVERIFY(!QFile::exists(localPath(action.path)));
    QCOMPARE(m_propagator->report().moved, 0);
}

void TestPropagator::localFolderOverNewFileIsRedone()
{
    QVERIFY(QDir(m_remote->path()).mkdir(QStringLiteral("folder")));
    SyncAction action = actionOn(ActionKind::MakeLocalDir, QStringLiteral("folder"));
    action.type = ItemType::Directory;
    action.remote = listed(action.path);
    writeFile(m_local->path(), QStringLiteral("folder"), "a file made here after the plan");

    propagate(action);

    QVERIFY(m_propagator->redoPaths().contains(action.path));
    QCOMPARE(readFile(localPath(action.path)), QByteArray("a file made here after the plan"));
    QVERIFY(!m_journal->record(action.path));
}

QTEST_GUILESS_MAIN(TestPropagator)
#include "tst_propagator.moc"
