// A damaged journal (not a database, damaged pages, truncated) is set aside and replaced by a
// fresh one, so the next cycle compares both sides in full; a sound or newer journal is kept.
#include "journal/journal.h"

#include <QDir>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace steadysync;

namespace {

JournalRecord fileRecord(const QString &path)
{
    JournalRecord record;
    record.path = path;
    record.type = ItemType::File;
    record.localSize = 1234;
    record.remoteSize = 1234;
    record.sha256 = QByteArray(32, 'h');
    record.remoteSignature = "etag-" + path.toUtf8();
    return record;
}

// A journal with enough records to span many pages, closed (so the WAL is checkpointed).
void fillJournal(const QString &root, int records)
{
    auto journal = Journal::open(root);
    QVERIFY2(journal, journal ? "" : qPrintable(journal.error().message));
    Journal::Transaction transaction(**journal);
    for (int i = 0; i < records; ++i)
        QVERIFY((*journal)->putRecord(fileRecord(QStringLiteral("dir/file-%1.txt").arg(i))));
    QVERIFY(transaction.commit());
}

QStringList setAsideFiles(const QString &root)
{
    return QDir(root + QStringLiteral("/.steadysync"))
        .entryList({QStringLiteral("journal.db.corrupt-*")}, QDir::Files);
}

} // namespace

class TestJournalRecovery : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void soundJournalIsKept();
    void notADatabaseIsSetAsideAndReplaced();
    void damagedPagesAreSetAsideAndReplaced();
    void truncatedJournalIsSetAsideAndReplaced();
    void newerJournalIsNeverSetAside();
};

void TestJournalRecovery::soundJournalIsKept()
{
    QTemporaryDir root;
    fillJournal(root.path(), 10);
    auto journal = Journal::open(root.path());
    QVERIFY(journal);
    QVERIFY(!(*journal)->recoveredFrom());
    QCOMPARE((*journal)->trackedFileCount(), 10);
    QCOMPARE(setAsideFiles(root.path()), QStringList());
}

void TestJournalRecovery::notADatabaseIsSetAsideAndReplaced()
{
    QTemporaryDir root;
    QVERIFY(QDir().mkpath(root.path() + QStringLiteral("/.steadysync")));
    const QByteArray garbage = QByteArray("this is not a database, ").repeated(500);
    {
        QFile file(Journal::databasePath(root.path()));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(garbage);
    }
    auto journal = Journal::open(root.path());
    QVERIFY2(journal, journal ? "" : qPrintable(journal.error().message));
    QVERIFY((*journal)->recoveredFrom());
    QFile aside(*(*journal)->recoveredFrom());
    QVERIFY(aside.open(QIODevice::ReadOnly));
    QCOMPARE(aside.readAll(), garbage); // kept as it was, for inspection
    QCOMPARE(setAsideFiles(root.path()).size(), 1);
    QCOMPARE((*journal)->trackedFileCount(), 0);
    QVERIFY((*journal)->putRecord(fileRecord(QStringLiteral("new.txt"))));
    QVERIFY((*journal)->checkIntegrity());
}

void TestJournalRecovery::damagedPagesAreSetAsideAndReplaced()
{
    QTemporaryDir root;
    fillJournal(root.path(), 2000);
    const QString path = Journal::databasePath(root.path());
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadWrite));
        QVERIFY(file.size() > 64 * 1024);
        // Keep the 100-byte header valid; scribble over pages in the middle.
        QVERIFY(file.seek(file.size() / 3));
        file.write(QByteArray(16 * 1024, '\xa5'));
    }
    auto journal = Journal::open(root.path());
    QVERIFY2(journal, journal ? "" : qPrintable(journal.error().message));
    QVERIFY((*journal)->recoveredFrom());
    QCOMPARE((*journal)->trackedFileCount(), 0);
    QVERIFY((*journal)->checkIntegrity());
    // Reopening the fresh journal finds it sound: no second setting aside.
    journal = Journal::open(root.path());
    QVERIFY(journal);
    QVERIFY(!(*journal)->recoveredFrom());
    QCOMPARE(setAsideFiles(root.path()).size(), 1);
}

void TestJournalRecovery::truncatedJournalIsSetAsideAndReplaced()
{
    QTemporaryDir root;
    fillJournal(root.path(), 2000);
    const QString path = Journal::databasePath(root.path());
    QFile file(path);
    QVERIFY(file.resize(file.size() / 2));
    auto journal = Journal::open(root.path());
    QVERIFY2(journal, journal ? "" : qPrintable(journal.error().message));
    QVERIFY((*journal)->recoveredFrom());
    QCOMPARE((*journal)->trackedFileCount(), 0);
    QVERIFY((*journal)->checkIntegrity());
}

void TestJournalRecovery::newerJournalIsNeverSetAside()
{
    QTemporaryDir root;
    fillJournal(root.path(), 1);
    {
        QSqlDatabase db =
            QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("newer"));
        db.setDatabaseName(Journal::databasePath(root.path()));
        QVERIFY(db.open());
        QSqlQuery query(db);
        QVERIFY(
            query.exec(QStringLiteral("PRAGMA user_version = %1").arg(Journal::SchemaVersion + 1)));
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("newer"));
    auto journal = Journal::open(root.path());
    QVERIFY(!journal);
    QCOMPARE(setAsideFiles(root.path()), QStringList());
}

QTEST_GUILESS_MAIN(TestJournalRecovery)
#include "tst_journalrecovery.moc"
