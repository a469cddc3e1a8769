// A journal that refuses writes in the middle of a move (issue 16 item 5): the move is done on
// one side, but the journal cannot record it. The journal must then keep saying what was
// synced before (never half a move), the cycle stops with the journal's error (nothing more is
// done that could not be recorded either), and the path goes to the retry queue.
#include "fs/hasher.h"
#include "journal/journal.h"
#include "local/scanner.h"
#include "remote/localdirbackend.h"
#include "sync/propagator.h"
#include "testutil.h"

#include <QFile>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace steadysync;
using steadysync::test::readFile;
using steadysync::test::waitFor;
using steadysync::test::writeFile;

class TestJournalFailure : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void failedRecordOfRemoteMoveStopsTheCycle();
    void failedRecordOfLocalMoveStopsTheCycle();

private:
    QString localPath(const QString &path) const { return m_local->path() + u'/' + path; }
    QString remotePath(const QString &path) const { return m_remote->path() + u'/' + path; }
    LocalEntry scanned(const QString &path) const;
    RemoteEntry listed(const QString &path);
    // From another connection, as a failing disk would: every change to the records fails.
    void refuseRecordWrites();
    // A record of both sides of path as they are now.
    void recordSynced(const QString &path);
    // Runs the plan [move, upload of "other.txt"] to its end.
    void propagateMoveThenUpload(const SyncAction &move);
    void checkCycleStoppedAndJournalUnmoved(const SyncAction &move);

    std::unique_ptr<QTemporaryDir> m_local;
    std::unique_ptr<QTemporaryDir> m_remote;
    std::unique_ptr<LocalDirBackend> m_backend;
    std::unique_ptr<Journal> m_journal;
    std::unique_ptr<Propagator> m_propagator;
    JournalRecord m_before;
};

void TestJournalFailure::init()
{
    m_local = std::make_unique<QTemporaryDir>();
    m_remote = std::make_unique<QTemporaryDir>();
    QVERIFY(m_local->isValid() && m_remote->isValid());
    m_backend = std::make_unique<LocalDirBackend>(m_remote->path(), BackendOptions{});
    Result<std::unique_ptr<Journal>> journal = Journal::open(m_local->path());
    QVERIFY(journal.ok());
    m_journal = std::move(*journal);
}

void TestJournalFailure::cleanup()
{
    m_propagator.reset();
    m_journal.reset();
    m_backend.reset();
    m_remote.reset();
    m_local.reset();
}

LocalEntry TestJournalFailure::scanned(const QString &path) const
{
    std::optional<LocalEntry> entry = Scanner::stat(m_local->path(), path);
    if (!entry)
        return {};
    if (const Result<QByteArray> hash = Hasher::sha256OfFile(localPath(path)); hash.ok())
        entry->sha256 = *hash;
    return *entry;
}

