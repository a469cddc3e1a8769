// The D-Bus API of a running `steadysync-cli watch` (issue 20, DESIGN §12), driven with gdbus on a
// private session bus (ctest runs this under dbus-run-session), and the CLI commands that go
// through it: status, pause, resume, sync-now, wait, and sync on a held pair. The remote is a
// file:// directory or a real WebDAV server, as STEADYSYNC_TEST_REMOTE says (TestRemote).
#include "clirunner.h"
#include "paironbus.h"
#include "testremote.h"
#include "testutil.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace steadysync::test;

namespace {

constexpr int Deadline = 60'000;
const QString Pair = QStringLiteral("org.steadysync.Steadysync.Pair");

} // namespace

class TestDBusApi : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void listsPairsAndReadsStatus();
    void pauseHoldsLocalChangesAndResumeSendsThem();
    void waitUntilIdleAnswersOnceAChangeIsSynced();
    void conflictsAndStateChangesAreSignalled();
    void aLostRemoteIsSignalledAndWaitSaysOffline();
    void syncOnAHeldPairAsksTheInstance();
    void commandsSayWhenNoInstanceRuns();

private:
    QStringList watchArguments(const QStringList &extra = {}) const
    {
        return QStringList{QStringLiteral("watch"), m_local->path(),
                           m_remote->url(),         QStringLiteral("--debounce-ms"),
                           QStringLiteral("200"),   QStringLiteral("--poll-interval"),
                           QStringLiteral("1")} +
               m_remote->credentialArguments() + extra;
    }
    // Starts watch and waits until it serves the pair on the bus.
    void startWatch(const QStringList &extra = {});
    // gdbus call on the pair's object; the reply as gdbus prints it, or "error: ...".
    QString callPair(const QString &method, const QStringList &arguments = {}) const;
    QString remoteFile(const QString &name) const
    {
        return m_remote->directory() + QLatin1Char('/') + name;
    }

    std::unique_ptr<TestRemote> m_remote;
    std::unique_ptr<QTemporaryDir> m_home, m_local;
    std::unique_ptr<CliRunner> m_cli;
    QProcess *m_watch = nullptr;
    QString m_pairId;
};

void TestDBusApi::initTestCase()
{
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
        QFAIL("needs a private session bus: run under dbus-run-session (ctest does)");
    m_remote = TestRemote::fromEnvironment();
}

void TestDBusApi::init()
{
    m_home = std::make_unique<QTemporaryDir>();
    m_local = std::make_unique<QTemporaryDir>();
    m_cli = std::make_unique<CliRunner>(m_home->path());
    m_cli->setPassword(m_remote->password());
    // Each test starts from an empty remote.
    const QMap<QString, QByteArray> tree = readTree(m_remote->directory());
    for (auto it = tree.cbegin(); it != tree.cend(); ++it)
        QFile::remove(remoteFile(it.key()));
}

void TestDBusApi::cleanup()
{
    stopProcess(m_watch);
}

void TestDBusApi::startWatch(const QStringList &extra)
{
    m_watch = m_cli->start(watchArguments(extra), this);
    QVERIFY(m_watch->state() == QProcess::Running);
    m_pairId = pairbus::waitUntilServed(m_local->path(), Deadline);
    QVERIFY2(!m_pairId.isEmpty(), "watch did not serve its pair on the session bus");
}

QString TestDBusApi::callPair(const QString &method, const QStringList &arguments) const
{
    return pairbus::call(m_pairId, Pair + QLatin1Char('.') + method, arguments);
}

