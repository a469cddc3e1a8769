// A flaky link: 10% of requests reset at a random point (seeded), two clients creating,
// editing, deleting, moving and conflicting over 2,000 operations' worth of changes with
// repeated one-shot syncs. They converge; every version is kept exactly once; no file under
// a final name holds a partial transfer. The same through a seeded mix of every fault the
// proxy draws: resets, 503 with Retry-After, stalled requests and slowed answers.
#include "reliabilityfixture.h"
#include "scenariorecord.h"
#include "testutil.h"

#include <QDir>
#include <QElapsedTimer>
#include <QScopeGuard>
#include <QSet>
#include <QTest>

using namespace steadysync::test;

namespace {

constexpr int Files = 720;
constexpr quint32 Seed = 20261124;
constexpr double ResetProbability = 0.10;
constexpr qint64 MinimumOperations = 2000; // issue 5: "over 2,000 operations"
constexpr int MixFiles = 150;
constexpr quint32 MixSeed = 20261202;
constexpr int MaxRounds = 40;
constexpr qint64 ConvergeDeadlineMs = 240'000; // rounds go on this long after MaxRounds

QByteArray version(const char *who, int file, int generation)
{
    return QByteArray(who) + " file " + QByteArray::number(file) + " generation " +
           QByteArray::number(generation) + '\n' +
           QByteArray(200 + file % 700, char('a' + file % 26));
}

// Every fault the proxy's random mix can draw, 4% of requests each; stalls stay well below
// the client's request timeout, 503s ask for the shortest Retry-After.
FaultProxy::FaultMix everyFault()
{
    FaultProxy::FaultMix mix;
    mix.resets = 0.04;
    mix.unavailable = 0.04;
    mix.retryAfterSeconds = 1;
    mix.stalls = 0.04;
    mix.minStallMs = 100;
    mix.maxStallMs = 1000;
    mix.slowAnswers = 0.04;
    mix.slowBytesPerSecond = 32 * 1024;
    return mix;
}

QString relativePath(int file)
{
    return QStringLiteral("d%1/f%2.txt").arg(file / 30).arg(file);
}

// Every version either client wrote, and those that must exist exactly once on every side
// once the clients have converged.
struct Versions
{
    QSet<QByteArray> written;
    QSet<QByteArray> expected;

    void replace(const QByteArray &old, const QByteArray &current)
    {
        expected.remove(old);
        add(current);
    }
    void add(const QByteArray &current)
    {
        written.insert(current);
        expected.insert(current);
    }
};

// The "failed ..." and "queued ..." lines of `status` for each root: what kept a run from
// converging.
QStringList stuckItems(const ReliabilityFixture &fixture, const QStringList &roots)
{
    QStringList items;
    for (const QString &root : roots) {
        const QString status = QString::fromUtf8(fixture.run({QStringLiteral("status"), root}).out);
        for (const QString &line : status.split(QLatin1Char('\n'))) {
            const QString item = line.trimmed();
            if (item.startsWith(QStringLiteral("failed ")) ||
                item.startsWith(QStringLiteral("queued ")))
                items.append(item);
        }
    }
    return items;
}

// The files below root holding a given content, for a failure message.
QStringList holdersOf(const QString &root, const QByteArray &content)
{
    QStringList holders;
    const QMap<QString, QByteArray> tree = readTree(root);
    for (auto file = tree.cbegin(); file != tree.cend(); ++file) {
        if (file.value() == content)
            holders.append(file.key());
    }
    return holders;
}

void warnAboutOldVersions(const QString &root, const QSet<QByteArray> &expected)
{
    const QMap<QString, QByteArray> tree = readTree(root);
    for (auto it = tree.cbegin(); it != tree.cend(); ++it) {
        if (!it.key().endsWith(QLatin1Char('/')) && !expected.contains(it.value()))
            qWarning("%s: %s holds an old version: %s", qPrintable(root), qPrintable(it.key()),
                     it.value().left(it.value().indexOf('\n')).constData());
    }
}

} // namespace

