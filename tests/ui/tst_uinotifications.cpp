#include "appcontroller.h"
#include "appnotifications.h"
#include "conflictreviewdialog.h"
#include "dashboardwindow.h"
#include "pairmanager.h"
#include "traycontroller.h"
#include "uitestenvironment.h"

#include "testutil.h"
#include "webdavserver.h"

#include <QApplication>
#include <QDBusArgument>
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QDBusVariant>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QTest>

using namespace steadysync;
using steadysync::test::waitFor;
using steadysync::test::WebDavServer;
using steadysync::test::writeFile;

namespace {

constexpr int Timeout = 60'000;
const QString Service = QStringLiteral("org.freedesktop.Notifications");
const QString Path = QStringLiteral("/org/freedesktop/Notifications");

struct NotifyCall
{
    uint id = 0; // what the mock answered: calls are numbered from 1
    QString title;
    QString body;
    QStringList actions; // key, label, key, label, ...
    uchar urgency = 1;
};

// python3-dbusmock's notification_daemon template on the test's private session bus (ctest
// runs this test under dbus-run-session): it answers Notify, records every call, and emits
// ActionInvoked when told to, as a desktop's notification daemon does when a button is clicked.
class MockNotificationDaemon
{
public:
    ~MockNotificationDaemon() { stop(); }

    bool start()
    {
        const QString python = QFile::exists(QStringLiteral("/usr/bin/python3"))
                                   ? QStringLiteral("/usr/bin/python3")
                                   : QStringLiteral("python3");
        m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_process.start(python,
                        {QStringLiteral("-m"), QStringLiteral("dbusmock"),
                         QStringLiteral("--template"), QStringLiteral("notification_daemon")});
        return m_process.waitForStarted() && waitFor([] { return registered(); }, Timeout);
    }
    void stop()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        m_process.terminate();
        m_process.waitForFinished(Timeout);
        waitFor([] { return !registered(); }, Timeout);
    }
    static bool registered()
    {
        return QDBusConnection::sessionBus().interface()->isServiceRegistered(Service);
    }

    QVector<NotifyCall> calls() const
    {
        QDBusMessage query = QDBusMessage::createMethodCall(
            Service, Path, QStringLiteral("org.freedesktop.DBus.Mock"),
            QStringLiteral("GetMethodCalls"));
        query << QStringLiteral("Notify");
        const QDBusMessage reply = QDBusConnection::sessionBus().call(query);
        QVector<NotifyCall> calls;
        if (reply.type() != QDBusMessage::ReplyMessage)
            return calls;
        const auto argument = reply.arguments().constFirst().value<QDBusArgument>();
        argument.beginArray();
        while (!argument.atEnd()) {
            qulonglong time = 0;
            QVariantList args;
            argument.beginStructure();
            argument >> time >> args;
            argument.endStructure();
            calls.append(toCall(args, uint(calls.size() + 1)));
        }
        argument.endArray();
        return calls;
    }
    void invokeAction(uint id, const QString &key) const
    {
        QDBusMessage request = QDBusMessage::createMethodCall(
            Service, Path, QStringLiteral("org.freedesktop.DBus.Mock"),
            QStringLiteral("EmitSignal"));
        request << Service << QStringLiteral("ActionInvoked") << QStringLiteral("us")
                << QVariantList{QVariant::fromValue(QDBusVariant(id)),
                                QVariant::fromValue(QDBusVariant(key))};
        QDBusConnection::sessionBus().call(request);
    }

private:
    static NotifyCall toCall(const QVariantList &args, uint id)
    {
        NotifyCall call;
        call.id = id;
        if (args.size() < 8)
            return call;
        call.title = args.at(3).toString();
        call.body = args.at(4).toString();
        const QVariant actions = args.at(5);
        call.actions = actions.canConvert<QDBusArgument>()
                           ? qdbus_cast<QStringList>(actions.value<QDBusArgument>())
                           : actions.toStringList();
        const QVariantMap hints = args.at(6).canConvert<QDBusArgument>()
                                      ? qdbus_cast<QVariantMap>(args.at(6).value<QDBusArgument>())
                                      : args.at(6).toMap();
        call.urgency = uchar(hints.value(QStringLiteral("urgency")).toUInt());
        return call;
    }

