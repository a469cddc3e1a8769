#include "activitymodel.h"
#include "appcontroller.h"
#include "conflictreviewdialog.h"
#include "dashboardwindow.h"
#include "humanerror.h"
#include "paircard.h"
#include "pairmanager.h"
#include "statscharts.h"
#include "translationloader.h"
#include "traycontroller.h"
#include "uitestenvironment.h"
#include "versionpanel.h"

#include "local/ignorerules.h"
#include "testutil.h"

#include <QApplication>
#include <QChart>
#include <QCheckBox>
#include <QCryptographicHash>
#include <QDir>
#include <QGraphicsScene>
#include <QGraphicsTextItem>
#include <QImage>
#include <QLineSeries>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTest>
#include <QTreeWidget>

#include <algorithm>
#include <functional>

using namespace steadysync;
using steadysync::test::readFile;
using steadysync::test::waitFor;
using steadysync::test::writeFile;

namespace {

constexpr int Timeout = 60'000;

bool activityHas(const ActivityModel &model, const QString &path, const QString &action)
{
    for (int row = 0; row < model.rowCount(); ++row) {
        if (model.index(row, ActivityModel::PathColumn).data().toString() == path &&
            model.index(row, ActivityModel::ActionColumn).data().toString() == action)
            return true;
    }
    return false;
}

QStringList conflictCopies(const QString &dir)
{
    return QDir(dir).entryList({QStringLiteral("notes (conflict *).txt")}, QDir::Files);
}

// The numbers a chart shows, such as its value axis' tick labels ("0 %", "12", "0.5"); the
// time axis ("14:05"), titles and legend are not numbers.
QStringList numbersShown(const QChart *chart)
{
    static const QRegularExpression number(QStringLiteral("^\\d+([.,]\\d+)?( %)?$"));
    QStringList numbers;
    const QList<QGraphicsItem *> items = chart->scene()->items();
    for (const QGraphicsItem *item : items) {
        const auto *text = dynamic_cast<const QGraphicsTextItem *>(item);
        if (text && text->isVisible() && number.match(text->toPlainText()).hasMatch())
            numbers.append(text->toPlainText());
    }
    return numbers;
}

// Queue lengths are counted: their ticks are whole numbers at equal steps, not rounded
// fractions (0 3.75 7.5 11.25 15 shown as "0 4 8 11 15").
bool evenlySpacedWholeNumbers(const QStringList &labels)
{
    QList<int> values;
    for (const QString &label : labels) {
        bool whole = false;
        values.append(label.toInt(&whole));
        if (!whole)
            return false;
    }
    std::sort(values.begin(), values.end());
    for (qsizetype i = 2; i < values.size(); ++i) {
        if (values[i] - values[i - 1] != values[1] - values[0])
            return false;
    }
    return values.size() >= 2;
}

QStringList partialUploads(const QString &remoteDir)
{
    return QDir(remoteDir).entryList({IgnoreRules::partialFilePrefix() + QLatin1Char('*')},
                                     QDir::Files | QDir::Hidden);
}

bool hasPointAt(const QLineSeries *series, qint64 timeMs, const std::function<bool(qreal)> &test)
{
    const QList<QPointF> points = series->points();
    return std::any_of(points.cbegin(), points.cend(), [&](const QPointF &point) {
        return point.x() == qreal(timeMs) && test(point.y());
    });
}

int distinctColours(const QImage &image)
{
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 2) {
        for (int x = 0; x < image.width(); x += 2)
            colours.insert(image.pixel(x, y));
    }
    return int(colours.size());
}

} // namespace

