// DESIGN §4-§5: an upload whose answer is lost may have arrived all the same. When the user edits
// the file again before the retry, the remote holds the client's own earlier version: that is
// no conflict. The newest version goes up under the name, with no conflict copy of the old one.
#include "reliabilityfixture.h"
#include "scenariorecord.h"
#include "testutil.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTest>

using namespace steadysync::test;

class TestLostAnswer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void editAfterALostUploadAnswerIsNoConflict();
    void conflictWinnerUploadCutByResetIsRetried();
    void queuedItemSettledElsewhereLeavesTheQueue();
    void cutDownloadResumesInTheNextRun();
};

void TestLostAnswer::editAfterALostUploadAnswerIsNoConflict()
{
    ScenarioRecord record(QStringLiteral("h-lost-answer"),
                          QStringLiteral("PUT arrives, its answer is lost; the file is edited "
                                         "again before the retry"));
    QString error;
    auto fixture = ReliabilityFixture::start(&error);
    QVERIFY2(fixture, qPrintable(error));
    QTemporaryDir a;
    writeFile(a.path(), QStringLiteral("notes.txt"), "first version");
    QCOMPARE(fixture->sync(a.path()).exitCode, 0);
    record.addRun();

    writeFile(a.path(), QStringLiteral("notes.txt"), "second version");
    // Every answer to a PUT is lost, a transparent resend of the request included.
    fixture->proxy().resetResponseBodies(1000, 0, "PUT");
    const CliRunner::Outcome lost = fixture->sync(a.path());
    fixture->proxy().clearFaults();
    record.addRun();
    record.addFaults(fixture->proxy().faultsInjected());
    QCOMPARE(lost.exitCode, 1); // queued for a retry
    QCOMPARE(readFile(fixture->serverDirectory() + QStringLiteral("/notes.txt")),
             QByteArray("second version")); // it arrived all the same

    writeFile(a.path(), QStringLiteral("notes.txt"), "third, longer version");
    QElapsedTimer recovery;
    recovery.start();
    const CliRunner::Outcome retried = fixture->sync(a.path());
    record.addRun();
    QVERIFY2(retried.exitCode == 0, retried.err.constData());
    record.noteRecoveryMs(recovery.elapsed());
    record.addOperations(2);
    const QMap<QString, QByteArray> expected{
        {QStringLiteral("notes.txt"), QByteArray("third, longer version")}};
    QCOMPARE(readTree(a.path()), expected);
    QCOMPARE(readTree(fixture->serverDirectory()), expected);
    QCOMPARE(retried.json().value(QStringLiteral("conflicts")).toInt(), 0);
    record.setNotes(QStringLiteral("no conflict copy; recovery = the sync after the edit"));
    record.complete();
}

// Keep-both, local newer: the remote version is saved as the conflict copy, then the local
// version goes up under the name. When that upload is cut (here its LOCK answer), the next sync
// must still send the local version: it is not in sync merely because the copy is.
void TestLostAnswer::conflictWinnerUploadCutByResetIsRetried()
{
    ScenarioRecord record(
        QStringLiteral("h-conflict-cut"),
        QStringLiteral("Keep-both conflict: the winning upload is cut by a reset"));
    QString error;
    auto fixture = ReliabilityFixture::start(&error);
    QVERIFY2(fixture, qPrintable(error));
    QTemporaryDir a, b;
    writeFile(a.path(), QStringLiteral("plan.txt"), "common version");
    QCOMPARE(fixture->sync(a.path()).exitCode, 0);
    QCOMPARE(fixture->sync(b.path()).exitCode, 0);
    record.addRun();

    writeFile(a.path(), QStringLiteral("plan.txt"), "A's edit");
    QCOMPARE(fixture->sync(a.path()).exitCode, 0);
    writeFile(b.path(), QStringLiteral("plan.txt"), "B's later edit");
    QFile edited(b.path() + QStringLiteral("/plan.txt"));
    QVERIFY(edited.open(QIODevice::ReadWrite));
    QVERIFY(edited.setFileTime(QDateTime::currentDateTimeUtc().addSecs(60),
                               QFileDevice::FileModificationTime));
    edited.close();

    // Every LOCK answer is lost, a resend included: the conditional upload under the name fails.
    fixture->proxy().resetResponseBodies(1000, 0, "LOCK");
    const CliRunner::Outcome cut = fixture->sync(b.path());
    fixture->proxy().clearFaults();
    record.addRun();
    record.addFaults(fixture->proxy().faultsInjected());
    QVERIFY2(cut.exitCode == 1, cut.err.constData());
    QCOMPARE(cut.json().value(QStringLiteral("conflicts")).toInt(), 1);

    QElapsedTimer recovery;
    recovery.start();
    const CliRunner::Outcome retried = fixture->sync(b.path());
    record.addRun();
    QVERIFY2(retried.exitCode == 0, retried.err.constData());
    record.noteRecoveryMs(recovery.elapsed());
    QCOMPARE(readFile(fixture->serverDirectory() + QStringLiteral("/plan.txt")),
             QByteArray("B's later edit"));
    QCOMPARE(fixture->sync(a.path()).exitCode, 0);
    const QMap<QString, QByteArray> server = readTree(fixture->serverDirectory());
    QCOMPARE(server.size(), 2); // the name and one conflict copy
    QVERIFY(std::find(server.cbegin(), server.cend(), QByteArray("A's edit")) != server.cend());
    QCOMPARE(readTree(a.path()), server);
    QCOMPARE(readTree(b.path()), server);
    record.addOperations(3);
    record.setNotes(QStringLiteral("recovery = the sync after the reset, which waits out the 5 s "
                                   "lock the lost LOCK answer left"));
    record.complete();
}

