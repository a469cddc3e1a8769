// What a server says of itself (issue 19, item 2): status.php and the OCS capabilities read
// when a pair first stats the root, from answers recorded on a real Nextcloud 32
// (tests/data/nextcloud32), and a plain WebDAV server that has neither.
#include "remote/nextcloudcapabilities.h"
#include "remote/webdavbackend.h"
#include "scripteddavtree.h"
#include "scriptednextcloud.h"
#include "testutil.h"

#include <QFile>
#include <QTest>

using namespace steadysync;

namespace {

QByteArray recorded(const QString &name)
{
    QFile file(QStringLiteral(STEADYSYNC_NEXTCLOUD32_DATA "/") + name);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// Stats the root as a pair's first cycle does; the capabilities it learnt.
std::optional<ServerCapabilities> statRoot(const QUrl &url, const QString &user = {})
{
    BackendOptions options;
    options.user = user;
    options.password = QStringLiteral("pw");
    WebDavBackend backend(url, options);
    EntryJob *job = backend.stat(QString());
    bool finished = false;
    bool succeeded = false;
    QObject::connect(job, &RemoteJob::finished, job, [&](RemoteJob *done) {
        finished = true;
        succeeded = done->succeeded();
    });
    if (!test::waitFor([&] { return finished; }, 30'000) || !succeeded)
        return std::nullopt;
    return backend.capabilities();
}

} // namespace

class TestServerCapabilities : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void readsRecordedNextcloud32();
    void anonymousCapabilitiesOfferNothing();
    void plainAnswersAreNotNextcloud();
    void urlsFollowTheInstallation();
    void pairStartLearnsNextcloud();
    void plainServerStillSyncs();
};

void TestServerCapabilities::readsRecordedNextcloud32()
{
    ServerCapabilities capabilities;
    QVERIFY(nextcloud::readStatus(recorded(QStringLiteral("status.json")), &capabilities).ok());
    QCOMPARE(capabilities.productName, QStringLiteral("Nextcloud"));
    QCOMPARE(capabilities.productVersion, QStringLiteral("32.0.1"));
    QVERIFY(
        nextcloud::readCapabilities(recorded(QStringLiteral("capabilities.json")), &capabilities)
            .ok());
    QVERIFY(capabilities.capabilitiesRead);
    QVERIFY(capabilities.bulkUpload);
    QVERIFY(capabilities.chunkingV2);
    QCOMPARE(capabilities.maxChunkSize, qint64(104857600));
    QCOMPARE(capabilities.maxParallelChunks, 5);
    QVERIFY(capabilities.versions);
    QVERIFY(capabilities.trashbin);
}

void TestServerCapabilities::anonymousCapabilitiesOfferNothing()
{
    ServerCapabilities capabilities;
    QVERIFY(nextcloud::readCapabilities(recorded(QStringLiteral("capabilities-anonymous.json")),
                                        &capabilities)
                .ok());
    QVERIFY(!capabilities.capabilitiesRead);
    QVERIFY(!capabilities.bulkUpload);
    QVERIFY(!capabilities.chunkingV2);
    QVERIFY(!capabilities.versions);
    QVERIFY(!capabilities.trashbin);
}

void TestServerCapabilities::plainAnswersAreNotNextcloud()
{
    ServerCapabilities capabilities;
    QVERIFY(!nextcloud::readStatus("<html><body>Not Found</body></html>", &capabilities).ok());
    QVERIFY(!nextcloud::readStatus(R"({"installed":false})", &capabilities).ok());
    QVERIFY(!nextcloud::readCapabilities("{}", &capabilities).ok());
    QVERIFY(!capabilities.isNextcloudLike());
    QVERIFY(!capabilities.bulkUpload);
}

void TestServerCapabilities::urlsFollowTheInstallation()
{
    QVERIFY(nextcloud::namesNextcloud(QUrl(QStringLiteral("https://h/remote.php/dav/files/u/"))));
    QVERIFY(!nextcloud::namesNextcloud(QUrl(QStringLiteral("http://127.0.0.1:80/dav/"))));
    QCOMPARE(nextcloud::statusUrl(QUrl(QStringLiteral("https://h/remote.php/dav/files/u/x/"))),
             QUrl(QStringLiteral("https://h/status.php")));
    QCOMPARE(nextcloud::statusUrl(QUrl(QStringLiteral("https://h:8443/nc/remote.php/webdav/"))),
             QUrl(QStringLiteral("https://h:8443/nc/status.php")));
    QCOMPARE(nextcloud::statusUrl(QUrl(QStringLiteral("http://127.0.0.1:80/dav/"))),
             QUrl(QStringLiteral("http://127.0.0.1:80/status.php")));
    QCOMPARE(
        nextcloud::capabilitiesUrl(QUrl(QStringLiteral("https://h/nc/remote.php/dav/files/u/"))),
        QUrl(QStringLiteral("https://h/nc/ocs/v1.php/cloud/capabilities?format=json")));
}

// The first stat of the root shows oc:fileid (the URL does not name Nextcloud): both
// answers are read then, the OCS capabilities with the credentials the challenge asked for.
void TestServerCapabilities::pairStartLearnsNextcloud()
{
    test::ScriptedNextcloud server(QStringLiteral(STEADYSYNC_NEXTCLOUD32_DATA));
    QVERIFY(server.start());
    const std::optional<ServerCapabilities> capabilities =
        statRoot(server.url(), QStringLiteral("u"));
    QVERIFY(capabilities);
    QCOMPARE(capabilities->productName, QStringLiteral("Nextcloud"));
    QVERIFY(capabilities->bulkUpload);
    QVERIFY(capabilities->chunkingV2);
    QVERIFY(capabilities->versions);
    QVERIFY(capabilities->trashbin);
    QCOMPARE(server.challengesSent(), 1);
    QCOMPARE(server.requestCount("PROPFIND"), 2); // challenged, then answered
    QCOMPARE(server.requestCount("GET"), 2);      // status.php, capabilities
}

// A plain WebDAV server (no oc:fileid, no /remote.php/ in its URL) is not asked at all.
void TestServerCapabilities::plainServerStillSyncs()
{
    test::ScriptedDavTree tree;
    tree.putFile(QStringLiteral("a.txt"), "a");
    test::HostileWebDavServer server;
    server.setHandler(tree.handler());
    QVERIFY(server.start());
    const std::optional<ServerCapabilities> capabilities = statRoot(server.collectionUrl());
    QVERIFY(capabilities);
    QVERIFY(!capabilities->isNextcloudLike());
    QVERIFY(!capabilities->capabilitiesRead);
    QVERIFY(!capabilities->bulkUpload);
    QVERIFY(!capabilities->chunkingV2);
    QCOMPARE(server.requestCount(), 1); // the PROPFIND
}

QTEST_GUILESS_MAIN(TestServerCapabilities)
#include "tst_servercapabilities.moc"
