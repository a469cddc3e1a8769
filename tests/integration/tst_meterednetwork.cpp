// Metered connections (issue 20, item 4): `watch --pause-on-metered` holds the pair while
// NetworkManager says the connection is metered, as Qt's QNetworkInformation reads it. The
// NetworkManager service is python3-dbusmock's template on a private system bus this test
// starts; the session bus (dbus-run-session, from ctest) carries the pair's D-Bus API, which
// shows the state "paused-metered".
#include "clirunner.h"
#include "mocknetworkmanager.h"
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

} // namespace

class TestMeteredNetwork : public QObject, private WatchedPair
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void meteredConnectionHoldsThePair();
    void theHoldLeavesAUsersPauseAlone();
    void aPairStartedOnAMeteredConnectionIsHeldFromTheStart();
    void withoutTheOptionNothingIsHeld();

private:
    bool setMetered(MockNetworkManager::Metered metered)
    {
        return m_networkManager.setMetered(metered);
    }

    MockNetworkManager m_networkManager;
};

void TestMeteredNetwork::initTestCase()
{
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
        QFAIL("needs a private session bus: run under dbus-run-session (ctest does)");
    QString error;
    QVERIFY2(m_networkManager.start(MockNetworkManager::No, &error), qPrintable(error));
}

void TestMeteredNetwork::init()
{
    QVERIFY(setMetered(MockNetworkManager::No));
    setUpPair();
}

void TestMeteredNetwork::cleanup()
{
    stopWatch();
}

void TestMeteredNetwork::meteredConnectionHoldsThePair()
{
    startWatch({QStringLiteral("--pause-on-metered")});
    QCOMPARE(callPair(Pair + QStringLiteral(".WaitUntilIdle"), {QStringLiteral("60000")}),
             QStringLiteral("('up-to-date',)"));

    QVERIFY(setMetered(MockNetworkManager::Yes));
    QVERIFY2(waitFor([&] { return state() == QStringLiteral("(<'paused-metered'>,)"); }, Deadline),
             qPrintable(state()));
    writeFile(m_local->path(), QStringLiteral("big.bin"), "not on a phone's hotspot");
    const CliRunner::Outcome held = m_cli->run({QStringLiteral("wait"), m_local->path()});
    QCOMPARE(held.exitCode, 1);
    QCOMPARE(held.out.trimmed(), QByteArray("paused-metered"));
    // A resume by the user does not lift the hold.
    QCOMPARE(m_cli->run({QStringLiteral("resume"), m_local->path()}).exitCode, 0);
    QCOMPARE(m_cli->run({QStringLiteral("wait"), m_local->path()}).out.trimmed(),
             QByteArray("paused-metered"));
    QVERIFY(!QFile::exists(m_remote->filePath(QStringLiteral("big.bin"))));

    // Unmetered again: the change goes up.
    QVERIFY(setMetered(MockNetworkManager::No));
    QVERIFY2(waitFor(
                 [&] {
                     return callPair(Pair + QStringLiteral(".WaitUntilIdle"),
                                     {QStringLiteral("60000")}) ==
                            QStringLiteral("('up-to-date',)");
                 },
                 Deadline),
             qPrintable(state()));
    QCOMPARE(readFile(m_remote->filePath(QStringLiteral("big.bin"))),
             QByteArray("not on a phone's hotspot"));
}

void TestMeteredNetwork::theHoldLeavesAUsersPauseAlone()
{
    startWatch({QStringLiteral("--pause-on-metered")});
    QCOMPARE(callPair(Pair + QStringLiteral(".WaitUntilIdle"), {QStringLiteral("60000")}),
             QStringLiteral("('up-to-date',)"));
    QCOMPARE(m_cli->run({QStringLiteral("pause"), m_local->path()}).exitCode, 0);
    QVERIFY(setMetered(MockNetworkManager::Yes));
    QVERIFY(setMetered(MockNetworkManager::No));
    writeFile(m_local->path(), QStringLiteral("mine.txt"), "paused by me");
    // The user's pause outlives the metered episode: the change still waits.
    QVERIFY(waitFor(
        [&] {
            return m_cli->run({QStringLiteral("wait"), m_local->path()}).out.trimmed() ==
                   "paused-with-pending";
        },
        Deadline));
    QVERIFY(!QFile::exists(m_remote->filePath(QStringLiteral("mine.txt"))));
}

void TestMeteredNetwork::aPairStartedOnAMeteredConnectionIsHeldFromTheStart()
{
    QVERIFY(setMetered(MockNetworkManager::Yes));
    writeFile(m_local->path(), QStringLiteral("early.txt"), "before the start");
    startWatch({QStringLiteral("--pause-on-metered")});
    QCOMPARE(callPair(Pair + QStringLiteral(".WaitUntilIdle"), {QStringLiteral("60000")}),
             QStringLiteral("('paused-metered',)"));
    QVERIFY(!QFile::exists(m_remote->filePath(QStringLiteral("early.txt"))));
    QVERIFY(setMetered(MockNetworkManager::No));
    QVERIFY2(waitFor([&] { return QFile::exists(m_remote->filePath(QStringLiteral("early.txt"))); },
                     Deadline),
             qPrintable(state()));
}

void TestMeteredNetwork::withoutTheOptionNothingIsHeld()
{
    QVERIFY(setMetered(MockNetworkManager::Yes));
    startWatch({});
    writeFile(m_local->path(), QStringLiteral("free.txt"), "synced anyway");
    QVERIFY2(waitFor(
                 [&] {
                     return callPair(Pair + QStringLiteral(".WaitUntilIdle"),
                                     {QStringLiteral("60000")}) ==
                                QStringLiteral("('up-to-date',)") &&
                            QFile::exists(m_remote->filePath(QStringLiteral("free.txt")));
                 },
                 Deadline),
             qPrintable(state()));
}

QTEST_GUILESS_MAIN(TestMeteredNetwork)
#include "tst_meterednetwork.moc"
