// Issue 15, case 2: the app's one state model (syncstate.h). Its precedence, table by table,
// and the cases where the tray and the card said "Up to date" although it was not true.
#include "appcontroller.h"
#include "dashboardwindow.h"
#include "humanerror.h"
#include "paircard.h"
#include "pairmanager.h"
#include "syncstate.h"
#include "traycontroller.h"
#include "uitestenvironment.h"

#include "journal/journal.h"
#include "testutil.h"
#include "webdavserver.h"

#include <QApplication>
#include <QDir>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QTreeWidget>

#include <csignal>
#include <sys/types.h>

Q_DECLARE_METATYPE(steadysync::SyncState)

using namespace steadysync;
using steadysync::test::waitFor;
using steadysync::test::WebDavServer;
using steadysync::test::writeFile;

namespace {

constexpr int Timeout = 60'000;

StatusSnapshot status(const char *state, qint64 pending = 0, qint64 retry = 0, qint64 failed = 0,
                      qint64 conflicts = 0)
{
    StatusSnapshot snapshot;
    snapshot.state = engineStateFromName(QString::fromLatin1(state));
    snapshot.pending = pending;
    snapshot.retryQueue = retry;
    snapshot.failedPermanent = failed;
    snapshot.openConflicts = conflicts;
    return snapshot;
}

} // namespace

class TestUiState : public QObject
{
    Q_OBJECT
public:
    explicit TestUiState(test::UiTestEnvironment *environment) : m_env(environment) {}

private Q_SLOTS:
    void pairPrecedence_data();
    void pairPrecedence();
    void appPrecedence_data();
    void appPrecedence();
    void noPairsIsNotUpToDate();
    void pausedPairWithPendingChange();
    void refusedPasswordMeansSignInNeeded();
    void permanentlyFailedItem();
    void serverDiedMidUpload();
    void errorKindsReadAsSentences();
    void offlineLineClearsOnRecovery();
    void heldDeletionAsksOnceAndRestores();

private:
    test::UiTestEnvironment *m_env;
};

void TestUiState::pairPrecedence_data()
{
    QTest::addColumn<StatusSnapshot>("status");
    QTest::addColumn<bool>("firstCycleDone");
    QTest::addColumn<bool>("signInNeeded");
    QTest::addColumn<bool>("deletionHeld");
    QTest::addColumn<QString>("expected");
    const auto row = [](const char *name, const StatusSnapshot &s, bool done, bool signIn,
                        const char *expected, bool held = false) {
        QTest::newRow(name) << s << done << signIn << held << QString::fromLatin1(expected);
    };
    row("idle, nothing known", status("idle"), true, false, "up-to-date");
    row("idle before the first cycle", status("idle"), false, false, "syncing");
    row("idle with pending changes", status("idle", 2), true, false, "syncing");
    row("idle with queued retries", status("idle", 0, 1), true, false, "syncing");
    row("syncing", status("syncing", 5), true, false, "syncing");
    row("paused, nothing waiting", status("paused"), true, false, "paused");
    row("paused before the first cycle", status("paused"), false, false, "paused");
    row("paused with a pending change", status("paused", 1), true, false, "paused-with-pending");
    row("paused with a queued retry", status("paused", 0, 1), true, false, "paused-with-pending");
    row("offline", status("offline", 0, 3), true, false, "offline");
    StatusSnapshot metered = status("paused", 2);
    metered.pausedForMetered = true;
    row("paused on a metered connection", metered, true, false, "paused-metered");
    StatusSnapshot outsideWindow = status("paused", 2);
    outsideWindow.pausedForSchedule = true;
    row("paused outside its sync window", outsideWindow, true, false, "paused-schedule");
    outsideWindow.pausedForMetered = true;
    row("metered beats the schedule", outsideWindow, true, false, "paused-metered");
    metered.failedPermanent = 1;
    row("failed beats metered", metered, true, false, "failed-items");
    StatusSnapshot battery = status("paused", 2);
    battery.pausedForBattery = true;
    row("paused on battery", battery, true, false, "paused-battery");
    battery.pausedForMetered = true;
    row("metered beats battery", battery, true, false, "paused-metered");
    StatusSnapshot offlineOnBattery = status("offline");
    offlineOnBattery.pausedForBattery = true;
    row("offline beats battery", offlineOnBattery, true, false, "offline");
    row("failed beats offline", status("offline", 0, 0, 1), true, false, "failed-items");
    row("failed beats pending", status("idle", 3, 0, 2), true, false, "failed-items");
    row("failed beats paused", status("paused", 1, 0, 1), true, false, "failed-items");
    row("conflict beats failed", status("idle", 0, 0, 1, 1), true, false, "conflict");
    row("error beats conflict", status("error", 0, 0, 1, 1), true, false, "error");
    row("sign-in beats paused", status("paused"), true, true, "sign-in-needed");
    row("sign-in beats error", status("error", 0, 0, 1, 1), true, true, "sign-in-needed");
    row("held deletion beats error", status("error", 0, 0, 1, 1), true, false, "decision-needed",
        true);
    row("sign-in beats held deletion", status("paused"), true, true, "sign-in-needed", true);
}

