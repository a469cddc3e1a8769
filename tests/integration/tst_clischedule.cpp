// Schedules (issue 20) through steadysync-cli: --sync-window and --bwlimit specs that do not
// parse are usage errors (exit 2, saying what is wrong); `sync` outside its window transfers
// nothing and exits 1, inside it syncs; `watch` outside it is held (paused-schedule). The windows
// are computed from this process's local time, which the CLI shares (same TZ). The remote is
// file://.
#include "clipair.h"
#include "testutil.h"

#include <QDateTime>
#include <QFileInfo>
#include <QProcess>
#include <QTest>

using namespace steadysync::test;

namespace {

// "HH:mm-HH:mm" from now + fromS to now + toS, local time (past midnight as it falls).
QString windowAround(qint64 fromS, qint64 toS)
{
    const QDateTime now = QDateTime::currentDateTime();
    return now.addSecs(fromS).toString(QStringLiteral("HH:mm")) + QLatin1Char('-') +
           now.addSecs(toS).toString(QStringLiteral("HH:mm"));
}

} // namespace

class TestCliSchedule : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void badSpecsExitTwo_data();
    void badSpecsExitTwo();
    void syncHonoursItsWindow();
    void watchOutsideItsWindowSaysSo();
};

void TestCliSchedule::badSpecsExitTwo_data()
{
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<QString>("says");
    QTest::newRow("hour 25") << QStringList{"--sync-window", "25:00-06:00"}
                             << "--sync-window: sync window \"25:00-06:00\": a time is not HH:MM";
    QTest::newRow("unknown day") << QStringList{"--sync-window", "Mon-Fry 19:00-07:00"}
                                 << "unknown day in \"Mon-Fry\"";
    QTest::newRow("bad rate") << QStringList{"--bwlimit", "08:00,512x 19:00,off"}
                              << "--bwlimit: bandwidth timetable \"08:00,512x\": \"512x\" is not "
                                 "a rate";
    QTest::newRow("timetable and a fixed limit")
        << QStringList{"--bwlimit", "08:00,512k 19:00,off", "--bwlimit-up", "100"}
        << "--bwlimit replaces --bwlimit-up and --bwlimit-down";
}

void TestCliSchedule::badSpecsExitTwo()
{
    QFETCH(QStringList, options);
    QFETCH(QString, says);
    CliPair pair;
    writeFile(pair.a(), QStringLiteral("a.txt"), "A");
    const CliRunner::Outcome outcome = pair.sync(pair.a(), options);
    QVERIFY2(outcome.exitCode == 2, qPrintable(outcome.describe()));
    QVERIFY2(QString::fromUtf8(outcome.err).contains(says), qPrintable(outcome.describe()));
    QVERIFY(!QFileInfo::exists(pair.remote() + QStringLiteral("/a.txt")));
}

void TestCliSchedule::syncHonoursItsWindow()
{
    CliPair pair;
    writeFile(pair.a(), QStringLiteral("a.txt"), "evening work");
    const QString later = windowAround(2 * 3600, 3 * 3600);
    const CliRunner::Outcome outside =
        pair.sync(pair.a(), {QStringLiteral("--sync-window"), later});
    QVERIFY2(outside.exitCode == 1, qPrintable(outside.describe()));
    QVERIFY2(outside.err.contains("outside its sync window"), qPrintable(outside.describe()));
    QVERIFY(!QFileInfo::exists(pair.remote() + QStringLiteral("/a.txt")));

    // Now inside a window that runs past midnight whenever the test runs after 23:00.
    const QString now = windowAround(-3600, 3600);
    const CliRunner::Outcome inside =
        pair.sync(pair.a(), {QStringLiteral("--sync-window"), now, QStringLiteral("--bwlimit"),
                             QStringLiteral("00:00,1M:off 12:00,2M")});
    QVERIFY2(inside.exitCode == 0, qPrintable(inside.describe()));
    QCOMPARE(readFile(pair.remote() + QStringLiteral("/a.txt")), QByteArray("evening work"));
}

// The running instance's state over D-Bus (`wait`, as a script would ask): paused-schedule.
void TestCliSchedule::watchOutsideItsWindowSaysSo()
{
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
        QSKIP("needs a private session bus: run under dbus-run-session (ctest does)");
    CliPair pair;
    writeFile(pair.a(), QStringLiteral("night.txt"), "waits for the night");
    QProcess *watch =
        pair.cli.start({QStringLiteral("watch"), pair.a(), pair.url(),
                        QStringLiteral("--sync-window"), windowAround(2 * 3600, 3 * 3600)},
                       this);
    QByteArray said;
    QVERIFY2(waitFor(
                 [&] {
                     said = pair.cli.run({QStringLiteral("wait"), pair.a()}).out.trimmed();
                     return said == "paused-schedule";
                 },
                 60'000),
             said.constData());
    QVERIFY(!QFileInfo::exists(pair.remote() + QStringLiteral("/night.txt")));
    watch->terminate();
    QVERIFY(watch->waitForFinished(30'000));
    QCOMPARE(watch->exitCode(), 0);
    delete watch;
}

QTEST_GUILESS_MAIN(TestCliSchedule)
#include "tst_clischedule.moc"
