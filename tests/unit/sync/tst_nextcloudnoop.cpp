// A no-change sync against Nextcloud in one request (issue 19 items 2-3, issue 21 item 1):
// the real steadysync-cli against the scripted Nextcloud 32 (tests/support/scriptednextcloud.*,
// answers recorded from a real one). ETag propagation to the root is verified once per pair by
// a change two levels down; then a no-change sync is the cycle's one PROPFIND of the root, a
// change deep in the tree is found by listing only the collections whose ETag changed, and a
// subtree skipped on its ETag never reads as deleted.
#include "clirunner.h"
#include "scriptednextcloud.h"
#include "testutil.h"

#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace steadysync::test;

namespace {

QStringList listedCollections(QuirkyDavServer &server, int from)
{
    QStringList listed;
    const auto &requests = server.http().requests();
    for (qsizetype i = from; i < requests.size(); ++i) {
        if (requests[i].method == "PROPFIND" && requests[i].header("Depth") != "0")
            listed.append(QString::fromUtf8(requests[i].target));
    }
    return listed;
}

} // namespace

class TestNextcloudNoop : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void noChangeSyncIsOnePropfind();
    void deepChangeListsOnlyChangedCollections();
    void skippedSubtreeIsNeverDeleted();
    void withoutVerifiedPropagationEveryCollectionIsListed();

private:
    CliRunner::Outcome sync();
    void populate();

    std::unique_ptr<QTemporaryDir> m_home;
    std::unique_ptr<CliRunner> m_cli;
    std::unique_ptr<ScriptedNextcloud> m_server;
    std::unique_ptr<QTemporaryDir> m_local;
};

void TestNextcloudNoop::init()
{
    m_home = std::make_unique<QTemporaryDir>();
    m_cli = std::make_unique<CliRunner>(m_home->path());
    m_cli->setPassword(QStringLiteral("nc-User-pw-1"));
    m_server = std::make_unique<ScriptedNextcloud>(QStringLiteral(STEADYSYNC_NEXTCLOUD32_DATA));
    m_local = std::make_unique<QTemporaryDir>();
    QVERIFY(m_server->start());
}

CliRunner::Outcome TestNextcloudNoop::sync()
{
    QUrl url = m_server->url();
    url.setUserName(QStringLiteral("u"));
    return m_cli->runServing(
        {QStringLiteral("sync"), m_local->path(), url.toString(), QStringLiteral("--json")});
}

// Three levels of folders, 40 files; the first sync downloads them and verifies propagation.
void TestNextcloudNoop::populate()
{
    for (int a = 0; a < 2; ++a)
        for (int b = 0; b < 4; ++b)
            for (int f = 0; f < 5; ++f)
                m_server->dav().putFile(QStringLiteral("A%1/B%2/C/f%3.txt").arg(a).arg(b).arg(f),
                                        QByteArray::number(a * 100 + b * 10 + f));
    const CliRunner::Outcome first = sync();
    QVERIFY2(first.exitCode == 0, qPrintable(first.describe()));
    QCOMPARE(first.json().value(QLatin1String("downloaded")).toInt(), 40);
}

void TestNextcloudNoop::noChangeSyncIsOnePropfind()
{
    populate();
    const int before = m_server->requestCount("PROPFIND");
    const int challengesBefore = m_server->challengesSent();
    const CliRunner::Outcome again = sync();
    QVERIFY2(again.exitCode == 0, qPrintable(again.describe()));
    // The run's first request meets the one challenge and is sent again with credentials (a
    // URL with /remote.php/ reads the capabilities first and meets none): one PROPFIND
    // answered, nothing else listed.
    const int challenges = m_server->challengesSent() - challengesBefore;
    QVERIFY(challenges <= 1);
    QCOMPARE(m_server->requestCount("PROPFIND") - before - challenges, 1);
    QCOMPARE(readTree(m_local->path()).size(), 40 + 2 + 8 + 8); // files and folders
}