class TestUiSync : public QObject
{
    Q_OBJECT
public:
    explicit TestUiSync(test::UiTestEnvironment *environment) : m_env(environment) {}

private Q_SLOTS:
    void activityFillsFromRealSync();
    void chartsShowStoredHistory();
    void chartAxesLabelTheirTicks();
    void chartHistorySurvivesRestart();
    void trayPauseReachesEngine();
    void traySyncNowSyncsAndPauseStopsIt();
    void trayNotifiesNewConflicts();
    void trayNotifiesOnlyNewFailures();
    void failedItemsShowAndRetry();
    void conflictDialogChoices_data();
    void conflictDialogChoices();
    void conflictDialogAppliesToAll();
    void rendersScreenshots();

private:
    PairSession *syncedPairWithConflicts(PairManager &manager, PairConfig &pair,
                                         const QStringList &names);
    void appendHistory(const QString &localRoot);
    // A permanent failure of path as an earlier run left it in the journal.
    void putEarlierFailure(const QString &localRoot, const QString &path);
    bool inSync(PairSession *session) const;

    test::UiTestEnvironment *m_env;
    int m_counter = 0;
};

bool TestUiSync::inSync(PairSession *session) const
{
    const StatusSnapshot &status = session->status();
    return status.state == EngineState::Idle && status.pending == 0 && status.lastSyncMs > 0;
}

void TestUiSync::activityFillsFromRealSync()
{
    PairManager manager{PairStore(m_env->settingsFile())};
    DashboardWindow dashboard(&manager);
    const PairConfig pair = m_env->makePair(QStringLiteral("activity"));
    writeFile(pair.localRoot, QStringLiteral("docs/report.txt"), "quarterly figures\n");
    PairSession *session = manager.addOrUpdate(pair);
    const QString remote = test::UiTestEnvironment::remoteDir(pair);

    QVERIFY(waitFor([&] { return readFile(remote + "/docs/report.txt") == "quarterly figures\n"; },
                    Timeout));
    ActivityModel *activity = dashboard.activityModel();
    QVERIFY(waitFor([&] { return activityHas(*activity, "docs/report.txt", tr("Uploaded")); },
                    Timeout));

    writeFile(remote, QStringLiteral("from-server.txt"), "downloaded\n");
    session->syncNow();
    QVERIFY(waitFor([&] { return activityHas(*activity, "from-server.txt", tr("Downloaded")); },
                    Timeout));
    QCOMPARE(readFile(pair.localRoot + "/from-server.txt"), QByteArray("downloaded\n"));

    QCOMPARE(dashboard.cards().size(), 1);
    PairCard *card = dashboard.cards().constFirst();
    QVERIFY(waitFor([&] { return card->counterText(QStringLiteral("uploads")) == "1"; }, Timeout));
    QVERIFY(
        waitFor([&] { return card->counterText(QStringLiteral("downloads")) == "1"; }, Timeout));
}

void TestUiSync::appendHistory(const QString &localRoot)
{
    Result<std::unique_ptr<Journal>> journal = Journal::open(localRoot);
    QVERIFY(journal.ok());
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    // 3 days ago (only in the 7-day range), then one sample a minute in the last 40 minutes.
    StatsSample old;
    old.timeMs = now - 3 * 24 * 3600 * 1000LL;
    QVERIFY((*journal)->appendSample(old).ok());
    for (int i = 40; i >= 1; --i) {
        StatsSample sample;
        sample.timeMs = now - i * 60'000LL;
        sample.successRate = 1.0 - (i % 7) / 40.0;
        sample.pending = (i * 7) % 11;
        sample.retryQueue = i % 4;
        sample.failedPermanent = i < 10 ? 1 : 0;
        sample.bytesUp = (40 - i) * 3'000'000LL;
        sample.bytesDown = (40 - i) * (40 - i) * 90'000LL;
        QVERIFY((*journal)->appendSample(sample).ok());
    }
}