void TestDBusApi::listsPairsAndReadsStatus()
{
    writeFile(m_local->path(), QStringLiteral("a.txt"), "first");
    startWatch();
    QCOMPARE(callPair(QStringLiteral("WaitUntilIdle"), {QStringLiteral("60000")}),
             QStringLiteral("('up-to-date',)"));

    // The manager, under the well-known name, lists the pair with its folder and remote.
    QString listing;
    QVERIFY(runTool(QStringLiteral("gdbus"),
                    {QStringLiteral("call"), QStringLiteral("--session"), QStringLiteral("--dest"),
                     QStringLiteral("org.steadysync.Steadysync"), QStringLiteral("--object-path"),
                     QStringLiteral("/org/steadysync/Steadysync"), QStringLiteral("--method"),
                     QStringLiteral("org.steadysync.Steadysync.Manager.ListPairs")},
                    &listing));
    QVERIFY2(listing.contains(QStringLiteral("/org/steadysync/Steadysync/Pairs/") + m_pairId) &&
                 listing.contains(m_local->path()) && listing.contains(m_remote->url()),
             qPrintable(listing));

    // Status: the fields of `status --json`, and the pair's state.
    const QString reply = callPair(QStringLiteral("Status"));
    const qsizetype start = reply.indexOf(QLatin1Char('{'));
    const QJsonObject status =
        QJsonDocument::fromJson(
            reply.mid(start, reply.lastIndexOf(QLatin1Char('}')) - start + 1).toUtf8())
            .object();
    QVERIFY2(!status.isEmpty(), qPrintable(reply));
    QCOMPARE(status.value(QStringLiteral("tracked_files")).toInt(), 1);
    QCOMPARE(status.value(QStringLiteral("state")).toString(), QStringLiteral("idle"));
    QCOMPARE(status.value(QStringLiteral("pair_state")).toString(), QStringLiteral("up-to-date"));
    for (const char *field :
         {"pending", "retry_queue", "failed_permanent", "conflicts", "successes", "failures",
          "success_rate", "bytes_up", "bytes_down", "last_sync", "last_error"})
        QVERIFY2(status.contains(QLatin1String(field)), field);

    // The CLI's status asks the running instance.
    const CliRunner::Outcome json =
        m_cli->run({QStringLiteral("status"), m_local->path(), QStringLiteral("--json")});
    QCOMPARE(json.exitCode, 0);
    QCOMPARE(json.json().value(QStringLiteral("pair_state")).toString(),
             QStringLiteral("up-to-date"));
    const CliRunner::Outcome text = m_cli->run({QStringLiteral("status"), m_local->path()});
    QVERIFY2(text.out.contains("Running:          yes, up-to-date"), qPrintable(text.describe()));
}

void TestDBusApi::pauseHoldsLocalChangesAndResumeSendsThem()
{
    startWatch();
    QCOMPARE(callPair(QStringLiteral("WaitUntilIdle"), {QStringLiteral("60000")}),
             QStringLiteral("('up-to-date',)"));
    QCOMPARE(callPair(QStringLiteral("Pause")), QStringLiteral("()"));
    writeFile(m_local->path(), QStringLiteral("held.txt"), "wait for resume");

    // Paused, the change waits: wait answers at once, with exit 1 (work left), and the file
    // is not on the remote.
    const CliRunner::Outcome paused =
        m_cli->run({QStringLiteral("wait"), m_local->path(), QStringLiteral("--timeout"),
                    QStringLiteral("60")});
    QCOMPARE(paused.exitCode, 1);
    QCOMPARE(paused.out.trimmed(), QByteArray("paused-with-pending"));
    QVERIFY(!QFile::exists(remoteFile(QStringLiteral("held.txt"))));

    const CliRunner::Outcome resumed = m_cli->run({QStringLiteral("resume"), m_local->path()});
    QCOMPARE(resumed.exitCode, 0);
    const CliRunner::Outcome idle = m_cli->run({QStringLiteral("wait"), m_local->path(),
                                                QStringLiteral("--timeout"), QStringLiteral("60")});
    QVERIFY2(idle.exitCode == 0, qPrintable(idle.describe()));
    QCOMPARE(readFile(remoteFile(QStringLiteral("held.txt"))), QByteArray("wait for resume"));

    // pause through the CLI holds the next change the same way.
    QCOMPARE(m_cli->run({QStringLiteral("pause"), m_local->path()}).exitCode, 0);
    writeFile(m_local->path(), QStringLiteral("second.txt"), "held too");
    QCOMPARE(callPair(QStringLiteral("WaitUntilIdle"), {QStringLiteral("60000")}),
             QStringLiteral("('paused-with-pending',)"));
    QVERIFY(!QFile::exists(remoteFile(QStringLiteral("second.txt"))));
}

