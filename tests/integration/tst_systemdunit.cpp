// The systemd user unit steadysync-watch@.service (issue 20): systemd-analyze verify accepts it,
// and `watch` speaks the sd_notify protocol it relies on (Type=notify, WatchdogSec=) to a
// NOTIFY_SOCKET this test binds: READY=1 once the first cycle ended, WATCHDOG=1 repeatedly,
// STOPPING=1 on SIGTERM. The unit's own form of the command (watch LOCAL_DIR, the remote from
// the journal) is the one run here.
#include "clirunner.h"
#include "testutil.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

using namespace steadysync::test;

namespace {

constexpr int Deadline = 60'000;

// A unix datagram socket bound at path, as systemd's notification socket.
class NotifySocket
{
public:
    explicit NotifySocket(const QString &path) : m_path(path)
    {
        m_fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        const QByteArray encoded = QFile::encodeName(path);
        qstrncpy(address.sun_path, encoded.constData(), sizeof(address.sun_path));
        m_bound =
            m_fd >= 0 && ::bind(m_fd, reinterpret_cast<sockaddr *>(&address), sizeof(address)) == 0;
    }
    ~NotifySocket()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    bool isBound() const { return m_bound; }
    // Every message received so far, in order.
    QList<QByteArray> messages()
    {
        char buffer[4096];
        for (ssize_t n; (n = ::recv(m_fd, buffer, sizeof(buffer), 0)) > 0;)
            m_messages.append(QByteArray(buffer, int(n)));
        return m_messages;
    }

private:
    QString m_path;
    int m_fd = -1;
    bool m_bound = false;
    QList<QByteArray> m_messages;
};

} // namespace

class TestSystemdUnit : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void unitPassesSystemdAnalyzeVerify();
    void watchNotifiesReadyAfterTheFirstCycleAndFeedsTheWatchdog();
};

void TestSystemdUnit::unitPassesSystemdAnalyzeVerify()
{
    QFile unit(QStringLiteral(STEADYSYNC_UNIT_FILE));
    QVERIFY(unit.open(QIODevice::ReadOnly));
    QByteArray text = unit.readAll();
    for (const char *line :
         {"Type=notify", "WatchdogSec=", "Restart=on-failure",
          "ExecStart=/usr/bin/steadysync-cli watch %f", "WantedBy=default.target"})
        QVERIFY2(text.contains(line), line);
    // verify checks that ExecStart's program exists: the one built here stands in for
    // /usr/bin/steadysync-cli.
    QTemporaryDir directory, runtime;
    text.replace("/usr/bin/steadysync-cli", QFile::encodeName(CliRunner::program()));
    QFile copy(directory.filePath(QStringLiteral("steadysync-watch@.service")));
    QVERIFY(copy.open(QIODevice::WriteOnly) && copy.write(text) == text.size());
    copy.close();

    QProcess verify;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("XDG_RUNTIME_DIR"), runtime.path());
    verify.setProcessEnvironment(environment);
    verify.setProcessChannelMode(QProcess::MergedChannels);
    verify.start(QStringLiteral("systemd-analyze"),
                 {QStringLiteral("verify"), QStringLiteral("--user"), QStringLiteral("--man=no"),
                  directory.filePath(QStringLiteral("steadysync-watch@home-user-Sync.service"))});
    QVERIFY2(verify.waitForFinished(60'000),
             "systemd-analyze is missing (scripts/install-deps.sh)");
    const QByteArray output = verify.readAll();
    // verify exits 0 even for lines it ignores; it names each of them.
    QVERIFY2(verify.exitCode() == 0 && output.trimmed().isEmpty(), output.constData());
}

void TestSystemdUnit::watchNotifiesReadyAfterTheFirstCycleAndFeedsTheWatchdog()
{
    QTemporaryDir home, local, remote, sockets;
    CliRunner cli(home.path());
    const QString remoteUrl = QUrl::fromLocalFile(remote.path()).toString();
    writeFile(local.path(), QStringLiteral("first.txt"), "synced before");
    QCOMPARE(cli.run({QStringLiteral("sync"), local.path(), remoteUrl}).exitCode, 0);
    writeFile(local.path(), QStringLiteral("second.txt"), "synced by the first cycle");

    NotifySocket socket(sockets.filePath(QStringLiteral("notify")));
    QVERIFY(socket.isBound());
    QProcess watch;
    QProcessEnvironment environment = cli.environment();
    environment.insert(QStringLiteral("NOTIFY_SOCKET"), sockets.filePath(QStringLiteral("notify")));
    environment.insert(QStringLiteral("WATCHDOG_USEC"),
                       QStringLiteral("400000")); // WatchdogSec=0.4
    watch.setProcessEnvironment(environment);
    watch.setProcessChannelMode(QProcess::ForwardedChannels);
    watch.start(CliRunner::program(), {QStringLiteral("watch"), local.path(),
                                       QStringLiteral("--debounce-ms"), QStringLiteral("200")});
    QVERIFY(watch.waitForStarted());

    // READY=1 comes once the first cycle ended: the change made before the start is synced then.
    bool synced = false;
    QVERIFY2(waitFor(
                 [&] {
                     synced = QFile::exists(remote.filePath(QStringLiteral("second.txt")));
                     return socket.messages().contains("READY=1");
                 },
                 Deadline),
             "no READY=1");
    QVERIFY2(synced, "READY=1 came before the first cycle ended");
    const qsizetype readyAt = socket.messages().indexOf("READY=1");
    // WATCHDOG=1 keeps coming, every half interval.
    QVERIFY2(
        waitFor([&] { return socket.messages().mid(readyAt).count("WATCHDOG=1") >= 4; }, Deadline),
        "WATCHDOG=1 does not repeat");

    watch.terminate();
    QVERIFY(watch.waitForFinished(30'000));
    QCOMPARE(watch.exitStatus(), QProcess::NormalExit);
    QCOMPARE(watch.exitCode(), 0);
    QVERIFY(waitFor([&] { return socket.messages().contains("STOPPING=1"); }, 5'000));
    QCOMPARE(socket.messages().count("READY=1"), 1);
}

QTEST_GUILESS_MAIN(TestSystemdUnit)
#include "tst_systemdunit.moc"
