// Nothing wedges a pair (DESIGN §5, §7): the pair lock is one the kernel releases, so no crash
// and no leftover file can block a pair; a process that holds it is named; a read-only state
// folder and a full disk say so; `watch` that cannot start exits non-zero; the client's
// temporary files on the remote are gone after a kill.
// Driven through the real steadysync-cli with a file:// remote.
#include "clirunner.h"
#include "hostilewebdavserver.h"
#include "testutil.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <memory>

#include <unistd.h>

using namespace steadysync::test;

namespace {

constexpr int Deadline = 60'000;

// 'T' once the kernel has stopped the process (SIGSTOP), from /proc/PID/stat.
char processState(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray line = stat.readAll();
    const qsizetype afterName = line.lastIndexOf(')');
    return afterName > 0 && afterName + 2 < line.size() ? line.at(afterName + 2) : 0;
}

QStringList partialFiles(const QString &root)
{
    QStringList found;
    QDirIterator it(root, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        if (it.fileName().startsWith(QLatin1String(".steadysync-part")))
            found.append(path);
    }
    return found;
}

} // namespace

class TestNoWedge : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void leftoverLockFileNeverBlocks_data();
    void leftoverLockFileNeverBlocks();
    void killBetweenLockAndPidLeavesPairFree();
    void liveHolderIsNamed();
    void deletedStateFolderLetsNoSecondWatchIn();
    void watchThatCannotStartExitsNonZero_data();
    void watchThatCannotStartExitsNonZero();
    void watchStartedWhileTheRemoteIsAwayWaitsForIt();
    void syncExitCodeSaysWhoFailed_data();
    void syncExitCodeSaysWhoFailed();
    void readOnlyStateFolderIsNamed();
    void fullDiskKeepsFailuresAndRecovers();
    void remoteTemporaryRemovedAfterKill();

private:
    QStringList syncArguments(const QString &command, const QStringList &extra = {}) const
    {
        return QStringList{command, m_local->path(), m_remoteUrl} + extra;
    }
    CliRunner::Outcome sync(const QStringList &extra = {}) const
    {
        return m_cli->run(syncArguments(QStringLiteral("sync"), extra));
    }
    QProcess *startWatch(const QString &root, const QStringList &extra = {})
    {
        // Its own process rather than CliRunner::start(), which forwards stderr: tests read it.
        auto *process = new QProcess(this);
        process->setProcessEnvironment(m_cli->environment());
        process->start(CliRunner::program(),
                       QStringList{QStringLiteral("watch"), root, m_remoteUrl,
                                   QStringLiteral("--debounce-ms"), QStringLiteral("100")} +
                           extra);
        m_processes.append(process);
        return process;
    }
    bool mountTmpfs(const QString &size, QString *why);

    std::unique_ptr<QTemporaryDir> m_home, m_local, m_remote, m_mountDirectory;
    std::unique_ptr<CliRunner> m_cli;
    QString m_remoteUrl;
    QString m_mountPoint;
    QList<QProcess *> m_processes;
};

void TestNoWedge::init()
{
    m_home = std::make_unique<QTemporaryDir>();
    m_local = std::make_unique<QTemporaryDir>();
    m_remote = std::make_unique<QTemporaryDir>();
    m_cli = std::make_unique<CliRunner>(m_home->path());
    m_remoteUrl = QUrl::fromLocalFile(m_remote->path()).toString();
}

void TestNoWedge::cleanup()
{
    for (QProcess *process : std::as_const(m_processes)) {
        if (process->state() != QProcess::NotRunning) {
            ::kill(pid_t(process->processId()), SIGKILL);
            process->waitForFinished(10'000);
        }
        delete process;
    }
    m_processes.clear();
    if (!m_mountPoint.isEmpty())
        runTool(QStringLiteral("umount"), {QStringLiteral("-l"), m_mountPoint});
    m_mountPoint.clear();
    m_mountDirectory.reset();
}

bool TestNoWedge::mountTmpfs(const QString &size, QString *why)
{
    m_mountDirectory = std::make_unique<QTemporaryDir>();
    if (!runTool(QStringLiteral("mount"),
                 {QStringLiteral("-t"), QStringLiteral("tmpfs"), QStringLiteral("-o"),
                  QStringLiteral("size=") + size, QStringLiteral("steadysync-test"),
                  m_mountDirectory->path()},
                 why))
        return false;
    m_mountPoint = m_mountDirectory->path();
    return true;
}

void TestNoWedge::leftoverLockFileNeverBlocks_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("garbage") << QByteArray("\x01\xffnot a pid\n", 12);
    QTest::newRow("truncated pid") << QByteArray("12");
    QTest::newRow("pid of a live process") << QByteArray::number(qint64(::getpid()));
}

