#include "clock.h"
#include "journal/journal.h"
#include "testutil.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <atomic>
#include <cstdio>
#include <mutex>

#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>

using namespace steadysync;

namespace {

constexpr char ChildVariable[] = "STEADYSYNC_JOURNAL_CHILD";
constexpr int ChildBatchSize = 100;
constexpr qint64 ChildMaxBatches = 5000; // stops a runaway child long before the disk fills

JournalRecord makeRecord(const QString &path, qint64 seed = 1)
{
    JournalRecord record;
    record.path = path;
    record.type = ItemType::File;
    record.localSize = 1000 + seed;
    record.localMtimeNs = 1'700'000'000'123'456'789 + seed;
    record.localInode = 0xFFFF'FFFF'0000'0000ULL + quint64(seed); // above qint64's range
    record.sha256 = QByteArray(64, 'a' + char(seed % 6));
    record.remoteSignature = "W/\"etag-" + QByteArray::number(seed) + "\"";
    record.remoteSize = 2000 + seed;
    record.remoteMtimeNs = 1'600'000'000'000'000'000 + seed;
    record.remoteId = "00" + QByteArray::number(seed); // leading zeros kept: an id, not a number
    record.localCtimeNs = 1'700'000'100'000'000'000 + seed;
    return record;
}

JournalRecord makeDirectoryRecord(const QString &path)
{
    JournalRecord record;
    record.path = path;
    record.type = ItemType::Directory;
    record.localMtimeNs = 42;
    record.localInode = 7;
    return record;
}

QString batchPath(qint64 batch, int index)
{
    return QStringLiteral("batch%1/file%2").arg(batch).arg(index);
}

mode_t modeOf(const QString &path)
{
    struct stat info;
    if (::stat(QFile::encodeName(path).constData(), &info) != 0)
        return 0;
    return info.st_mode & 07777;
}

std::unique_ptr<Journal> openJournal(const QString &root)
{
    Result<std::unique_ptr<Journal>> journal = Journal::open(root);
    if (!journal) {
        qWarning("cannot open the journal: %s", qPrintable(journal.error().message));
        return nullptr;
    }
    return std::move(journal).value();
}

QSet<QString> keysOf(const JournalSnapshot &snapshot)
{
    QSet<QString> keys;
    for (auto it = snapshot.cbegin(); it != snapshot.cend(); ++it)
        keys.insert(it.key());
    return keys;
}

// Runs statements on the database file through a connection of its own, as a second tool
// (or a newer build) would.
QVariant rawQuery(const QString &databaseFile, const QString &sql)
{
    static int counter = 0;
    const QString name = QStringLiteral("raw-%1").arg(++counter);
    QVariant result;
    {
        QSqlDatabase database = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        database.setDatabaseName(databaseFile);
        if (database.open()) {
            QSqlQuery query(database);
            if (query.exec(sql) && query.next())
                result = query.value(0);
            else if (query.lastError().isValid())
                qWarning("raw query failed: %s", qPrintable(query.lastError().text()));
        }
        database.close();
    }
    QSqlDatabase::removeDatabase(name);
    return result;
}

// The child side of killedWriterKeepsEveryCommittedBatch: writes batches until killed.
int runWriterChild(const QString &root)
{
    ::prctl(PR_SET_PDEATHSIG, SIGKILL); // never outlive a test that was killed itself
    std::unique_ptr<Journal> journal = openJournal(root);
    if (!journal)
        return 2;
    const qint64 firstBatch = journal->trackedFileCount() / ChildBatchSize;
    for (qint64 batch = firstBatch; batch < firstBatch + ChildMaxBatches; ++batch) {
        Journal::Transaction transaction(*journal);
        for (int i = 0; i < ChildBatchSize; ++i) {
            if (!journal->putRecord(makeRecord(batchPath(batch, i), batch)))
                return 3;
        }
        if (Status committed = transaction.commit(); !committed) {
            std::fprintf(stderr, "%s\n", qPrintable(committed.error().message));
            return 4;
        }
        std::printf("committed %lld\n", batch + 1);
        std::fflush(stdout);
    }
    return 0;
}

} // namespace

class TestJournal : public QObject
{
    Q_OBJECT

private slots:
    void countersAddEveryField();
    void createsPrivateWalDatabase();
    void tightensExistingPermissions();
    void missingRootIsNotCreated();
    void roundTripsEverythingAcrossReopen();
    void emptyJournalHasDefaults();
    void putReplacesAndRemoveDeletes();
    void trackedFileCountIgnoresDirectories();
    void recordChangesCountEveryWriteOfRecords();
    void retryItemsBecomeDueAndRevive();
    void queuedItemsBecomeDueWithoutRevivingFailedOnes();
    void samplesAreOrderedFilteredAndPruned();
    void subtreeQueriesRespectNameBoundaries_data();
    void subtreeQueriesRespectNameBoundaries();
    void removeRecordsUnderRootRemovesAll();
    void forgetSyncHistoryKeepsOnlySettings();
    void moveRecordsRenamesSubtree();
    void moveRecordsHandlesMultibyteNames();
    void moveRecordsReplacesDestination();
    void moveRecordsRejectsMovesIntoItself();
    void uncommittedTransactionRollsBack();
    void committedTransactionPersists();
    void nestedTransactionJoinsOuter();
    void olderSchemaIsMigratedKeepingItsRows();
    void newerSchemaIsRefused();
    void garbageFileIsSetAside();
    void damagedPagesAreSetAside();
    void busyWriterGetsTransientError();
    void readerSeesCommittedSnapshotsWhileWriterThreadWrites();
    void killedWriterKeepsEveryCommittedBatch();
    void loadsHundredThousandRecords();
};

