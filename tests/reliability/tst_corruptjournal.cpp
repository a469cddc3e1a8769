// DESIGN §5 "a crash loses nothing", for the journal itself: a journal that is not a database,
// truncated or with damaged pages is detected and set aside; the next sync rebuilds it by a
// full compare of both sides: equal files are not duplicated, files that differ become
// conflict copies (both versions kept), nothing is lost, and the new journal is sound.
#include "reliabilityfixture.h"
#include "scenariorecord.h"
#include "testutil.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QSet>
#include <QTest>

using namespace steadysync::test;

namespace {

constexpr int Files = 300;

enum class Damage { NotADatabase, Truncated, DamagedPages };

void damage(const QString &journalPath, Damage how)
{
    QFile file(journalPath);
    QVERIFY(file.open(QIODevice::ReadWrite));
    switch (how) {
    case Damage::NotADatabase:
        QVERIFY(file.seek(0));
        file.write(QByteArray(4096, 'X'));
        break;
    case Damage::Truncated:
        QVERIFY(file.resize(file.size() / 2));
        break;
    case Damage::DamagedPages:
        QVERIFY(file.seek(file.size() / 3));
        file.write(QByteArray(3 * 4096, '\xa5'));
        break;
    }
}

} // namespace

class TestCorruptJournal : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void damagedJournalIsRebuiltByFullCompare_data();
    void damagedJournalIsRebuiltByFullCompare();
};

void TestCorruptJournal::damagedJournalIsRebuiltByFullCompare_data()
{
    QTest::addColumn<int>("how");
    QTest::newRow("not-a-database") << int(Damage::NotADatabase);
    QTest::newRow("truncated") << int(Damage::Truncated);
    QTest::newRow("damaged-pages") << int(Damage::DamagedPages);
}

void TestCorruptJournal::damagedJournalIsRebuiltByFullCompare()
{
    QFETCH(int, how);
    ScenarioRecord record(
        QStringLiteral("d-journal-%1").arg(QString::fromLatin1(QTest::currentDataTag())),
        QStringLiteral("Damaged journal (%1), rebuilt by a full compare")
            .arg(QString::fromLatin1(QTest::currentDataTag())));
    QString error;
    auto fixture = ReliabilityFixture::start(&error);
    QVERIFY2(fixture, qPrintable(error));
    QTemporaryDir a, b;
    for (int i = 0; i < Files; ++i)
        writeFile(a.path(), QStringLiteral("d%1/f%2.txt").arg(i / 50).arg(i),
                  "original " + QByteArray::number(i));
    QCOMPARE(fixture->sync(a.path()).exitCode, 0);
    QCOMPARE(fixture->sync(b.path()).exitCode, 0);

    // While A's journal is damaged: A edits f0, the server gets another f1 (from B), A adds a file.
    writeFile(a.path(), QStringLiteral("d0/f0.txt"), "edited on A");
    writeFile(b.path(), QStringLiteral("d0/f1.txt"), "edited on B");
    QCOMPARE(fixture->sync(b.path()).exitCode, 0);
    writeFile(a.path(), QStringLiteral("new.txt"), "new on A");
    const QString journalPath = a.path() + QStringLiteral("/.steadysync/journal.db");
    QVERIFY(!QFileInfo::exists(journalPath + QStringLiteral("-wal")) ||
            QFileInfo(journalPath + QStringLiteral("-wal")).size() == 0);
    damage(journalPath, Damage(how));
    record.addFaults(1);

    QElapsedTimer timer;
    timer.start();
    const CliRunner::Outcome outcome = fixture->sync(a.path());
    record.addRun();
    QVERIFY2(outcome.exitCode == 0 || outcome.exitCode == 1, outcome.err.constData());
    QVERIFY2(!QDir(a.path() + QStringLiteral("/.steadysync"))
                  .entryList({QStringLiteral("journal.db.corrupt-*")}, QDir::Files)
                  .isEmpty(),
             "the damaged journal was not set aside");
    QCOMPARE(journalIntegrity(a.path()), QStringLiteral("ok"));
    // One more cycle settles anything the first left queued; then both sides agree.
    QCOMPARE(fixture->sync(a.path()).exitCode, 0);
    QCOMPARE(fixture->sync(b.path()).exitCode, 0);
    record.noteRecoveryMs(timer.elapsed());
    record.addOperations(Files + 3);

    QSet<QByteArray> versions{"edited on A", "original 0", "edited on B", "original 1", "new on A"};
    for (int i = 2; i < Files; ++i)
        versions.insert("original " + QByteArray::number(i));
    const QStringList roots{a.path(), fixture->serverDirectory(), b.path()};
    QSet<QByteArray> lost;
    for (const QString &root : roots)
        lost += versionsMissing(versions, {root, fixture->cli().trashFilesDirectory()});
    record.addVersionsLost(lost.size());
    QVERIFY2(lost.isEmpty(), qPrintable(QString::fromUtf8(lost.values().join(", "))));
    // Equal files were recognised as equal: the only extra files are the two conflict copies
    // (an unchanged side's old version may instead have gone to the trash: never duplicated).
    for (const QString &root : roots) {
        const QHash<QByteArray, int> counts = contentCounts(root);
        for (auto it = counts.cbegin(); it != counts.cend(); ++it)
            QVERIFY2(it.value() == 1, qPrintable(root + QStringLiteral(": duplicated ") +
                                                 QString::fromUtf8(it.key())));
        QVERIFY2(counts.size() <= Files + 3, qPrintable(QString::number(counts.size())));
    }
    QCOMPARE(readTree(a.path()), readTree(fixture->serverDirectory()));
    QCOMPARE(readTree(b.path()), readTree(fixture->serverDirectory()));
    record.setNotes(
        QStringLiteral("%1 files; recovery = the two syncs after the damage").arg(Files));
    record.complete();
}

QTEST_GUILESS_MAIN(TestCorruptJournal)
#include "tst_corruptjournal.moc"