void TestUiState::pairPrecedence()
{
    QFETCH(StatusSnapshot, status);
    QFETCH(bool, firstCycleDone);
    QFETCH(bool, signInNeeded);
    QFETCH(bool, deletionHeld);
    QFETCH(QString, expected);
    const SyncState state =
        pairState(PairFacts{status, firstCycleDone, signInNeeded, deletionHeld});
    QCOMPARE(stateKey(state), expected);
    if (state == SyncState::PausedMetered) // what the card and the tray say
        QCOMPARE(stateLabel(state), QStringLiteral("Paused: metered connection"));
    if (state == SyncState::PausedBattery)
        QCOMPARE(stateLabel(state), QStringLiteral("Paused: on battery"));
    if (state == SyncState::PausedSchedule)
        QCOMPARE(stateLabel(state), QStringLiteral("Paused: outside its sync window"));
}

void TestUiState::appPrecedence_data()
{
    QTest::addColumn<QVector<SyncState>>("pairs");
    QTest::addColumn<SyncState>("expected");
    QTest::newRow("no pairs") << QVector<SyncState>{} << SyncState::NoPairs;
    QTest::newRow("all up to date")
        << QVector<SyncState>{SyncState::UpToDate, SyncState::UpToDate} << SyncState::UpToDate;
    QTest::newRow("one paused among up to date")
        << QVector<SyncState>{SyncState::UpToDate, SyncState::Paused} << SyncState::Paused;
    QTest::newRow("syncing beats paused")
        << QVector<SyncState>{SyncState::Paused, SyncState::Syncing} << SyncState::Syncing;
    QTest::newRow("paused with pending beats syncing")
        << QVector<SyncState>{SyncState::Syncing, SyncState::PausedWithPending}
        << SyncState::PausedWithPending;
    QTest::newRow("offline beats paused with pending")
        << QVector<SyncState>{SyncState::PausedWithPending, SyncState::Offline}
        << SyncState::Offline;
    QTest::newRow("failed beats offline")
        << QVector<SyncState>{SyncState::Offline, SyncState::FailedItems} << SyncState::FailedItems;
    QTest::newRow("conflict beats failed")
        << QVector<SyncState>{SyncState::FailedItems, SyncState::Conflict} << SyncState::Conflict;
    QTest::newRow("error beats conflict")
        << QVector<SyncState>{SyncState::Conflict, SyncState::Error} << SyncState::Error;
    QTest::newRow("decision beats error")
        << QVector<SyncState>{SyncState::Error, SyncState::DecisionNeeded}
        << SyncState::DecisionNeeded;
    QTest::newRow("sign-in beats all")
        << QVector<SyncState>{SyncState::Error, SyncState::SignInNeeded, SyncState::UpToDate}
        << SyncState::SignInNeeded;
}

void TestUiState::appPrecedence()
{
    QFETCH(QVector<SyncState>, pairs);
    QFETCH(SyncState, expected);
    QCOMPARE(stateKey(appState(pairs)), stateKey(expected));
}

void TestUiState::noPairsIsNotUpToDate()
{
    PairManager manager{PairStore(m_env->settingsFile())};
    TrayController tray(&manager);
    QCOMPARE(stateKey(tray.state()), QStringLiteral("no-pairs"));
    QVERIFY2(!tray.toolTip().contains(QStringLiteral("Up to date")), qPrintable(tray.toolTip()));
    QVERIFY2(tray.toolTip().contains(QStringLiteral("No folder pair")), qPrintable(tray.toolTip()));
}