RemoteEntry TestJournalFailure::listed(const QString &path)
{
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

void TestJournalFailure::refuseRecordWrites()
{
    const QString name = QStringLiteral("tst_journalfailure");
    QString error;
    {
        QSqlDatabase database = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        database.setDatabaseName(Journal::databasePath(m_local->path()));
        QVERIFY(database.open());
        QSqlQuery query(database);
        for (const char *event : {"INSERT", "UPDATE", "DELETE"}) {
            const QString sql = QStringLiteral("CREATE TRIGGER refuse_%1 BEFORE %1 ON records "
                                               "BEGIN SELECT RAISE(FAIL, 'disk refuses'); END")
                                    .arg(QLatin1String(event));
            if (!query.exec(sql))
                error = query.lastError().text();
        }
        database.close();
    }
    QSqlDatabase::removeDatabase(name);
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void TestJournalFailure::recordSynced(const QString &path)
{
    const LocalEntry local = scanned(path);
    const RemoteEntry remote = listed(path);
    JournalRecord record;
    record.path = path;
    record.localSize = local.size;
    record.localMtimeNs = local.mtimeNs;
    record.localInode = local.inode;
    record.localCtimeNs = local.ctimeNs;
    record.sha256 = local.sha256;
    record.remoteSignature = remote.signature();
    record.remoteSize = remote.size;
    record.remoteMtimeNs = remote.mtimeNs;
    QVERIFY(m_journal->putRecord(record).ok());
    m_before = record;
}

void TestJournalFailure::propagateMoveThenUpload(const SyncAction &move)
{
    writeFile(m_local->path(), QStringLiteral("other.txt"), "not recorded either");
    SyncAction upload;
    upload.kind = ActionKind::Upload;
    upload.path = QStringLiteral("other.txt");
    upload.local = scanned(upload.path);
    refuseRecordWrites();

    PropagationSettings settings;
    settings.localRoot = m_local->path();
    m_propagator = std::make_unique<Propagator>(settings, m_backend.get(), m_journal.get(),
                                                SystemClock::instance());
    QSignalSpy finished(m_propagator.get(), &Propagator::finished);
    SyncPlan plan;
    plan.actions = {move, upload};
    m_propagator->start(plan, RemoteSnapshot{});
    QVERIFY(waitFor([&] { return finished.count() > 0; }));
}

void TestJournalFailure::checkCycleStoppedAndJournalUnmoved(const SyncAction &move)
{
    // The journal says what it said before the move: nothing recorded at the new name.
    const Result<std::optional<JournalRecord>> source = m_journal->readRecord(move.sourcePath);
    QVERIFY(source.ok() && source->has_value());
    QCOMPARE(**source, m_before);
    const Result<std::optional<JournalRecord>> target = m_journal->readRecord(move.path);
    QVERIFY(target.ok());
    QVERIFY(!target->has_value());
    // The cycle stopped with the journal's error; the upload after the move never started.
    QVERIFY(m_propagator->abortReason());
    QVERIFY2(m_propagator->abortReason()->message.contains(QLatin1String("journal")),
             qPrintable(m_propagator->abortReason()->message));
    QVERIFY(!QFile::exists(remotePath(QStringLiteral("other.txt"))));
    // The moved path is queued for retry (in memory while the disk refuses).
    const Result<std::optional<RetryItem>> queued = m_journal->readRetryItem(move.path);
    QVERIFY(queued.ok() && queued->has_value());
    // No version is lost: the file is at its new name on both sides.
    QCOMPARE(readFile(localPath(move.path)), QByteArray("content"));
    QCOMPARE(readFile(remotePath(move.path)), QByteArray("content"));
}

void TestJournalFailure::failedRecordOfRemoteMoveStopsTheCycle()
{
    writeFile(m_local->path(), QStringLiteral("old.txt"), "content");
    writeFile(m_remote->path(), QStringLiteral("old.txt"), "content");
    recordSynced(QStringLiteral("old.txt"));
    QVERIFY(QFile::rename(localPath("old.txt"), localPath("new.txt"))); // the user's rename
    SyncAction move;
    move.kind = ActionKind::MoveRemote;
    move.path = QStringLiteral("new.txt");
    move.sourcePath = QStringLiteral("old.txt");
    move.local = scanned(move.path);
    move.base = m_before;

    propagateMoveThenUpload(move);

    checkCycleStoppedAndJournalUnmoved(move);
}

void TestJournalFailure::failedRecordOfLocalMoveStopsTheCycle()
{
    writeFile(m_local->path(), QStringLiteral("old.txt"), "content");
    writeFile(m_remote->path(), QStringLiteral("old.txt"), "content");
    recordSynced(QStringLiteral("old.txt"));
    QVERIFY(QFile::rename(remotePath("old.txt"), remotePath("new.txt"))); // renamed on the server
    SyncAction move;
    move.kind = ActionKind::MoveLocal;
    move.path = QStringLiteral("new.txt");
    move.sourcePath = QStringLiteral("old.txt");
    move.local = scanned(move.sourcePath);
    move.remote = listed(move.path);
    move.base = m_before;

    propagateMoveThenUpload(move);

    checkCycleStoppedAndJournalUnmoved(move);
}

QTEST_GUILESS_MAIN(TestJournalFailure)
#include "tst_journalfailure.moc"
