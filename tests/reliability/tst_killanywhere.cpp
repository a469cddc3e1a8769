// DESIGN §5 "a crash or kill at any point loses nothing", measured over whole process lives:
// 1,000 SIGKILLs at seeded random moments of `sync` and `watch` runs (start-up and lock,
// journal open, scan, transfers, commits, and a watch's shutdown after SIGTERM), each
// followed by a plain `sync` that must converge at once. Counted: stuck pairs (that sync
// not exiting 0), versions lost (a content written in the round found nowhere: tree,
// conflict copy or trash) and temporary files left on the remote. A file:// remote keeps
// each round short; transfers are slowed so that kills land inside them too.
#include "clirunner.h"
#include "reliabilityfixture.h"
#include "scenariorecord.h"
#include "testutil.h"

#include <QDir>
#include <QElapsedTimer>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <random>

using namespace steadysync::test;

namespace {

constexpr int Kills = 1000;
constexpr quint32 Seed = 1212;
constexpr int Files = 12;

QByteArray versionContent(int round, const char *what, int file, std::mt19937 &random)
{
    // 4-100 KiB: at the 4 MiB/s limit of the killed run a transfer takes 1-25 ms.
    QByteArray content = "round " + QByteArray::number(round) + ' ' + what + " file " +
                         QByteArray::number(file) + '\n';
    content.append(QByteArray(int(4096 + random() % (96 * 1024)), char('a' + round % 26)));
    return content;
}

} // namespace

class TestKillAnywhere : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void thousandKillsOverWholeLives();

private:
    QString filePath(int file) const
    {
        return QStringLiteral("%1/f%2.txt")
            .arg(file % 3 == 0 ? QStringLiteral("d1") : QStringLiteral("d2/deep"))
            .arg(file);
    }
    QSet<QByteArray> mutate(int round, std::mt19937 &random);
    // Whether the SIGKILL landed (a sync may have finished first).
    bool killOneLife(int round, std::mt19937 &random, int *watchKills, int *shutdownKills);

    std::unique_ptr<QTemporaryDir> m_home, m_local, m_remote;
    std::unique_ptr<CliRunner> m_cli;
    QString m_remoteUrl;
};

// One to three changes a user or another client makes between two runs.
QSet<QByteArray> TestKillAnywhere::mutate(int round, std::mt19937 &random)
{
    QSet<QByteArray> written;
    QSet<int> touched;
    const int changes = 1 + int(random() % 3);
    for (int i = 0; i < changes; ++i) {
        const int file = int(random() % Files);
        if (touched.contains(file))
            continue;
        touched.insert(file);
        switch (random() % 5) {
        case 0:
        case 1: {
            const QByteArray content = versionContent(round, "local", file, random);
            writeFile(m_local->path(), filePath(file), content);
            written.insert(content);
            break;
        }
        case 2:
        case 3: {
            const QByteArray content = versionContent(round, "remote", file, random);
            writeFile(m_remote->path(), filePath(file), content);
            written.insert(content);
            break;
        }
        default:
            QFile::remove(m_local->path() + QLatin1Char('/') + filePath(file));
            break;
        }
    }
    return written;
}

