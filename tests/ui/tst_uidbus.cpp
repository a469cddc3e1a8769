// The tray app serves its pairs on D-Bus as `watch` does (issue 20): the same API, with the
// state the app's own state model shows; the CLI's pause, resume and wait reach the app. Runs
// under dbus-run-session (a private session bus).
#include "appcontroller.h"
#include "pairmanager.h"
#include "syncstate.h"
#include "uitestenvironment.h"

#include "clirunner.h"
#include "mocknetworkmanager.h"
#include "mockpowerservices.h"
#include "testutil.h"

#include <QApplication>
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QFile>
#include <QTest>

using namespace steadysync;
using steadysync::test::CliRunner;
using steadysync::test::readFile;
using steadysync::test::waitFor;
using steadysync::test::writeFile;

namespace {

constexpr int Timeout = 60'000;
const QString Pair = QStringLiteral("org.steadysync.Steadysync.Pair");

} // namespace

class TestUiDBus : public QObject
{
    Q_OBJECT
public:
    explicit TestUiDBus(test::UiTestEnvironment *environment) : m_env(environment) {}

private Q_SLOTS:
    void initTestCase();
    void trayAppServesItsPairs();
    void meteredConnectionPausesAPairThatAsksIt();
    void lowBatteryPausesAPairThatAsksIt();

private:
    // A call from another connection than the app's, as a script's would be; the event loop
    // turns meanwhile, so the app can answer.
    QDBusMessage callPair(const QString &method, const QVariantList &arguments = {});

    test::UiTestEnvironment *m_env;
    // Before anything in this process opens the system bus: it is the mock's from the start.
    test::MockNetworkManager m_networkManager;
    test::MockPowerServices m_power; // on the same bus
    QString m_pairId;
};

void TestUiDBus::initTestCase()
{
    QString error;
    QVERIFY2(m_networkManager.start(test::MockNetworkManager::No, &error), qPrintable(error));
    QVERIFY2(m_power.startServices(&error), qPrintable(error));
}

QDBusMessage TestUiDBus::callPair(const QString &method, const QVariantList &arguments)
{
    QDBusConnection client =
        QDBusConnection::connectToBus(QDBusConnection::SessionBus, QStringLiteral("test-client"));
    QDBusMessage call = QDBusMessage::createMethodCall(
        Pair + QStringLiteral("_") + m_pairId,
        QStringLiteral("/org/steadysync/Steadysync/Pairs/") + m_pairId, Pair, method);
    call.setArguments(arguments);
    QDBusPendingCallWatcher watcher(client.asyncCall(call, Timeout));
    waitFor([&] { return watcher.isFinished(); }, Timeout);
    return watcher.reply();
}

void TestUiDBus::trayAppServesItsPairs()
{
    const PairConfig pair = m_env->makePair(QStringLiteral("served"));
    writeFile(pair.localRoot, QStringLiteral("a.txt"), "one");
    PairStore(m_env->settingsFile()).save({pair});
    AppController controller{PairStore(m_env->settingsFile())};
    controller.start();
    PairSession *session = controller.pairManager()->session(pair.id);
    QVERIFY(session);
    QVERIFY2(waitFor(
                 [&] {
                     QFile file(pair.localRoot + QStringLiteral("/.steadysync/pair-id"));
                     m_pairId = file.open(QIODevice::ReadOnly)
                                    ? QString::fromLatin1(file.readAll()).trimmed()
                                    : QString();
                     return !m_pairId.isEmpty() &&
                            QDBusConnection::sessionBus()
                                .interface()
                                ->isServiceRegistered(Pair + QStringLiteral("_") + m_pairId)
                                .value();
                 },
                 Timeout),
             "the app does not serve its pair on the session bus");

    // The state the app shows, and the file synced when the wait answers.
    const QDBusMessage idle = callPair(QStringLiteral("WaitUntilIdle"), {uint(Timeout)});
    QCOMPARE(idle.arguments().value(0).toString(), QStringLiteral("up-to-date"));
    QCOMPARE(stateKey(session->state()), QStringLiteral("up-to-date"));
    QCOMPARE(readFile(pair.remoteUrl.toLocalFile() + QStringLiteral("/a.txt")), QByteArray("one"));

    // Pause over D-Bus pauses the app's session; a change then waits.
    QCOMPARE(callPair(QStringLiteral("Pause")).type(), QDBusMessage::ReplyMessage);
    QVERIFY(waitFor([&] { return session->isPaused(); }, Timeout));
    writeFile(pair.localRoot, QStringLiteral("b.txt"), "two");
    CliRunner cli(m_env->home());
    const CliRunner::Outcome paused = cli.runServing({QStringLiteral("wait"), pair.localRoot});
    QCOMPARE(paused.exitCode, 1);
    QCOMPARE(paused.out.trimmed(), QByteArray("paused-with-pending"));
    QCOMPARE(stateKey(session->state()), QStringLiteral("paused-with-pending"));
    QVERIFY(!QFile::exists(pair.remoteUrl.toLocalFile() + QStringLiteral("/b.txt")));

    // The CLI resumes the app's pair and waits for it.
    QCOMPARE(cli.runServing({QStringLiteral("resume"), pair.localRoot}).exitCode, 0);
    const CliRunner::Outcome synced = cli.runServing({QStringLiteral("wait"), pair.localRoot});
    QVERIFY2(synced.exitCode == 0, qPrintable(synced.describe()));
    QCOMPARE(readFile(pair.remoteUrl.toLocalFile() + QStringLiteral("/b.txt")), QByteArray("two"));
    QVERIFY(!session->isPaused());
}

