// A pair paused while offline stays paused when its server comes back: the offline probe set
// it to idle, so the app said the pair ran while nothing ran (found in the engine split). A
// real Engine in this thread, a real watcher, a local-directory remote whose root goes away.
#include "sync/engine.h"
#include "testutil.h"

#include <QDir>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace steadysync;
using namespace steadysync::test;

namespace {

constexpr int Deadline = 60'000;

} // namespace

class TestEngineOffline : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void pausedWhileOfflineStaysPausedWhenTheServerReturns();
};

void TestEngineOffline::pausedWhileOfflineStaysPausedWhenTheServerReturns()
{
    QTemporaryDir local, parent;
    const QString remote = parent.path() + QStringLiteral("/share");
    const QString away = parent.path() + QStringLiteral("/share-unmounted");
    QVERIFY(QDir().mkpath(remote));
    writeFile(local.path(), QStringLiteral("report.txt"), "first");
    EngineOptions options;
    options.localRoot = local.path();
    options.remoteUrl = QUrl::fromLocalFile(remote);
    options.pollIntervalS = 3600; // only the test and the probe start anything
    options.debounceMs = 50;
    Engine engine(options);
    EngineState state = EngineState::Idle;
    int cycles = 0;
    connect(&engine, &Engine::statusChanged, this,
            [&](const StatusSnapshot &status) { state = status.state; });
    connect(&engine, &Engine::cycleFinished, this, [&] { ++cycles; });
    QSignalSpy reached(&engine, &Engine::remoteReached);
    engine.startWatching();
    QVERIFY(
        waitFor([&] { return QFile::exists(remote + QStringLiteral("/report.txt")); }, Deadline));
    QVERIFY(waitFor([&] { return cycles > 0 && state == EngineState::Idle; }, Deadline));

    // The share goes away: the next cycle finds its root missing and the pair goes offline.
    QVERIFY(QDir().rename(remote, away));
    engine.syncNow();
    QVERIFY(waitFor([&] { return state == EngineState::Offline; }, Deadline));
    engine.pause();
    QCOMPARE(state, EngineState::Paused);

    // The share is back: the probe reaches it, and the pair still says (and is) paused.
    const qsizetype reachedBefore = reached.size();
    const int cyclesBefore = cycles;
    QVERIFY(QDir().rename(away, remote));
    QVERIFY(waitFor([&] { return reached.size() > reachedBefore; }, Deadline));
    QCoreApplication::processEvents();
    QCOMPARE(state, EngineState::Paused);
    QCOMPARE(cycles, cyclesBefore);

    // Resumed, it syncs what changed meanwhile.
    writeFile(local.path(), QStringLiteral("report.txt"), "second");
    engine.resume();
    QVERIFY(waitFor([&] { return readFile(remote + QStringLiteral("/report.txt")) == "second"; },
                    Deadline));
    QSignalSpy stopped(&engine, &Engine::stopped);
    engine.stop();
    QVERIFY(stopped.count() > 0 || stopped.wait(Deadline));
}

QTEST_GUILESS_MAIN(TestEngineOffline)
#include "tst_engineoffline.moc"
