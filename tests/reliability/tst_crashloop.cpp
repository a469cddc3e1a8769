// DESIGN §5 "a crash or kill at any point loses nothing": two `watch` clients edit shared and
// new files; at 20 seeded random moments one of them is killed with SIGKILL, its journal must
// pass PRAGMA integrity_check, it is restarted, and the three trees must converge. An oracle
// records every version written on either side and finds each afterwards as a file, a
// conflict copy or a trashed item.
#include "reliabilityfixture.h"
#include "scenariorecord.h"
#include "testutil.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QSet>
#include <QTest>

#include <cstdio>
#include <random>

using namespace steadysync::test;

namespace {

constexpr int Kills = 20;
constexpr quint32 Seed = 4242;
constexpr int SharedFiles = 8;
constexpr int Deadline = 60'000;

} // namespace

class TestCrashLoop : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void killNineDuringTwoClientActivity();
    void cleanup();

private:
    std::unique_ptr<QProcess> startWatch(const QString &root)
    {
        return std::unique_ptr<QProcess>(m_fixture->cli().start(
            m_fixture->syncArguments(QStringLiteral("watch"), root), nullptr));
    }
    static void stop(std::unique_ptr<QProcess> &process)
    {
        if (process && process->state() != QProcess::NotRunning) {
            process->terminate();
            if (!waitServing([&] { return process->state() == QProcess::NotRunning; }, 30'000))
                process->kill();
        }
        process.reset();
    }

    QString divergence() const
    {
        const auto status = [&](const QString &root) {
            return QString::fromUtf8(m_fixture->run({QStringLiteral("status"), root}).out);
        };
        return describeTree(QStringLiteral("A"), m_a->path()) + status(m_a->path()) +
               describeTree(QStringLiteral("B"), m_b->path()) + status(m_b->path()) +
               describeTree(QStringLiteral("remote"), m_fixture->serverDirectory());
    }

    std::unique_ptr<ReliabilityFixture> m_fixture;
    // Members, not locals: cleanup() stops the clients before their folders go.
    std::unique_ptr<QTemporaryDir> m_a, m_b;
    std::unique_ptr<QProcess> m_watchA, m_watchB;
};

void TestCrashLoop::cleanup()
{
    stop(m_watchA);
    stop(m_watchB);
    m_a.reset();
    m_b.reset();
    m_fixture.reset();
}

void TestCrashLoop::killNineDuringTwoClientActivity()
{
    ScenarioRecord record(
        QStringLiteral("e-kill9"),
        QStringLiteral("kill -9 of watch at %1 random moments (seed %2), two clients")
            .arg(Kills)
            .arg(Seed));
    QString error;
    m_fixture = ReliabilityFixture::start(&error);
    QVERIFY2(m_fixture, qPrintable(error));
    m_a = std::make_unique<QTemporaryDir>();
    m_b = std::make_unique<QTemporaryDir>();
    const QTemporaryDir &a = *m_a;
    const QTemporaryDir &b = *m_b;
    QSet<QByteArray> written;
    for (int i = 0; i < SharedFiles; ++i) {
        const QByteArray content = "shared " + QByteArray::number(i) + " base";
        writeFile(a.path(), QStringLiteral("shared/s%1.txt").arg(i), content);
        written.insert(content);
    }
    m_watchA = startWatch(a.path());
    m_watchB = startWatch(b.path());
    const QString server = m_fixture->serverDirectory();
    const auto converged = [&] {
        const QMap<QString, QByteArray> remote = readTree(server);
        return readTree(a.path()) == remote && readTree(b.path()) == remote;
    };
    QVERIFY2(waitServing(atMostEvery(300, converged), Deadline),
             qPrintable(QStringLiteral("the initial tree did not converge\n") + divergence()));

    std::mt19937 random(Seed);
    const QStringList oracleRoots{a.path(),
                                  b.path(),
                                  server,
                                  m_fixture->cli().trashFilesDirectory(),
                                  a.path() + QStringLiteral("/.steadysync/trash"),
                                  b.path() + QStringLiteral("/.steadysync/trash")};
    int badJournals = 0;
    qint64 lostTotal = 0;
    qint64 versionsWritten = written.size();
    for (int round = 0; round < Kills; ++round) {
        // Checked once the round has converged: a later round overwrites files on purpose.
        written.clear();
        // Each side edits two shared files (sometimes the same as the other side: conflicts)
        // and creates one; no side overwrites its own version within a round.
        for (const char *side : {"A", "B"}) {
            const QString root = side[0] == 'A' ? a.path() : b.path();
            const int first = int(random() % SharedFiles);
            const int second = (first + 1 + int(random() % (SharedFiles - 1))) % SharedFiles;
            for (int file : {first, second}) {
                const QByteArray content = QByteArray(side) + " round " +
                                           QByteArray::number(round) + " shared " +
                                           QByteArray::number(file);
                writeFile(root, QStringLiteral("shared/s%1.txt").arg(file), content);
                written.insert(content);
            }
            const QByteArray created =
                QByteArray(side) + " round " + QByteArray::number(round) + " new";
            writeFile(root, QStringLiteral("new/%1-%2.txt").arg(QLatin1String(side)).arg(round),
                      created);
            written.insert(created);
        }
        // The kill lands anywhere from the debounce to the middle of the transfers.
        const int delayMs = int(random() % 1500);
        QElapsedTimer sinceEdits;
        sinceEdits.start();
        waitServing([&] { return sinceEdits.elapsed() >= delayMs; }, delayMs + 1000);
        const bool killA = random() % 2 == 0;
        std::unique_ptr<QProcess> &victim = killA ? m_watchA : m_watchB;
        const QString victimRoot = killA ? a.path() : b.path();
        victim->kill();
        QVERIFY(waitServing([&] { return victim->state() == QProcess::NotRunning; }, 30'000));
        record.addFaults(1);
        const QString integrity = journalIntegrity(victimRoot);
        if (integrity != QStringLiteral("ok")) {
            ++badJournals;
            qWarning("round %d: integrity_check of %s: %s", round, qPrintable(victimRoot),
                     qPrintable(integrity));
        }
        QElapsedTimer recovery;
        recovery.start();
        victim = startWatch(victimRoot);
        record.addRun();
        // A WebDAV LOCK orphaned by the kill blocks its file for its 5 s timeout only.
        waitServing(atMostEvery(300, converged), Deadline);
        if (!converged()) // QVERIFY2 would cut the long description short
            std::fprintf(stderr, "%s", qPrintable(divergence()));
        QVERIFY2(converged(), qPrintable(QStringLiteral("round %1 did not converge (%2 was killed)")
                                             .arg(round)
                                             .arg(killA ? QLatin1Char('A') : QLatin1Char('B'))));
        record.noteRecoveryMs(recovery.elapsed());
        record.addOperations(6);
        versionsWritten += written.size();
        const QSet<QByteArray> lost = versionsMissing(written, oracleRoots);
        lostTotal += lost.size();
        record.addVersionsLost(lost.size());
        if (!lost.isEmpty())
            qWarning("round %d: lost %s", round,
                     qPrintable(QString::fromUtf8(lost.values().join(" | "))));
    }
    record.setNotes(
        QStringLiteral("%1 versions written; %2 journals failed integrity_check; %3 requests; "
                       "recovery = restart to converged")
            .arg(versionsWritten)
            .arg(badJournals)
            .arg(m_fixture->proxy().requestCount()));
    QCOMPARE(badJournals, 0);
    QCOMPARE(lostTotal, 0);
    QCOMPARE(partialNames(a.path()), QStringList());
    QCOMPARE(partialNames(server), QStringList());
    record.complete();
}

QTEST_GUILESS_MAIN(TestCrashLoop)
#include "tst_crashloop.moc"
