// End-to-end tests of `steadysync-cli watch`: two running clients sharing one remote converge
// under concurrent edits without losing a version. The remote is a file:// directory or a real
// WebDAV server, as STEADYSYNC_TEST_REMOTE says (see TestRemote).
#include "clirunner.h"
#include "testremote.h"
#include "testutil.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <csignal>
#include <cstdio>

using namespace steadysync::test;

namespace {

constexpr int Deadline = 60'000;

QSet<QByteArray> contentsBelow(const QString &root)
{
    QSet<QByteArray> contents;
    const QMap<QString, QByteArray> tree = readTree(root);
    for (auto it = tree.cbegin(); it != tree.cend(); ++it) {
        if (!it.key().endsWith(QLatin1Char('/')))
            contents.insert(it.value());
    }
    return contents;
}

} // namespace

class TestCliWatch : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void changesFlowBothWays();
    void concurrentEditsConvergeWithoutLoss();
    void statusShowsLiveStateFromAnotherProcess();
    void terminationSignalsExitCleanly_data();
    void terminationSignalsExitCleanly();
    void unmountedRemoteGoesOfflineAndRecovers();

private:
    QStringList watchArguments(const QString &folder) const
    {
        return QStringList{QStringLiteral("watch"), folder, m_remote->url(),
                           QStringLiteral("--debounce-ms"), QStringLiteral("200"),
                           QStringLiteral("--poll-interval"), QStringLiteral("1"),
                           // Retries within the deadline when both clients contend for locks
                           // (the backoff itself is tst_retrypolicy's subject).
                           QStringLiteral("--backoff-base-ms"), QStringLiteral("500"),
                           QStringLiteral("--backoff-cap-ms"), QStringLiteral("2000")} +
               m_remote->credentialArguments();
    }
    void startBoth()
    {
        m_watchA = m_cli->start(watchArguments(m_a->path()), this);
        m_watchB = m_cli->start(watchArguments(m_b->path()), this);
        QVERIFY(m_watchA->state() == QProcess::Running);
        QVERIFY(m_watchB->state() == QProcess::Running);
    }
    // The file is on the remote with this content: not merely there (a server with locks
    // shows an empty file as soon as the LOCK before a create is answered).
    bool remoteHolds(const QString &name, const QByteArray &content) const
    {
        return readFile(m_remote->directory() + QLatin1Char('/') + name) == content;
    }
    bool converged() const
    {
        return readTree(m_a->path()) == readTree(m_remote->directory()) &&
               readTree(m_b->path()) == readTree(m_remote->directory());
    }

    QString divergence() const
    {
        const auto status = [&](const QString &root) {
            return QString::fromUtf8(m_cli->run({QStringLiteral("status"), root}).out);
        };
        return QStringLiteral("did not converge\n") +
               describeTree(QStringLiteral("A"), m_a->path()) + status(m_a->path()) +
               describeTree(QStringLiteral("B"), m_b->path()) + status(m_b->path()) +
               describeTree(QStringLiteral("remote"), m_remote->directory());
    }

    std::unique_ptr<QTemporaryDir> m_home, m_a, m_b;
    std::unique_ptr<TestRemote> m_remote;
    std::unique_ptr<CliRunner> m_cli;
    QProcess *m_watchA = nullptr;
    QProcess *m_watchB = nullptr;
};

void TestCliWatch::init()
{
    m_home = std::make_unique<QTemporaryDir>();
    m_remote = TestRemote::fromEnvironment();
    m_a = std::make_unique<QTemporaryDir>();
    m_b = std::make_unique<QTemporaryDir>();
    m_cli = std::make_unique<CliRunner>(m_home->path());
    m_cli->setPassword(m_remote->password());
}

