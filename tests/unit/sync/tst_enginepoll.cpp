// DESIGN §3/§9: while watching, a remote poll walks the remote only; when the remote is as the
// last cycle left it, nothing else runs (no local scan, no journal load, no reconciliation),
// so an idle pair costs next to nothing. A changed remote still starts a full cycle.
// A real Engine in this thread, a real watcher, and a local-directory remote.
#include "sync/engine.h"
#include "testutil.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

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

QTEST_GUILESS_MAIN(TestEnginePoll)
#include "tst_enginepoll.moc"