void TestJournal::countersAddEveryField()
{
    Counters a{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
    const Counters b{100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1100};
    a += b;
    QCOMPARE(a, (Counters{101, 202, 303, 404, 505, 606, 707, 808, 909, 1010, 1111}));
}

void TestJournal::createsPrivateWalDatabase()
{
    QTemporaryDir root;
    QVERIFY(root.isValid());
    const QString file = Journal::databasePath(root.path());
    QCOMPARE(file, root.path() + "/.steadysync/journal.db");
    {
        std::unique_ptr<Journal> journal = openJournal(root.path());
        QVERIFY(journal);
        QVERIFY(journal->putRecord(makeRecord("a")).ok());
        QVERIFY(QFileInfo::exists(file));
        QCOMPARE(modeOf(file), mode_t(0600));
        QCOMPARE(modeOf(root.path() + "/.steadysync"), mode_t(0700));
        for (const char *suffix : {"-wal", "-shm"}) {
            if (QFileInfo::exists(file + suffix))
                QCOMPARE(modeOf(file + suffix), mode_t(0600));
        }
        QVERIFY(QFileInfo::exists(file + "-wal"));
        QCOMPARE(rawQuery(file, "PRAGMA journal_mode").toString(), QString("wal"));
    }
    QCOMPARE(rawQuery(file, "PRAGMA user_version").toInt(), Journal::SchemaVersion);
    QCOMPARE(rawQuery(file, "PRAGMA journal_mode").toString(), QString("wal"));
}

void TestJournal::tightensExistingPermissions()
{
    QTemporaryDir root;
    QVERIFY(QDir(root.path()).mkdir(".steadysync"));
    QVERIFY(::chmod(QFile::encodeName(root.path() + "/.steadysync").constData(), 0755) == 0);
    const QString file = Journal::databasePath(root.path());
    steadysync::test::writeFile(root.path(), ".steadysync/journal.db", {});
    QVERIFY(::chmod(QFile::encodeName(file).constData(), 0644) == 0);

    std::unique_ptr<Journal> journal = openJournal(root.path());
    QVERIFY(journal);
    QCOMPARE(modeOf(root.path() + "/.steadysync"), mode_t(0700));
    QCOMPARE(modeOf(file), mode_t(0600));
}

void TestJournal::missingRootIsNotCreated()
{
    QTemporaryDir parent;
    const QString root = parent.path() + "/unmounted";
    Result<std::unique_ptr<Journal>> journal = Journal::open(root);
    QVERIFY(!journal);
    QCOMPARE(journal.error().kind, ErrorKind::RootMissing);
    QVERIFY(!QFileInfo::exists(root));
}

void TestJournal::roundTripsEverythingAcrossReopen()
{
    QTemporaryDir root;
    const JournalRecord file = makeRecord("docs/report final.odt", 3);
    const JournalRecord dir = makeDirectoryRecord("docs");
    const RetryItem retry{"docs/big.iso",     3,     1000, 5000, "HTTP 503 Service Unavailable",
                          ErrorKind::Offline, false, {}};
    const RetryItem failed{
        "x/y", 10, 10, 20, "rejected name", ErrorKind::Permanent, true, "L:3:17:99 R:\"e1\""};
    const ConflictRecord conflict{"notes.txt", "notes.txt",
                                  "notes (conflict 2024-01-01 120000).txt", 123456,
                                  "\"etag-of-the-remote-version\""};
    const Counters delta{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
    const LiveStatus live{"syncing", 12, 3, 1'700'000'000'000, "disk full", 1'700'000'000'500};
    const StatsSample first{1'000'000, 0.5, 1, 2, 3, 4, 5};
    const StatsSample second{2'000'000, 0.75, 6, 7, 8, 9, 10};
    const StatsSample third{3'000'000, 1.0, 0, 0, 0, 11, 12};
    {
        std::unique_ptr<Journal> journal = openJournal(root.path());
        QVERIFY(journal);
        QVERIFY(journal->putRecord(file).ok());
        QVERIFY(journal->putRecord(dir).ok());
        QVERIFY(journal->putRetryItem(retry).ok());
        QVERIFY(journal->putRetryItem(failed).ok());
        QVERIFY(journal->putConflict(conflict).ok());
        QVERIFY(journal->addCounters(delta).ok());
        QVERIFY(journal->addCounters(delta).ok());
        QVERIFY(journal->putLiveStatus(live).ok());
        QVERIFY(journal->appendSample(third).ok());
        QVERIFY(journal->appendSample(first).ok());
        QVERIFY(journal->appendSample(second).ok());
        QVERIFY(journal->setSetting("remote_url", "https://example.org/dav/ü").ok());
    }
    std::unique_ptr<Journal> journal = openJournal(root.path());
    QVERIFY(journal);
    const JournalSnapshot records = journal->records();
    QCOMPARE(records.size(), 2);
    QCOMPARE(records.value(file.path), file);
    QCOMPARE(records.value(dir.path), dir);
    QCOMPARE(journal->record(file.path), std::optional<JournalRecord>(file));
    QCOMPARE(journal->record(dir.path), std::optional<JournalRecord>(dir));
    QCOMPARE(journal->retryItems(), (QVector<RetryItem>{failed, retry})); // by due time
    QCOMPARE(journal->retryItem(retry.path), std::optional<RetryItem>(retry));
    QCOMPARE(journal->conflicts(), QVector<ConflictRecord>{conflict});
    QCOMPARE(journal->conflict(conflict.path), std::optional<ConflictRecord>(conflict));
    Counters doubled = delta;
    doubled += delta;
    QCOMPARE(journal->counters(), doubled);
    QCOMPARE(journal->liveStatus(), live);
    QCOMPARE(journal->samples(0, 10'000'000), (QVector<StatsSample>{first, second, third}));
    QCOMPARE(journal->samples(1'000'001, 3'000'000), (QVector<StatsSample>{second, third}));
    QCOMPARE(journal->samples(1'000'000, 2'000'000), (QVector<StatsSample>{first, second}));
    QCOMPARE(journal->setting("remote_url"), QString("https://example.org/dav/ü"));
    QVERIFY(journal->checkIntegrity().ok());
    QVERIFY(!journal->lastReadError());
}

void TestJournal::emptyJournalHasDefaults()
{
    QTemporaryDir root;
    std::unique_ptr<Journal> journal = openJournal(root.path());
    QVERIFY(journal);
    QVERIFY(journal->records().isEmpty());
    QCOMPARE(journal->record("a"), std::nullopt);
    QCOMPARE(journal->retryItem("a"), std::nullopt);
    QCOMPARE(journal->conflict("a"), std::nullopt);
    QVERIFY(journal->retryItems().isEmpty());
    QVERIFY(journal->conflicts().isEmpty());
    QCOMPARE(journal->counters(), Counters{});
    QCOMPARE(journal->liveStatus(), LiveStatus{});
    QVERIFY(journal->samples(0, std::numeric_limits<qint64>::max()).isEmpty());
    QVERIFY(journal->setting("missing").isNull());
    QCOMPARE(journal->trackedFileCount(), 0);
    QVERIFY(!journal->lastReadError());
}

void TestJournal::putReplacesAndRemoveDeletes()
{
    QTemporaryDir root;
    std::unique_ptr<Journal> journal = openJournal(root.path());
    QVERIFY(journal);
    QVERIFY(journal->putRecord(makeRecord("f", 1)).ok());
    QVERIFY(journal->putRecord(makeRecord("f", 2)).ok());
    QCOMPARE(journal->record("f"), std::optional<JournalRecord>(makeRecord("f", 2)));
    QVERIFY(journal->removeRecord("f").ok());
    QCOMPARE(journal->record("f"), std::nullopt);

    QVERIFY(journal->putRetryItem({"r", 1, 1, 1, "e", ErrorKind::Transient, false, {}}).ok());
    const RetryItem again{"r", 2, 1, 9, "e2", ErrorKind::DiskFull, false, {}};
    QVERIFY(journal->putRetryItem(again).ok());
    QCOMPARE(journal->retryItems(), QVector<RetryItem>{again});
    QVERIFY(journal->removeRetryItem("r").ok());
    QVERIFY(journal->retryItems().isEmpty());

    QVERIFY(journal->putConflict({"c", "c", "c (conflict)", 1, "\"e\""}).ok());
    QVERIFY(journal->removeConflict("c").ok());
    QVERIFY(journal->conflicts().isEmpty());

    QVERIFY(journal->setSetting("k", "1").ok());
    QVERIFY(journal->setSetting("k", "2").ok());
    QCOMPARE(journal->setting("k"), QString("2"));
}

// A remote walk made before the count last moved may read this pair's own writes as changes
// by another client (FreshWalkOffer): every kind of record write moves it, nothing else does.
void TestJournal::recordChangesCountEveryWriteOfRecords()
{
    QTemporaryDir root;
    std::unique_ptr<Journal> journal = openJournal(root.path());
    QVERIFY(journal);
    quint64 last = journal->recordChanges();
    const auto moved = [&] {
        const quint64 now = journal->recordChanges();
        const bool changed = now != last;
        last = now;
        return changed;
    };
    QVERIFY(journal->putRecord(makeRecord("d/f", 1)).ok());
    QVERIFY(moved());
    QVERIFY(journal->moveRecords("d", "e").ok());
    QVERIFY(moved());
    QVERIFY(journal->removeRecord("e/f").ok());
    QVERIFY(moved());
    QVERIFY(journal->removeRecordsUnder("e").ok());
    QVERIFY(moved());
    QVERIFY(journal->forgetSyncHistory().ok());
    QVERIFY(moved());

    QCOMPARE(journal->record("e/f"), std::nullopt);
    QVERIFY(journal->putRetryItem({"r", 1, 1, 1, "e", ErrorKind::Transient, false, {}}).ok());
    QVERIFY(journal->setSetting("k", "1").ok());
    QVERIFY(journal->putConflict({"c", "c", "c (conflict)", 1, "\"e\""}).ok());
    QVERIFY(!moved());
}

void TestJournal::trackedFileCountIgnoresDirectories()
{
    QTemporaryDir root;
    std::unique_ptr<Journal> journal = openJournal(root.path());
    QVERIFY(journal);
    QVERIFY(journal->putRecord(makeDirectoryRecord("d")).ok());
    QVERIFY(journal->putRecord(makeRecord("d/1")).ok());
    QVERIFY(journal->putRecord(makeRecord("d/2")).ok());
    QCOMPARE(journal->trackedFileCount(), 2);

    // The count is kept between calls: it must follow every way records change, here and
    // through another connection (another process on the same folder).
    QVERIFY(journal->removeRecord("d/1").ok());
    QCOMPARE(journal->trackedFileCount(), 1);
    QVERIFY(journal->putRecord(makeRecord("d/3")).ok());
    QVERIFY(journal->putRecord(makeRecord("e")).ok());
    QCOMPARE(journal->trackedFileCount(), 3);
    // Counted with each write, not again from the table (a million records take most of a
    // second to count): replacing a record, a file becoming a folder and back, removing a
    // folder's or a missing record, a move.
    QVERIFY(journal->putRecord(makeRecord("e")).ok());
    QCOMPARE(journal->trackedFileCount(), 3);
    QVERIFY(journal->putRecord(makeDirectoryRecord("e")).ok());
    QCOMPARE(journal->trackedFileCount(), 2);
    QVERIFY(journal->putRecord(makeRecord("e")).ok());
    QCOMPARE(journal->trackedFileCount(), 3);
    QVERIFY(journal->removeRecord("d").ok());
    QVERIFY(journal->removeRecord("never-recorded").ok());
    QCOMPARE(journal->trackedFileCount(), 3);
    QVERIFY(journal->putRecord(makeDirectoryRecord("d")).ok());
    QVERIFY(journal->moveRecords("d", "moved").ok());
    QCOMPARE(journal->trackedFileCount(), 3);
    QVERIFY(journal->putRecord(makeRecord("x")).ok());
    QVERIFY(journal->moveRecords("x", "e").ok()); // replaces e, as rename(2) does
    QCOMPARE(journal->trackedFileCount(), 3);
    QVERIFY(journal->removeRecordsUnder("moved").ok());
    QCOMPARE(journal->trackedFileCount(), 1);
    {
        Journal::Transaction transaction(*journal);
        QVERIFY(journal->putRecord(makeRecord("f")).ok());
        QCOMPARE(journal->trackedFileCount(), 2); // inside, as the transaction sees it
    }
    QCOMPARE(journal->trackedFileCount(), 1); // rolled back
    QVERIFY(journal->putRecord(makeRecord("f")).ok());
    QCOMPARE(journal->trackedFileCount(), 2);
    QVERIFY(journal->removeRecord("f").ok());
    QCOMPARE(journal->trackedFileCount(), 1);
    std::unique_ptr<Journal> other = openJournal(root.path());
    QVERIFY(other);
    QVERIFY(other->putRecord(makeRecord("g")).ok());
    QVERIFY(other->putRecord(makeRecord("h")).ok());
    QCOMPARE(journal->trackedFileCount(), 3);
    QVERIFY(other->removeRecordsUnder(QString()).ok());
    QCOMPARE(journal->trackedFileCount(), 0);
}

void TestJournal::retryItemsBecomeDueAndRevive()
{
    QTemporaryDir root;
    std::unique_ptr<Journal> journal = openJournal(root.path());
    QVERIFY(journal);
    ManualClock clock;
    QVERIFY(journal
                ->putRetryItem(
                    {"a", 3, 100, clock.nowMs() + 300'000, "503", ErrorKind::Transient, false, {}})
                .ok());
    QVERIFY(
        journal
            ->putRetryItem(
                {"b", 10, 100, clock.nowMs() + 5'000, "gave up", ErrorKind::Transient, true, {}})
            .ok());
    clock.advance(1'000);
    QVERIFY(journal->makeAllRetryItemsDue(clock.nowMs()).ok());
    for (const RetryItem &item : journal->retryItems()) {
        QCOMPARE(item.nextDueMs, clock.nowMs());
        QVERIFY(!item.failedPermanently);
        QCOMPARE(item.firstFailureMs, 100);
    }
    QCOMPARE(journal->retryItem("a")->attempts, 3);
    QCOMPARE(journal->retryItem("b")->attempts, 10);
}

// The server's return makes queued items due; a permanently failed one keeps its state and
// due time (DESIGN §5: retried only when its file changes or the user asks).
void TestJournal::queuedItemsBecomeDueWithoutRevivingFailedOnes()
{
    QTemporaryDir root;
    std::unique_ptr<Journal> journal = openJournal(root.path());
    QVERIFY(journal);
    ManualClock clock;
    const RetryItem queued{"a",   7, 100, clock.nowMs() + 300'000, "503", ErrorKind::Transient,
                           false, {}};
    const RetryItem failed{
        "b", 10, 100, clock.nowMs() + 5'000, "gave up", ErrorKind::Transient, true, "sides"};
    QVERIFY(journal->putRetryItem(queued).ok());
    QVERIFY(journal->putRetryItem(failed).ok());
    clock.advance(1'000);
    QVERIFY(journal->makeQueuedRetryItemsDue(clock.nowMs()).ok());
    RetryItem dueNow = queued;
    dueNow.nextDueMs = clock.nowMs();
    QCOMPARE(*journal->retryItem("a"), dueNow);
    QCOMPARE(*journal->retryItem("b"), failed);
}

void TestJournal::samplesAreOrderedFilteredAndPruned()
{
    QTemporaryDir root;
    std::unique_ptr<Journal> journal = openJournal(root.path());
    QVERIFY(journal);
    ManualClock clock;
    const qint64 start = clock.nowMs();
    constexpr qint64 Hour = 3'600'000;
    for (int i = 0; i < 10 * 24; ++i) {
        StatsSample sample;
        sample.timeMs = clock.nowMs();
        sample.bytesUp = i;
        QVERIFY(journal->appendSample(sample).ok());
        clock.advance(Hour);
    }
    const QVector<StatsSample> kept = journal->samples(0, clock.nowMs());
    QVERIFY(!kept.isEmpty());
    const qint64 newest = start + (10 * 24 - 1) * Hour;
    QCOMPARE(kept.last().timeMs, newest);
    // Eight days of history stay; anything older than that is gone.
    QCOMPARE(kept.first().timeMs, newest - 8 * 24 * Hour);
    for (int i = 1; i < kept.size(); ++i)
        QCOMPARE(kept.at(i).timeMs - kept.at(i - 1).timeMs, Hour);
    QCOMPARE(journal->samples(newest - 2 * Hour, newest - Hour).size(), 2);
}

void TestJournal::subtreeQueriesRespectNameBoundaries_data()
{
    QTest::addColumn<QString>("dir");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("a") << "a" << QStringList{"a", "a/b", "a/b/c", "a/%", "a/_x"};
    QTest::newRow("a/b") << "a/b" << QStringList{"a/b", "a/b/c"};
    QTest::newRow("percent") << "%" << QStringList{"%", "%/z"};
    QTest::newRow("underscore") << "a_" << QStringList{"a_", "a_/y"};
    QTest::newRow("space") << "a b" << QStringList{"a b", "a b/c"};
    QTest::newRow("absent") << "zz" << QStringList{};
    QTest::newRow("file") << "ab" << QStringList{"ab"};
}

void TestJournal::subtreeQueriesRespectNameBoundaries()
{
    QFETCH(QString, dir);
    QFETCH(QStringList, expected);
    const QStringList all{"a",  "a/b",  "a/b/c", "a/%", "a/_x", "ab",     "a b", "a b/c",
                          "a_", "a_/y", "a-",    "a.b", "a0",   "a!",     "%",   "%/z",
                          "%x", "b",    "aa/b",  "a%",  "A",    "a\u00e9"};
    QTemporaryDir root;
    std::unique_ptr<Journal> journal = openJournal(root.path());
    QVERIFY(journal);
    {
        Journal::Transaction transaction(*journal);
        for (const QString &path : all)
            QVERIFY(journal->putRecord(makeRecord(path)).ok());
        QVERIFY(transaction.commit().ok());
    }
    const QSet<QString> expectedSet(expected.cbegin(), expected.cend());
    QCOMPARE(keysOf(journal->recordsUnder(dir)), expectedSet);

    QVERIFY(journal->removeRecordsUnder(dir).ok());
    QSet<QString> remaining(all.cbegin(), all.cend());
    remaining -= expectedSet;
    QCOMPARE(keysOf(journal->records()), remaining);
}

void TestJournal::removeRecordsUnderRootRemovesAll()
{
    QTemporaryDir root;
    std::unique_ptr<Journal> journal = openJournal(root.path());
    QVERIFY(journal);
    for (const char *path : {"a", "a/b", "c"})
        QVERIFY(journal->putRecord(makeRecord(path)).ok());
    QCOMPARE(journal->recordsUnder("").size(), 3);
    QVERIFY(journal->removeRecordsUnder("").ok());
    QVERIFY(journal->records().isEmpty());
}

// A journal that does not belong to its root (RootIdentity) keeps its settings only.
void TestJournal::forgetSyncHistoryKeepsOnlySettings()
{
    QTemporaryDir root;
    std::unique_ptr<Journal> journal = openJournal(root.path());
    QVERIFY(journal);
    QVERIFY(journal->putRecord(makeRecord("a")).ok());
    QCOMPARE(journal->record("a"), makeRecord("a")); // the ctime included
    QVERIFY(journal->putConflict({"c", "c", "c (conflict)", 1, "\"e\""}).ok());
    RetryItem item;
    item.path = QStringLiteral("r");
    QVERIFY(journal->putRetryItem(item).ok());
    QVERIFY(journal->putUnconfirmedUpload("u", QByteArray(64, 'b')).ok());
    QVERIFY(journal->putRemoteTemporary(".steadysync-part-x").ok());
    QVERIFY(journal->setSetting("remote_url", "file:///r").ok());

    QVERIFY(journal->forgetSyncHistory().ok());
    QVERIFY(journal->records().isEmpty());
    QCOMPARE(journal->trackedFileCount(), 0);
    QVERIFY(journal->conflicts().isEmpty());
    QVERIFY(journal->retryItems().isEmpty());
    QVERIFY(journal->unconfirmedUpload("u").isEmpty());
    QVERIFY(journal->remoteTemporaries().isEmpty());
    QCOMPARE(journal->setting("remote_url"), QStringLiteral("file:///r"));
}

void TestJournal::moveRecordsRenamesSubtree()
{
    QTemporaryDir root;
    std::unique_ptr<Journal> journal = openJournal(root.path());
    QVERIFY(journal);
    const QStringList paths{"a", "a/b", "a/b/c", "a/%", "ab", "a b", "a b/x", "a_", "a0"};
    for (int i = 0; i < paths.size(); ++i)
        QVERIFY(journal->putRecord(makeRecord(paths.at(i), i)).ok());

    QVERIFY(journal->moveRecords("a", "n/m").ok());
    const JournalSnapshot records = journal->records();
    QCOMPARE(keysOf(records),
             (QSet<QString>{"n/m", "n/m/b", "n/m/b/c", "n/m/%", "ab", "a b", "a b/x", "a_", "a0"}));
    JournalRecord moved = makeRecord("a/b/c", 2);
    moved.path = "n/m/b/c";
    QCOMPARE(records.value("n/m/b/c"), moved); // everything but the path is kept

    QVERIFY(journal->moveRecords("a b", "c").ok());
    QCOMPARE(keysOf(journal->recordsUnder("c")), (QSet<QString>{"c", "c/x"}));
    QVERIFY(journal->moveRecords("does/not/exist", "x").ok());
    QCOMPARE(journal->records().size(), paths.size());
}

void TestJournal::moveRecordsHandlesMultibyteNames()
{
    QTemporaryDir root;
    std::unique_ptr<Journal> journal = openJournal(root.path());
    QVERIFY(journal);
    // U+1F600 is two UTF-16 units but one SQLite character.
    const QString from = QString::fromUtf8("\xF0\x9F\x98\x80 f\xC3\xBC");
    QVERIFY(journal->putRecord(makeRecord(from + "/n\xC3\xA4me")).ok());
    QVERIFY(journal->moveRecords(from, "plain").ok());
    QCOMPARE(keysOf(journal->records()), QSet<QString>{QString::fromUtf8("plain/n\xC3\xA4me")});
}

void TestJournal::moveRecordsReplacesDestination()
{
    QTemporaryDir root;
    std::unique_ptr<Journal> journal = openJournal(root.path());
    QVERIFY(journal);
    QVERIFY(journal->putRecord(makeRecord("src", 1)).ok());
    QVERIFY(journal->putRecord(makeRecord("src/f", 2)).ok());
    QVERIFY(journal->putRecord(makeRecord("dst", 3)).ok());
    QVERIFY(journal->putRecord(makeRecord("dst/stale", 4)).ok());
    QVERIFY(journal->putRecord(makeRecord("dst/f", 5)).ok());
    QVERIFY(journal->moveRecords("src", "dst").ok());
    QCOMPARE(keysOf(journal->records()), (QSet<QString>{"dst", "dst/f"}));
    QCOMPARE(journal->record("dst/f")->localSize, makeRecord("x", 2).localSize);
}

void TestJournal::moveRecordsRejectsMovesIntoItself()
{
    QTemporaryDir root;
    std::unique_ptr<Journal> journal = openJournal(root.path());
    QVERIFY(journal);
    QVERIFY(journal->putRecord(makeRecord("a")).ok());
    QVERIFY(journal->putRecord(makeRecord("a/b")).ok());
    QCOMPARE(journal->moveRecords("a", "a/b/c").error().kind, ErrorKind::InvalidName);
    QCOMPARE(journal->moveRecords("a/b", "a").error().kind, ErrorKind::InvalidName);
    QCOMPARE(journal->moveRecords("", "x").error().kind, ErrorKind::InvalidName);
    QVERIFY(journal->moveRecords("a", "a").ok());
    QCOMPARE(keysOf(journal->records()), (QSet<QString>{"a", "a/b"}));
}

void TestJournal::uncommittedTransactionRollsBack()
{
    QTemporaryDir root;
    {
        std::unique_ptr<Journal> journal = openJournal(root.path());
        QVERIFY(journal);
        QVERIFY(journal->putRecord(makeRecord("kept")).ok());
        {
            Journal::Transaction transaction(*journal);
            QVERIFY(journal->putRecord(makeRecord("dropped")).ok());
            QVERIFY(journal->removeRecord("kept").ok());
            QVERIFY(journal->addCounters(Counters{5}).ok());
            QVERIFY(journal->setSetting("k", "v").ok());
            QVERIFY(journal->record("dropped").has_value()); // visible inside
        }
        QCOMPARE(keysOf(journal->records()), QSet<QString>{"kept"});
        QCOMPARE(journal->counters(), Counters{});
        QVERIFY(journal->setting("k").isEmpty());
        // The connection is usable again outside any transaction.
        QVERIFY(journal->putRecord(makeRecord("after")).ok());
    }
    std::unique_ptr<Journal> journal = openJournal(root.path());
    QVERIFY(journal);
    QCOMPARE(keysOf(journal->records()), (QSet<QString>{"kept", "after"}));
}

void TestJournal::committedTransactionPersists()
{
    QTemporaryDir root;
    {
        std::unique_ptr<Journal> journal = openJournal(root.path());
        QVERIFY(journal);
        Journal::Transaction transaction(*journal);
        for (int i = 0; i < 50; ++i)
            QVERIFY(journal->putRecord(makeRecord(QString::number(i))).ok());
        QVERIFY(journal->appendSample(StatsSample{}).ok());
        QVERIFY(transaction.commit().ok());
        QVERIFY(!transaction.commit().ok()); // a second commit is an error, not a new commit
    }
    std::unique_ptr<Journal> journal = openJournal(root.path());
    QVERIFY(journal);
    QCOMPARE(journal->records().size(), 50);
    QCOMPARE(journal->samples(0, 0).size(), 1);
}

void TestJournal::nestedTransactionJoinsOuter()
{
    QTemporaryDir root;
    std::unique_ptr<Journal> journal = openJournal(root.path());
    QVERIFY(journal);
    {
        Journal::Transaction outer(*journal);
        {
            Journal::Transaction inner(*journal);
            QVERIFY(journal->putRecord(makeRecord("inner")).ok());
            QVERIFY(inner.commit().ok());
        }
        // Dropping the outer one undoes what the inner one "committed".
    }
    QCOMPARE(journal->record("inner"), std::nullopt);
    {
        Journal::Transaction outer(*journal);
        QVERIFY(journal->putRecord(makeRecord("x")).ok());
        {
            Journal::Transaction abandoned(*journal);
        }
        QVERIFY(!outer.commit().ok()); // an abandoned inner transaction dooms the outer one
    }
    QCOMPARE(journal->record("x"), std::nullopt);
}

void TestJournal::olderSchemaIsMigratedKeepingItsRows()
{
    QTemporaryDir root;
    QVERIFY(openJournal(root.path()));
    const QString file = Journal::databasePath(root.path());
    // Schema version 1, as released: retry_queue had no sides_at_failure column.
    rawQuery(file, "ALTER TABLE retry_queue DROP COLUMN sides_at_failure");
    rawQuery(file, "DROP TABLE unconfirmed_uploads");
    rawQuery(file, "DROP TABLE remote_temporaries");                  // schema 3
    rawQuery(file, "ALTER TABLE records DROP COLUMN remote_id");      // schema 4
    rawQuery(file, "ALTER TABLE records DROP COLUMN local_ctime_ns"); // schema 5
    for (const char *column :
         {"remote_check", "remote_rewritten", "local_stat_known", "resolution"})
        rawQuery(file, QStringLiteral("ALTER TABLE records DROP COLUMN %1").arg(column)); // 6
    rawQuery(file, "INSERT INTO retry_queue VALUES ('a/b', 10, 1, 2, 'HTTP 403', 'permanent', 1)");
    rawQuery(file, "INSERT INTO records VALUES ('f', 0, 5, 6, 7, x'61', x'62', 8, 9)");
    rawQuery(file, "PRAGMA user_version = 1");

    std::unique_ptr<Journal> journal = openJournal(root.path());
    QVERIFY(journal);
    QCOMPARE(rawQuery(file, "PRAGMA user_version").toInt(), Journal::SchemaVersion);
    const std::optional<RetryItem> item = journal->retryItem("a/b");
    QVERIFY(item);
    QCOMPARE(item->attempts, 10);
    QVERIFY(item->failedPermanently);
    QCOMPARE(item->sidesAtFailure, QByteArray()); // unknown: stays failed until a change
    const std::optional<JournalRecord> record = journal->record("f");
    QVERIFY(record);
    QCOMPARE(record->remoteSize, 8);
    QCOMPARE(record->localInode, quint64(7));
    QCOMPARE(record->remoteId, QByteArray()); // learnt from the next listing
    QCOMPARE(record->localCtimeNs, 0);        // unknown: the scanner hashes the file once
}

void TestJournal::newerSchemaIsRefused()
{
    QTemporaryDir root;
    QVERIFY(openJournal(root.path()));
    const QString file = Journal::databasePath(root.path());
    const int newer = Journal::SchemaVersion + 1;
    rawQuery(file, QStringLiteral("PRAGMA user_version = %1").arg(newer));
    QCOMPARE(rawQuery(file, "PRAGMA user_version").toInt(), newer);

    Result<std::unique_ptr<Journal>> journal = Journal::open(root.path());
    QVERIFY(!journal);
    QCOMPARE(journal.error().kind, ErrorKind::Corrupt);
    QVERIFY2(journal.error().message.contains("newer"), qPrintable(journal.error().message));
    QCOMPARE(rawQuery(file, "PRAGMA user_version").toInt(), newer); // never downgraded
}

void TestJournal::garbageFileIsSetAside()
{
    QTemporaryDir root;
    QByteArray garbage;
    for (int i = 0; i < 4096; ++i)
        garbage += char('a' + i % 26);
    steadysync::test::writeFile(root.path(), ".steadysync/journal.db", garbage);

    // Set aside as it was (for inspection) and replaced by a fresh journal: see
    // tst_journalrecovery.
    Result<std::unique_ptr<Journal>> journal = Journal::open(root.path());
    QVERIFY(journal);
    QVERIFY((*journal)->recoveredFrom());
    QCOMPARE(steadysync::test::readFile(*(*journal)->recoveredFrom()), garbage);
    QCOMPARE((*journal)->trackedFileCount(), 0);
}

void TestJournal::damagedPagesAreSetAside()
{
    QTemporaryDir root;
    {
        std::unique_ptr<Journal> journal = openJournal(root.path());
        QVERIFY(journal);
        Journal::Transaction transaction(*journal);
        for (int i = 0; i < 2000; ++i)
            QVERIFY(journal->putRecord(makeRecord(QStringLiteral("dir/file%1").arg(i), i)).ok());
        QVERIFY(transaction.commit().ok());
    }
    // Closing the last connection checkpointed everything into the main file.
    const QString file = Journal::databasePath(root.path());
    QVERIFY(!QFileInfo::exists(file + "-wal"));
    QFile database(file);
    QVERIFY(database.open(QIODevice::ReadWrite));
    const qint64 pageSize = 4096;
    QVERIFY(database.size() > 10 * pageSize);
    // Keep page 1 (header and schema) so that only the tables' pages are damaged.
    for (qint64 offset = pageSize; offset < database.size(); offset += pageSize) {
        QVERIFY(database.seek(offset));
        database.write(QByteArray(pageSize, char(0x5A)));
    }
    database.close();

    Result<std::unique_ptr<Journal>> journal = Journal::open(root.path());
    QVERIFY(journal);
    QVERIFY((*journal)->recoveredFrom());
    QCOMPARE((*journal)->trackedFileCount(), 0);
}

void TestJournal::busyWriterGetsTransientError()
{
    QTemporaryDir root;
    std::unique_ptr<Journal> writer = openJournal(root.path());
    std::unique_ptr<Journal> other = openJournal(root.path());
    QVERIFY(writer && other);
    QVERIFY(writer->putRecord(makeRecord("before")).ok());
    QVERIFY(other->setBusyTimeout(50).ok());
    {
        Journal::Transaction transaction(*writer);
        QVERIFY(writer->putRecord(makeRecord("pending")).ok());

        // Readers are never blocked by a writer in WAL mode and see the last commit.
        QCOMPARE(keysOf(other->records()), QSet<QString>{"before"});
        QVERIFY(!other->lastReadError());

        Status blocked = other->putRecord(makeRecord("blocked"));
        QVERIFY(!blocked);
        QCOMPARE(blocked.error().kind, ErrorKind::Transient);
        QVERIFY2(blocked.error().message.contains("locked"), qPrintable(blocked.error().message));

        // A transaction that cannot begin writes nothing and fails on commit.
        Journal::Transaction failing(*other);
        QCOMPARE(other->putRecord(makeRecord("blocked")).error().kind, ErrorKind::Transient);
        QCOMPARE(failing.commit().error().kind, ErrorKind::Transient);

        QVERIFY(transaction.commit().ok());
    }
    QCOMPARE(keysOf(other->records()), (QSet<QString>{"before", "pending"}));
    QVERIFY(other->putRecord(makeRecord("later")).ok());
    QCOMPARE(keysOf(writer->records()), (QSet<QString>{"before", "pending", "later"}));
}

void TestJournal::readerSeesCommittedSnapshotsWhileWriterThreadWrites()
{
    QTemporaryDir root;
    QVERIFY(openJournal(root.path())); // creates the schema before both start
    constexpr int Batches = 40;
    constexpr int BatchSize = 50;
    std::atomic<bool> finished{false};
    std::mutex mutex;
    QStringList writerErrors;

    std::unique_ptr<QThread> thread(QThread::create([&] {
        std::unique_ptr<Journal> journal = openJournal(root.path());
        const auto fail = [&](const QString &message) {
            std::lock_guard lock(mutex);
            writerErrors.append(message);
        };
        if (!journal) {
            fail("cannot open");
        } else {
            for (int batch = 0; batch < Batches; ++batch) {
                Journal::Transaction transaction(*journal);
                for (int i = 0; i < BatchSize; ++i) {
                    if (Status put = journal->putRecord(makeRecord(batchPath(batch, i))); !put)
                        fail(put.error().message);
                }
                if (Status committed = transaction.commit(); !committed)
                    fail(committed.error().message);
            }
        }
        finished = true;
    }));
    thread->start();

    std::unique_ptr<Journal> reader = openJournal(root.path());
    QVERIFY(reader);
    int reads = 0;
    int writes = 0;
    QStringList readerErrors;
    while (!finished) {
        const qint64 count = reader->trackedFileCount();
        if (reader->lastReadError())
            readerErrors.append(reader->lastReadError()->message);
        if (count % BatchSize != 0)
            readerErrors.append(QStringLiteral("saw %1 records: half a batch").arg(count));
        // Both connections write: they take turns thanks to the busy timeout.
        if (Status put = reader->setSetting("reads", QString::number(++reads)); !put)
            readerErrors.append(put.error().message);
        else
            ++writes;
    }
    QVERIFY(thread->wait(60'000));
    QVERIFY2(writerErrors.isEmpty(), qPrintable(writerErrors.join('\n')));
    QVERIFY2(readerErrors.isEmpty(), qPrintable(readerErrors.join('\n')));
    QCOMPARE(reader->trackedFileCount(), Batches * BatchSize);
    QCOMPARE(reader->setting("reads"), QString::number(writes));
}

void TestJournal::killedWriterKeepsEveryCommittedBatch()
{
    QTemporaryDir root;
    qint64 reportedBatches = 0;
    for (int round = 0; round < 5; ++round) {
        QProcess child;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(ChildVariable, root.path());
        child.setProcessEnvironment(environment);
        child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        child.start(QCoreApplication::applicationFilePath(), {});
        QVERIFY2(child.waitForStarted(), qPrintable(child.errorString()));

        // A `status` reader running meanwhile only ever sees whole batches.
        std::unique_ptr<Journal> reader;
        QByteArray output;
        int commitsThisRound = 0;
        QStringList readerErrors;
        const bool enoughCommits = steadysync::test::waitFor(
            [&] {
                output += child.readAllStandardOutput();
                qsizetype newline;
                while ((newline = output.indexOf('\n')) >= 0) {
                    const QByteArray line = output.left(newline);
                    output.remove(0, newline + 1);
                    if (line.startsWith("committed ")) {
                        reportedBatches = std::max(reportedBatches, line.mid(10).toLongLong());
                        ++commitsThisRound;
                    }
                }
                if (!reader && commitsThisRound > 0)
                    reader = openJournal(root.path());
                if (reader) {
                    const qint64 count = reader->trackedFileCount();
                    if (reader->lastReadError())
                        readerErrors.append(reader->lastReadError()->message);
                    else if (count % ChildBatchSize != 0)
                        readerErrors.append(QStringLiteral("reader saw %1 records").arg(count));
                }
                return commitsThisRound >= 3 + round || child.state() != QProcess::Running;
            },
            60'000);
        QVERIFY2(child.state() == QProcess::Running, "the writer stopped before being killed");
        QVERIFY(enoughCommits);
        QVERIFY2(readerErrors.isEmpty(), qPrintable(readerErrors.join('\n')));

        child.kill();
        QVERIFY(child.waitForFinished(30'000));
        QCOMPARE(child.exitStatus(), QProcess::CrashExit);
        if (round % 2 == 0)
            reader.reset(); // odd rounds recover while another connection stays open

        std::unique_ptr<Journal> journal = openJournal(root.path());
        QVERIFY(journal);
        const Status integrity = journal->checkIntegrity();
        QVERIFY2(integrity.ok(), integrity.ok() ? "" : qPrintable(integrity.error().message));
        const JournalSnapshot records = journal->records();
        QCOMPARE(records.size() % ChildBatchSize, 0);
        const qint64 batches = records.size() / ChildBatchSize;
        QVERIFY2(batches >= reportedBatches,
                 qPrintable(QStringLiteral("%1 batches kept, %2 reported committed")
                                .arg(batches)
                                .arg(reportedBatches)));
        for (qint64 batch = 0; batch < batches; ++batch) {
            for (int i = 0; i < ChildBatchSize; ++i)
                QVERIFY(records.contains(batchPath(batch, i)));
        }
        reportedBatches = batches;
    }
}

void TestJournal::loadsHundredThousandRecords()
{
    QTemporaryDir root;
    constexpr int Count = 100'000;
    QElapsedTimer timer;
    {
        std::unique_ptr<Journal> journal = openJournal(root.path());
        QVERIFY(journal);
        timer.start();
        Journal::Transaction transaction(*journal);
        for (int i = 0; i < Count; ++i) {
            const QString path =
                QStringLiteral("dir%1/sub%2/file%3.txt").arg(i / 1000).arg(i % 7).arg(i);
            QVERIFY(journal->putRecord(makeRecord(path, i)).ok());
        }
        QVERIFY(transaction.commit().ok());
        qInfo("putRecord: %d records in one transaction in %lld ms", Count, timer.elapsed());
    }
    timer.start();
    std::unique_ptr<Journal> journal = openJournal(root.path());
    QVERIFY(journal);
    qInfo("open (with quick_check) of %d records: %lld ms", Count, timer.elapsed());
    timer.start();
    const JournalSnapshot records = journal->records();
    qInfo("records(): %d records loaded in %lld ms", int(records.size()), timer.elapsed());
    QCOMPARE(records.size(), Count);
    QCOMPARE(records.value("dir42/sub3/file42003.txt"),
             makeRecord("dir42/sub3/file42003.txt", 42003));
    timer.start();
    QCOMPARE(journal->recordsUnder("dir42").size(), 1000);
    qInfo("recordsUnder(): 1000 of %d records in %lld ms", Count, timer.elapsed());
    timer.start();
    QVERIFY(journal->checkIntegrity().ok());
    qInfo("checkIntegrity(): %lld ms", timer.elapsed());
}

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (qEnvironmentVariableIsSet(ChildVariable))
        return runWriterChild(qEnvironmentVariable(ChildVariable));
    TestJournal test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_journal.moc"
