// DESIGN §3/§9: while watching, a remote poll walks the remote only; when the remote is as the
// last cycle left it, nothing else runs (no local scan, no journal load, no reconciliation),
// so an idle pair costs next to nothing. A changed remote still starts a full cycle.
// A real Engine in this thread, a real watcher, and a local-directory remote.
#include "sanitizers.h"
#include "sync/engine.h"
#include "sync/freshwalk.h"
#include "sync/pollpacing.h"
#include "testutil.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <optional>
#include <utility>

using namespace steadysync;
using namespace steadysync::test;

namespace {

constexpr int Files = 40;
constexpr int Deadline = 60'000;

EngineOptions watchOptions(const QString &local, const QString &remote)
{
    EngineOptions options;
    options.localRoot = local;
    options.remoteUrl = QUrl::fromLocalFile(remote);
    options.pollIntervalS = 1;
    options.debounceMs = 100;
    return options;
}

} // namespace

class TestEnginePoll : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void idlePollsRunNoCycle();
    void remoteChangesStillArrive();
    void pollIntervalFollowsTheWalk_data();
    void pollIntervalFollowsTheWalk();
    void idlePollWaitsTwoHundredWalks();
    void theFirstCyclesWalkPacesThePollsOfAMountedFolder();
    void anIdlePollGivesItsWalksMemoryBack();
    void whenTheCycleMayUseThePollsWalk_data();
    void whenTheCycleMayUseThePollsWalk();
    void theCycleAPollStartsListsNothing();
    void aFileBackSinceThePollsWalkIsNotTakenForGone();

private:
    struct Watch
    {
        QList<CycleReport> cycles;
        QList<bool> polls; // remotePolled(changed), in order
    };
    void connectWatch(Engine &engine, Watch &watch)
    {
        connect(&engine, &Engine::cycleFinished, this,
                [&watch](const CycleReport &report) { watch.cycles.append(report); });
        connect(&engine, &Engine::remotePolled, this,
                [&watch](bool changed) { watch.polls.append(changed); });
    }
    void stop(Engine &engine)
    {
        QSignalSpy stopped(&engine, &Engine::stopped);
        engine.stop();
        QVERIFY(stopped.count() > 0 || stopped.wait(Deadline));
    }
};

void TestEnginePoll::idlePollsRunNoCycle()
{
    QTemporaryDir local, remote;
    for (int i = 0; i < Files; ++i)
        writeFile(local.path(), QStringLiteral("d%1/f%2.txt").arg(i % 4).arg(i), "content");
    Engine engine(watchOptions(local.path(), remote.path()));
    Watch watch;
    connectWatch(engine, watch);
    engine.startWatching();
    QVERIFY(waitFor([&] { return !watch.cycles.isEmpty(); }, Deadline));
    QVERIFY(!watch.cycles.first().fatal);
    QCOMPARE(watch.cycles.first().uploaded, Files);

    // The first poll sees the uploads of the first cycle (the remote changed since its walk)
    // and runs one more cycle; from then on polls find nothing and run none.
    QVERIFY(waitFor([&] { return watch.polls.size() >= 2 && !watch.polls.constLast(); }, Deadline));
    const qsizetype cyclesBefore = watch.cycles.size();
    const qsizetype pollsBefore = watch.polls.size();
    QVERIFY(waitFor([&] { return watch.polls.size() >= pollsBefore + 3; }, Deadline));
    QCOMPARE(watch.polls.mid(pollsBefore), QList<bool>(watch.polls.size() - pollsBefore, false));
    QCOMPARE(watch.cycles.size(), cyclesBefore);
    stop(engine);
}