void TestDBusApi::waitUntilIdleAnswersOnceAChangeIsSynced()
{
    startWatch();
    QCOMPARE(callPair(QStringLiteral("WaitUntilIdle"), {QStringLiteral("60000")}),
             QStringLiteral("('up-to-date',)"));
    // No polling: when WaitUntilIdle answers, the change made before the call is on the remote.
    for (int round = 0; round < 3; ++round) {
        const QByteArray content = "round " + QByteArray::number(round);
        writeFile(m_local->path(), QStringLiteral("note.txt"), content);
        QCOMPARE(callPair(QStringLiteral("WaitUntilIdle"), {QStringLiteral("60000")}),
                 QStringLiteral("('up-to-date',)"));
        QCOMPARE(readFile(remoteFile(QStringLiteral("note.txt"))), content);
    }
    // A remote change: sync-now fetches it without waiting for the next poll; wait answers
    // once it is here.
    writeFile(m_remote->directory(), QStringLiteral("from-remote.txt"), "down");
    QCOMPARE(m_cli->run({QStringLiteral("sync-now"), m_local->path()}).exitCode, 0);
    const CliRunner::Outcome idle = m_cli->run({QStringLiteral("wait"), m_local->path()});
    QVERIFY2(idle.exitCode == 0, qPrintable(idle.describe()));
    QCOMPARE(readFile(m_local->filePath(QStringLiteral("from-remote.txt"))), QByteArray("down"));
    // Retry (every queued item due now) answers too; with nothing queued the pair stays idle.
    QCOMPARE(callPair(QStringLiteral("Retry")), QStringLiteral("()"));
    QCOMPARE(callPair(QStringLiteral("WaitUntilIdle"), {QStringLiteral("60000")}),
             QStringLiteral("('up-to-date',)"));
}

void TestDBusApi::conflictsAndStateChangesAreSignalled()
{
    writeFile(m_local->path(), QStringLiteral("doc.txt"), "base");
    startWatch({QStringLiteral("--conflict-policy"), QStringLiteral("ask")});
    QCOMPARE(callPair(QStringLiteral("WaitUntilIdle"), {QStringLiteral("60000")}),
             QStringLiteral("('up-to-date',)"));
    QProcess monitor;
    monitor.setProcessChannelMode(QProcess::MergedChannels);
    monitor.start(QStringLiteral("gdbus"),
                  {QStringLiteral("monitor"), QStringLiteral("--session"), QStringLiteral("--dest"),
                   Pair + QStringLiteral("_") + m_pairId});
    QByteArray seen;
    QVERIFY(waitFor([&] { return (seen += monitor.readAll()).contains("is owned by"); }, Deadline));

    QCOMPARE(callPair(QStringLiteral("Pause")), QStringLiteral("()"));
    writeFile(m_local->path(), QStringLiteral("doc.txt"), "edited here");
    writeFile(m_remote->directory(), QStringLiteral("doc.txt"), "edited there, longer");
    QCOMPARE(callPair(QStringLiteral("Resume")), QStringLiteral("()"));
    QCOMPARE(callPair(QStringLiteral("WaitUntilIdle"), {QStringLiteral("60000")}),
             QStringLiteral("('conflict',)"));
    const bool signalled = waitFor(
        [&] {
            seen += monitor.readAll();
            return seen.contains("Pair.ConflictOpened ('doc.txt', ") &&
                   seen.contains("Pair.StateChanged ('paused',)") &&
                   seen.contains("Pair.StateChanged ('conflict',)");
        },
        Deadline);
    monitor.kill();
    monitor.waitForFinished();
    QVERIFY2(signalled, seen.constData());
    QCOMPARE(readFile(m_local->filePath(QStringLiteral("doc.txt"))), QByteArray("edited here"));
}

