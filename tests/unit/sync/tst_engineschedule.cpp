// Schedules (issue 20) in the engine: a watched pair is held outside its sync window and
// syncs when the window opens, woken by a timer to the boundary; the bandwidth limit on the
// remote switches at a timetable boundary. The engine's clock is the real one shifted so that
// its local time is a few seconds before the boundary: the engine's own timers then reach it.
// A real Engine in this thread and a local-directory remote.
#include "sync/engine.h"
#include "sync/pairstate.h"
#include "testutil.h"

#include <QFileInfo>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace steadysync;
using namespace steadysync::test;

namespace {

constexpr int Deadline = 30'000;

// The system clock, moved so that it reads `localTime` today now.
class ShiftedClock final : public Clock
{
public:
    explicit ShiftedClock(QTime localTime)
        : m_offsetMs(QDateTime(QDate::currentDate(), localTime).toMSecsSinceEpoch() -
                     QDateTime::currentMSecsSinceEpoch())
    {}
    qint64 nowMs() const override { return QDateTime::currentMSecsSinceEpoch() + m_offsetMs; }
    // An instant today in local time, as this clock counts.
    qint64 todayAt(QTime localTime) const
    {
        const QDate today = QDateTime::fromMSecsSinceEpoch(nowMs()).date();
        return QDateTime(today, localTime).toMSecsSinceEpoch();
    }

private:
    qint64 m_offsetMs;
};

EngineOptions watchOptions(const QString &local, const QString &remote)
{
    EngineOptions options;
    options.localRoot = local;
    options.remoteUrl = QUrl::fromLocalFile(remote);
    options.debounceMs = 100;
    return options;
}

void stop(Engine &engine)
{
    QSignalSpy stopped(&engine, &Engine::stopped);
    engine.stop();
    QVERIFY(stopped.count() > 0 || stopped.wait(Deadline));
}

} // namespace

class TestEngineSchedule : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void heldUntilTheWindowOpens();
    void usersPauseOutlastsTheWindow();
    void bandwidthSwitchesAtTheBoundary();
};

void TestEngineSchedule::initTestCase()
{
    qputenv("TZ", "Europe/Berlin"); // local time is not UTC: the schedule must use local time
}

void TestEngineSchedule::heldUntilTheWindowOpens()
{
    QTemporaryDir local, remote;
    writeFile(local.path(), QStringLiteral("report.txt"), "written at night");
    ShiftedClock clock(QTime(6, 59, 57));
    EngineOptions options = watchOptions(local.path(), remote.path());
    options.syncWindow = *SyncWindow::parse(QStringLiteral("07:00-19:00"));
    Engine engine(options, &clock);
    StatusSnapshot last;
    connect(&engine, &Engine::statusChanged, this, [&](const StatusSnapshot &s) { last = s; });
    qint64 uploadedAtMs = 0;
    connect(&engine, &Engine::itemDone, this,
            [&](const QString &path, ActionKind kind, bool ok, const QString &) {
                if (path == QStringLiteral("report.txt") && kind == ActionKind::Upload && ok)
                    uploadedAtMs = clock.nowMs();
            });
    engine.startWatching();
    QCOMPARE(last.state, EngineState::Paused);
    QCOMPARE(stateKey(pairState(PairFacts{last, false, false, false})),
             QStringLiteral("paused-schedule"));
    engine.resume(); // a user's resume does not override the window
    QVERIFY(last.pausedForSchedule);

    QVERIFY(waitFor([&] { return uploadedAtMs > 0; }, Deadline));
    QVERIFY2(uploadedAtMs >= clock.todayAt(QTime(7, 0)),
             qPrintable(QStringLiteral("uploaded at %1")
                            .arg(QDateTime::fromMSecsSinceEpoch(uploadedAtMs)
                                     .toString(QStringLiteral("HH:mm:ss.zzz")))));
    QCOMPARE(readFile(remote.filePath("report.txt")), QByteArray("written at night"));
    QVERIFY(!last.pausedForSchedule);
    stop(engine);
}

void TestEngineSchedule::usersPauseOutlastsTheWindow()
{
    QTemporaryDir local, remote;
    writeFile(local.path(), QStringLiteral("draft.txt"), "not yet");
    ShiftedClock clock(QTime(21, 59, 58));
    EngineOptions options = watchOptions(local.path(), remote.path());
    options.syncWindow = *SyncWindow::parse(QStringLiteral("Mon-Sun 22:00-06:00"));
    Engine engine(options, &clock);
    StatusSnapshot last;
    qint64 publishedAtMs = 0;
    connect(&engine, &Engine::statusChanged, this, [&](const StatusSnapshot &s) {
        last = s;
        publishedAtMs = clock.nowMs();
    });
    engine.startWatching();
    QVERIFY(last.pausedForSchedule);
    engine.pause(); // the user pauses too: the window's opening leaves that pause
    const qint64 opensAtMs = clock.todayAt(QTime(22, 0));
    QVERIFY(
        waitFor([&] { return publishedAtMs >= opensAtMs && !last.pausedForSchedule; }, Deadline));
    QCOMPARE(last.state, EngineState::Paused);
    QVERIFY(!QFileInfo::exists(remote.filePath("draft.txt")));
    engine.resume();
    QVERIFY(waitFor([&] { return QFileInfo::exists(remote.filePath("draft.txt")); }, Deadline));
    stop(engine);
}

void TestEngineSchedule::bandwidthSwitchesAtTheBoundary()
{
    QTemporaryDir local, remote;
    ShiftedClock clock(QTime(7, 59, 58));
    EngineOptions options = watchOptions(local.path(), remote.path());
    options.bandwidthTimetable =
        *BandwidthTimetable::parse(QStringLiteral("08:00,512k:1M 19:00,off"));
    Engine engine(options, &clock);
    engine.startWatching();
    using Limits = std::pair<qint64, qint64>;
    QCOMPARE(engine.bandwidthLimits(), Limits(0, 0)); // 19:00's "off" runs until 08:00
    QVERIFY(waitFor([&] { return engine.bandwidthLimits() != Limits(0, 0); }, Deadline));
    QVERIFY(clock.nowMs() >= clock.todayAt(QTime(8, 0)));
    QCOMPARE(engine.bandwidthLimits(), Limits(512, 1024));
    stop(engine);
}

QTEST_GUILESS_MAIN(TestEngineSchedule)
#include "tst_engineschedule.moc"