void TestUiSync::chartsShowStoredHistory()
{
    const PairConfig pair = m_env->makePair(QStringLiteral("history"));
    appendHistory(pair.localRoot);
    PairManager manager{PairStore(m_env->settingsFile())};
    DashboardWindow dashboard(&manager);
    manager.addOrUpdate(pair);

    StatsCharts *charts = dashboard.charts();
    QVERIFY(waitFor([&] { return charts->pendingSeries()->count() >= 40; }, Timeout));
    QVERIFY(charts->successRateSeries()->count() >= 40);
    QVERIFY(charts->uploadSeries()->count() >= 39);
    const qreal hourAgo = qreal(QDateTime::currentMSecsSinceEpoch() - 3600 * 1000LL);
    for (const QPointF &point : charts->pendingSeries()->points())
        QVERIFY(point.x() >= hourAgo);
    // 3 MB a minute is 50,000 B/s, about 48.8 KiB/s.
    QVERIFY(std::abs(charts->uploadSeries()->at(1).y() - 3'000'000.0 / 60 / 1024) < 0.1);

    dashboard.setRange(DashboardWindow::Range::LastWeek);
    QVERIFY(waitFor(
        [&] {
            const QList<QPointF> points = charts->pendingSeries()->points();
            return !points.isEmpty() && points.constFirst().x() < hourAgo - 24 * 3600 * 1000.0;
        },
        Timeout));
}

void TestUiSync::chartAxesLabelTheirTicks()
{
    const PairConfig pair = m_env->makePair(QStringLiteral("axislabels"));
    appendHistory(pair.localRoot);
    PairManager manager{PairStore(m_env->settingsFile())};
    DashboardWindow dashboard(&manager);
    manager.addOrUpdate(pair);
    dashboard.show();
    StatsCharts *charts = dashboard.charts();
    QVERIFY(waitFor([&] { return charts->pendingSeries()->count() >= 40; }, Timeout));

    const QChart *rate = charts->successRateSeries()->chart();
    QVERIFY2(waitFor([&] { return numbersShown(rate).contains(QStringLiteral("100 %")); }, Timeout),
             qPrintable(numbersShown(rate).join(QStringLiteral(" | "))));
    QVERIFY(numbersShown(rate).contains(QStringLiteral("0 %")));
    const QChart *queues = charts->pendingSeries()->chart();
    QVERIFY2(waitFor([&] { return numbersShown(queues).size() >= 3; }, Timeout),
             qPrintable(numbersShown(queues).join(QStringLiteral(" | "))));
    QVERIFY(numbersShown(queues).contains(QStringLiteral("0")));
    QVERIFY2(evenlySpacedWholeNumbers(numbersShown(queues)),
             qPrintable(numbersShown(queues).join(QStringLiteral(" | "))));
    const QChart *throughput = charts->uploadSeries()->chart();
    QVERIFY2(waitFor([&] { return numbersShown(throughput).size() >= 3; }, Timeout),
             qPrintable(numbersShown(throughput).join(QStringLiteral(" | "))));
}

// Quit and start again, as a user would: the charts show what the first run's engine recorded.
void TestUiSync::chartHistorySurvivesRestart()
{
    const PairConfig pair = m_env->makePair(QStringLiteral("restart"));
    const QString settings = m_env->home() + QStringLiteral("/restart.ini");
    PairStore(settings).save({pair});
    const QByteArray content(256 * 1024, 'r');
    writeFile(pair.localRoot, QStringLiteral("before-restart.bin"), content);
    {
        AppController app{PairStore(settings)};
        app.start();
        PairSession *session = app.pairManager()->sessions().constFirst();
        const QString remoteFile = test::UiTestEnvironment::remoteDir(pair) + "/before-restart.bin";
        QVERIFY(waitFor([&] { return readFile(remoteFile) == content; }, Timeout));
        QVERIFY(waitFor([&] { return inSync(session); }, Timeout));
    } // quitting stops the engine, which samples its statistics a last time

    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const QVector<StatsSample> recorded = JournalReader::read(pair.localRoot, 0, now).samples;
    QVERIFY2(recorded.size() >= 2, qPrintable(QString::number(recorded.size())));
    QVERIFY(recorded.constLast().bytesUp >= content.size());

    AppController restarted{PairStore(settings)};
    restarted.start();
    StatsCharts *charts = restarted.dashboard()->charts();
    const auto any = [](qreal) {
        return true;
    };
    QVERIFY(waitFor(
        [&] {
            return std::all_of(recorded.cbegin(), recorded.cend(), [&](const StatsSample &s) {
                return hasPointAt(charts->pendingSeries(), s.timeMs, any);
            });
        },
        Timeout));
    for (const StatsSample &sample : recorded)
        QVERIFY(hasPointAt(charts->successRateSeries(), sample.timeMs,
                           [&](qreal y) { return y == sample.successRate * 100.0; }));
    // The upload of the first run shows as throughput at one of its samples.
    QVERIFY(std::any_of(recorded.cbegin(), recorded.cend(), [&](const StatsSample &s) {
        return hasPointAt(charts->uploadSeries(), s.timeMs, [](qreal y) { return y > 0; });
    }));
}