void TestUiState::pausedPairWithPendingChange()
{
    PairManager manager{PairStore(m_env->settingsFile())};
    TrayController tray(&manager);
    PairSession *session = manager.addOrUpdate(m_env->makePair(QStringLiteral("paused")));
    PairCard card(session);
    QVERIFY(waitFor([&] { return tray.state() == SyncState::UpToDate; }, Timeout));
    QCOMPARE(card.stateText(), QStringLiteral("Up to date"));

    session->pause();
    QVERIFY(waitFor([&] { return tray.state() == SyncState::Paused; }, Timeout));
    writeFile(session->config().localRoot, QStringLiteral("later.txt"), "not yet\n");
    QVERIFY2(waitFor([&] { return tray.state() == SyncState::PausedWithPending; }, Timeout),
             qPrintable(stateKey(tray.state())));
    QCOMPARE(card.stateText(), QStringLiteral("Paused, changes waiting: 1"));
    QVERIFY2(tray.toolTip().contains(QStringLiteral("Paused, changes waiting")),
             qPrintable(tray.toolTip()));

    session->resume();
    QVERIFY(waitFor([&] { return tray.state() == SyncState::UpToDate; }, Timeout));
}

void TestUiState::refusedPasswordMeansSignInNeeded()
{
    QString error;
    auto server = WebDavServer::start(WebDavServer::Kind::Rclone, &error);
    QVERIFY2(server, qPrintable(error));
    qputenv("STEADYSYNC_PASSWORD", "not the password");
    PairConfig pair = m_env->makePair(QStringLiteral("refused"));
    pair.remoteUrl = server->url();
    pair.user = server->user();
    PairManager manager{PairStore(m_env->settingsFile())};
    TrayController tray(&manager);
    PairSession *session = manager.addOrUpdate(pair);
    PairCard card(session);
    const bool asked = waitFor([&] { return tray.state() == SyncState::SignInNeeded; }, Timeout);
    qunsetenv("STEADYSYNC_PASSWORD");
    QVERIFY2(asked, qPrintable(stateKey(tray.state())));
    QCOMPARE(card.stateText(), QStringLiteral("Sign-in needed"));
    // Words first; the server's answer is the detail.
    QVERIFY2(card.problemText().startsWith(
                 QStringLiteral("The server did not accept the user name or password.")),
             qPrintable(card.problemText()));
    QVERIFY2(card.problemDetail().contains(QStringLiteral("401")),
             qPrintable(card.problemDetail()));
    QVERIFY2(tray.toolTip().contains(QStringLiteral("Sign-in needed")), qPrintable(tray.toolTip()));
}

void TestUiState::permanentlyFailedItem()
{
    const PairConfig pair = m_env->makePair(QStringLiteral("failed"));
    writeFile(pair.localRoot, QStringLiteral("big.iso"), "image\n");
    {
        Result<std::unique_ptr<Journal>> journal = Journal::open(pair.localRoot);
        QVERIFY(journal.ok());
        RetryItem item;
        item.path = QStringLiteral("big.iso");
        item.attempts = 10;
        item.lastError = QStringLiteral("big.iso: PUT failed: HTTP 413 Request Entity Too Large");
        item.lastErrorKind = ErrorKind::Permanent;
        item.failedPermanently = true;
        QVERIFY((*journal)->putRetryItem(item).ok());
    }
    PairManager manager{PairStore(m_env->settingsFile())};
    TrayController tray(&manager);
    PairSession *session = manager.addOrUpdate(pair);
    PairCard card(session);
    DashboardWindow dashboard(&manager);
    QVERIFY(waitFor([&] { return session->status().failedPermanent == 1; }, Timeout));
    QVERIFY(waitFor([&] { return tray.state() == SyncState::FailedItems; }, Timeout));
    QCOMPARE(card.stateText(), QStringLiteral("Files not synced: 1"));
    // Failed Items: the reason in words, not the path again; the detail without the path.
    QTreeWidget *failed = dashboard.failedList();
    QVERIFY(waitFor([&] { return failed->topLevelItemCount() == 1; }, Timeout));
    QCOMPARE(failed->topLevelItem(0)->text(0), QStringLiteral("big.iso"));
    QCOMPARE(failed->topLevelItem(0)->text(1), humanErrorText(ErrorKind::Permanent));
    QCOMPARE(failed->topLevelItem(0)->toolTip(1),
             QStringLiteral("PUT failed: HTTP 413 Request Entity Too Large"));
}

