// A flaky link: 10% of requests reset at a random point (seeded), two clients creating,
// editing, deleting, moving and conflicting about 2,000 operations' worth of changes with
// repeated one-shot syncs. They converge; every version is kept exactly once; no file under
// a final name holds a partial transfer.
#include "reliabilityfixture.h"
#include "scenariorecord.h"
#include "testutil.h"

#include <QDir>
#include <QElapsedTimer>
#include <QSet>
#include <QTest>

using namespace steadysync::test;

namespace {

constexpr int Files = 600;
constexpr quint32 Seed = 20261124;
constexpr double ResetProbability = 0.10;
constexpr int MaxRounds = 40;
constexpr qint64 ConvergeDeadlineMs = 240'000; // rounds go on this long after MaxRounds

QByteArray version(const char *who, int file, int generation)
{
    return QByteArray(who) + " file " + QByteArray::number(file) + " generation " +
           QByteArray::number(generation) + '\n' +
           QByteArray(200 + file % 700, char('a' + file % 26));
}

} // namespace

class TestFlakyLink : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void tenPercentResetsConverge();

private:
    // Syncs A and B in turn until all three trees are equal; the number of rounds (0: never).
    int syncUntilConverged(ReliabilityFixture &fixture, const QString &a, const QString &b,
                           qint64 *operations)
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
                // Conflicts are expected for files 500-519 only: name each, to tell them apart.
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
};