void TestNextcloudNoop::deepChangeListsOnlyChangedCollections()
{
    populate();
    QVERIFY(sync().exitCode == 0); // the cache now holds the root's ETag
    m_server->dav().putFile(QStringLiteral("A1/B2/C/f3.txt"), "changed on the server");
    const int from = m_server->dav().http().requestCount();
    const CliRunner::Outcome outcome = sync();
    QVERIFY2(outcome.exitCode == 0, qPrintable(outcome.describe()));
    QCOMPARE(readFile(m_local->filePath(QStringLiteral("A1/B2/C/f3.txt"))),
             QByteArray("changed on the server"));
    const QStringList listed = listedCollections(m_server->dav(), from);
    QCOMPARE(listed, QStringList({"/dav/", "/dav/A1/", "/dav/A1/B2/", "/dav/A1/B2/C/"}));
}

// A walk that fills the cache gets a listing that leaves out A1/B2/C/f3.txt (once): the file
// is not deleted here (its absence is proven by a fresh listing, which shows it), and the cache
// that holds the wrong listing is dropped, so the next run, whose root ETag is unchanged, does
// not take the subtree from it: it lists again and ends clean.
void TestNextcloudNoop::skippedSubtreeIsNeverDeleted()
{
    populate();
    m_server->dav().putFile(QStringLiteral("A1/B2/C/f0.txt"), "changed");
    auto omitted = std::make_shared<int>(0);
    m_server->dav().addBehaviour(
        {{}, [omitted](const HostileWebDavServer::Request &request, const QByteArray &answer) {
             if (request.method != "PROPFIND" || request.target != "/dav/A1/B2/C/" ||
                 (*omitted)++ > 0)
                 return answer;
             QList<QByteArray> parts = answer.split('\n');
             QByteArray kept;
             for (const QByteArray &part : parts)
                 if (!part.contains("f3.txt"))
                     kept += part + '\n';
             kept.chop(1);
             // Content-Length no longer fits: say it again.
             const qsizetype bodyAt = kept.indexOf("\r\n\r\n") + 4;
             QByteArray head = kept.left(bodyAt);
             const QByteArray body = kept.mid(bodyAt);
             const qsizetype lengthAt = head.toLower().indexOf("content-length:");
             if (lengthAt >= 0) {
                 const qsizetype lineEnd = head.indexOf("\r\n", lengthAt);
                 head.replace(lengthAt, lineEnd - lengthAt,
                              "Content-Length: " + QByteArray::number(body.size()));
             }
             return head + body;
         }});
    const CliRunner::Outcome outcome = sync();
    QCOMPARE(*omitted, 2); // the walk's listing, then the proof's
    QCOMPARE(outcome.json().value(QLatin1String("deleted_local")).toInt(), 0);
    QCOMPARE(readFile(m_local->filePath(QStringLiteral("A1/B2/C/f0.txt"))), QByteArray("changed"));
    QVERIFY(QFile::exists(m_local->filePath(QStringLiteral("A1/B2/C/f3.txt"))));
    const CliRunner::Outcome again = sync();
    QVERIFY2(again.exitCode == 0, qPrintable(again.describe()));
    QCOMPARE(again.json().value(QLatin1String("deleted_local")).toInt(), 0);
    QCOMPARE(readTree(m_local->path()).size(), 40 + 2 + 8 + 8);
}

// A server that claims propagation (oc:fileid) but refuses the probe's write cannot be
// verified: every collection is listed, as before.
void TestNextcloudNoop::withoutVerifiedPropagationEveryCollectionIsListed()
{
    m_server->dav().quirks().readOnlyFolders = {QStringLiteral(".steadysync")};
    populate();
    const int from = m_server->dav().http().requestCount();
    const CliRunner::Outcome again = sync();
    QVERIFY2(again.exitCode == 0, qPrintable(again.describe()));
    QCOMPARE(listedCollections(m_server->dav(), from).size(), 1 + 2 + 8 + 8);
}

QTEST_GUILESS_MAIN(TestNextcloudNoop)
#include "tst_nextcloudnoop.moc"