// A lock file left by a kill or a power cut, whatever it holds, never blocks the pair.
void TestNoWedge::leftoverLockFileNeverBlocks()
{
    QFETCH(QByteArray, content);
    writeFile(m_local->path(), QStringLiteral("a.txt"), "a");
    QCOMPARE(sync().exitCode, 0);
    writeFile(m_local->path(), QStringLiteral(".steadysync/lock"), content);
    writeFile(m_local->path(), QStringLiteral("b.txt"), "b");
    const CliRunner::Outcome outcome = sync();
    QVERIFY2(outcome.exitCode == 0, qPrintable(outcome.describe()));
    QCOMPARE(readFile(m_remote->path() + QStringLiteral("/b.txt")), QByteArray("b"));
}

// SIGKILL exactly between creating the lock file and writing the pid (measured as the way
// an empty lock file came about): the next sync goes ahead.
void TestNoWedge::killBetweenLockAndPidLeavesPairFree()
{
    writeFile(m_local->path(), QStringLiteral("a.txt"), "a");
    QProcess stopped;
    QProcessEnvironment environment = m_cli->environment();
    environment.insert(QStringLiteral("STEADYSYNC_TEST_STOP_BEFORE_PID"), QStringLiteral("1"));
    stopped.setProcessEnvironment(environment);
    stopped.start(CliRunner::program(), syncArguments(QStringLiteral("sync")));
    QVERIFY(stopped.waitForStarted());
    QVERIFY2(waitFor([&] { return processState(stopped.processId()) == 'T'; }, Deadline),
             "the CLI never reached the hook between the lock file and the pid");
    QVERIFY(QFileInfo::exists(m_local->path() + QStringLiteral("/.steadysync/lock")));
    QCOMPARE(QFileInfo(m_local->path() + QStringLiteral("/.steadysync/lock")).size(), 0);
    ::kill(pid_t(stopped.processId()), SIGKILL);
    QVERIFY(stopped.waitForFinished(Deadline));

    const CliRunner::Outcome outcome = sync();
    QVERIFY2(outcome.exitCode == 0, qPrintable(outcome.describe()));
    QCOMPARE(readFile(m_remote->path() + QStringLiteral("/a.txt")), QByteArray("a"));
    const CliRunner::Outcome status = m_cli->run({QStringLiteral("status"), m_local->path()});
    QCOMPARE(status.exitCode, 0);
    QVERIFY2(status.out.contains("idle"), status.out.constData());
}

void TestNoWedge::liveHolderIsNamed()
{
    // A holder with a session bus would be asked to sync instead (tst_dbusapi).
    m_cli->removeSessionBus();
    writeFile(m_local->path(), QStringLiteral("a.txt"), "a");
    QProcess *watch = startWatch(m_local->path());
    QVERIFY(watch->waitForStarted());
    QVERIFY(waitFor([&] { return QFileInfo::exists(m_remote->path() + QStringLiteral("/a.txt")); },
                    Deadline));
    const CliRunner::Outcome outcome = sync();
    QCOMPARE(outcome.exitCode, 2);
    const QByteArray expected = "another Steadysync process (pid " +
                                QByteArray::number(watch->processId()) + ") is already syncing";
    QVERIFY2(outcome.err.contains(expected), qPrintable(outcome.describe()));
}

// The lock lives on the root, not in .steadysync/: deleting that folder lets no second
// process in.
void TestNoWedge::deletedStateFolderLetsNoSecondWatchIn()
{
    writeFile(m_local->path(), QStringLiteral("a.txt"), "a");
    QProcess *first = startWatch(m_local->path());
    QVERIFY(first->waitForStarted());
    QVERIFY(waitFor([&] { return QFileInfo::exists(m_remote->path() + QStringLiteral("/a.txt")); },
                    Deadline));
    QVERIFY(QDir(m_local->path() + QStringLiteral("/.steadysync")).removeRecursively());

    QProcess *second = startWatch(m_local->path());
    QVERIFY2(second->waitForFinished(Deadline), "a second watch runs on the same folder");
    QCOMPARE(second->exitCode(), 2);
    const QByteArray err = second->readAllStandardError();
    QVERIFY2(err.contains("pid " + QByteArray::number(first->processId())), err.constData());
    QCOMPARE(first->state(), QProcess::Running);
}