void TestFlakyLink::tenPercentResetsConverge()
{
    ScenarioRecord record(
        QStringLiteral("b-flaky"),
        QStringLiteral("Flaky link: 10% of requests reset (seed %1), two clients").arg(Seed));
    QString error;
    auto fixture = ReliabilityFixture::start(&error);
    QVERIFY2(fixture, qPrintable(error));
    QTemporaryDir a, b;
    fixture->proxy().setRandomResets(ResetProbability, Seed);

    QSet<QByteArray> written;
    QSet<QByteArray> expected; // the versions that must exist once each on every side
    for (int i = 0; i < Files; ++i) {
        const QByteArray content = version("A", i, 0);
        writeFile(a.path(), QStringLiteral("d%1/f%2.txt").arg(i / 30).arg(i), content);
        written.insert(content);
        expected.insert(content);
    }
    qint64 operations = 0;
    QElapsedTimer timer;
    timer.start();
    int rounds = syncUntilConverged(*fixture, a.path(), b.path(), &operations);
    QVERIFY2(rounds > 0, "the first upload did not converge");
    int totalRounds = rounds;

    const auto path = [](const QString &root, int i) {
        return root + QStringLiteral("/d%1/f%2.txt").arg(i / 30).arg(i);
    };
    for (int i = 0; i < 150; ++i) { // A edits
        expected.remove(version("A", i, 0));
        writeFile(a.path(), QStringLiteral("d%1/f%2.txt").arg(i / 30).arg(i), version("A", i, 1));
    }
    for (int i = 150; i < 300; ++i) { // B edits
        expected.remove(version("A", i, 0));
        writeFile(b.path(), QStringLiteral("d%1/f%2.txt").arg(i / 30).arg(i), version("B", i, 1));
    }
    for (int i = 300; i < 350; ++i) { // A deletes
        expected.remove(version("A", i, 0));
        QVERIFY(QFile::remove(path(a.path(), i)));
    }
    for (int i = 350; i < 400; ++i) { // B deletes
        expected.remove(version("A", i, 0));
        QVERIFY(QFile::remove(path(b.path(), i)));
    }
    QVERIFY(QDir().mkpath(a.path() + QStringLiteral("/moved")));
    for (int i = 400; i < 425; ++i) // A moves, content unchanged
        QVERIFY(
            QFile::rename(path(a.path(), i), a.path() + QStringLiteral("/moved/f%1.txt").arg(i)));
    for (int i = 500; i < 520; ++i) { // both edit: a conflict, both versions kept
        expected.remove(version("A", i, 0));
        writeFile(a.path(), QStringLiteral("d%1/f%2.txt").arg(i / 30).arg(i), version("A", i, 2));
        writeFile(b.path(), QStringLiteral("d%1/f%2.txt").arg(i / 30).arg(i), version("B", i, 2));
    }
    for (int i = 0; i < 150; ++i)
        expected.insert(version("A", i, 1));
    for (int i = 150; i < 300; ++i)
        expected.insert(version("B", i, 1));
    for (int i = 500; i < 520; ++i)
        expected << version("A", i, 2) << version("B", i, 2);
    for (const QByteArray &content : std::as_const(expected))
        written.insert(content);

    rounds = syncUntilConverged(*fixture, a.path(), b.path(), &operations);
    if (rounds == 0) {
        // An item failed permanently because of a reset is never retried by `sync`: name it.
        QStringList failedItems;
        for (const QString &root : {a.path(), b.path()}) {
            const QString status =
                QString::fromUtf8(fixture->run({QStringLiteral("status"), root}).out);
            for (const QString &line : status.split(QLatin1Char('\n'))) {
                if (line.trimmed().startsWith(QStringLiteral("failed ")) ||
                    line.trimmed().startsWith(QStringLiteral("queued ")))
                    failedItems.append(line.trimmed());
            }
        }
        qWarning("not converged; failed items: %s",
                 qPrintable(failedItems.join(QStringLiteral(" | "))));
        if (std::any_of(failedItems.cbegin(), failedItems.cend(),
                        [](const QString &item) { return item.startsWith(u"failed "); })) {
            record.knownBug(
                QStringLiteral(
                    "a transient reset left an item failed permanently, never retried: ") +
                failedItems.join(QStringLiteral(" | ")).left(300));
            QEXPECT_FAIL("",
                         "a connection reset classified as a permanent failure (see the warning)",
                         Abort);
        }
    }
    QVERIFY2(rounds > 0, "the changes did not converge");
    totalRounds += rounds;

    const QStringList roots{a.path(), b.path(), fixture->serverDirectory()};
    const QSet<QByteArray> lost = versionsMissing(expected, roots);
    record.addVersionsLost(lost.size());
    record.addRun();
    record.addFaults(fixture->proxy().faultsInjected());
    record.addOperations(operations);
    record.noteRecoveryMs(timer.elapsed());
    record.setNotes(
        QStringLiteral("%1 requests, %2 sync rounds of both clients; recovery = time to converge")
            .arg(fixture->proxy().requestCount())
            .arg(totalRounds));
    QVERIFY2(lost.isEmpty(), qPrintable(QStringLiteral("%1 versions lost").arg(lost.size())));
    for (const QString &root : roots) {
        const QHash<QByteArray, int> counts = contentCounts(root);
        for (auto it = counts.cbegin(); it != counts.cend(); ++it) {
            QVERIFY2(written.contains(it.key()),
                     qPrintable(root + QStringLiteral(": a file holds a partial transfer")));
            if (it.value() != 1) {
                const QMap<QString, QByteArray> tree = readTree(root);
                QStringList holders;
                for (auto file = tree.cbegin(); file != tree.cend(); ++file) {
                    if (file.value() == it.key())
                        holders.append(file.key());
                }
                QFAIL(qPrintable(root + QStringLiteral(": a duplicated version in ") +
                                 holders.join(QStringLiteral(", "))));
            }
        }
        if (counts.size() != expected.size()) {
            const QMap<QString, QByteArray> tree = readTree(root);
            for (auto it = tree.cbegin(); it != tree.cend(); ++it) {
                if (!it.key().endsWith(QLatin1Char('/')) && !expected.contains(it.value()))
                    qWarning("%s: %s holds an old version: %s", qPrintable(root),
                             qPrintable(it.key()),
                             it.value().left(it.value().indexOf('\n')).constData());
            }
        }
        QCOMPARE(counts.size(), expected.size());
        QCOMPARE(partialNames(root), QStringList());
    }
    QVERIFY(fixture->proxy().faultsInjected() > 0);
    record.complete();
}

QTEST_GUILESS_MAIN(TestFlakyLink)
#include "tst_flakylink.moc"