void TestUiSync::trayPauseReachesEngine()
{
    PairManager manager{PairStore(m_env->settingsFile())};
    TrayController tray(&manager);
    PairSession *session = manager.addOrUpdate(m_env->makePair(QStringLiteral("tray")));
    QVERIFY(waitFor([&] { return inSync(session); }, Timeout));
    // The tray follows the session's published status, one event later.
    QVERIFY(waitFor([&] { return tray.state() == SyncState::UpToDate; }, Timeout));

    tray.pauseAction()->trigger();
    QVERIFY(waitFor([&] { return session->status().state == EngineState::Paused; }, Timeout));
    QCOMPARE(tray.state(), SyncState::Paused);
    QCOMPARE(tray.pauseAction()->text(), tr("Resume"));

    // Paused means paused: a new file stays local.
    writeFile(session->config().localRoot, QStringLiteral("while-paused.txt"), "wait\n");
    const QString remoteFile =
        test::UiTestEnvironment::remoteDir(session->config()) + "/while-paused.txt";
    // The watcher sees it; the paused engine holds it as pending work instead of sending it.
    QVERIFY(waitFor([&] { return session->status().pending > 0; }, Timeout));
    QVERIFY(!tray.syncNowAction()->isEnabled()); // not offered while paused
    manager.syncAllNow();                        // and asked for anyway (D-Bus can)
    // Two round trips through the engine's thread: its syncNow() ran, then the cycle start it
    // queued; neither may have sent the file.
    for (int trip = 0; trip < 2; ++trip)
        QMetaObject::invokeMethod(
            session->engine(), [] {}, Qt::BlockingQueuedConnection);
    QVERIFY(!QFile::exists(remoteFile));
    QCOMPARE(session->status().state, EngineState::Paused);

    tray.pauseAction()->trigger();
    QVERIFY(waitFor([&] { return QFile::exists(remoteFile); }, Timeout));
    QVERIFY(waitFor([&] { return tray.state() == SyncState::UpToDate; }, Timeout));
}

void TestUiSync::failedItemsShowAndRetry()
{
    const PairConfig pair = m_env->makePair(QStringLiteral("failed"));
    writeFile(pair.localRoot, QStringLiteral("big.iso"), "image\n");
    putEarlierFailure(pair.localRoot, QStringLiteral("big.iso"));
    PairManager manager{PairStore(m_env->settingsFile())};
    DashboardWindow dashboard(&manager);
    PairSession *session = manager.addOrUpdate(pair);
    QTreeWidget *failed = dashboard.failedList();
    QVERIFY(waitFor([&] { return failed->topLevelItemCount() == 1; }, Timeout));
    QCOMPARE(failed->topLevelItem(0)->text(0), QStringLiteral("big.iso"));
    QCOMPARE(failed->topLevelItem(0)->text(1), humanErrorText(ErrorKind::Permanent));
    QCOMPARE(failed->topLevelItem(0)->toolTip(1), QStringLiteral("413 Request Entity Too Large"));
    QCOMPARE(failed->topLevelItem(0)->text(2), QStringLiteral("10"));
    QVERIFY(waitFor([&] { return session->status().failedPermanent == 1; }, Timeout));
    const QString remoteFile = test::UiTestEnvironment::remoteDir(pair) + "/big.iso";
    QVERIFY(!QFile::exists(remoteFile)); // a failed item waits for the user

    QVERIFY(dashboard.retryButton()->isEnabled());
    dashboard.retryButton()->click();
    QVERIFY(waitFor([&] { return readFile(remoteFile) == "image\n"; }, Timeout));
    QVERIFY(waitFor([&] { return failed->topLevelItemCount() == 0; }, Timeout));
}