    QProcess m_process;
};

const QStringList DashboardAction{QStringLiteral("open-dashboard"),
                                  QStringLiteral("Open dashboard")};
const QStringList ReviewAction{QStringLiteral("review-conflict"),
                               QStringLiteral("Review conflict")};

} // namespace

// Issue 15, item 10: notifications were Qt balloon tips (the notification daemon got no call),
// clicking them did nothing, and there were none for "offline" or a finished first sync.
class TestUiNotifications : public QObject
{
    Q_OBJECT
public:
    explicit TestUiNotifications(test::UiTestEnvironment *environment) : m_env(environment) {}

private Q_SLOTS:
    void init();
    void cleanup();
    void askConflictLeadsToTheReview();
    void firstSyncAndOfflineAreNotified();
    void signInNeededIsNotified();
    void balloonOnlyWithoutANotificationService();

private:
    // The call titled title, once it has come.
    std::optional<NotifyCall> waitForCall(const QString &title) const;

    test::UiTestEnvironment *m_env;
    MockNotificationDaemon m_daemon;
};

void TestUiNotifications::init()
{
    QVERIFY2(m_daemon.start(), "python3-dbusmock's notification daemon did not start");
}

void TestUiNotifications::cleanup()
{
    m_daemon.stop();
    QFile::remove(m_env->settingsFile());
}

std::optional<NotifyCall> TestUiNotifications::waitForCall(const QString &title) const
{
    std::optional<NotifyCall> found;
    waitFor(
        [&] {
            for (const NotifyCall &call : m_daemon.calls()) {
                if (call.title == title)
                    found = call;
            }
            return found.has_value();
        },
        Timeout);
    return found;
}

void TestUiNotifications::askConflictLeadsToTheReview()
{
    PairConfig pair = m_env->makePair(QStringLiteral("askconflict"), ConflictPolicy::Ask);
    writeFile(pair.localRoot, QStringLiteral("plan.txt"), "written on this computer\n");
    writeFile(test::UiTestEnvironment::remoteDir(pair), QStringLiteral("plan.txt"),
              "written on the server, differently\n");
    PairStore(m_env->settingsFile()).save({pair});
    AppController controller{PairStore(m_env->settingsFile())};
    controller.start();

    const auto call = waitForCall(QStringLiteral("Conflict in %1").arg(pair.displayName()));
    QVERIFY2(call, "no Notify call for the conflict");
    QVERIFY2(call->body.contains(QStringLiteral("plan.txt")), qPrintable(call->body));
    QVERIFY2(call->actions == DashboardAction + ReviewAction, qPrintable(call->actions.join('|')));

    controller.dashboard()->hide();
    m_daemon.invokeAction(call->id, QStringLiteral("review-conflict"));
    ConflictReviewDialog *review = nullptr;
    QVERIFY2(waitFor(
                 [&] {
                     review = controller.dashboard()->findChild<ConflictReviewDialog *>();
                     return review && review->isVisible();
                 },
                 Timeout),
             "the review dialog did not open");
    QVERIFY(controller.dashboard()->isVisible());
    QCOMPARE(review->currentPath(), QStringLiteral("plan.txt"));
}

