#include "appcontroller.h"
#include "dashboardwindow.h"
#include "pairmanager.h"
#include "traycontroller.h"
#include "uitestenvironment.h"

#include "testutil.h"

#include <QApplication>
#include <QSystemTrayIcon>
#include <QTest>

using namespace steadysync;
using steadysync::test::readFile;
using steadysync::test::waitFor;

// The app's way in: the tray icon where a tray host runs (run-with-tray.sh: Xvfb + trayer),
// else the dashboard window.
class TestUiTray : public QObject
{
    Q_OBJECT
public:
    explicit TestUiTray(test::UiTestEnvironment *environment) : m_env(environment) {}

private Q_SLOTS:
    void appLivesInTheTray();

private:
    test::UiTestEnvironment *m_env;
};

void TestUiTray::appLivesInTheTray()
{
    const bool trayExpected = qEnvironmentVariableIsSet("STEADYSYNC_EXPECT_TRAY");
    if (trayExpected)
        QVERIFY(waitFor([] { return QSystemTrayIcon::isSystemTrayAvailable(); }, 15'000));
    const bool trayAvailable = QSystemTrayIcon::isSystemTrayAvailable();
    const PairConfig pair = m_env->makePair(QStringLiteral("tray"));
    PairStore(m_env->settingsFile()).save({pair});
    AppController controller{PairStore(m_env->settingsFile())};
    controller.start();
    // With a tray the app stays in it; without one the dashboard is the way in.
    QCOMPARE(controller.dashboard()->isVisible(), !trayAvailable);
    PairSession *session = controller.pairManager()->sessions().constFirst();

    test::writeFile(pair.localRoot, QStringLiteral("tray.txt"), "from the tray\n");
    QVERIFY(waitFor(
        [&] {
            return readFile(test::UiTestEnvironment::remoteDir(pair) + "/tray.txt") ==
                   "from the tray\n";
        },
        30'000));

    controller.tray()->pauseAction()->trigger();
    QVERIFY(waitFor([&] { return controller.tray()->state() == SyncState::Paused; }, 30'000));
    QVERIFY(session->isPaused());
    controller.tray()->openDashboardAction()->trigger();
    QVERIFY(controller.dashboard()->isVisible());
}

int main(int argc, char **argv)
{
    test::UiTestEnvironment environment;
    QApplication app(argc, argv);
    TestUiTray test(&environment);
    return QTest::qExec(&test, argc, argv);
}

#include "tst_uitray.moc"