void TestUiSync::traySyncNowSyncsAndPauseStopsIt()
{
    PairManager manager{PairStore(m_env->settingsFile())};
    TrayController tray(&manager);
    PairConfig pair = m_env->makePair(QStringLiteral("syncnow"));
    // Neither the watcher's debounce nor the poll starts a cycle within the test's deadlines:
    // a cycle that comes is the one Sync Now asked for.
    pair.debounceMs = 3'600'000;
    pair.pollIntervalS = 3'600;
    // Slow enough for Pause to catch a big upload in flight (8 MiB take 32 s).
    pair.bwLimitUpKiB = 256;
    PairSession *session = manager.addOrUpdate(pair);
    QVERIFY(waitFor([&] { return inSync(session); }, Timeout));
    const QString remote = test::UiTestEnvironment::remoteDir(pair);

    writeFile(pair.localRoot, QStringLiteral("now.txt"), "synced on request\n");
    QVERIFY(tray.syncNowAction()->isEnabled());
    tray.syncNowAction()->trigger();
    QVERIFY(
        waitFor([&] { return readFile(remote + "/now.txt") == "synced on request\n"; }, Timeout));

    writeFile(pair.localRoot, QStringLiteral("big.bin"), QByteArray(8 * 1024 * 1024, 'b'));
    tray.syncNowAction()->trigger();
    QVERIFY(waitFor([&] { return !partialUploads(remote).isEmpty(); }, Timeout));
    tray.pauseAction()->trigger();
    // The transfer is abandoned (its partial file removed), not finished.
    QVERIFY(
        waitFor([&] { return session->isPaused() && partialUploads(remote).isEmpty(); }, Timeout));
    QVERIFY(!QFile::exists(remote + "/big.bin"));
    QCOMPARE(tray.state(), SyncState::Paused);
    QVERIFY(!tray.syncNowAction()->isEnabled());
}

void TestUiSync::trayNotifiesNewConflicts()
{
    PairManager manager{PairStore(m_env->settingsFile())};
    TrayController tray(&manager);
    QSignalSpy notifications(&tray, &TrayController::notified);
    PairConfig pair;
    QVERIFY(syncedPairWithConflicts(manager, pair, {QStringLiteral("notes.txt")}));
    // The pair's first sync is news too ("... is in sync"); the conflict comes once.
    const auto conflictNews = [&] {
        QList<QList<QVariant>> found;
        for (const QList<QVariant> &news : std::as_const(notifications)) {
            if (news.at(0).toString() == QStringLiteral("Conflict in %1").arg(pair.displayName()))
                found.append(news);
        }
        return found;
    };
    QVERIFY(waitFor([&] { return !conflictNews().isEmpty(); }, Timeout));
    QCOMPARE(conflictNews().size(), 1);
    const QList<QVariant> notification = conflictNews().constFirst();
    QVERIFY2(notification.at(1).toString().contains(QStringLiteral("notes.txt")),
             qPrintable(notification.at(1).toString()));
    QVERIFY(tray.lastNotification().contains(QStringLiteral("notes.txt")));
}