void TestUiState::errorKindsReadAsSentences()
{
    QSet<QString> sentences;
    for (int kind = int(ErrorKind::Transient); kind <= int(ErrorKind::Corrupt); ++kind) {
        const QString sentence = humanErrorText(ErrorKind(kind));
        QVERIFY2(sentence.endsWith(QLatin1Char('.')) && sentence.front().isUpper(),
                 qPrintable(sentence));
        for (const char *jargon : {"HTTP", "PUT", "PROPFIND", "4", "5", "errno"})
            QVERIFY2(!sentence.contains(QLatin1String(jargon)), qPrintable(sentence));
        sentences.insert(sentence);
    }
    QCOMPARE(sentences.size(), int(ErrorKind::Corrupt) + 1);
    QCOMPARE(technicalDetail(QStringLiteral("video.bin: video.bin: PUT failed: Connection closed"),
                             QStringLiteral("video.bin")),
             QStringLiteral("PUT failed: Connection closed"));
    QCOMPARE(technicalDetail(QStringLiteral("video.bin: video.bin: PUT failed: Connection closed")),
             QStringLiteral("video.bin: PUT failed: Connection closed"));
}

// The remote folder goes away (an unmounted share: offline) and comes back: the card's problem
// line says so in words while it lasts, and is gone once the pair is back.
void TestUiState::offlineLineClearsOnRecovery()
{
    PairManager manager{PairStore(m_env->settingsFile())};
    const PairConfig pair = m_env->makePair(QStringLiteral("away"));
    PairSession *session = manager.addOrUpdate(pair);
    PairCard card(session);
    QVERIFY(waitFor([&] { return session->state() == SyncState::UpToDate; }, Timeout));
    QVERIFY(card.problemText().isEmpty());
    const QString remote = test::UiTestEnvironment::remoteDir(pair);
    QVERIFY(QDir().rename(remote, remote + QStringLiteral(".away")));
    session->syncNow();
    QVERIFY(waitFor([&] { return session->state() == SyncState::Offline; }, Timeout));
    QVERIFY2(card.problemText().startsWith(QStringLiteral("The server cannot be reached.")),
             qPrintable(card.problemText()));
    QVERIFY(QDir().rename(remote + QStringLiteral(".away"), remote));
    QVERIFY(waitFor([&] { return session->state() == SyncState::UpToDate; }, Timeout));
    QVERIFY2(card.problemText().isEmpty(), qPrintable(card.problemText()));
}

// The server dies while a big upload runs: from then on nothing may say "Up to date" (the
// item waits for a retry, or the pair is offline).
void TestUiState::serverDiedMidUpload()
{
    QString error;
    auto server = WebDavServer::start(WebDavServer::Kind::Rclone, &error);
    QVERIFY2(server, qPrintable(error));
    qputenv("STEADYSYNC_PASSWORD", server->password().toUtf8());
    PairConfig pair = m_env->makePair(QStringLiteral("died"));
    pair.remoteUrl = server->url();
    pair.user = server->user();
    pair.bwLimitUpKiB = 256; // 4 MiB take 16 s: the server dies in the middle
    PairManager manager{PairStore(m_env->settingsFile())};
    TrayController tray(&manager);
    PairSession *session = manager.addOrUpdate(pair);
    QVERIFY(waitFor(
        [&] { return tray.state() == SyncState::UpToDate && session->status().lastSyncMs > 0; },
        Timeout));
    qunsetenv("STEADYSYNC_PASSWORD");

    writeFile(pair.localRoot, QStringLiteral("video.bin"), QByteArray(4 * 1024 * 1024, 'v'));
    QVERIFY(waitFor([&] { return session->status().state == EngineState::Syncing; }, Timeout));
    QList<SyncState> seen;
    connect(&manager, &PairManager::sessionStatusChanged, this, [&] { seen.append(tray.state()); });
    ::kill(pid_t(server->processId()), SIGKILL);
    QVERIFY(waitFor(
        [&] {
            const StatusSnapshot &s = session->status();
            return s.state == EngineState::Offline ||
                   (s.state != EngineState::Syncing && s.retryQueue > 0);
        },
        Timeout));
    seen.append(tray.state());
    for (SyncState state : std::as_const(seen))
        QVERIFY2(state != SyncState::UpToDate, "said up to date after the server died");
}