void TestNoWedge::watchThatCannotStartExitsNonZero_data()
{
    QTest::addColumn<QString>("cause");
    QTest::addColumn<int>("expectedExit");
    QTest::newRow("lock held") << QStringLiteral("lock") << 2;
    QTest::newRow("paired with another remote") << QStringLiteral("other-remote") << 2;
    QTest::newRow("journal of a newer version") << QStringLiteral("newer-journal") << 2;
    QTest::newRow("credentials refused") << QStringLiteral("401") << 3;
    QTest::newRow("unusable answer") << QStringLiteral("html") << 3;
}

// A service manager must tell a watch that could not start from one stopped by a signal.
void TestNoWedge::watchThatCannotStartExitsNonZero()
{
    QFETCH(QString, cause);
    QFETCH(int, expectedExit);
    writeFile(m_local->path(), QStringLiteral("a.txt"), "a");
    QCOMPARE(sync().exitCode, 0);
    QStringList arguments = syncArguments(QStringLiteral("watch"));
    QTemporaryDir otherRemote;
    HostileWebDavServer server;
    if (cause == QLatin1String("lock")) {
        QProcess *holder = startWatch(m_local->path());
        QVERIFY(holder->waitForStarted());
        QVERIFY(waitFor(
            [&] {
                return readFile(m_local->path() + QStringLiteral("/.steadysync/lock")).trimmed() ==
                       QByteArray::number(holder->processId());
            },
            Deadline));
    } else if (cause == QLatin1String("other-remote")) {
        arguments[2] = QUrl::fromLocalFile(otherRemote.path()).toString();
    } else if (cause == QLatin1String("newer-journal")) {
        QVERIFY(runTool(QStringLiteral("python3"),
                        {QStringLiteral("-c"),
                         QStringLiteral("import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); "
                                        "c.execute('PRAGMA user_version = 99'); c.commit()"),
                         m_local->path() + QStringLiteral("/.steadysync/journal.db")}));
    } else {
        QVERIFY(QDir(m_local->path() + QStringLiteral("/.steadysync")).removeRecursively());
        const bool refuse = cause == QLatin1String("401");
        server.setHandler([refuse](const HostileWebDavServer::Request &) {
            return HostileWebDavServer::reply(
                refuse ? HostileWebDavServer::response(401, "no",
                                                       {{"WWW-Authenticate", "Basic realm=\"x\""}})
                       : HostileWebDavServer::response(200, "<html><body>Welcome</body></html>",
                                                       {{"Content-Type", "text/html"}}));
        });
        QVERIFY(server.start());
        arguments[2] = server.collectionUrl().toString();
    }
    QProcess watch;
    watch.setProcessEnvironment(m_cli->environment());
    watch.start(CliRunner::program(), arguments);
    // Polled, not waitForFinished(): the scripted server answers from this thread's loop.
    QVERIFY2(waitFor([&] { return watch.state() == QProcess::NotRunning; }, Deadline),
             "watch kept running although it cannot sync");
    QVERIFY2(watch.exitCode() == expectedExit,
             qPrintable(QStringLiteral("exit %1: %2")
                            .arg(watch.exitCode())
                            .arg(QString::fromUtf8(watch.readAllStandardError()))));
}

// A server not there yet (down, no network, a share not mounted) is waited for: a laptop that
// starts without network must not need a restart. The watch goes offline and keeps probing.
void TestNoWedge::watchStartedWhileTheRemoteIsAwayWaitsForIt()
{
    writeFile(m_local->path(), QStringLiteral("a.txt"), "a");
    const QString parked = m_remote->path() + QStringLiteral(".away");
    QVERIFY(QDir().rename(m_remote->path(), parked));
    QProcess *watch = startWatch(m_local->path());
    QVERIFY(watch->waitForStarted());
    QVERIFY2(waitFor(
                 [&] {
                     const CliRunner::Outcome status = m_cli->run(
                         {QStringLiteral("status"), m_local->path(), QStringLiteral("--json")});
                     return status.json().value(QStringLiteral("state")).toString() ==
                            QLatin1String("offline");
                 },
                 Deadline),
             "never went offline");
    QCOMPARE(watch->state(), QProcess::Running);
    QVERIFY(QDir().rename(parked, m_remote->path()));
    QVERIFY2(waitFor([&] { return QFileInfo::exists(m_remote->path() + QStringLiteral("/a.txt")); },
                     Deadline),
             watch->readAllStandardError().constData());
}