void TestUiSync::putEarlierFailure(const QString &localRoot, const QString &path)
{
    Result<std::unique_ptr<Journal>> journal = Journal::open(localRoot);
    QVERIFY(journal.ok());
    RetryItem item;
    item.path = path;
    item.attempts = 10;
    item.lastError = QStringLiteral("413 Request Entity Too Large");
    item.lastErrorKind = ErrorKind::Permanent;
    item.failedPermanently = true;
    QVERIFY((*journal)->putRetryItem(item).ok());
}

void TestUiSync::trayNotifiesOnlyNewFailures()
{
    const PairConfig pair = m_env->makePair(QStringLiteral("notifyfailed"));
    writeFile(pair.localRoot, QStringLiteral("big.iso"), "image\n");
    putEarlierFailure(pair.localRoot, QStringLiteral("big.iso"));
    const QString remote = test::UiTestEnvironment::remoteDir(pair);
    const QString outside = m_env->home() + QStringLiteral("/outside-notifyfailed");
    QVERIFY(QDir().mkpath(outside));
    {
        PairManager manager{PairStore(m_env->settingsFile())};
        TrayController tray(&manager);
        QSignalSpy notifications(&tray, &TrayController::notified);
        PairSession *session = manager.addOrUpdate(pair);
        QVERIFY(waitFor([&] { return inSync(session) && session->status().failedPermanent == 1; },
                        Timeout));
        // Each status reaches the tray before the test sees it: the failure of the earlier
        // run has been looked at, and it is not news.
        QVERIFY2(notifications.isEmpty(), qPrintable(tray.lastNotification()));

        // A failure of this run: the local-directory remote never writes through a symbolic
        // link, so a file in a folder that is a link on the remote fails for good.
        QVERIFY(QFile::link(outside, remote + QStringLiteral("/linked")));
        writeFile(pair.localRoot, QStringLiteral("linked/new.txt"), "stays here\n");
        QVERIFY(waitFor([&] { return session->status().failedPermanent == 2; }, Timeout));
        QCOMPARE(notifications.size(), 1);
        QCOMPARE(notifications.constFirst().at(0).toString(),
                 QStringLiteral("Sync failed in %1").arg(pair.displayName()));
        QVERIFY2(notifications.constFirst().at(1).toString().contains(QStringLiteral(": 1.")),
                 qPrintable(notifications.constFirst().at(1).toString()));
        QVERIFY(QDir(outside).isEmpty());
    }

    // Started again, the app knows both failures from the journal and stays quiet.
    PairManager manager{PairStore(m_env->settingsFile())};
    TrayController tray(&manager);
    QSignalSpy notifications(&tray, &TrayController::notified);
    PairSession *session = manager.addOrUpdate(pair);
    QVERIFY(waitFor([&] { return inSync(session) && session->status().failedPermanent == 2; },
                    Timeout));
    QVERIFY2(notifications.isEmpty(), qPrintable(tray.lastNotification()));
}

PairSession *TestUiSync::syncedPairWithConflicts(PairManager &manager, PairConfig &pair,
                                                 const QStringList &names)
{
    pair = m_env->makePair(QStringLiteral("conflict%1").arg(++m_counter), ConflictPolicy::Ask);
    const QString remote = test::UiTestEnvironment::remoteDir(pair);
    for (const QString &name : names)
        writeFile(pair.localRoot, name, "base\n");
    PairSession *session = manager.addOrUpdate(pair);
    if (!waitFor([&] { return inSync(session) && session->status().trackedFiles == names.size(); },
                 Timeout))
        return nullptr;
    manager.remove(pair.id);
    for (const QString &name : names) {
        writeFile(pair.localRoot, name, "base\nchanged on this computer\n");
        writeFile(remote, name, "base\nchanged on the server, longer\n");
    }
    session = manager.addOrUpdate(pair);
    if (!waitFor([&] { return session->status().openConflicts == names.size(); }, Timeout))
        return nullptr;
    return session;
}

void TestUiSync::conflictDialogChoices_data()
{
    QTest::addColumn<int>("choice");
    QTest::newRow("keep local") << int(ConflictChoice::KeepLocal);
    QTest::newRow("keep remote") << int(ConflictChoice::KeepRemote);
    QTest::newRow("keep both") << int(ConflictChoice::KeepBoth);
}

