// End-to-end test of `steadysync-cli watch` polling a real Apache mod_dav_fs: collections
// without subcollections whose ETag is unchanged are not listed again (their ETag changes with
// their direct members), and changes another client makes in them still arrive.
#include "clirunner.h"
#include "faultproxy.h"
#include "testutil.h"
#include "webdavserver.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace steadysync::test;

namespace {

constexpr int Deadline = 120'000;
constexpr int LeafCount = 30;

} // namespace

class TestCliWatchPoll : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void idlePollsListOnlyTheRootAndChangesInLeavesArrive();

private:
    QStringList credentials() const { return {QStringLiteral("--user"), m_server->user()}; }
    // Cycles the watching process has reported so far (one JSON line each).
    int cyclesReported()
    {
        m_watchOutput += m_watch->readAllStandardOutput();
        return int(m_watchOutput.count('\n'));
    }
    QString watchLog() const
    {
        return QString::fromUtf8(m_watchOutput + m_watch->readAllStandardError());
    }

    std::unique_ptr<WebDavServer> m_server;
    std::unique_ptr<FaultProxy> m_proxy;
    QTemporaryDir m_home;
    std::unique_ptr<CliRunner> m_cli;
    QProcess *m_watch = nullptr;
    QByteArray m_watchOutput;
};

void TestCliWatchPoll::initTestCase()
{
    QString error;
    m_server = WebDavServer::start(WebDavServer::Kind::Apache, &error);
    QVERIFY2(m_server, qPrintable(error));
    // Counts the watching client's requests; the other client talks to Apache directly.
    m_proxy = std::make_unique<FaultProxy>(m_server->url());
    QVERIFY(m_proxy->listen());
    m_cli = std::make_unique<CliRunner>(m_home.path());
    m_cli->setPassword(m_server->password());
}

void TestCliWatchPoll::cleanup()
{
    stopProcess(m_watch);
}

void TestCliWatchPoll::idlePollsListOnlyTheRootAndChangesInLeavesArrive()
{
    QTemporaryDir other, watched;
    for (int i = 0; i < LeafCount; ++i) {
        const QString leaf = QStringLiteral("leaf%1/").arg(i, 2, 10, QLatin1Char('0'));
        writeFile(other.path(), leaf + QStringLiteral("a.txt"), "first version");
        writeFile(other.path(), leaf + QStringLiteral("b.txt"), "b");
    }
    const QString directUrl = m_server->url().toString();
    const CliRunner::Outcome seeded =
        m_cli->run(QStringList{QStringLiteral("sync"), other.path(), directUrl} + credentials());
    QVERIFY2(seeded.exitCode == 0, seeded.err.constData());

    m_watch = m_cli->start(QStringList{QStringLiteral("watch"), watched.path(),
                                       m_proxy->url().toString(), QStringLiteral("--json"),
                                       QStringLiteral("--poll-interval"), QStringLiteral("1"),
                                       QStringLiteral("--debounce-ms"), QStringLiteral("200")} +
                               credentials(),
                           this);
    QVERIFY2(waitFor([&] { return readTree(watched.path()) == readTree(other.path()); }, Deadline),
             qPrintable(watchLog()));

    // Once the cycles started by the downloads themselves are over, an idle poll is a stat and
    // a listing of the root, where it used to list all 30 leaves as well, and it runs no cycle:
    // the remote is as the last cycle left it. Polls are a second apart, so a window of
    // seconds holds at most two requests a second (one poll under way at its start).
    QElapsedTimer sinceLastCycle;
    sinceLastCycle.start();
    int cycles = cyclesReported();
    const bool settled = waitFor(
        [&] {
            if (cyclesReported() != cycles) {
                cycles = cyclesReported();
                sinceLastCycle.start();
            }
            return sinceLastCycle.elapsed() >= 4000;
        },
        Deadline);
    QVERIFY2(settled, qPrintable(watchLog()));
    const qint64 requestsBefore = m_proxy->requestCount();
    QElapsedTimer window;
    window.start();
    QVERIFY(waitFor(
        [&] { return window.elapsed() >= 5000 && m_proxy->requestCount() > requestsBefore; },
        Deadline));
    const qint64 requests = m_proxy->requestCount() - requestsBefore;
    const qint64 seconds = window.elapsed() / 1000 + 1;
    qInfo("%lld requests in %lld s of idle polls, %d leaf collections", requests, seconds,
          LeafCount);
    QVERIFY2(requests <= 2 * seconds + 2,
             qPrintable(QStringLiteral("%1 requests in %2 s").arg(requests).arg(seconds)));
    QCOMPARE(cyclesReported(), cycles);

    // The other client overwrites a file with one of the same size and adds one: both leaves'
    // ETags change, so the watching client lists them and downloads.
    writeFile(other.path(), QStringLiteral("leaf07/a.txt"), "other version");
    writeFile(other.path(), QStringLiteral("leaf21/new.txt"), "new in a leaf");
    const CliRunner::Outcome uploaded =
        m_cli->run(QStringList{QStringLiteral("sync"), other.path(), directUrl} + credentials());
    QVERIFY2(uploaded.exitCode == 0, uploaded.err.constData());
    QVERIFY2(waitFor(
                 [&] {
                     return readFile(watched.path() + QStringLiteral("/leaf07/a.txt")) ==
                                "other version" &&
                            readFile(watched.path() + QStringLiteral("/leaf21/new.txt")) ==
                                "new in a leaf";
                 },
                 Deadline),
             qPrintable(watchLog()));
    QCOMPARE(readTree(watched.path()), readTree(other.path()));
}

QTEST_GUILESS_MAIN(TestCliWatchPoll)
#include "tst_cliwatchpoll.moc"