void TestDBusApi::aLostRemoteIsSignalledAndWaitSaysOffline()
{
    startWatch();
    QCOMPARE(callPair(QStringLiteral("WaitUntilIdle"), {QStringLiteral("60000")}),
             QStringLiteral("('up-to-date',)"));
    QProcess monitor;
    monitor.setProcessChannelMode(QProcess::MergedChannels);
    monitor.start(QStringLiteral("gdbus"),
                  {QStringLiteral("monitor"), QStringLiteral("--session"), QStringLiteral("--dest"),
                   Pair + QStringLiteral("_") + m_pairId});
    QByteArray seen;
    QVERIFY(waitFor([&] { return (seen += monitor.readAll()).contains("is owned by"); }, Deadline));

    // The share goes away (a NAS unmounted) while a change waits to go up.
    const QString parked = m_remote->directory() + QStringLiteral(".away");
    QVERIFY(QDir().rename(m_remote->directory(), parked));
    writeFile(m_local->path(), QStringLiteral("later.txt"), "when it is back");
    // wait settles offline (nothing can be done now) and exits as sync would: 3.
    const CliRunner::Outcome offline = m_cli->run({QStringLiteral("wait"), m_local->path()});
    const bool signalled = waitFor(
        [&] {
            seen += monitor.readAll();
            return seen.contains("Pair.SyncFailed (") &&
                   seen.contains("Pair.StateChanged ('offline',)");
        },
        Deadline);
    monitor.kill();
    monitor.waitForFinished();
    QVERIFY(QDir().rename(parked, m_remote->directory()));
    QVERIFY2(offline.exitCode == 3 && offline.out.trimmed() == "offline",
             qPrintable(offline.describe()));
    QVERIFY2(signalled, seen.constData());

    // Back: the probe finds it, and the change goes up.
    QVERIFY(waitFor(
        [&] {
            return callPair(QStringLiteral("WaitUntilIdle"), {QStringLiteral("60000")}) ==
                   QStringLiteral("('up-to-date',)");
        },
        Deadline));
    QCOMPARE(readFile(remoteFile(QStringLiteral("later.txt"))), QByteArray("when it is back"));
}

void TestDBusApi::syncOnAHeldPairAsksTheInstance()
{
    startWatch();
    QCOMPARE(callPair(QStringLiteral("Pause")), QStringLiteral("()"));
    writeFile(m_local->path(), QStringLiteral("now.txt"), "sync it now");
    QCOMPARE(callPair(QStringLiteral("Resume")), QStringLiteral("()"));
    // Without the instance's help, sync would fail on the pair lock (exit 2).
    const CliRunner::Outcome sync =
        m_cli->run(QStringList{QStringLiteral("sync"), m_local->path(), m_remote->url(),
                               QStringLiteral("--json")} +
                   m_remote->credentialArguments());
    QVERIFY2(sync.exitCode == 0, qPrintable(sync.describe()));
    QCOMPARE(sync.json().value(QStringLiteral("pair_state")).toString(),
             QStringLiteral("up-to-date"));
    QCOMPARE(readFile(remoteFile(QStringLiteral("now.txt"))), QByteArray("sync it now"));
    QVERIFY(m_watch->state() == QProcess::Running);

    // Another remote than the instance's is a usage error, not a second engine.
    QTemporaryDir elsewhere;
    const CliRunner::Outcome other = m_cli->run({QStringLiteral("sync"), m_local->path(),
                                                 QUrl::fromLocalFile(elsewhere.path()).toString()});
    QCOMPARE(other.exitCode, 2);
}

void TestDBusApi::commandsSayWhenNoInstanceRuns()
{
    writeFile(m_local->path(), QStringLiteral("a.txt"), "x");
    const CliRunner::Outcome synced =
        m_cli->run(QStringList{QStringLiteral("sync"), m_local->path(), m_remote->url()} +
                   m_remote->credentialArguments());
    QCOMPARE(synced.exitCode, 0);
    for (const char *command : {"pause", "resume", "sync-now", "wait"}) {
        const CliRunner::Outcome outcome = m_cli->run({QLatin1String(command), m_local->path()});
        QCOMPARE(outcome.exitCode, 2);
        QVERIFY2(outcome.err.contains("no running Steadysync instance holds"),
                 qPrintable(outcome.describe()));
    }
    // status still reads the journal, and says no instance runs.
    const CliRunner::Outcome status = m_cli->run({QStringLiteral("status"), m_local->path()});
    QCOMPARE(status.exitCode, 0);
    QVERIFY2(status.out.contains("Tracked files:    1") &&
                 status.out.contains("no instance serves"),
             qPrintable(status.describe()));
}

QTEST_GUILESS_MAIN(TestDBusApi)
#include "tst_dbusapi.moc"
