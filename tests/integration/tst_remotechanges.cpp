// Remote changes in seconds (issue 21 item 3): a `watch` whose configured poll is minutes
// away still receives, within seconds, a change another Steadysync client makes deep in the
// tree, on Apache and nginx (no collection ETags that propagate: the change beacon,
// REMOTE/.steadysync/beacon, which the other client rewrites and the watching one stats once a
// second). The deadline is generous; the time taken is printed, not asserted.
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

constexpr int Deadline = 60'000;

} // namespace

class TestRemoteChanges : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cleanup();
    void changeByAnotherClientArrivesBeforeThePoll_data();
    void changeByAnotherClientArrivesBeforeThePoll();
    void aRemoteChangeIsListedOnce();

private:
    // Waits until the watch has sent no request for quietMs but the beacon's stats.
    static bool waitUntilOnlyTheBeaconIsAsked(const FaultProxy &watchProxy, qint64 quietMs);
    QProcess *m_watch = nullptr;
};

void TestRemoteChanges::cleanup()
{
    if (m_watch && m_watch->state() != QProcess::NotRunning) {
        m_watch->terminate();
        if (!m_watch->waitForFinished(30'000))
            m_watch->kill();
    }
    delete m_watch;
    m_watch = nullptr;
}

void TestRemoteChanges::changeByAnotherClientArrivesBeforeThePoll_data()
{
    QTest::addColumn<int>("kind");
    QTest::newRow("apache") << int(WebDavServer::Kind::Apache);
    QTest::newRow("nginx") << int(WebDavServer::Kind::Nginx);
}

void TestRemoteChanges::changeByAnotherClientArrivesBeforeThePoll()
{
    QFETCH(int, kind);
    QString error;
    const std::unique_ptr<WebDavServer> server =
        WebDavServer::start(WebDavServer::Kind(kind), &error);
    QVERIFY2(server, qPrintable(error));
    QTemporaryDir home, other, watched;
    CliRunner cli(home.path());
    cli.setPassword(server->password());
    const QStringList credentials{QStringLiteral("--user"), server->user()};
    const QString url = server->url().toString();
    writeFile(other.path(), QStringLiteral("a/b/c/deep.txt"), "first");
    writeFile(other.path(), QStringLiteral("top.txt"), "top");
    const CliRunner::Outcome seeded =
        cli.run(QStringList{QStringLiteral("sync"), other.path(), url} + credentials);
    QVERIFY2(seeded.exitCode == 0, qPrintable(seeded.describe()));

    m_watch = cli.start(QStringList{QStringLiteral("watch"), watched.path(), url,
                                    QStringLiteral("--poll-interval"), QStringLiteral("600"),
                                    QStringLiteral("--debounce-ms"), QStringLiteral("200"),
                                    QStringLiteral("--json")} +
                            credentials,
                        this);
    QVERIFY2(waitFor([&] { return readTree(watched.path()) == readTree(other.path()); }, Deadline),
             qPrintable(QString::fromUtf8(m_watch->readAllStandardError())));

    // Changed deep in the tree: the watching client's poll is ten minutes away.
    for (int round = 0; round < 2; ++round) {
        const QByteArray content =
            "changed by the other client, round " + QByteArray::number(round);
        writeFile(other.path(), QStringLiteral("a/b/c/deep.txt"), content);
        const CliRunner::Outcome uploaded =
            cli.run(QStringList{QStringLiteral("sync"), other.path(), url} + credentials);
        QVERIFY2(uploaded.exitCode == 0, qPrintable(uploaded.describe()));
        QElapsedTimer arrival;
        arrival.start();
        QVERIFY2(waitFor(
                     [&] {
                         return readFile(watched.path() + QStringLiteral("/a/b/c/deep.txt")) ==
                                content;
                     },
                     Deadline),
                 qPrintable(QString::fromUtf8(m_watch->readAllStandardOutput() +
                                              m_watch->readAllStandardError())));
        qInfo("round %d: arrived %lld ms after the other client's sync ended", round,
              arrival.elapsed());
    }
    QCOMPARE(readTree(watched.path()), readTree(other.path()));
}

bool TestRemoteChanges::waitUntilOnlyTheBeaconIsAsked(const FaultProxy &watchProxy, qint64 quietMs)
{
    qsizetype seen = -1;
    QElapsedTimer sinceLastRequest;
    sinceLastRequest.start();
    return waitFor(
        [&] {
            qsizetype requests = 0;
            for (const QByteArray &line : watchProxy.requestLines())
                requests += line.contains("/.steadysync/beacon") ? 0 : 1;
            if (requests != seen) {
                seen = requests;
                sinceLastRequest.restart();
            }
            return sinceLastRequest.elapsed() >= quietMs;
        },
        Deadline);
}

// Apache's collection ETags do not follow the tree, so the poll that a changed beacon starts
// lists the whole remote (one Depth: infinity PROPFIND here). The cycle it starts plans with
// that walk instead of listing it all again: each watching client lists the tree once per
// remote change, where it listed it twice (a team of 50 clients of 5,000 files: 2 MB x 49 x 2
// per save). The watch talks through a proxy that counts its requests alone.
void TestRemoteChanges::aRemoteChangeIsListedOnce()
{
    QString error;
    const std::unique_ptr<WebDavServer> server = WebDavServer::start(
        WebDavServer::Kind::Apache, &error, {}, WebDavServer::DepthInfinity::Allowed);
    QVERIFY2(server, qPrintable(error));
    QTemporaryDir home, other, watched;
    CliRunner cli(home.path());
    cli.setPassword(server->password());
    const QStringList credentials{QStringLiteral("--user"), server->user()};
    const QString url = server->url().toString();
    for (int i = 0; i < 20; ++i)
        writeFile(other.path(), QStringLiteral("d%1/f%2.txt").arg(i % 4).arg(i), "first");
    const QStringList sync = QStringList{QStringLiteral("sync"), other.path(), url} + credentials;
    const CliRunner::Outcome seeded = cli.run(sync);
    QVERIFY2(seeded.exitCode == 0, qPrintable(seeded.describe()));
    FaultProxy watchProxy(server->url());
    QVERIFY(watchProxy.listen());
    m_watch =
        cli.start(QStringList{QStringLiteral("watch"), watched.path(), watchProxy.url().toString(),
                              QStringLiteral("--poll-interval"), QStringLiteral("600"),
                              QStringLiteral("--debounce-ms"), QStringLiteral("200")} +
                      credentials,
                  this);
    QVERIFY(waitFor([&] { return readTree(watched.path()) == readTree(other.path()); }, Deadline));
    QVERIFY(waitUntilOnlyTheBeaconIsAsked(watchProxy, 3000));

    const QByteArray treeListing = "PROPFIND " + server->url().path().toUtf8() + " ";
    for (int round = 0; round < 3; ++round) {
        const QByteArray content = "round " + QByteArray::number(round);
        const QString changed = QStringLiteral("d%1/f%1.txt").arg(round);
        writeFile(other.path(), changed, content);
        const qsizetype before = watchProxy.requestHeads().size();
        const CliRunner::Outcome uploaded = cli.run(sync);
        QVERIFY2(uploaded.exitCode == 0, qPrintable(uploaded.describe()));
        QVERIFY(waitFor([&] { return readFile(watched.filePath(changed)) == content; }, Deadline));
        QVERIFY(waitUntilOnlyTheBeaconIsAsked(watchProxy, 3000));
        qsizetype listings = 0;
        for (const QByteArray &head : watchProxy.requestHeads().mid(before))
            listings += head.startsWith(treeListing) && head.contains("Depth: infinity") ? 1 : 0;
        QCOMPARE(listings, 1);
    }
}

QTEST_GUILESS_MAIN(TestRemoteChanges)
#include "tst_remotechanges.moc"
