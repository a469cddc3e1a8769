// DESIGN §4 "Two writers": two clients that create the same new name at the same moment never
// lose a version and end equal. Each round, A and B write roundN.txt with different content of
// the same length (so that a size check alone cannot tell them apart) and both
// `steadysync-cli sync` are started together; after all rounds both are synced until they
// converge. Every version written must then exist on A, on B or in the trash, and A, B and the
// server must hold the same tree. Run against file://, Apache, nginx, rclone and lighttpd.
// STEADYSYNC_STRESS_ROUNDS sets the rounds per server (the figure is 200).
#include "clirunner.h"
#include "reliabilityfixture.h"
#include "scenariorecord.h"
#include "testutil.h"
#include "webdavserver.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace steadysync::test;

namespace {

constexpr int defaultRounds = 20; // CI: about 30 s for the five servers
constexpr int convergeRuns = 8;

int stressRounds()
{
    bool ok = false;
    const int rounds = qEnvironmentVariableIntValue("STEADYSYNC_STRESS_ROUNDS", &ok);
    return ok && rounds > 0 ? rounds : defaultRounds;
}

// The remote of one run: a real WebDAV server, or a plain directory for file://.
struct Remote
{
    std::unique_ptr<WebDavServer> server;
    QTemporaryDir directory;
    QString url() const
    {
        return server ? server->url().toString() : QUrl::fromLocalFile(directory.path()).toString();
    }
    QString dataDirectory() const { return server ? server->dataDirectory() : directory.path(); }
};

// Same length for A and B: "roundNNNN A xxxxxxxx".
QByteArray versionFor(int round, char client)
{
    return QByteArray("round") + QByteArray::number(round).rightJustified(4, '0') + ' ' + client +
           ' ' +
           QByteArray::number(QRandomGenerator::global()->generate(), 16).rightJustified(8, '0') +
           '\n';
}

} // namespace

class TestTwoWriters : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sameNewNameAtTheSameMoment_data();
    void sameNewNameAtTheSameMoment();

private:
    QStringList syncArguments(const Remote &remote, const QString &local) const;
    // Runs sync for both roots at once; the exit codes.
    QPair<int, int> syncTogether(const CliRunner &cli, const Remote &remote, const QString &a,
                                 const QString &b, QString *errors) const;
};

QStringList TestTwoWriters::syncArguments(const Remote &remote, const QString &local) const
{
    QStringList arguments{QStringLiteral("sync"), local, remote.url()};
    if (remote.server)
        arguments += QStringList{QStringLiteral("--user"), remote.server->user()};
    return arguments;
}

QPair<int, int> TestTwoWriters::syncTogether(const CliRunner &cli, const Remote &remote,
                                             const QString &a, const QString &b,
                                             QString *errors) const
{
    QProcess first, second;
    for (QProcess *process : {&first, &second})
        process->setProcessEnvironment(cli.environment());
    first.start(CliRunner::program(), syncArguments(remote, a));
    second.start(CliRunner::program(), syncArguments(remote, b));
    const bool ended = first.waitForFinished(120'000) && second.waitForFinished(120'000);
    if (!ended)
        return {-1, -1};
    const auto code = [errors](QProcess &process) {
        const int exit = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        if (exit != 0)
            *errors += QString::fromUtf8(process.readAllStandardError()).left(400);
        return exit;
    };
    return {code(first), code(second)};
}

void TestTwoWriters::sameNewNameAtTheSameMoment_data()
{
    QTest::addColumn<int>("kind"); // -1: file://, else WebDavServer::Kind
    QTest::addColumn<QString>("recordId");
    QTest::newRow("file") << -1 << QStringLiteral("i-two-writers-file");
    const QList<WebDavServer::Kind> kinds{WebDavServer::Kind::Apache, WebDavServer::Kind::Nginx,
                                          WebDavServer::Kind::Rclone, WebDavServer::Kind::Lighttpd};
    for (WebDavServer::Kind kind : kinds) {
        const QString name = WebDavServer::kindName(kind).toLower();
        QTest::newRow(qPrintable(name)) << int(kind) << QStringLiteral("i-two-writers-") + name;
    }
}