void TestEnginePoll::remoteChangesStillArrive()
{
    QTemporaryDir local, remote;
    writeFile(local.path(), QStringLiteral("d1/old.txt"), "12345");
    Engine engine(watchOptions(local.path(), remote.path()));
    Watch watch;
    connectWatch(engine, watch);
    engine.startWatching();
    QVERIFY(waitFor([&] { return watch.polls.contains(false); }, Deadline));

    // Another client adds a file: the next poll notices and its cycle brings it.
    writeFile(remote.path(), QStringLiteral("d1/new.txt"), "from elsewhere");
    QVERIFY(waitFor([&] { return QFile::exists(local.filePath(QStringLiteral("d1/new.txt"))); },
                    Deadline));
    QCOMPARE(readFile(local.filePath(QStringLiteral("d1/new.txt"))), QByteArray("from elsewhere"));

    // A rewrite of the same size on the remote changes its ETag (inode, size, mtime).
    const qsizetype pollsBefore = watch.polls.size();
    QVERIFY(waitFor([&] { return watch.polls.size() > pollsBefore && !watch.polls.constLast(); },
                    Deadline));
    writeFile(remote.path(), QStringLiteral("d1/old.txt"), "54321");
    QVERIFY(
        waitFor([&] { return readFile(local.filePath(QStringLiteral("d1/old.txt"))) == "54321"; },
                Deadline));

    // A local edit still travels through the watcher, not the poll.
    writeFile(local.path(), QStringLiteral("d1/new.txt"), "edited here");
    QVERIFY(waitFor(
        [&] { return readFile(remote.filePath(QStringLiteral("d1/new.txt"))) == "edited here"; },
        Deadline));
    stop(engine);
}

