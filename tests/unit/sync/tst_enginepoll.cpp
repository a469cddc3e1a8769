// SPEC §3/§9: while the watcher sees the local side, a remote poll walks the remote only and
// scans locally just where the remote changed, so that an idle pair costs next to nothing.
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

} // namespace

class TestEnginePoll : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void pollScansLocallyOnlyWhereTheRemoteChanged();
};

void TestEnginePoll::pollScansLocallyOnlyWhereTheRemoteChanged()
{
    QTemporaryDir local, remote;
    for (int i = 0; i < Files; ++i)
        writeFile(local.path(), QStringLiteral("d%1/f%2.txt").arg(i % 4).arg(i), "content");
    EngineOptions options;
    options.localRoot = local.path();
    options.remoteUrl = QUrl::fromLocalFile(remote.path());
    options.pollIntervalS = 1;
    options.debounceMs = 100;
    Engine engine(options);
    QList<CycleReport> cycles;
    connect(&engine, &Engine::cycleFinished, this,
            [&cycles](const CycleReport &report) { cycles.append(report); });
    engine.startWatching();

    QVERIFY(waitFor([&] { return !cycles.isEmpty(); }, Deadline));
    const std::optional<Error> &fatal = cycles.first().fatal;
    QVERIFY2(!fatal, qPrintable(fatal ? fatal->message : QString()));
    QCOMPARE(cycles.first().uploaded, Files);
    QVERIFY(cycles.first().localEntriesScanned >= Files); // the first cycle scans everything

    // Polls with nothing changed anywhere: no local scan at all.
    const int before = cycles.size();
    QVERIFY(waitFor([&] { return cycles.size() >= before + 2; }, Deadline));
    for (int i = before; i < cycles.size(); ++i) {
        QVERIFY(!cycles.at(i).fatal);
        QCOMPARE(cycles.at(i).localEntriesScanned, 0);
        QCOMPARE(cycles.at(i).uploaded + cycles.at(i).downloaded, 0);
    }

    // Another client adds a file: the next poll brings it, scanning only its directory.
    writeFile(remote.path(), QStringLiteral("d1/new.txt"), "from elsewhere");
    QVERIFY(waitFor([&] { return QFile::exists(local.filePath(QStringLiteral("d1/new.txt"))); },
                    Deadline));
    const auto download = std::find_if(cycles.cbegin(), cycles.cend(),
                                       [](const CycleReport &c) { return c.downloaded == 1; });
    QVERIFY(download != cycles.cend());
    QVERIFY2(download->localEntriesScanned < Files / 2,
             qPrintable(QString::number(download->localEntriesScanned)));
    QCOMPARE(readFile(local.filePath(QStringLiteral("d1/new.txt"))), QByteArray("from elsewhere"));

    // A local edit still travels through the watcher.
    writeFile(local.path(), QStringLiteral("d2/f2.txt"), "edited");
    QVERIFY(waitFor(
        [&] { return readFile(remote.filePath(QStringLiteral("d2/f2.txt"))) == "edited"; },
        Deadline));

    QSignalSpy stopped(&engine, &Engine::stopped);
    engine.stop();
    QVERIFY(stopped.count() > 0 || stopped.wait(Deadline));
}

QTEST_GUILESS_MAIN(TestEnginePoll)
#include "tst_enginepoll.moc"
