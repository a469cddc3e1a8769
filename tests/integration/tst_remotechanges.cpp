// Remote changes in seconds (issue 21 item 3): a `watch` whose configured poll is minutes
// away still receives, within seconds, a change another Steadysync client makes deep in the
// tree, on Apache and nginx (no collection ETags that propagate: the change beacon,
// REMOTE/.steadysync/beacon, which the other client rewrites and the watching one stats once a
// second). The deadline is generous; the time taken is printed, not asserted.
#include "clirunner.h"
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

private:
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

QTEST_GUILESS_MAIN(TestRemoteChanges)
#include "tst_remotechanges.moc"