class TestFlakyLink : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void tenPercentResetsConverge();
    void seededFaultMixConverges();

private:
    // Syncs A and B in turn until both exit 0 with all three trees equal; the number of rounds
    // (0: never).
    static int syncUntilConverged(ReliabilityFixture &fixture, const QString &a, const QString &b,
                                  qint64 *operations);
    // A converging phase: on failure, warns with the items left failed or queued and fails.
    static void converge(ReliabilityFixture &fixture, const QString &a, const QString &b,
                         const char *phase, qint64 *operations, int *rounds);
    static void createFiles(const QString &root, int files, Versions &versions);
    static void changeOnBothSides(const QString &a, const QString &b, int files,
                                  Versions &versions);
    // Two clients through the fault proxy as armed: files created on A, then changes of every
    // kind on both sides, each phase converging; all the checks, and the figures into record.
    static void runTwoClients(ReliabilityFixture &fixture, ScenarioRecord &record, int files,
                              qint64 minimumOperations);
    // Every expected version exactly once in root, nothing else but versions written.
    static void checkEveryVersionOnce(const QString &root, const Versions &versions);
};

int TestFlakyLink::syncUntilConverged(ReliabilityFixture &fixture, const QString &a,
                                      const QString &b, qint64 *operations)
{
    QElapsedTimer elapsed;
    elapsed.start();
    for (int round = 1; round <= MaxRounds || elapsed.elapsed() < ConvergeDeadlineMs; ++round) {
        QElapsedTimer roundTime;
        roundTime.start();
        bool queued = false;
        bool bothInSync = true;
        for (const QString &root : {a, b}) {
            const CliRunner::Outcome outcome = fixture.sync(root);
            bothInSync &= outcome.exitCode == 0;
            const QJsonObject report = outcome.json();
            qInfo("round %d: exit %d in %.1f s, %d failed, %d queued", round, outcome.exitCode,
                  report.value(QLatin1String("seconds")).toDouble(),
                  report.value(QLatin1String("failed")).toInt(),
                  report.value(QLatin1String("queued")).toInt());
            for (const char *key : {"uploaded", "downloaded", "deleted_local", "deleted_remote",
                                    "moved", "conflicts"})
                *operations += report.value(QLatin1String(key)).toInteger();
            queued |= report.value(QLatin1String("queued")).toInt() > 0;
            // Conflicts are expected for the files both clients edit only: name each, to tell
            // them apart.
            for (const QByteArray &line : outcome.err.split('\n')) {
                if (line.startsWith("conflict "))
                    qInfo("round %d, %s: %s", round, root == a ? "A" : "B", line.constData());
            }
        }
        // Equal trees alone are not enough: a client whose upload answer was lost does not
        // know its version arrived, and must keep it as a conflict copy should the other
        // client's next edit replace it before it learns so.
        const QMap<QString, QByteArray> server = readTree(fixture.serverDirectory());
        if (bothInSync && readTree(a) == server && readTree(b) == server)
            return round;
        // Queued items wait for their backoff (5 s, doubling): rounds faster than a second
        // would only find them not yet due.
        if (queued)
            waitServing([&roundTime] { return roundTime.elapsed() >= 1000; }, 2000);
    }
    return 0;
}

void TestFlakyLink::converge(ReliabilityFixture &fixture, const QString &a, const QString &b,
                             const char *phase, qint64 *operations, int *rounds)
{
    const int taken = syncUntilConverged(fixture, a, b, operations);
    *rounds += taken;
    if (taken > 0)
        return;
    // An item left failed permanently (or still queued) by a transient fault is a bug of the
    // client, never an accepted outcome: name the items so that the failure says which.
    const QStringList stuck = stuckItems(fixture, {a, b});
    qWarning("%s: not converged; failed or queued items: %s", phase,
             qPrintable(stuck.join(QStringLiteral(" | "))));
    QFAIL(qPrintable(QStringLiteral("%1 did not converge; %2 items failed or queued")
                         .arg(QString::fromLatin1(phase))
                         .arg(stuck.size())));
}