void TestTwoWriters::sameNewNameAtTheSameMoment()
{
    QFETCH(int, kind);
    QFETCH(QString, recordId);
    const int rounds = stressRounds();
    const QString serverName =
        kind < 0 ? QStringLiteral("file://") : WebDavServer::kindName(WebDavServer::Kind(kind));
    ScenarioRecord record(recordId,
                          QStringLiteral("Two clients create the same new name at the same "
                                         "moment, both syncs started together (%1)")
                              .arg(serverName));
    Remote remote;
    QString error;
    if (kind >= 0) {
        remote.server = WebDavServer::start(WebDavServer::Kind(kind), &error);
        QVERIFY2(remote.server, qPrintable(error));
    }
    QTemporaryDir home, a, b;
    CliRunner cli(home.path());
    if (remote.server)
        cli.setPassword(remote.server->password());

    QSet<QByteArray> written;
    QString errors;
    int failedRuns = 0;
    QElapsedTimer duration;
    duration.start();
    for (int round = 0; round < rounds; ++round) {
        const QString name = QStringLiteral("round%1.txt").arg(round);
        const QByteArray fromA = versionFor(round, 'A');
        const QByteArray fromB = versionFor(round, 'B');
        writeFile(a.path(), name, fromA);
        writeFile(b.path(), name, fromB);
        written << fromA << fromB;
        const QPair<int, int> codes = syncTogether(cli, remote, a.path(), b.path(), &errors);
        QVERIFY2(codes.first >= 0 && codes.second >= 0, "a sync did not end within 2 minutes");
        failedRuns += (codes.first != 0) + (codes.second != 0);
        record.addRun();
        record.addOperations(2);
    }
    // Converged: both sync with nothing left to do and hold the same tree.
    bool converged = false;
    for (int run = 0; run < convergeRuns && !converged; ++run) {
        const CliRunner::Outcome first = cli.run(syncArguments(remote, a.path()));
        const CliRunner::Outcome second = cli.run(syncArguments(remote, b.path()));
        converged =
            first.exitCode == 0 && second.exitCode == 0 && readTree(a.path()) == readTree(b.path());
    }
    const QSet<QByteArray> lost = versionsMissing(
        written, {a.path(), b.path(), cli.trashFilesDirectory(), remote.dataDirectory()});
    record.addVersionsLost(lost.size());
    const bool equal = readTree(a.path()) == readTree(b.path()) &&
                       readTree(a.path()) == readTree(remote.dataDirectory());
    const QString notes =
        QStringLiteral("%1 rounds, %2 versions written, %3 files at the end (%4 "
                       "conflict copies), %5 of %6 concurrent syncs exited non-zero; "
                       "clients %7")
            .arg(rounds)
            .arg(written.size())
            .arg(readTree(a.path()).size())
            .arg(readTree(a.path()).size() - rounds)
            .arg(failedRuns)
            .arg(2 * rounds)
            .arg(equal ? QStringLiteral("equal") : QStringLiteral("DIFFERENT"));
    record.setNotes(notes);
    qInfo("%s: %s (%.1f s)", qPrintable(serverName), qPrintable(notes),
          double(duration.elapsed()) / 1000.0);
    const QString lostExample = lost.isEmpty() ? QString() : QString::fromUtf8(*lost.cbegin());
    QVERIFY2(
        lost.isEmpty(),
        qPrintable(QStringLiteral("%1 versions lost, e.g. %2").arg(lost.size()).arg(lostExample)));
    QVERIFY2(converged, qPrintable(describeTree(QStringLiteral("A"), a.path()) +
                                   describeTree(QStringLiteral("B"), b.path()) + errors));
    QVERIFY2(equal, qPrintable(describeTree(QStringLiteral("A"), a.path()) +
                               describeTree(QStringLiteral("B"), b.path()) +
                               describeTree(QStringLiteral("server"), remote.dataDirectory())));
    record.complete();
}

QTEST_GUILESS_MAIN(TestTwoWriters)
#include "tst_twowriters.moc"