// A download queued after a lost answer, whose file then goes away on the server: nothing is left
// to do, so the item leaves the queue and `sync` reports everything in sync (not exit 1 forever).
void TestLostAnswer::queuedItemSettledElsewhereLeavesTheQueue()
{
    QString error;
    auto fixture = ReliabilityFixture::start(&error);
    QVERIFY2(fixture, qPrintable(error));
    QTemporaryDir a;
    writeFile(fixture->serverDirectory(), QStringLiteral("brief.txt"), "short-lived");
    fixture->proxy().resetResponseBodies(1000, 0, "GET");
    const CliRunner::Outcome cut = fixture->sync(a.path());
    fixture->proxy().clearFaults();
    QVERIFY2(cut.exitCode == 1, cut.err.constData());
    QCOMPARE(cut.json().value(QStringLiteral("queued")).toInt(), 1);

    QVERIFY(QFile::remove(fixture->serverDirectory() + QStringLiteral("/brief.txt")));
    const CliRunner::Outcome settled = fixture->sync(a.path());
    QVERIFY2(settled.exitCode == 0, settled.err.constData());
    QCOMPARE(settled.json().value(QStringLiteral("queued")).toInt(), 0);
    QVERIFY(readTree(a.path()).isEmpty());
}

// A download cut at half by the network goes on where it stopped in the next run (Range with
// If-Range, the partial file kept in .steadysync/tmp across processes) instead of fetching the
// whole file again.
void TestLostAnswer::cutDownloadResumesInTheNextRun()
{
    QString error;
    auto fixture = ReliabilityFixture::start(&error);
    QVERIFY2(fixture, qPrintable(error));
    QTemporaryDir a;
    QByteArray content(8 * 1024 * 1024, Qt::Uninitialized);
    for (qsizetype i = 0; i < content.size(); ++i)
        content[i] = char((i * 13 + i / 1000) & 0xff);
    writeFile(fixture->serverDirectory(), QStringLiteral("big.bin"), content);
    // Not changed within the last minute, as most files: Apache's ETag and date are strong.
    QFile file(fixture->serverDirectory() + QStringLiteral("/big.bin"));
    QVERIFY(file.open(QIODevice::ReadWrite));
    QVERIFY(file.setFileTime(QDateTime::currentDateTimeUtc().addSecs(-3600),
                             QFileDevice::FileModificationTime));
    file.close();
    // Every answer to a GET in this run is cut after half of the file.
    fixture->proxy().resetResponseBodies(1000, content.size() / 2, "GET");
    const CliRunner::Outcome cut = fixture->sync(a.path());
    fixture->proxy().clearFaults();
    QVERIFY2(cut.exitCode == 1, cut.err.constData());
    QVERIFY(!QFileInfo::exists(a.path() + QStringLiteral("/big.bin")));

    const qint64 before = fixture->proxy().bytesForwarded();
    const CliRunner::Outcome resumed = fixture->sync(a.path());
    QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
    QVERIFY(readFile(a.path() + QStringLiteral("/big.bin")) == content);
    // Only the second half travelled (and some listings), not the whole file again.
    const qint64 travelled = fixture->proxy().bytesForwarded() - before;
    QVERIFY2(travelled < content.size() * 3 / 4, qPrintable(QString::number(travelled)));
    QVERIFY(QDir(a.path() + QStringLiteral("/.steadysync/tmp"))
                .entryList(QDir::Files | QDir::Hidden)
                .isEmpty());
}

QTEST_GUILESS_MAIN(TestLostAnswer)
#include "tst_lostanswer.moc"