void TestFlakyLink::createFiles(const QString &root, int files, Versions &versions)
{
    for (int i = 0; i < files; ++i) {
        const QByteArray content = version("A", i, 0);
        writeFile(root, relativePath(i), content);
        versions.add(content);
    }
}

void TestFlakyLink::changeOnBothSides(const QString &a, const QString &b, int files,
                                      Versions &versions)
{
    // Shares of the tree: a quarter edited by each client, a twelfth deleted by each, a
    // twenty-fourth moved by A, a thirtieth edited on both sides (conflicts, both kept).
    const int edited = files / 4, deleted = files / 12, moved = files / 24;
    const int conflicting = files / 30, conflictsFrom = files * 5 / 6;
    const auto path = [](const QString &root, int i) {
        return root + QLatin1Char('/') + relativePath(i);
    };
    for (int i = 0; i < edited; ++i) {
        writeFile(a, relativePath(i), version("A", i, 1));
        versions.replace(version("A", i, 0), version("A", i, 1));
    }
    for (int i = edited; i < 2 * edited; ++i) {
        writeFile(b, relativePath(i), version("B", i, 1));
        versions.replace(version("A", i, 0), version("B", i, 1));
    }
    for (int i = 2 * edited; i < 2 * edited + deleted; ++i) {
        QVERIFY(QFile::remove(path(a, i)));
        versions.expected.remove(version("A", i, 0));
    }
    for (int i = 2 * edited + deleted; i < 2 * edited + 2 * deleted; ++i) {
        QVERIFY(QFile::remove(path(b, i)));
        versions.expected.remove(version("A", i, 0));
    }
    QVERIFY(QDir().mkpath(a + QStringLiteral("/moved")));
    const int movesFrom = 2 * edited + 2 * deleted;
    for (int i = movesFrom; i < movesFrom + moved; ++i) // content unchanged
        QVERIFY(QFile::rename(path(a, i), a + QStringLiteral("/moved/f%1.txt").arg(i)));
    for (int i = conflictsFrom; i < conflictsFrom + conflicting; ++i) {
        writeFile(a, relativePath(i), version("A", i, 2));
        writeFile(b, relativePath(i), version("B", i, 2));
        versions.replace(version("A", i, 0), version("A", i, 2));
        versions.add(version("B", i, 2));
    }
}

void TestFlakyLink::checkEveryVersionOnce(const QString &root, const Versions &versions)
{
    const QHash<QByteArray, int> counts = contentCounts(root);
    for (auto it = counts.cbegin(); it != counts.cend(); ++it) {
        QVERIFY2(versions.written.contains(it.key()),
                 qPrintable(root + QStringLiteral(": a file holds a partial transfer")));
        // Not QVERIFY2: its message, which reads the whole tree, would be built for every file.
        if (it.value() != 1)
            QFAIL(qPrintable(root + QStringLiteral(": a duplicated version in ") +
                             holdersOf(root, it.key()).join(QStringLiteral(", "))));
    }
    if (counts.size() != versions.expected.size())
        warnAboutOldVersions(root, versions.expected);
    QCOMPARE(counts.size(), versions.expected.size());
    QCOMPARE(partialNames(root), QStringList());
}

