// SPEC §4-§5: an upload whose answer is lost may have arrived all the same. When the user edits
// the file again before the retry, the remote holds the client's own earlier version: that is
// no conflict. The newest version goes up under the name, with no conflict copy of the old one.
#include "reliabilityfixture.h"
#include "scenariorecord.h"
#include "testutil.h"

#include <QTest>

using namespace steadysync::test;

class TestLostAnswer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void editAfterALostUploadAnswerIsNoConflict();
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
    const QMap<QString, QByteArray> expected{{QStringLiteral("notes.txt"),
                                              QByteArray("third, longer version")}};
    QCOMPARE(readTree(a.path()), expected);
    QCOMPARE(readTree(fixture->serverDirectory()), expected);
    QCOMPARE(retried.json().value(QStringLiteral("conflicts")).toInt(), 0);
    record.setNotes(QStringLiteral("no conflict copy; recovery = the sync after the edit"));
    record.complete();
}

QTEST_GUILESS_MAIN(TestLostAnswer)
#include "tst_lostanswer.moc"