void TestUiSync::conflictDialogChoices()
{
    QFETCH(int, choice);
    PairManager manager{PairStore(m_env->settingsFile())};
    DashboardWindow dashboard(&manager);
    PairConfig pair;
    PairSession *session = syncedPairWithConflicts(manager, pair, {QStringLiteral("notes.txt")});
    QVERIFY(session);
    const QString local = pair.localRoot;
    const QString remote = test::UiTestEnvironment::remoteDir(pair);
    const QByteArray localVersion = "base\nchanged on this computer\n";
    const QByteArray remoteVersion = "base\nchanged on the server, longer\n";
    QCOMPARE(conflictCopies(local).size(), 1);
    const QString copy = conflictCopies(local).constFirst();
    QCOMPARE(readFile(local + "/" + copy), remoteVersion);

    dashboard.refreshDetails();
    QVERIFY(waitFor([&] { return dashboard.conflictList()->topLevelItemCount() == 1; }, Timeout));
    QVERIFY(dashboard.reviewButton()->isEnabled());
    dashboard.reviewButton()->click();
    auto *dialog = dashboard.findChild<ConflictReviewDialog *>();
    QVERIFY(dialog);
    QCOMPARE(dialog->currentPath(), QStringLiteral("notes.txt"));
    QVERIFY(waitFor([&] { return dialog->factsLoaded(); }, Timeout));
    QCOMPARE(dialog->localPanel()->checksumText(),
             QString::fromLatin1(
                 QCryptographicHash::hash(localVersion, QCryptographicHash::Sha256).toHex()));
    QCOMPARE(dialog->remotePanel()->checksumText(),
             QString::fromLatin1(
                 QCryptographicHash::hash(remoteVersion, QCryptographicHash::Sha256).toHex()));

    switch (ConflictChoice(choice)) {
    case ConflictChoice::KeepLocal:
        dialog->keepLocalButton()->click();
        break;
    case ConflictChoice::KeepRemote:
        dialog->keepRemoteButton()->click();
        break;
    case ConflictChoice::KeepBoth:
        dialog->keepBothButton()->click();
        break;
    }
    QVERIFY(waitFor([&] { return session->status().openConflicts == 0; }, Timeout));

    const QByteArray kept =
        ConflictChoice(choice) == ConflictChoice::KeepRemote ? remoteVersion : localVersion;
    QVERIFY(waitFor([&] { return readFile(remote + "/notes.txt") == kept; }, Timeout));
    QCOMPARE(readFile(local + "/notes.txt"), kept);
    if (ConflictChoice(choice) == ConflictChoice::KeepBoth) {
        QVERIFY(waitFor([&] { return readFile(remote + "/" + copy) == remoteVersion; }, Timeout));
        QCOMPARE(readFile(local + "/" + copy), remoteVersion);
    } else {
        QVERIFY(waitFor([&] { return inSync(session); }, Timeout));
        QVERIFY(conflictCopies(local).isEmpty());
        QVERIFY(conflictCopies(remote).isEmpty());
        // The discarded version is in the trash, not lost.
        const QString trash = m_env->home() + "/.local/share/Trash/files";
        QStringList trashed = QDir(trash).entryList(QDir::Files);
        bool found = false;
        const QByteArray discarded =
            ConflictChoice(choice) == ConflictChoice::KeepRemote ? localVersion : remoteVersion;
        for (const QString &name : trashed)
            found = found || readFile(trash + "/" + name) == discarded;
        QVERIFY2(found, qPrintable(trashed.join(", ")));
    }
}

