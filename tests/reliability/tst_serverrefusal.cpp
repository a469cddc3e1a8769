// DESIGN §5: a permanent refusal (403) is shown with its reason and not retried blindly, but it
// is not a life sentence: once either side of the item changes (here another client creates
// the refused directory) the next sync tries it again, and everything below it moves.
#include "reliabilityfixture.h"
#include "scenariorecord.h"
#include "testutil.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace steadysync::test;

class TestServerRefusal : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void refusedDirectoryIsRetriedOnceItChanges();
};

void TestServerRefusal::refusedDirectoryIsRetriedOnceItChanges()
{
    ScenarioRecord record(QStringLiteral("g-403"),
                          QStringLiteral("403 on creating a directory, later created elsewhere"));
    QString error;
    auto fixture = ReliabilityFixture::start(&error);
    QVERIFY2(fixture, qPrintable(error));
    QTemporaryDir a, b;
    writeFile(a.path(), QStringLiteral("shared/a.txt"), "from A");

    fixture->proxy().failRequests(1, 403, {}, "MKCOL");
    const CliRunner::Outcome refused = fixture->sync(a.path());
    record.addRun();
    record.addFaults(fixture->proxy().faultsInjected());
    QCOMPARE(refused.exitCode, 1);
    // The script that ran `sync --json` learns what failed and why.
    const QJsonArray items = refused.json().value(QStringLiteral("failed_items")).toArray();
    QCOMPARE(items.size(), 1);
    const QJsonObject item = items.first().toObject();
    QCOMPARE(item.value(QStringLiteral("path")).toString(), QStringLiteral("shared"));
    QVERIFY2(item.value(QStringLiteral("reason")).toString().contains(QStringLiteral("403")),
             qPrintable(item.value(QStringLiteral("reason")).toString()));
    QCOMPARE(item.value(QStringLiteral("retrying")).toBool(), false);
    const QString shown = QString::fromUtf8(fixture->run({QStringLiteral("status"), a.path()}).out);
    QVERIFY2(shown.contains(QStringLiteral("failed shared")) &&
                 shown.contains(QStringLiteral("403")),
             qPrintable(shown));
    QVERIFY2(fixture->status(a.path())
                 .value(QStringLiteral("last_error"))
                 .toString()
                 .contains(QStringLiteral("403")),
             "status --json gives no reason");

    // Nothing changed: the refusal stands, without asking the server again.
    const qint64 requestsBefore = fixture->proxy().requestCount();
    QCOMPARE(fixture->sync(a.path()).exitCode, 1);
    record.addRun();
    QVERIFY(!QFileInfo::exists(fixture->serverDirectory() + QStringLiteral("/shared")));
    const qint64 requestsUnchanged = fixture->proxy().requestCount() - requestsBefore;

    // Another client creates the directory: A's refused item has changed on the remote side.
    writeFile(b.path(), QStringLiteral("shared/b.txt"), "from B");
    QCOMPARE(fixture->sync(b.path()).exitCode, 0);
    QElapsedTimer recovery;
    recovery.start();
    const CliRunner::Outcome retried = fixture->sync(a.path());
    record.addRun();
    QVERIFY2(retried.exitCode == 0, retried.err.constData());
    record.noteRecoveryMs(recovery.elapsed());
    record.addOperations(3);
    QCOMPARE(readFile(fixture->serverDirectory() + QStringLiteral("/shared/a.txt")),
             QByteArray("from A"));
    QCOMPARE(readFile(a.path() + QStringLiteral("/shared/b.txt")), QByteArray("from B"));
    QCOMPARE(fixture->status(a.path()).value(QStringLiteral("failed_permanent")).toInt(), 0);
    record.setNotes(QStringLiteral("status shows the 403; %1 requests by the unchanged re-run; "
                                   "recovery = the next sync after the remote change")
                        .arg(requestsUnchanged));
    record.complete();
}

QTEST_GUILESS_MAIN(TestServerRefusal)
#include "tst_serverrefusal.moc"
