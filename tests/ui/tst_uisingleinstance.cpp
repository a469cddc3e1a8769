// Issue 15, case 7: a second `steadysync` showed a second tray icon and a dashboard of zeros.
// Now a second start hands over to the running one (which shows its dashboard) and exits 0.
#include "pairstore.h"
#include "singleinstance.h"
#include "uitestenvironment.h"

#include "testutil.h"

#include <QCoreApplication>
#include <QProcess>
#include <QSignalSpy>
#include <QTest>

#include <csignal>
#include <future>

using namespace steadysync;
using steadysync::test::waitFor;

class TestUiSingleInstance : public QObject
{
    Q_OBJECT
public:
    explicit TestUiSingleInstance(test::UiTestEnvironment *environment) : m_env(environment) {}

private Q_SLOTS:
    void laterStartAsksTheRunningOne();
    void secondAppHandsOverAndExits();

private:
    test::UiTestEnvironment *m_env;
};

void TestUiSingleInstance::laterStartAsksTheRunningOne()
{
    const QString name = m_env->home() + QStringLiteral("/runtime/unit.socket");
    QVERIFY(!SingleInstance(name).handOver(1000)); // nobody runs yet
    SingleInstance running(name);
    QVERIFY(running.listen());
    QSignalSpy asked(&running, &SingleInstance::activationRequested);
    // The later start blocks while it waits: it runs in its own thread, as in its own process.
    std::future<bool> later =
        std::async(std::launch::async, [name] { return SingleInstance(name).handOver(10'000); });
    QVERIFY(waitFor(
        [&] { return later.wait_for(std::chrono::seconds(0)) == std::future_status::ready; },
        30'000));
    QVERIFY(later.get());
    QCOMPARE(asked.size(), 1);
    // A second listener on the same name does not take it over.
    QVERIFY(!SingleInstance(name).listen());
}

void TestUiSingleInstance::secondAppHandsOverAndExits()
{
    const PairConfig pair = m_env->makePair(QStringLiteral("single"));
    test::writeFile(pair.localRoot, QStringLiteral("first.txt"), "synced by the first\n");
    PairStore(m_env->settingsFile()).save({pair});
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));

    QProcess first;
    first.setProcessEnvironment(environment);
    first.setProcessChannelMode(QProcess::MergedChannels);
    first.start(QStringLiteral(STEADYSYNC_GUI_BINARY));
    QVERIFY(first.waitForStarted(30'000));
    const QString remoteFile =
        test::UiTestEnvironment::remoteDir(pair) + QStringLiteral("/first.txt");
    QVERIFY2(waitFor([&] { return QFile::exists(remoteFile); }, 60'000),
             qPrintable(QString::fromLocal8Bit(first.readAll())));

    QProcess second;
    second.setProcessEnvironment(environment);
    second.start(QStringLiteral(STEADYSYNC_GUI_BINARY));
    QVERIFY(second.waitForStarted(30'000));
    const bool ended = second.waitForFinished(30'000);
    if (!ended) {
        second.kill();
        second.waitForFinished();
    }
    const QString said =
        QString::fromLocal8Bit(second.readAllStandardOutput() + second.readAllStandardError());
    QVERIFY2(ended, "a second steadysync kept running beside the first");
    QCOMPARE(second.exitStatus(), QProcess::NormalExit);
    QCOMPARE(second.exitCode(), 0);
    QVERIFY2(said.contains(QStringLiteral("already running; its window is shown")),
             qPrintable(said));
    QCOMPARE(first.state(), QProcess::Running);

    QCOMPARE(::kill(pid_t(first.processId()), SIGTERM), 0);
    QVERIFY(first.waitForFinished(60'000));
    QCOMPARE(first.exitCode(), 0);
}

int main(int argc, char **argv)
{
    test::UiTestEnvironment environment;
    QCoreApplication app(argc, argv);
    TestUiSingleInstance test(&environment);
    return QTest::qExec(&test, argc, argv);
}

#include "tst_uisingleinstance.moc"