bool TestKillAnywhere::killOneLife(int round, std::mt19937 &random, int *watchKills,
                                   int *shutdownKills)
{
    const bool watch = random() % 5 < 2;
    QStringList arguments{watch ? QStringLiteral("watch") : QStringLiteral("sync"),
                          m_local->path(),
                          m_remoteUrl,
                          QStringLiteral("--bwlimit-up"),
                          QStringLiteral("4096"),
                          QStringLiteral("--bwlimit-down"),
                          QStringLiteral("4096"),
                          QStringLiteral("--quiet")};
    if (watch)
        arguments << QStringLiteral("--debounce-ms") << QStringLiteral("50");
    QProcess process;
    process.setProcessEnvironment(m_cli->environment());
    process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    process.start(CliRunner::program(), arguments);
    if (!process.waitForStarted())
        return false;
    // A sync lives ~50-150 ms here; a watch is killed within its first cycle or after it.
    const int delayMs = int(random() % (watch ? 400 : 160));
    QElapsedTimer life;
    life.start();
    waitFor([&] { return life.elapsed() >= delayMs || process.state() == QProcess::NotRunning; },
            delayMs + 5'000);
    if (watch) {
        if (random() % 4 == 0) { // in the middle of a clean shutdown
            ++*shutdownKills;
            ::kill(pid_t(process.processId()), SIGTERM);
            const int graceMs = int(random() % 30);
            QElapsedTimer grace;
            grace.start();
            waitFor([&] { return grace.elapsed() >= graceMs; }, graceMs + 1000);
        }
    }
    const bool landed = process.state() != QProcess::NotRunning;
    if (landed) {
        ::kill(pid_t(process.processId()), SIGKILL);
        if (!process.waitForFinished(30'000))
            qFatal("round %d: the killed process did not end", round);
        *watchKills += watch ? 1 : 0;
    }
    return landed;
}

void TestKillAnywhere::thousandKillsOverWholeLives()
{
    ScenarioRecord record(
        QStringLiteral("e-kill-anywhere"),
        QStringLiteral("kill -9 at %1 random moments of whole sync and watch lives (seed %2, "
                       "file:// remote)")
            .arg(Kills)
            .arg(Seed));
    m_home = std::make_unique<QTemporaryDir>();
    m_local = std::make_unique<QTemporaryDir>();
    m_remote = std::make_unique<QTemporaryDir>();
    m_cli = std::make_unique<CliRunner>(m_home->path());
    m_remoteUrl = QUrl::fromLocalFile(m_remote->path()).toString();
    std::mt19937 random(Seed);
    for (int file = 0; file < Files; ++file)
        writeFile(m_local->path(), filePath(file), versionContent(-1, "base", file, random));
    QCOMPARE(m_cli->run({QStringLiteral("sync"), m_local->path(), m_remoteUrl}).exitCode, 0);

    const QStringList trashes{m_cli->trashFilesDirectory(),
                              m_local->path() + QStringLiteral("/.steadysync/trash")};
    const QStringList oracleRoots = QStringList{m_local->path(), m_remote->path()} + trashes;
    int kills = 0, stuck = 0, lost = 0, leftovers = 0, watchKills = 0, shutdownKills = 0;
    qint64 versions = 0, slowestRecoveryMs = 0;
    int round = 0;
    for (; kills < Kills; ++round) {
        const QSet<QByteArray> written = mutate(round, random);
        versions += written.size();
        record.addRun();
        if (killOneLife(round, random, &watchKills, &shutdownKills)) {
            ++kills;
            record.addFaults(1);
        }

        QElapsedTimer recovery;
        recovery.start();
        const CliRunner::Outcome converge =
            m_cli->run({QStringLiteral("sync"), m_local->path(), m_remoteUrl});
        slowestRecoveryMs = qMax(slowestRecoveryMs, recovery.elapsed());
        record.addRun();
        const bool inSync = readTree(m_local->path()) == readTree(m_remote->path());
        if (converge.exitCode != 0 || !inSync) {
            ++stuck;
            qWarning("round %d: sync after the kill exited %d, trees %s\n%s", round,
                     converge.exitCode, inSync ? "equal" : "differ", converge.err.constData());
            QCOMPARE(m_cli->run({QStringLiteral("sync"), m_local->path(), m_remoteUrl}).exitCode,
                     0);
        }
        const QStringList partials = partialNames(m_remote->path());
        leftovers += int(partials.size());
        if (!partials.isEmpty())
            qWarning("round %d: left on the remote: %s", round, qPrintable(partials.join(u' ')));
        const QSet<QByteArray> missing = versionsMissing(written, oracleRoots);
        lost += int(missing.size());
        if (!missing.isEmpty())
            qWarning("round %d: %lld versions lost", round, qlonglong(missing.size()));
        for (const QString &trash : trashes) // checked; keeps the oracle's reads small
            QDir(trash).removeRecursively();
        record.addOperations(written.size());
    }
    record.noteRecoveryMs(slowestRecoveryMs);
    record.addVersionsLost(lost);
    record.setNotes(QStringLiteral("%1 sync and %2 watch lives killed (%3 of the watches during "
                                   "their shutdown; %7 rounds, the rest ended before the kill); "
                                   "%4 versions written; %5 stuck pairs; %6 temporary files "
                                   "left; recovery = one sync")
                        .arg(kills - watchKills)
                        .arg(watchKills)
                        .arg(shutdownKills)
                        .arg(versions)
                        .arg(stuck)
                        .arg(leftovers)
                        .arg(round));
    QCOMPARE(stuck, 0);
    QCOMPARE(lost, 0);
    QCOMPARE(leftovers, 0);
    record.complete();
}

QTEST_GUILESS_MAIN(TestKillAnywhere)
#include "tst_killanywhere.moc"