void TestFlakyLink::runTwoClients(ReliabilityFixture &fixture, ScenarioRecord &record, int files,
                                  qint64 minimumOperations)
{
    QTemporaryDir a, b;
    qint64 operations = 0;
    int rounds = 0;
    // Also when a check fails, so that a failing row shows how far the run got.
    const auto recordFigures = qScopeGuard([&] {
        FaultProxy &proxy = fixture.proxy();
        record.addRun();
        record.addFaults(proxy.faultsInjected());
        record.addOperations(operations);
        record.setNotes(
            QStringLiteral("%1 requests, %2 sync rounds of both clients; faults: %3 resets, %4 "
                           "503s, %5 stalls, %6 slowed answers; recovery = time to converge")
                .arg(proxy.requestCount())
                .arg(rounds)
                .arg(proxy.randomFaults(FaultProxy::RandomFault::Reset))
                .arg(proxy.randomFaults(FaultProxy::RandomFault::Unavailable))
                .arg(proxy.randomFaults(FaultProxy::RandomFault::Stall))
                .arg(proxy.randomFaults(FaultProxy::RandomFault::SlowAnswer)));
    });
    QElapsedTimer timer;
    timer.start();

    Versions versions;
    createFiles(a.path(), files, versions);
    converge(fixture, a.path(), b.path(), "the first upload", &operations, &rounds);
    if (QTest::currentTestFailed())
        return;
    changeOnBothSides(a.path(), b.path(), files, versions);
    if (QTest::currentTestFailed())
        return;
    converge(fixture, a.path(), b.path(), "the changes", &operations, &rounds);
    if (QTest::currentTestFailed())
        return;
    record.noteRecoveryMs(timer.elapsed());

    const QStringList roots{a.path(), b.path(), fixture.serverDirectory()};
    const QSet<QByteArray> lost = versionsMissing(versions.expected, roots);
    record.addVersionsLost(lost.size());
    QVERIFY2(lost.isEmpty(), qPrintable(QStringLiteral("%1 versions lost").arg(lost.size())));
    for (const QString &root : roots) {
        checkEveryVersionOnce(root, versions);
        if (QTest::currentTestFailed())
            return;
    }
    QVERIFY(fixture.proxy().faultsInjected() > 0);
    QVERIFY2(operations >= minimumOperations,
             qPrintable(QStringLiteral("only %1 operations, the scenario promises over %2")
                            .arg(operations)
                            .arg(minimumOperations)));
}

void TestFlakyLink::tenPercentResetsConverge()
{
    ScenarioRecord record(
        QStringLiteral("b-flaky"),
        QStringLiteral("Flaky link: 10% of requests reset (seed %1), two clients").arg(Seed));
    QString error;
    auto fixture = ReliabilityFixture::start(&error);
    QVERIFY2(fixture, qPrintable(error));
    fixture->proxy().setRandomResets(ResetProbability, Seed);
    runTwoClients(*fixture, record, Files, MinimumOperations);
    if (QTest::currentTestFailed())
        return;
    record.complete();
}

void TestFlakyLink::seededFaultMixConverges()
{
    const FaultProxy::FaultMix mix = everyFault();
    ScenarioRecord record(
        QStringLiteral("b-mix"),
        QStringLiteral("Seeded fault mix (seed %1): %2% each of resets, 503 with Retry-After: "
                       "%3, stalls of %4-%5 ms, answers slowed to %6 KiB/s; two clients")
            .arg(MixSeed)
            .arg(mix.resets * 100)
            .arg(mix.retryAfterSeconds)
            .arg(mix.minStallMs)
            .arg(mix.maxStallMs)
            .arg(mix.slowBytesPerSecond / 1024));
    QString error;
    auto fixture = ReliabilityFixture::start(&error);
    QVERIFY2(fixture, qPrintable(error));
    fixture->proxy().setRandomMix(mix, MixSeed);
    // Each file is uploaded once and downloaded once at least.
    runTwoClients(*fixture, record, MixFiles, 2 * MixFiles);
    if (QTest::currentTestFailed())
        return;
    for (const FaultProxy::RandomFault kind :
         {FaultProxy::RandomFault::Reset, FaultProxy::RandomFault::Unavailable,
          FaultProxy::RandomFault::Stall, FaultProxy::RandomFault::SlowAnswer})
        QVERIFY2(fixture->proxy().randomFaults(kind) > 0,
                 qPrintable(QStringLiteral("the mix never drew fault %1").arg(int(kind))));
    record.complete();
}

QTEST_GUILESS_MAIN(TestFlakyLink)
#include "tst_flakylink.moc"
