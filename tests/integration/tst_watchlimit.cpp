// `watch` on a tree with more folders than inotify may watch (fs.inotify.max_user_watches,
// 8,192 on many systems; a million-file tree has 10,000 folders): the user is told once how to
// raise the limit, and changes in the folders left unwatched still reach the server, at the
// poll pace rather than the hourly full rescan. The limit is real: the CLI runs in a user
// namespace whose inotify watch limit (/proc/sys/user/max_inotify_watches) the test lowers.
// The remote is Apache: its ETags let a poll see "no remote change" without a local scan, so
// only the rescan of unwatched folders can find the edits (a file:// remote's every poll is a
// full cycle).
#include "clirunner.h"
#include "testremote.h"
#include "testutil.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <memory>

using namespace steadysync::test;

namespace {

constexpr int Deadline = 60'000;
constexpr int FolderCount = 12;
// The root and the first four folders (watched in name order) get a watch; the rest do not.
constexpr int WatchLimit = 5;

QString folderName(int index)
{
    return QStringLiteral("d%1").arg(index, 2, 10, QLatin1Char('0'));
}

bool userNamespacesWork()
{
    QProcess probe;
    probe.start(QStringLiteral("unshare"),
                {QStringLiteral("-Ur"), QStringLiteral("sh"), QStringLiteral("-c"),
                 QStringLiteral("echo 5 > /proc/sys/user/max_inotify_watches")});
    return probe.waitForFinished(10'000) && probe.exitStatus() == QProcess::NormalExit &&
           probe.exitCode() == 0;
}

} // namespace

class TestWatchLimit : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void unwatchedFoldersStillSyncAndTheUserIsToldOnce();

private:
    bool remoteHolds(const QString &path, const QByteArray &content) const
    {
        return readFile(m_remote->directory() + QLatin1Char('/') + path) == content;
    }
    void startWatchUnderLimit();

    std::unique_ptr<QTemporaryDir> m_home, m_local;
    std::unique_ptr<TestRemote> m_remote;
    std::unique_ptr<CliRunner> m_cli;
    QProcess *m_watch = nullptr;
};

void TestWatchLimit::init()
{
    if (!userNamespacesWork())
        QSKIP("user namespaces with their own inotify limit are not available here");
    m_home = std::make_unique<QTemporaryDir>();
    m_local = std::make_unique<QTemporaryDir>();
    if (!qEnvironmentVariableIsSet("STEADYSYNC_TEST_REMOTE"))
        qputenv("STEADYSYNC_TEST_REMOTE", "apache");
    m_remote = TestRemote::fromEnvironment();
    m_cli = std::make_unique<CliRunner>(m_home->path());
    m_cli->setPassword(m_remote->password());
    m_cli->removeSessionBus(); // the bus daemon sits outside the CLI's user namespace
    for (int i = 0; i < FolderCount; ++i) {
        QVERIFY(QDir(m_local->path()).mkpath(folderName(i)));
        writeFile(m_local->path(), folderName(i) + QStringLiteral("/f.txt"),
                  "first " + folderName(i).toUtf8());
    }
}

void TestWatchLimit::cleanup()
{
    if (m_watch) {
        m_watch->terminate();
        m_watch->waitForFinished(20'000);
        delete m_watch;
        m_watch = nullptr;
    }
}

void TestWatchLimit::startWatchUnderLimit()
{
    const QString limitThenRun =
        QStringLiteral("echo %1 > /proc/sys/user/max_inotify_watches && exec \"$0\" \"$@\"")
            .arg(WatchLimit);
    m_watch = new QProcess;
    m_watch->setProcessEnvironment(m_cli->environment());
    m_watch->setProcessChannelMode(QProcess::MergedChannels);
    const QStringList arguments = QStringList{QStringLiteral("-Ur"),
                                              QStringLiteral("sh"),
                                              QStringLiteral("-c"),
                                              limitThenRun,
                                              CliRunner::program(),
                                              QStringLiteral("watch"),
                                              m_local->path(),
                                              m_remote->url(),
                                              QStringLiteral("--debounce-ms"),
                                              QStringLiteral("200"),
                                              QStringLiteral("--poll-interval"),
                                              QStringLiteral("1"),
                                              QStringLiteral("--json")} +
                                  m_remote->credentialArguments();
    m_watch->start(QStringLiteral("unshare"), arguments);
    QVERIFY(m_watch->waitForStarted());
}

void TestWatchLimit::unwatchedFoldersStillSyncAndTheUserIsToldOnce()
{
    // Synced before the watch starts: its first cycle finds nothing to do and its polls see
    // the remote as that cycle left it, so no full cycle follows to find the edits by chance.
    const CliRunner::Outcome synced =
        m_cli->run(QStringList{QStringLiteral("sync"), m_local->path(), m_remote->url()} +
                   m_remote->credentialArguments());
    QVERIFY2(synced.exitCode == 0, qPrintable(synced.describe()));
    startWatchUnderLimit();
    QByteArray output;
    const auto drain = [&] {
        output += m_watch->readAll();
    };
    const auto initialSyncDone = [&] {
        for (int i = 0; i < FolderCount; ++i) {
            if (!remoteHolds(folderName(i) + QStringLiteral("/f.txt"),
                             "first " + folderName(i).toUtf8()))
                return false;
        }
        return true;
    };
    QTRY_VERIFY_WITH_TIMEOUT((drain(), initialSyncDone()), Deadline);
    QTRY_VERIFY_WITH_TIMEOUT((drain(), output.contains("max_user_watches")), Deadline);
    // The first cycle is over (its report is out): what follows can only be found by watching
    // or by rescanning, not by that cycle's own check of what changed while it uploaded.
    QTRY_VERIFY_WITH_TIMEOUT((drain(), output.contains("\n{") || output.startsWith('{')), Deadline);

    // The last folders have no watch: no event reports these edits.
    const QString unwatchedFile = folderName(FolderCount - 1) + QStringLiteral("/f.txt");
    const QString unwatchedNew = folderName(FolderCount - 2) + QStringLiteral("/new.txt");
    writeFile(m_local->path(), unwatchedFile, "edited where nobody watches");
    writeFile(m_local->path(), unwatchedNew, "created where nobody watches");
    // Well before the hourly full rescan (at least 60 s), at the pace of the 1 s poll.
    QTRY_VERIFY_WITH_TIMEOUT(remoteHolds(unwatchedFile, "edited where nobody watches"), 20'000);
    QTRY_VERIFY_WITH_TIMEOUT(remoteHolds(unwatchedNew, "created where nobody watches"), 20'000);

    // A watched folder is still served by its events.
    const QString watchedFile = folderName(0) + QStringLiteral("/f.txt");
    writeFile(m_local->path(), watchedFile, "edited where watched");
    QTRY_VERIFY_WITH_TIMEOUT(remoteHolds(watchedFile, "edited where watched"), 20'000);

    QVERIFY2(m_watch->state() == QProcess::Running, output.constData());
    drain();
    // Told once, not on every retry of the unwatched folders (each would be a full rescan).
    QCOMPARE(output.count("max_user_watches"), 1);
}

QTEST_GUILESS_MAIN(TestWatchLimit)
#include "tst_watchlimit.moc"