void TestEnginePoll::pollIntervalFollowsTheWalk_data()
{
    QTest::addColumn<qint64>("configuredS");
    QTest::addColumn<qint64>("walkMs");
    QTest::addColumn<qint64>("intervalMs");
    QTest::newRow("no walk yet") << qint64(30) << qint64(0) << qint64(30'000);
    QTest::newRow("cheap walk") << qint64(30) << qint64(100) << qint64(30'000);
    QTest::newRow("a walk of 150 ms: 0.5% at 30 s") << qint64(30) << qint64(150) << qint64(30'000);
    QTest::newRow("a slow listing over HTTP, polls each second")
        << qint64(1) << qint64(300) << qint64(1'000);
    QTest::newRow("a walk of 400 ms is paced") << qint64(1) << qint64(400) << qint64(80'000);
    QTest::newRow("100,000 files on a mount") << qint64(30) << qint64(500) << qint64(100'000);
    QTest::newRow("a million files on a mount")
        << qint64(30) << qint64(10'000) << qint64(2'000'000);
    QTest::newRow("configured 0 s is 1 s") << qint64(0) << qint64(0) << qint64(1'000);
    QTest::newRow("a clock gone backwards") << qint64(5) << qint64(-40) << qint64(5'000);
}

// A poll takes at most 0.5% of the time: an idle watch of a million files on a mounted folder
// (a ~10 s walk) polled every 30 s kept a fifth of a core busy.
void TestEnginePoll::pollIntervalFollowsTheWalk()
{
    QFETCH(qint64, configuredS);
    QFETCH(qint64, walkMs);
    QFETCH(qint64, intervalMs);
    QCOMPARE(pollIntervalMsAfterWalk(configuredS, walkMs), intervalMs);
}

void TestEnginePoll::idlePollWaitsTwoHundredWalks()
{
    QTemporaryDir local, remote;
    for (int i = 0; i < 400; ++i)
        writeFile(local.path(), QStringLiteral("d%1/f%2.txt").arg(i % 20).arg(i), "content");
    Engine engine(watchOptions(local.path(), remote.path()));
    Watch watch;
    connectWatch(engine, watch);
    engine.startWatching();
    QVERIFY(waitFor([&] { return watch.polls.contains(false); }, Deadline));
    QVERIFY(engine.lastPollWalkMs() >= 0);
    QCOMPARE(qint64(engine.pollIntervalMs()), pollIntervalMsAfterWalk(1, engine.lastPollWalkMs()));
    stop(engine);
}

// An idle watch of a million files on a mounted folder walked them again 30 s after its first
// cycle, whose walk had taken seconds: there a poll lists all a cycle lists, so the cycle's own
// walk paces the polls too.
void TestEnginePoll::theFirstCyclesWalkPacesThePollsOfAMountedFolder()
{
    QTemporaryDir local, remote;
    for (int i = 0; i < 400; ++i)
        writeFile(local.path(), QStringLiteral("d%1/f%2.txt").arg(i % 20).arg(i), "content");
    Engine engine(watchOptions(local.path(), remote.path()));
    std::optional<std::pair<qint64, qint64>> pacedBy; // {walk ms, interval ms} after cycle 1
    qint64 cycleWalkMs = -1;
    connect(&engine, &Engine::cycleFinished, this, [&](const CycleReport &report) {
        if (pacedBy)
            return;
        cycleWalkMs = qint64(report.firstWholeWalkSeconds * 1000);
        pacedBy = {engine.lastPollWalkMs(), qint64(engine.pollIntervalMs())};
    });
    engine.startWatching();
    QVERIFY(waitFor([&] { return pacedBy.has_value(); }, Deadline));
    QVERIFY(cycleWalkMs >= 0);
    QVERIFY(pacedBy->first >= 0);
    QCOMPARE(pacedBy->first, cycleWalkMs);
    QCOMPARE(pacedBy->second, pollIntervalMsAfterWalk(1, cycleWalkMs));
    stop(engine);
}

// An idle watch of a million files kept the heap of its first poll's walk, ~280 MB, until the
// next cycle: after an unchanged poll the engine gives it back as after a cycle.
void TestEnginePoll::anIdlePollGivesItsWalksMemoryBack()
{
    if (kUnderAddressSanitizer)
        QSKIP("its memory use says nothing about a plain build's (sanitizers.h)");
    constexpr int ManyFiles = 20'000;
    QTemporaryDir local, remote;
    for (int i = 0; i < ManyFiles; ++i)
        writeFile(local.path(), QStringLiteral("d%1/f%2.txt").arg(i % 100).arg(i), "content");
    Engine engine(watchOptions(local.path(), remote.path()));
    Watch watch;
    connectWatch(engine, watch);
    engine.startWatching();
    QVERIFY(waitFor([&] { return !watch.cycles.isEmpty(); }, Deadline));
    QCoreApplication::processEvents(); // the cycle's memory given back
    const qint64 afterCycle = anonymousResidentBytes();
    QVERIFY(afterCycle > 0);
    if (engine.pollIntervalMs() > 1000)
        QSKIP("the cycle's walk paced the polls beyond this test's wait");
    QVERIFY(waitFor([&] { return watch.polls.count(false) >= 3; }, Deadline));
    // Without giving it back, ~5 MB of each walk stays (~280 bytes a file).
    const qint64 limit = afterCycle + 100 * ManyFiles;
    qint64 afterPolls = -1;
    const bool givenBack = waitFor(
        [&] {
            afterPolls = anonymousResidentBytes();
            return afterPolls < limit;
        },
        5'000);
    QVERIFY2(givenBack, qPrintable(QStringLiteral("%1 MB after polls, %2 MB after the cycle")
                                       .arg(double(afterPolls) / 1e6)
                                       .arg(double(afterCycle) / 1e6)));
    stop(engine);
}

void TestEnginePoll::whenTheCycleMayUseThePollsWalk_data()
{
    QTest::addColumn<bool>("wholeRemote");
    QTest::addColumn<int>("redoRound");
    QTest::addColumn<quint64>("journalChangesNow");
    QTest::addColumn<qint64>("ageMs");
    QTest::addColumn<bool>("mayUse");
    constexpr quint64 atStart = 7;
    QTest::newRow("the poll's cycle") << true << 0 << atStart << qint64(300) << true;
    QTest::newRow("at the age limit") << true << 0 << atStart << FreshWalkMaxAgeMs << true;
    QTest::newRow("older") << true << 0 << atStart << FreshWalkMaxAgeMs + 1 << false;
    QTest::newRow("the journal changed since the walk began")
        << true << 0 << atStart + 1 << qint64(300) << false;
    QTest::newRow("a cycle of some paths") << false << 0 << atStart << qint64(300) << false;
    QTest::newRow("a redo round") << true << 1 << atStart << qint64(300) << false;
    QTest::newRow("a clock gone backwards") << true << 0 << atStart << qint64(-5) << false;
}

void TestEnginePoll::whenTheCycleMayUseThePollsWalk()
{
    QFETCH(bool, wholeRemote);
    QFETCH(int, redoRound);
    QFETCH(quint64, journalChangesNow);
    QFETCH(qint64, ageMs);
    QFETCH(bool, mayUse);
    const FreshWalkOffer offer{7, 1'000'000};
    QCOMPARE(
        mayUseFreshWalk(offer, wholeRemote, redoRound, journalChangesNow, offer.endedMs + ageMs),
        mayUse);
}

// A remote change costs each watching client one walk of the remote, not two: the cycle the
// changed poll starts plans with the poll's walk. A cycle the watcher starts walks itself.
void TestEnginePoll::theCycleAPollStartsListsNothing()
{
    QTemporaryDir local, remote;
    writeFile(local.path(), QStringLiteral("d1/old.txt"), "12345");
    Engine engine(watchOptions(local.path(), remote.path()));
    Watch watch;
    connectWatch(engine, watch);
    engine.startWatching();
    QVERIFY(waitFor([&] { return watch.polls.contains(false); }, Deadline));

    qsizetype cyclesBefore = watch.cycles.size();
    writeFile(remote.path(), QStringLiteral("d2/new.txt"), "from elsewhere");
    QVERIFY(waitFor([&] { return QFile::exists(local.filePath(QStringLiteral("d2/new.txt"))); },
                    Deadline));
    // The poll may have seen the folder before the file: the cycle that brought the file.
    const auto cycleThat = [&](auto did) -> const CycleReport * {
        for (qsizetype i = cyclesBefore; i < watch.cycles.size(); ++i) {
            if (did(watch.cycles.at(i)))
                return &watch.cycles.at(i);
        }
        return nullptr;
    };
    const auto downloads = [](const CycleReport &cycle) {
        return cycle.downloaded > 0;
    };
    QVERIFY(waitFor([&] { return cycleThat(downloads) != nullptr; }, Deadline));
    QVERIFY(cycleThat(downloads)->remoteWalkFromPoll);

    cyclesBefore = watch.cycles.size();
    writeFile(local.path(), QStringLiteral("d1/old.txt"), "edited here");
    const auto uploads = [](const CycleReport &cycle) {
        return cycle.uploaded > 0;
    };
    QVERIFY(waitFor([&] { return cycleThat(uploads) != nullptr; }, Deadline));
    QVERIFY(!cycleThat(uploads)->remoteWalkFromPoll);
    stop(engine);
}

// The poll's walk saw a file gone that is back by the time the cycle proves the deletion (a
// save by delete and re-create): the round is planned again with a walk of its own, which
// brings the new content. Planned with the old walk alone, the proof finds the file after all,
// leaves it queued as unsynced and distrusts the server's tree listings for the session.
void TestEnginePoll::aFileBackSinceThePollsWalkIsNotTakenForGone()
{
    QTemporaryDir local, remote;
    writeFile(local.path(), QStringLiteral("d1/saved.txt"), "first");
    writeFile(local.path(), QStringLiteral("d1/other.txt"), "other");
    Engine engine(watchOptions(local.path(), remote.path()));
    Watch watch;
    connectWatch(engine, watch);
    engine.startWatching();
    QVERIFY(waitFor([&] { return watch.polls.contains(false); }, Deadline));

    bool recreated = false;
    connect(&engine, &Engine::remotePolled, this, [&](bool changed) {
        if (changed && !recreated) { // before the engine hands the walk to the cycle
            recreated = true;
            writeFile(remote.path(), QStringLiteral("d1/saved.txt"), "second");
        }
    });
    const qsizetype cyclesBefore = watch.cycles.size();
    QVERIFY(QFile::remove(remote.filePath(QStringLiteral("d1/saved.txt"))));
    QVERIFY(waitFor(
        [&] { return readFile(local.filePath(QStringLiteral("d1/saved.txt"))) == "second"; },
        Deadline));
    QVERIFY(waitFor([&] { return watch.cycles.size() > cyclesBefore; }, Deadline));
    const CycleReport &cycle = watch.cycles.at(cyclesBefore);
    QVERIFY(cycle.remoteWalkFromPoll);
    QCOMPARE(cycle.queued, 0);
    QCOMPARE(cycle.failed, 0);
    QCOMPARE(cycle.downloaded, 1);
    stop(engine);
}

QTEST_GUILESS_MAIN(TestEnginePoll)
#include "tst_enginepoll.moc"