// The pair option "Pause on metered connections" (issue 20, item 4): the card and the tray
// say "Paused: metered connection" while NetworkManager (python3-dbusmock, on a private system
// bus) says metered; nothing goes up until it is not.
void TestUiDBus::meteredConnectionPausesAPairThatAsksIt()
{
    QVERIFY(m_networkManager.setMetered(test::MockNetworkManager::Yes));
    PairConfig pair = m_env->makePair(QStringLiteral("metered"));
    pair.pauseOnMetered = true;
    writeFile(pair.localRoot, QStringLiteral("a.txt"), "later");
    PairStore(m_env->settingsFile()).save({pair});
    AppController controller{PairStore(m_env->settingsFile())};
    controller.start();
    PairSession *session = controller.pairManager()->session(pair.id);
    QVERIFY(session && session->config().pauseOnMetered); // read back from the settings
    QVERIFY2(waitFor([&] { return session->state() == SyncState::PausedMetered; }, Timeout),
             qPrintable(stateKey(session->state())));
    QCOMPARE(pairStateText(session->state(), session->status()),
             QStringLiteral("Paused: metered connection"));
    QVERIFY(!QFile::exists(pair.remoteUrl.toLocalFile() + QStringLiteral("/a.txt")));

    QVERIFY(m_networkManager.setMetered(test::MockNetworkManager::No));
    QVERIFY2(waitFor(
                 [&] {
                     return QFile::exists(pair.remoteUrl.toLocalFile() +
                                          QStringLiteral("/a.txt")) &&
                            session->state() == SyncState::UpToDate;
                 },
                 Timeout),
             qPrintable(stateKey(session->state())));
}

// The pair option "Pause on battery below" (issue 20, item 5): read back from the settings, it
// holds the pair while UPower (python3-dbusmock) says on battery below it; "Paused: on
// battery" until plugged in.
void TestUiDBus::lowBatteryPausesAPairThatAsksIt()
{
    QVERIFY(m_power.setOnBattery(true));
    QVERIFY(m_power.setPercentage(15.0));
    PairConfig pair = m_env->makePair(QStringLiteral("battery"));
    pair.pauseOnBatteryBelow = 20;
    writeFile(pair.localRoot, QStringLiteral("a.txt"), "when plugged in");
    PairStore(m_env->settingsFile()).save({pair});
    AppController controller{PairStore(m_env->settingsFile())};
    controller.start();
    PairSession *session = controller.pairManager()->session(pair.id);
    QVERIFY(session && session->config().pauseOnBatteryBelow == 20);
    QVERIFY2(waitFor([&] { return session->state() == SyncState::PausedBattery; }, Timeout),
             qPrintable(stateKey(session->state())));
    QCOMPARE(pairStateText(session->state(), session->status()),
             QStringLiteral("Paused: on battery"));
    QVERIFY(!QFile::exists(pair.remoteUrl.toLocalFile() + QStringLiteral("/a.txt")));

    QVERIFY(m_power.setOnBattery(false));
    QVERIFY2(waitFor(
                 [&] {
                     return readFile(pair.remoteUrl.toLocalFile() + QStringLiteral("/a.txt")) ==
                                "when plugged in" &&
                            session->state() == SyncState::UpToDate;
                 },
                 Timeout),
             qPrintable(stateKey(session->state())));
}

int main(int argc, char **argv)
{
    test::UiTestEnvironment environment;
    QApplication app(argc, argv);
    TestUiDBus test(&environment);
    return QTest::qExec(&test, argc, argv);
}

#include "tst_uidbus.moc"