void TestUiSync::conflictDialogAppliesToAll()
{
    PairManager manager{PairStore(m_env->settingsFile())};
    PairConfig pair;
    const QStringList names{QStringLiteral("a.txt"), QStringLiteral("b.txt"),
                            QStringLiteral("c.txt")};
    PairSession *session = syncedPairWithConflicts(manager, pair, names);
    QVERIFY(session);
    const QVector<ConflictRecord> conflicts = JournalReader::read(pair.localRoot, 0, 0).conflicts;
    QCOMPARE(conflicts.size(), 3);
    ConflictReviewDialog dialog(session, conflicts);
    QVERIFY(dialog.applyToAllBox()->isEnabled());
    dialog.applyToAllBox()->setChecked(true);
    dialog.keepRemoteButton()->click();
    QVERIFY(waitFor([&] { return session->status().openConflicts == 0; }, Timeout));
    const QString remote = test::UiTestEnvironment::remoteDir(pair);
    for (const QString &name : names) {
        QVERIFY(waitFor([&] { return inSync(session); }, Timeout));
        QCOMPARE(readFile(pair.localRoot + "/" + name),
                 QByteArray("base\nchanged on the server, longer\n"));
        QCOMPARE(readFile(remote + "/" + name),
                 QByteArray("base\nchanged on the server, longer\n"));
    }
}

void TestUiSync::rendersScreenshots()
{
    const QString outputDir = QStringLiteral(STEADYSYNC_SCREENSHOT_DIR);
    QDir().mkpath(outputDir);
    PairManager manager{PairStore(m_env->settingsFile())};
    DashboardWindow dashboard(&manager);
    PairConfig pair;
    PairSession *session = syncedPairWithConflicts(manager, pair, {QStringLiteral("notes.txt")});
    QVERIFY(session);
    appendHistory(pair.localRoot);
    dashboard.show();
    dashboard.refreshDetails();
    QVERIFY(waitFor([&] { return dashboard.charts()->pendingSeries()->count() >= 40; }, Timeout));
    QVERIFY(waitFor([&] { return dashboard.conflictList()->topLevelItemCount() == 1; }, Timeout));

    const QImage dashboardImage = dashboard.grab().toImage();
    QVERIFY(dashboardImage.save(outputDir + "/dashboard.png"));
    QVERIFY2(distinctColours(dashboardImage) > 20,
             qPrintable(QString::number(distinctColours(dashboardImage))));
    // What the picture shows along the value axes.
    const QStringList rateLabels = numbersShown(dashboard.charts()->successRateSeries()->chart());
    QVERIFY2(rateLabels.contains(QStringLiteral("100 %")),
             qPrintable(rateLabels.join(QStringLiteral(" | "))));
    const QStringList queueLabels = numbersShown(dashboard.charts()->pendingSeries()->chart());
    QVERIFY2(evenlySpacedWholeNumbers(queueLabels),
             qPrintable(queueLabels.join(QStringLiteral(" | "))));

    dashboard.reviewButton()->click();
    auto *dialog = dashboard.findChild<ConflictReviewDialog *>();
    QVERIFY(dialog);
    QVERIFY(waitFor([&] { return dialog->factsLoaded(); }, Timeout));
    const QImage dialogImage = dialog->grab().toImage();
    QVERIFY(dialogImage.save(outputDir + "/conflict-dialog.png"));
    QVERIFY(distinctColours(dialogImage) > 8);
    dialog->close();

    TranslationLoader german;
    QVERIFY(german.install(QLocale(QLocale::German)));
    DashboardWindow germanDashboard(&manager);
    germanDashboard.show();
    QVERIFY(
        waitFor([&] { return germanDashboard.charts()->pendingSeries()->count() >= 40; }, Timeout));
    QVERIFY(germanDashboard.findChild<QTabWidget *>()->tabText(0) == QStringLiteral("Statistik"));
    QVERIFY(germanDashboard.grab().save(outputDir + "/dashboard-de.png"));
}

int main(int argc, char **argv)
{
    test::UiTestEnvironment environment;
    QApplication app(argc, argv);
    TestUiSync test(&environment);
    return QTest::qExec(&test, argc, argv);
}

#include "tst_uisync.moc"
