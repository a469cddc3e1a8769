// Battery (issue 20, item 5): `watch --pause-on-battery-below PERCENT` holds the pair on battery
// below that charge, or in power-saver mode, as UPower and power-profiles-daemon say on the
// system bus. Both are python3-dbusmock's templates on a private system bus this test starts;
// the session bus (dbus-run-session, from ctest) carries the pair's D-Bus API, which shows the
// state "paused-battery".
#include "clirunner.h"
#include "mockpowerservices.h"
#include "paironbus.h"
#include "testutil.h"
#include "watchedpair.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

using namespace steadysync::test;

namespace {

constexpr int Deadline = 60'000;
const QString Pair = QStringLiteral("org.steadysync.Steadysync.Pair");
const QStringList BelowThirty{QStringLiteral("--pause-on-battery-below"), QStringLiteral("30")};

} // namespace

class TestBatteryPower : public QObject, private WatchedPair
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void lowBatteryHoldsThePair();
    void powerSaverModeHoldsThePair();
    void theHoldLeavesAUsersPauseAlone();
    void withoutTheOptionNothingIsHeld();
    void aThresholdAbove100IsRefused();

private:
    bool settlesUpToDateWith(const QString &name);

    MockPowerServices m_power;
};

void TestBatteryPower::initTestCase()
{
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
        QFAIL("needs a private session bus: run under dbus-run-session (ctest does)");
    QString error;
    QVERIFY2(m_power.start(&error), qPrintable(error));
}

void TestBatteryPower::init()
{
    // On mains, well charged, balanced: nothing holds.
    QVERIFY(m_power.setOnBattery(false));
    QVERIFY(m_power.setPercentage(80.0));
    QVERIFY(m_power.setPowerSaver(false));
    setUpPair();
}

void TestBatteryPower::cleanup()
{
    stopWatch();
}

// The pair is idle and up to date, with the local file name uploaded.
bool TestBatteryPower::settlesUpToDateWith(const QString &name)
{
    return waitFor(
        [&] {
            return callPair(Pair + QStringLiteral(".WaitUntilIdle"), {QStringLiteral("60000")}) ==
                       QStringLiteral("('up-to-date',)") &&
                   QFile::exists(m_remote->filePath(name));
        },
        Deadline);
}

void TestBatteryPower::lowBatteryHoldsThePair()
{
    startWatch(BelowThirty);
    QCOMPARE(callPair(Pair + QStringLiteral(".WaitUntilIdle"), {QStringLiteral("60000")}),
             QStringLiteral("('up-to-date',)"));
    // On battery, but above the threshold: changes still go up.
    QVERIFY(m_power.setOnBattery(true));
    writeFile(m_local->path(), QStringLiteral("charged.txt"), "80 % left");
    QVERIFY2(settlesUpToDateWith(QStringLiteral("charged.txt")), qPrintable(state()));

    QVERIFY(m_power.setPercentage(20.0));
    QVERIFY2(waitFor([&] { return state() == QStringLiteral("(<'paused-battery'>,)"); }, Deadline),
             qPrintable(state()));
    writeFile(m_local->path(), QStringLiteral("low.txt"), "not on a draining battery");
    const CliRunner::Outcome held = m_cli->run({QStringLiteral("wait"), m_local->path()});
    QCOMPARE(held.exitCode, 1);
    QCOMPARE(held.out.trimmed(), QByteArray("paused-battery"));
    // A resume by the user does not lift the hold.
    QCOMPARE(m_cli->run({QStringLiteral("resume"), m_local->path()}).exitCode, 0);
    QCOMPARE(m_cli->run({QStringLiteral("wait"), m_local->path()}).out.trimmed(),
             QByteArray("paused-battery"));
    QVERIFY(!QFile::exists(m_remote->filePath(QStringLiteral("low.txt"))));

    // Plugged in again (still at 20 %): the change goes up.
    QVERIFY(m_power.setOnBattery(false));
    QVERIFY2(settlesUpToDateWith(QStringLiteral("low.txt")), qPrintable(state()));
    QCOMPARE(readFile(m_remote->filePath(QStringLiteral("low.txt"))),
             QByteArray("not on a draining battery"));
}

void TestBatteryPower::powerSaverModeHoldsThePair()
{
    QVERIFY(m_power.setPowerSaver(true));
    writeFile(m_local->path(), QStringLiteral("early.txt"), "before the start");
    startWatch(BelowThirty);
    QCOMPARE(callPair(Pair + QStringLiteral(".WaitUntilIdle"), {QStringLiteral("60000")}),
             QStringLiteral("('paused-battery',)"));
    QVERIFY(!QFile::exists(m_remote->filePath(QStringLiteral("early.txt"))));
    QVERIFY(m_power.setPowerSaver(false));
    QVERIFY2(settlesUpToDateWith(QStringLiteral("early.txt")), qPrintable(state()));
}

void TestBatteryPower::theHoldLeavesAUsersPauseAlone()
{
    startWatch(BelowThirty);
    QCOMPARE(callPair(Pair + QStringLiteral(".WaitUntilIdle"), {QStringLiteral("60000")}),
             QStringLiteral("('up-to-date',)"));
    QCOMPARE(m_cli->run({QStringLiteral("pause"), m_local->path()}).exitCode, 0);
    QVERIFY(m_power.setOnBattery(true));
    QVERIFY(m_power.setPercentage(10.0));
    // Resumed by the user while the battery is low: the hold shows, so it was taken.
    QCOMPARE(m_cli->run({QStringLiteral("resume"), m_local->path()}).exitCode, 0);
    QVERIFY2(waitFor([&] { return state() == QStringLiteral("(<'paused-battery'>,)"); }, Deadline),
             qPrintable(state()));
    QCOMPARE(m_cli->run({QStringLiteral("pause"), m_local->path()}).exitCode, 0);
    QVERIFY(m_power.setOnBattery(false));
    writeFile(m_local->path(), QStringLiteral("mine.txt"), "paused by me");
    // The user's pause outlives the battery episode: the change still waits.
    QVERIFY2(waitFor(
                 [&] {
                     return m_cli->run({QStringLiteral("wait"), m_local->path()}).out.trimmed() ==
                            "paused-with-pending";
                 },
                 Deadline),
             qPrintable(state()));
    QVERIFY(!QFile::exists(m_remote->filePath(QStringLiteral("mine.txt"))));
}

void TestBatteryPower::withoutTheOptionNothingIsHeld()
{
    QVERIFY(m_power.setOnBattery(true));
    QVERIFY(m_power.setPercentage(5.0));
    QVERIFY(m_power.setPowerSaver(true));
    startWatch({});
    writeFile(m_local->path(), QStringLiteral("free.txt"), "synced anyway");
    QVERIFY2(settlesUpToDateWith(QStringLiteral("free.txt")), qPrintable(state()));
}

void TestBatteryPower::aThresholdAbove100IsRefused()
{
    const CliRunner::Outcome refused = m_cli->run(
        {QStringLiteral("watch"), m_local->path(), QUrl::fromLocalFile(m_remote->path()).toString(),
         QStringLiteral("--pause-on-battery-below"), QStringLiteral("101")});
    QCOMPARE(refused.exitCode, 2);
    QVERIFY2(refused.err.contains("--pause-on-battery-below"), refused.err.constData());
    QVERIFY(!QFile::exists(m_local->filePath(QStringLiteral(".steadysync"))));
}

QTEST_GUILESS_MAIN(TestBatteryPower)
#include "tst_batterypower.moc"