void TestUiNotifications::firstSyncAndOfflineAreNotified()
{
    qint64 now = 1'000'000;
    PairManager manager{PairStore(m_env->settingsFile())};
    TrayController tray(&manager);
    AppNotifications *notifications = tray.notifications();
    notifications->setClock([&now] { return now; });
    notifications->setCheckInterval(20);
    QSignalSpy balloons(notifications, &AppNotifications::fallbackNeeded);
    QSignalSpy dashboard(notifications, &AppNotifications::dashboardRequested);
    const PairConfig pair = m_env->makePair(QStringLiteral("firstsync"));
    writeFile(pair.localRoot, QStringLiteral("a.txt"), "a\n");
    writeFile(pair.localRoot, QStringLiteral("b.txt"), "b\n");
    PairSession *session = manager.addOrUpdate(pair);

    const auto inSync = waitForCall(QStringLiteral("%1 is in sync").arg(pair.displayName()));
    QVERIFY2(inSync, "no Notify call for the first sync");
    QVERIFY2(inSync->body.contains(QStringLiteral("Files on both sides: 2.")),
             qPrintable(inSync->body));
    QCOMPARE(inSync->actions, DashboardAction);
    m_daemon.invokeAction(inSync->id, QStringLiteral("open-dashboard"));
    QVERIFY(waitFor([&] { return !dashboard.isEmpty(); }, Timeout));
    QCOMPARE(dashboard.constFirst().constFirst().toString(), session->config().id);

    const QString remote = test::UiTestEnvironment::remoteDir(pair);
    QVERIFY(QDir().rename(remote, remote + QStringLiteral(".away")));
    session->syncNow();
    QVERIFY(waitFor([&] { return session->state() == SyncState::Offline; }, Timeout));
    const QString offlineTitle = QStringLiteral("%1 is offline").arg(pair.displayName());
    const auto offlineCalls = [&] {
        const QVector<NotifyCall> calls = m_daemon.calls();
        return std::count_if(calls.cbegin(), calls.cend(),
                             [&](const NotifyCall &call) { return call.title == offlineTitle; });
    };
    now += 30'000; // half a minute offline is no news
    QTRY_COMPARE_WITH_TIMEOUT(session->state(), SyncState::Offline, 200);
    QCOMPARE(offlineCalls(), 0);
    now += 31'000;
    QVERIFY2(waitForCall(offlineTitle), "no Notify call after a minute offline");
    now += 120'000; // once per episode
    QTRY_COMPARE_WITH_TIMEOUT(session->state(), SyncState::Offline, 200);
    QCOMPARE(offlineCalls(), 1);
    QVERIFY2(balloons.isEmpty(), "a balloon besides the desktop notification");
    QVERIFY(QDir().rename(remote + QStringLiteral(".away"), remote));
}

void TestUiNotifications::signInNeededIsNotified()
{
    QString error;
    auto server = WebDavServer::start(WebDavServer::Kind::Rclone, &error);
    QVERIFY2(server, qPrintable(error));
    qputenv("STEADYSYNC_PASSWORD", "not the password");
    PairConfig pair = m_env->makePair(QStringLiteral("signin"));
    pair.remoteUrl = server->url();
    pair.user = server->user();
    PairManager manager{PairStore(m_env->settingsFile())};
    TrayController tray(&manager);
    manager.addOrUpdate(pair);
    const auto call = waitForCall(QStringLiteral("Sign-in needed for %1").arg(pair.displayName()));
    qunsetenv("STEADYSYNC_PASSWORD");
    QVERIFY2(call, "no Notify call for the refused password");
    QVERIFY2(call->body.startsWith(QStringLiteral("The server did not accept")),
             qPrintable(call->body));
    QCOMPARE(call->urgency, uchar(2)); // critical: nothing syncs until the user acts
    QCOMPARE(call->actions, DashboardAction);
}

void TestUiNotifications::balloonOnlyWithoutANotificationService()
{
    m_daemon.stop();
    PairManager manager{PairStore(m_env->settingsFile())};
    TrayController tray(&manager);
    QSignalSpy balloons(tray.notifications(), &AppNotifications::fallbackNeeded);
    const PairConfig pair = m_env->makePair(QStringLiteral("nodaemon"));
    writeFile(pair.localRoot, QStringLiteral("c.txt"), "c\n");
    manager.addOrUpdate(pair);
    QVERIFY(waitFor([&] { return !balloons.isEmpty(); }, Timeout));
    QCOMPARE(balloons.constFirst().constFirst().toString(),
             QStringLiteral("%1 is in sync").arg(pair.displayName()));
}

int main(int argc, char **argv)
{
    test::UiTestEnvironment environment;
    QApplication app(argc, argv);
    TestUiNotifications test(&environment);
    return QTest::qExec(&test, argc, argv);
}

#include "tst_uinotifications.moc"