void TestNoWedge::syncExitCodeSaysWhoFailed_data()
{
    QTest::addColumn<QByteArray>("answer");
    QTest::newRow("malformed multistatus")
        << HostileWebDavServer::multistatus("<D:multistatus xmlns:D=\"DAV:\"><D:response><D:hr");
    QTest::newRow("403 on the root") << HostileWebDavServer::response(403, "forbidden");
    QTest::newRow("500 on the root") << HostileWebDavServer::response(500, "oops");
}

// DESIGN §7: 3 when the server answered unusably or refused, never 2, which is for usage and
// configuration (a malformed answer and a 403 on the root ended `sync` with 2).
void TestNoWedge::syncExitCodeSaysWhoFailed()
{
    QFETCH(QByteArray, answer);
    HostileWebDavServer server;
    server.setHandler([answer](const HostileWebDavServer::Request &request) {
        if (request.method == "OPTIONS")
            return HostileWebDavServer::reply(
                HostileWebDavServer::response(200, {}, {{"DAV", "1"}}));
        return HostileWebDavServer::reply(answer);
    });
    QVERIFY(server.start());
    writeFile(m_local->path(), QStringLiteral("a.txt"), "a");
    QProcess sync;
    sync.setProcessEnvironment(m_cli->environment());
    sync.start(CliRunner::program(),
               {QStringLiteral("sync"), m_local->path(), server.collectionUrl().toString()});
    // Polled: the scripted server answers from this thread's event loop.
    QVERIFY(waitFor([&] { return sync.state() == QProcess::NotRunning; }, Deadline));
    QVERIFY2(sync.exitCode() == 3,
             qPrintable(QStringLiteral("exit %1: %2")
                            .arg(sync.exitCode())
                            .arg(QString::fromUtf8(sync.readAllStandardError()))));
    QCOMPARE(readFile(m_local->path() + QStringLiteral("/a.txt")), QByteArray("a"));
}

// A read-only .steadysync/ is named as such, not as "another process".
void TestNoWedge::readOnlyStateFolderIsNamed()
{
    writeFile(m_local->path(), QStringLiteral("a.txt"), "a");
    QCOMPARE(sync().exitCode, 0);
    const QString stateDir = m_local->path() + QStringLiteral("/.steadysync");
    QString why;
    // A read-only bind mount holds for root too (root ignores mode bits).
    if (!runTool(QStringLiteral("mount"), {QStringLiteral("--bind"), stateDir, stateDir}, &why))
        QSKIP(qPrintable(QStringLiteral("cannot bind-mount here (needs root): %1").arg(why)));
    m_mountPoint = stateDir;
    QVERIFY(runTool(QStringLiteral("mount"),
                    {QStringLiteral("-o"), QStringLiteral("remount,ro,bind"), stateDir}, &why));
    writeFile(m_local->path(), QStringLiteral("b.txt"), "b");
    const CliRunner::Outcome outcome = sync();
    QVERIFY2(outcome.exitCode == 2, qPrintable(outcome.describe()));
    QVERIFY2(outcome.err.contains("read-only"), qPrintable(outcome.describe()));
    QVERIFY2(!outcome.err.contains("another Steadysync process"), qPrintable(outcome.describe()));
    QVERIFY(runTool(QStringLiteral("umount"), {stateDir}));
    m_mountPoint.clear();
    QCOMPARE(sync().exitCode, 0);
    QCOMPARE(readFile(m_remote->path() + QStringLiteral("/b.txt")), QByteArray("b"));
}