void TestCliWatch::cleanup()
{
    for (QProcess *process : {m_watchA, m_watchB}) {
        if (process && process->state() != QProcess::NotRunning) {
            process->terminate();
            if (!process->waitForFinished(30'000))
                process->kill();
        }
        delete process;
    }
    m_watchA = m_watchB = nullptr;
}

void TestCliWatch::changesFlowBothWays()
{
    startBoth();
    writeFile(m_a->path(), QStringLiteral("from-a/new/deep/file.txt"), "hello from A");
    QVERIFY2(waitFor(
                 [&] {
                     return readFile(m_b->path() + QStringLiteral("/from-a/new/deep/file.txt")) ==
                            "hello from A";
                 },
                 Deadline),
             "A's new file never reached B");

    // An in-place append (no rename) must be seen and carried.
    {
        QFile file(m_b->path() + QStringLiteral("/from-a/new/deep/file.txt"));
        QVERIFY(file.open(QIODevice::Append));
        file.write(" and B");
    }
    QVERIFY2(waitFor(
                 [&] {
                     return readFile(m_a->path() + QStringLiteral("/from-a/new/deep/file.txt")) ==
                            "hello from A and B";
                 },
                 Deadline),
             "B's append never reached A");

    QVERIFY(QFile::rename(m_a->path() + QStringLiteral("/from-a/new/deep/file.txt"),
                          m_a->path() + QStringLiteral("/renamed.txt")));
    QVERIFY2(waitFor(
                 [&] {
                     return QFileInfo::exists(m_b->path() + QStringLiteral("/renamed.txt")) &&
                            !QFileInfo::exists(m_b->path() +
                                               QStringLiteral("/from-a/new/deep/file.txt"));
                 },
                 Deadline),
             "the rename never reached B");

    QVERIFY(QFile::remove(m_b->path() + QStringLiteral("/renamed.txt")));
    QVERIFY2(
        waitFor([&] { return !QFileInfo::exists(m_a->path() + QStringLiteral("/renamed.txt")); },
                Deadline),
        "the delete never reached A");
    QVERIFY(waitFor([&] { return converged(); }, Deadline));
}

void TestCliWatch::concurrentEditsConvergeWithoutLoss()
{
    if (m_remote->kindName() == QStringLiteral("nginx"))
        QSKIP("nginx + dav-ext gives no ETag, ignores If-Match and has no LOCK: two writers of "
              "same-size files within one second cannot be told apart (see README, Remotes)");
    for (int i = 0; i < 5; ++i)
        writeFile(m_a->path(), QStringLiteral("doc%1.txt").arg(i), "base");
    startBoth();
    QVERIFY(waitFor([&] { return readTree(m_b->path()).size() == 5 && converged(); }, Deadline));

    // Both sides edit every file at about the same time; every version written must survive
    // as the file or as a conflict copy, on all three sides. (A later round overwrites the
    // file under its name on purpose, so each round is checked once it has settled.)
    for (int round = 0; round < 3; ++round) {
        QSet<QByteArray> written;
        for (int i = 0; i < 5; ++i) {
            const QByteArray fromA = "A" + QByteArray::number(round) + "-" + QByteArray::number(i);
            const QByteArray fromB = "B" + QByteArray::number(round) + "-" + QByteArray::number(i);
            writeFile(m_a->path(), QStringLiteral("doc%1.txt").arg(i), fromA);
            writeFile(m_b->path(), QStringLiteral("doc%1.txt").arg(i), fromB);
            written << fromA << fromB;
        }
        if (!waitFor([&] { return converged(); }, Deadline)) // QVERIFY2 would cut it short
            std::fprintf(stderr, "%s", qPrintable(divergence()));
        QVERIFY2(converged(), "did not converge (trees and status above)");
        const QSet<QByteArray> present = contentsBelow(m_remote->directory());
        for (const QByteArray &version : std::as_const(written))
            QVERIFY2(present.contains(version), version.constData());
        QCOMPARE(contentsBelow(m_a->path()), present);
        QCOMPARE(contentsBelow(m_b->path()), present);
    }
}

void TestCliWatch::statusShowsLiveStateFromAnotherProcess()
{
    writeFile(m_a->path(), QStringLiteral("one.txt"), "1");
    m_watchA = m_cli->start(watchArguments(m_a->path()), this);
    QVERIFY(waitFor(
        [&] { return QFileInfo::exists(m_remote->directory() + QStringLiteral("/one.txt")); },
        Deadline));
    QVERIFY(waitFor(
        [&] {
            const auto status =
                m_cli->run({QStringLiteral("status"), m_a->path(), QStringLiteral("--json")});
            const QJsonObject object = status.json();
            return status.exitCode == 0 &&
                   object.value(QStringLiteral("tracked_files")).toInt() == 1 &&
                   object.value(QStringLiteral("state")).toString() == QStringLiteral("idle");
        },
        Deadline));
    writeFile(m_a->path(), QStringLiteral("two.txt"), "2");
    QVERIFY(waitFor(
        [&] {
            const auto status =
                m_cli->run({QStringLiteral("status"), m_a->path(), QStringLiteral("--json")});
            return status.json().value(QStringLiteral("tracked_files")).toInt() == 2;
        },
        Deadline));
}

void TestCliWatch::terminationSignalsExitCleanly_data()
{
    QTest::addColumn<int>("signalNumber");
    QTest::newRow("SIGTERM") << int(SIGTERM);
    QTest::newRow("SIGINT") << int(SIGINT);
    QTest::newRow("SIGHUP (logout)") << int(SIGHUP);
}

void TestCliWatch::terminationSignalsExitCleanly()
{
    QFETCH(int, signalNumber);
    writeFile(m_a->path(), QStringLiteral("file.txt"), "x");
    m_watchA = m_cli->start(watchArguments(m_a->path()), this);
    QVERIFY(waitFor([&] { return remoteHolds(QStringLiteral("file.txt"), "x"); }, Deadline));
    QCOMPARE(::kill(pid_t(m_watchA->processId()), signalNumber), 0);
    QVERIFY(m_watchA->waitForFinished(30'000));
    QCOMPARE(m_watchA->exitStatus(), QProcess::NormalExit);
    QCOMPARE(m_watchA->exitCode(), 0);
    // The pair is free again: a one-shot sync can take the lock.
    const auto after =
        m_cli->run(QStringList{QStringLiteral("sync"), m_a->path(), m_remote->url()} +
                   m_remote->credentialArguments());
    QCOMPARE(after.exitCode, 0);
}

void TestCliWatch::unmountedRemoteGoesOfflineAndRecovers()
{
    if (m_remote->kindName() == QStringLiteral("rclone"))
        QSKIP("rclone serves a vanished directory as an empty collection, not as missing");
    writeFile(m_a->path(), QStringLiteral("before.txt"), "before");
    // A long poll interval: recovery must come from the offline probe, not from polling.
    QStringList arguments = watchArguments(m_a->path());
    arguments.replace(arguments.indexOf(QStringLiteral("--poll-interval")) + 1,
                      QStringLiteral("3600"));
    m_watchA = m_cli->start(arguments, this);
    QVERIFY(waitFor([&] { return remoteHolds(QStringLiteral("before.txt"), "before"); }, Deadline));

    // The share goes away (as when a NAS is unmounted) while the user keeps working.
    const QString parked = m_remote->directory() + QStringLiteral(".unmounted");
    QVERIFY(QDir().rename(m_remote->directory(), parked));
    writeFile(m_a->path(), QStringLiteral("during.txt"), "written while offline");
    const auto state = [&] {
        return m_cli->run({QStringLiteral("status"), m_a->path(), QStringLiteral("--json")})
            .json()
            .value(QStringLiteral("state"))
            .toString();
    };
    QVERIFY2(waitFor([&] { return state() == QStringLiteral("offline"); }, Deadline),
             qPrintable(state()));
    QVERIFY(QFileInfo::exists(m_a->path() + QStringLiteral("/before.txt"))); // nothing deleted

    QElapsedTimer sinceReturn;
    QVERIFY(QDir().rename(parked, m_remote->directory()));
    sinceReturn.start();
    QVERIFY(
        waitFor([&] { return remoteHolds(QStringLiteral("during.txt"), "written while offline"); },
                Deadline));
    qInfo("recovered %lld ms after the remote came back", sinceReturn.elapsed());
    QVERIFY2(sinceReturn.elapsed() < 10'000, "recovery took longer than DESIGN §5's 10 s");
    QCOMPARE(readTree(m_a->path()), readTree(m_remote->directory()));
}

QTEST_GUILESS_MAIN(TestCliWatch)
#include "tst_cliwatch.moc"