// Issue 15, case 5: answering "No" to the mass-deletion question left the pair in Error and
// the dialog came back every ~30 s, with no way to get the files back. Now: asked once, "Decide
// Later" leaves the question on the card (no new dialog however often the engine holds the
// deletion again), and "Restore the Files" copies them back from the server.
void TestUiState::heldDeletionAsksOnceAndRestores()
{
    const PairConfig pair = m_env->makePair(QStringLiteral("restore"));
    const QString remote = test::UiTestEnvironment::remoteDir(pair);
    for (int i = 0; i < 12; ++i)
        writeFile(pair.localRoot, QStringLiteral("photo%1.jpg").arg(i), QByteArray::number(i));
    PairStore(m_env->settingsFile()).save({pair});
    AppController controller{PairStore(m_env->settingsFile())};
    controller.start();
    PairSession *session = controller.pairManager()->sessions().constFirst();
    QVERIFY(waitFor([&] { return QDir(remote).entryList(QDir::Files).size() == 12; }, Timeout));
    QVERIFY(waitFor([&] { return session->state() == SyncState::UpToDate; }, Timeout));
    PairCard card(session);

    session->pause(); // the engine sees all the deletions in one cycle
    QVERIFY(waitFor([&] { return session->isPaused(); }, Timeout));
    for (int i = 0; i < 12; ++i)
        QVERIFY(QFile::remove(pair.localRoot + QStringLiteral("/photo%1.jpg").arg(i)));
    session->resume();
    QVERIFY(waitFor([&] { return controller.massDeleteQuestion() != nullptr; }, Timeout));
    QCOMPARE(session->state(), SyncState::DecisionNeeded);
    QCOMPARE(card.stateText(), QStringLiteral("Waiting for your decision"));
    QVERIFY(card.problemText().isEmpty()); // no "error" line beside the question
    controller.massDeleteQuestion()
        ->findChild<QPushButton *>(QStringLiteral("decideLater"))
        ->click();
    QVERIFY(waitFor([&] { return controller.massDeleteQuestion() == nullptr; }, Timeout));
    QVERIFY(card.deletionDecision()->isVisibleTo(&card));

    // The engine holds the deletion again on its next cycles: no new dialog.
    QSignalSpy held(session, &PairSession::statusChanged);
    for (int round = 0; round < 3; ++round) {
        held.clear();
        session->syncNow();
        QVERIFY2(
            waitFor(
                [&] { return session->status().state == EngineState::Error && !held.isEmpty(); },
                Timeout),
            qPrintable(QStringLiteral("round %1: state %2 after %3 status changes, error %4")
                           .arg(round)
                           .arg(engineStateName(session->status().state))
                           .arg(held.size())
                           .arg(session->status().lastError)));
        QVERIFY(controller.massDeleteQuestion() == nullptr);
    }
    QCOMPARE(QDir(remote).entryList(QDir::Files).size(), 12); // nothing deleted meanwhile

    card.restoreButton()->click();
    QVERIFY(waitFor(
        [&] {
            for (int i = 0; i < 12; ++i) {
                if (test::readFile(pair.localRoot + QStringLiteral("/photo%1.jpg").arg(i)) !=
                    QByteArray::number(i))
                    return false;
            }
            return true;
        },
        Timeout));
    QVERIFY(waitFor([&] { return session->state() == SyncState::UpToDate; }, Timeout));
    QVERIFY(!card.deletionDecision()->isVisibleTo(&card));
    QCOMPARE(QDir(remote).entryList(QDir::Files).size(), 12);
}

int main(int argc, char **argv)
{
    test::UiTestEnvironment environment;
    QApplication app(argc, argv);
    TestUiState test(&environment);
    return QTest::qExec(&test, argc, argv);
}

#include "tst_uistate.moc"