// Downloads that fail on a full disk are not forgotten when the journal cannot record them
// either: `watch` retries them once space returns, and every file arrives.
void TestNoWedge::fullDiskKeepsFailuresAndRecovers()
{
    QString why;
    if (!mountTmpfs(QStringLiteral("6m"), &why))
        QSKIP(qPrintable(QStringLiteral("cannot mount a small tmpfs (needs root): %1").arg(why)));
    const QString local = m_mountPoint + QStringLiteral("/pair");
    QVERIFY(QDir().mkpath(local));
    const QStringList fast{QStringLiteral("--disk-reserve-mib"), QStringLiteral("0"),
                           QStringLiteral("--backoff-base-ms"),  QStringLiteral("200"),
                           QStringLiteral("--backoff-cap-ms"),   QStringLiteral("1000"),
                           QStringLiteral("--poll-interval"),    QStringLiteral("1")};
    writeFile(local, QStringLiteral("first.txt"), "first");
    const QStringList syncArgs{QStringLiteral("sync"), local, m_remoteUrl};
    QCOMPARE(m_cli->run(syncArgs + fast).exitCode, 0);

    // Fill the disk to the last byte: downloads fail, and so does every journal write.
    const QString filler = m_mountPoint + QStringLiteral("/filler");
    runTool(QStringLiteral("dd"), {QStringLiteral("if=/dev/zero"), QStringLiteral("of=") + filler,
                                   QStringLiteral("bs=64k")});
    const CliRunner::Outcome onFullDisk = m_cli->run(syncArgs + fast);
    QVERIFY2(onFullDisk.exitCode == 1, qPrintable(onFullDisk.describe()));
    QVERIFY2(onFullDisk.err.contains("no space left"), qPrintable(onFullDisk.describe()));
    QVERIFY2(!onFullDisk.err.contains("another Steadysync process"),
             qPrintable(onFullDisk.describe()));
    // `status` still shows what the journal last recorded ("disk I/O error" before).
    const CliRunner::Outcome statusOnFullDisk =
        m_cli->run({QStringLiteral("status"), local, QStringLiteral("--json")});
    QVERIFY2(statusOnFullDisk.exitCode == 0, qPrintable(statusOnFullDisk.describe()));
    QCOMPARE(statusOnFullDisk.json().value(QStringLiteral("tracked_files")).toInt(), 1);

    // The journal and -shm exist while watch runs: shrink the filler just enough for them,
    // then put files on the remote that cannot fit.
    QVERIFY(QFile::remove(filler));
    QProcess *watch = startWatch(local, fast);
    QVERIFY(watch->waitForStarted());
    QVERIFY(waitFor(
        [&] {
            const CliRunner::Outcome status =
                m_cli->run({QStringLiteral("status"), local, QStringLiteral("--json")});
            return status.json().value(QStringLiteral("state")).toString() == QLatin1String("idle");
        },
        Deadline));
    runTool(QStringLiteral("dd"), {QStringLiteral("if=/dev/zero"), QStringLiteral("of=") + filler,
                                   QStringLiteral("bs=64k")});
    QByteArray block(700 * 1024, 'x');
    for (int i = 0; i < 6; ++i) {
        block[0] = char('0' + i);
        writeFile(m_remote->path(), QStringLiteral("big%1.bin").arg(i), block);
    }
    QElapsedTimer sinceFull;
    sinceFull.start();
    // Let the engine see them fail on the full disk (its stderr names the failures).
    QByteArray watchErr;
    QVERIFY2(waitFor(
                 [&] {
                     watchErr += watch->readAllStandardError();
                     return watchErr.contains("big5.bin failed") ||
                            watchErr.contains("big0.bin failed");
                 },
                 Deadline),
             watchErr.constData());

    QVERIFY(QFile::remove(filler));
    const auto allArrived = [&] {
        for (int i = 0; i < 6; ++i) {
            if (!QFileInfo::exists(local + QStringLiteral("/big%1.bin").arg(i)))
                return false;
        }
        return true;
    };
    QVERIFY2(waitFor(allArrived, Deadline),
             qPrintable(QString::fromUtf8(watchErr + watch->readAllStandardError())));
    QVERIFY(waitFor(
        [&] {
            const CliRunner::Outcome status =
                m_cli->run({QStringLiteral("status"), local, QStringLiteral("--json")});
            return status.exitCode == 0 &&
                   status.json().value(QStringLiteral("retry_queue")).toInt() == 0;
        },
        Deadline));
}

// A kill in the middle of an upload to a file:// remote leaves a partial file there; the
// next sync removes it (it was recorded in the journal before it was written).
void TestNoWedge::remoteTemporaryRemovedAfterKill()
{
    writeFile(m_local->path(), QStringLiteral("slow.bin"), QByteArray(2 * 1024 * 1024, 's'));
    QProcess *slow =
        startWatch(m_local->path(), {QStringLiteral("--bwlimit-up"), QStringLiteral("64")});
    QVERIFY(slow->waitForStarted());
    QVERIFY2(waitFor([&] { return !partialFiles(m_remote->path()).isEmpty(); }, Deadline),
             "the upload never started");
    ::kill(pid_t(slow->processId()), SIGKILL);
    QVERIFY(slow->waitForFinished(Deadline));
    QVERIFY(!partialFiles(m_remote->path()).isEmpty());

    writeFile(m_local->path(), QStringLiteral("other.txt"), "other");
    const CliRunner::Outcome outcome = sync();
    QVERIFY2(outcome.exitCode == 0, qPrintable(outcome.describe()));
    QCOMPARE(partialFiles(m_remote->path()), QStringList());
    QCOMPARE(readFile(m_remote->path() + QStringLiteral("/slow.bin")).size(), 2 * 1024 * 1024);
}

QTEST_GUILESS_MAIN(TestNoWedge)
#include "tst_nowedge.moc"
