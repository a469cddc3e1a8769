#include "hostilewebdavserver.h"
#include "jobresult.h"
#include "remote/remotebackend.h"
#include "remote/webdavbackend.h"
#include "testutil.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QMap>
#include <QSslKey>
#include <QTemporaryDir>
#include <QTest>

using namespace steadysync;
using test::HostileWebDavServer;

namespace {

constexpr int jobTimeoutMs = 60'000;

using test::JobResult;

JobResult run(RemoteJob *job)
{
    return test::runJob(job, jobTimeoutMs);
}

QByteArray fileXml(const QByteArray &href, qint64 size, const QByteArray &etag = "\"e\"")
{
    return "<D:response><D:href>" + href +
           "</D:href><D:propstat><D:prop><D:resourcetype/><D:getcontentlength>" +
           QByteArray::number(size) +
           "</D:getcontentlength><D:getlastmodified>Tue, 24 Nov 2026 20:00:00 GMT"
           "</D:getlastmodified><D:getetag>" +
           etag +
           "</D:getetag></D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat>"
           "</D:response>";
}

QByteArray dirXml(const QByteArray &href)
{
    return "<D:response><D:href>" + href +
           "</D:href><D:propstat><D:prop><D:resourcetype><D:collection/></D:resourcetype>"
           "</D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>";
}

QByteArray multistatusXml(const QByteArray &responses)
{
    return "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<D:multistatus xmlns:D=\"DAV:\">" +
           responses + "</D:multistatus>";
}

// Self-signed for IP 127.0.0.1, valid until 2126; generated once with
// openssl req -x509 -newkey rsa:2048 -nodes -days 36500 -subj /CN=127.0.0.1
//   -addext subjectAltName=IP:127.0.0.1 -addext basicConstraints=critical,CA:TRUE
const char loopbackCertificatePem[] =
    "-----BEGIN CERTIFICATE-----\n"
    "MIIDHDCCAgSgAwIBAgIUCo4Tcek+eoB9JUtLJq4zROA42fIwDQYJKoZIhvcNAQEL\n"
    "BQAwFDESMBAGA1UEAwwJMTI3LjAuMC4xMCAXDTI2MTEyNDIxMTAyMFoYDzIxMjYx\n"
    "MDMxMjExMDIwWjAUMRIwEAYDVQQDDAkxMjcuMC4wLjEwggEiMA0GCSqGSIb3DQEB\n"
    "AQUAA4IBDwAwggEKAoIBAQDEw6LVU7f7ornhSVM4ZZFtBHpUYuY8u+pWbLmJG5z4\n"
    "pPn9aaTqZNYIqSW2oEi3Wl9NXf381LCNzfrGajeoDlNjIrVU255fNhAYS3QMBDCF\n"
    "jf7Ux3Zp/B4gXQGi+rM6+xxHIiJ9xhI1BEs9XrcbPli3PSUw3fV2ZdxBoz/I+9fw\n"
    "JWQbhc4M+p411NAI0rp6F48h52whWRtaV51fi6xBDluiXW/0PD3d/6G9lmr5L5zG\n"
    "PoZnBhctUmxxsEsb75xy+Vt1/pEBtTYd/ujyuZXx5KCpT15PF5KI27Fz6MqbkGOK\n"
    "Rq6A5SBIj8XhJWUxENhc6Qbe6H9uDI+eeHhT8Ll7BiYPAgMBAAGjZDBiMB0GA1Ud\n"
    "DgQWBBS3c26Sp4wjsfVK62ReiMeyQgnwezAfBgNVHSMEGDAWgBS3c26Sp4wjsfVK\n"
    "62ReiMeyQgnwezAPBgNVHREECDAGhwR/AAABMA8GA1UdEwEB/wQFMAMBAf8wDQYJ\n"
    "KoZIhvcNAQELBQADggEBAL4HCFZ5TaIXzFviMD1LYN6IPbPiynpFzlrKFFC+bCce\n"
    "SlgC6VmZVe4BF64xYsA7V86eQU5335zfOKXeBhJBmZS+/fy400ouTSfAEbVkOGSL\n"
    "5q4l7TWoonnjN8aQIlTnaNlHaq3cK7V+/93jrKnX26rOv9e1CHXQW67iDWL8zwU+\n"
    "lm3JXrtlgSeJmRv5qeoAroJXNB4c7zMQKocl84YEFmuRSLC/2F4Takw0jlWnsMfL\n"
    "SlaF+g2ftQxIUxSy1YV61eNK8pHvfBsp/SgF89zrPZGBrENYcYwN0ZY7nohoa9xm\n"
    "cI0QHFfEVt+m703ZkqvN3xipZq65vyXm1dV4+pAl1lA=\n"
    "-----END CERTIFICATE-----\n";
const char loopbackKeyPem[] = "-----BEGIN PRIVATE KEY-----\n"
                              "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDEw6LVU7f7ornh\n"
                              "SVM4ZZFtBHpUYuY8u+pWbLmJG5z4pPn9aaTqZNYIqSW2oEi3Wl9NXf381LCNzfrG\n"
                              "ajeoDlNjIrVU255fNhAYS3QMBDCFjf7Ux3Zp/B4gXQGi+rM6+xxHIiJ9xhI1BEs9\n"
                              "XrcbPli3PSUw3fV2ZdxBoz/I+9fwJWQbhc4M+p411NAI0rp6F48h52whWRtaV51f\n"
                              "i6xBDluiXW/0PD3d/6G9lmr5L5zGPoZnBhctUmxxsEsb75xy+Vt1/pEBtTYd/ujy\n"
                              "uZXx5KCpT15PF5KI27Fz6MqbkGOKRq6A5SBIj8XhJWUxENhc6Qbe6H9uDI+eeHhT\n"
                              "8Ll7BiYPAgMBAAECggEABdVjA34a60v0xNgeroJcYGYMlmnkN5K+rNdGXOlDqx+B\n"
                              "BeFW8VgR/Gm/Y323CjCUuL97oz5PCbU8pRtLESFzmXHS/HQSavI4YfACvcR2B8+g\n"
                              "6YAMY7IE1qLLRKC4JZyCRx2c9iukKIw7CtO/DAC6MpyOeLdr6pm0gQGtB3FoAoeb\n"
                              "50LaO71GUYShJ64MrsOZA7y18hqACgYYhbrQ5nm3dxlFG5SBBTkddlQNJsmH6i5/\n"
                              "h3V299WIwOOzqNRFCYG/utZKmqg1Zy97IigO0wGKre46ZP2kYqLwiLFpSF0HnJl/\n"
                              "adFogaZQKflEdFwZo0bzWA2jP5gV9guf8gQ8+oX8IQKBgQD09yoc86FM+aFto8ZH\n"
                              "Dl8Exz1MC0K8BiYag8QWPGXr60w3Dcik/+VEirQGUzCpv3bT6E1qL2hGvcan1ZhN\n"
                              "MWiopu1jhedd7uemkqzPX80aQibGRrUd9qTSuFjncs1IL9cLrNpYmlEa2DCVCYCM\n"
                              "M4gmBBoOTx0ubmX2EmO9RRGknwKBgQDNoKKkgRrbmvB+8d4oNpYueg71r4XzOIHP\n"
                              "TKYrQhsz7DMOXPNSBPPu3IRje+BKJ4hcdvLa71r74XCdRp0oSTw2Wts7Ux3P1Nqc\n"
                              "Jeu1K6uG/9/0O4AutEvL8KqjBjN/RbxykHmsy4SnklHoUJkgGxJFQGRW3v1nfqch\n"
                              "MypNI8cYkQKBgQDKt4d4Mf030BTQwIki4DetopuNRHxTUNtTcdthc1X859lIbfWu\n"
                              "5bz6/bWAznMk5jcVodX+m4C1mfK9jTreFpc/ifRFOdh/mWbGJ/cuHV+D7V5dEsJr\n"
                              "K2K2pqubzRsoM77IAKEoVXvstR9vFk/0tehjXV2ancnOVLm36vvy8ydojQKBgHCc\n"
                              "X1X+CmpoEPtElGirdFXhrJ2qUY5gzN5tWLdqDaHC4jckenDZm4mdpLci2TNjMQ+K\n"
                              "aPezi71Tuiu3x0uPx/Twjw2POE1ggZRwRATE9LwLF2gWyd1KChSXKav8MmmqFEkd\n"
                              "jDUwg+aNgGPc9+8YREo+uHTGzDpIp1jMP4ddZ6SxAoGADYJ/vBc4KGDEBC/yVGqA\n"
                              "lgM8cjxFv8MYhIDdg/eVQh8OiSo0ITZl35+no1U0HSZX6ZSZf7n+fwicXGsHnda2\n"
                              "wRnVcLh1vPZqjvtcGrpZ9HmXRfrqxG5dWD+Txya3mRY/hc14PspksZSWwWkpAAYQ\n"
                              "jgHMJG1STvyQs2HvIA4IQLg=\n"
                              "-----END PRIVATE KEY-----\n";

HostileWebDavServer::Reply answer(const QByteArray &bytes)
{
    return HostileWebDavServer::reply(bytes);
}

} // namespace

class TestWebDavHostile : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();

    void createAcceptsHttpUrls();
    void listsAWellFormedCollection();
    void statTellsWhetherDirectoryEtagsPropagate_data();
    void statTellsWhetherDirectoryEtagsPropagate();
    void statTellsWhetherEtagsSurviveMoves_data();
    void statTellsWhetherEtagsSurviveMoves();
    void malformedListingsAreCorrupt_data();
    void malformedListingsAreCorrupt();
    void escapingNamesAreRejectedNotListed();
    void hugeListing();
    void oversizedListingIsRefused();
    void statusesMapToErrorKinds_data();
    void statusesMapToErrorKinds();
    void retryAfterIsParsed_data();
    void retryAfterIsParsed();
    void droppedPropfindIsTransient();
    void droppedDownloadIsTransientAndResumes();
    void silentServerTimesOut();
    void refusedConnectionIsOffline();
    void credentialsAreSentOnceOn401();
    void crossOriginRedirectIsNotFollowed();
    void uploadChecksPreconditionItself();
    void uploadSendsConditionalHeaders();
    void createsTrustIfNoneMatchWhereTheServerEvaluatesIt();
    void createsStayCheckedWhereTheServerIgnoresConditions();
    void statsAfterWritesShareADirectoryListing();
    void writeUnderLockSendsTokenThenUnlocks();
    void lockHeldElsewhereIsWaitedFor();
    void failingLockFallsBackToIfMatch();
    void failedCheckUnderLockStillUnlocks();
    void youngWeakEtagIsRetriedWhereThereAreNoLocks();
    void makeDirectoryThatExists_data();
    void makeDirectoryThatExists();
    void moveAndRemoveSendTheRightRequests();
    void pathsArePercentEncodedPerSegment();
    void concurrencyIsLimited();
    void cancelAbortsPromptly();
    void downloadsHonourTheBandwidthLimit();
    void downloadReportsTheListedVersion();
    void uploadsHonourTheBandwidthLimit();
    void untrustedCertificateIsPermanent();
    void caCertFileIsTrusted();
    void largeUploadGoesOnAConnectionOfItsOwn();
    void largeUploadAnswersABasicChallenge();
    void largeUploadRefusedBeforeItsBodyIsSent();
    void largeUploadFallsBackWhereBasicIsNotOffered();
    void largeUploadFallsBackOnAnAnswerThatIsNotHttp();
    void largeUploadAcceptedBeforeItsBodyFallsBack();
    void largeUploadCutOffAfterAnEarlyAnswerFallsBackAtOnce_data();
    void largeUploadCutOffAfterAnEarlyAnswerFallsBackAtOnce();
    void largeUploadTimesOut();
    void largeUploadOfAFileThatShrinksFails();
    void largeUploadOverTls();
    void largeUploadToAnUntrustedServerIsPermanent();
    void uploadsHashWhatTheySend_data();
    void uploadsHashWhatTheySend();

private:
    std::unique_ptr<RemoteBackend> makeBackend(BackendOptions options = {});
    // A file above WebDavSession::directPutMinBytes, in "sync".
    QByteArray writeLargeFile(const QString &name);
    JobResult uploadLarge(RemoteBackend *backend, const QString &name);
    void assertNothingEscaped();

    std::unique_ptr<HostileWebDavServer> m_server;
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestWebDavHostile::init()
{
    m_server = std::make_unique<HostileWebDavServer>();
    QVERIFY(m_server->start());
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    QDir(m_dir->path()).mkpath(QStringLiteral("sync"));
}

void TestWebDavHostile::cleanup()
{
    m_server.reset();
    if (m_dir)
        assertNothingEscaped();
    m_dir.reset();
}

std::unique_ptr<RemoteBackend> TestWebDavHostile::makeBackend(BackendOptions options)
{
    QString error;
    auto backend = RemoteBackend::create(m_server->collectionUrl(), options, &error);
    if (!backend)
        qWarning() << error;
    return backend;
}

// The only place the backend may write to is the download target inside "sync".
void TestWebDavHostile::assertNothingEscaped()
{
    QDirIterator it(m_dir->path(), QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QVERIFY2(path.startsWith(m_dir->path() + QStringLiteral("/sync")), qPrintable(path));
    }
}

void TestWebDavHostile::createAcceptsHttpUrls()
{
    QString error;
    auto backend =
        RemoteBackend::create(QUrl(QStringLiteral("http://user@127.0.0.1:1/dav")), {}, &error);
    QVERIFY2(backend, qPrintable(error));
    QCOMPARE(backend->url(), QUrl(QStringLiteral("http://127.0.0.1:1/dav/")));
    QVERIFY(!backend->enforcesPreconditions());
    QVERIFY(
        !RemoteBackend::create(QUrl(QStringLiteral("http://u:secret@127.0.0.1/dav")), {}, &error));
    QVERIFY(!error.contains(QLatin1String("secret")));
    BackendOptions options;
    options.caCertFile = m_dir->filePath(QStringLiteral("missing.pem"));
    QVERIFY(
        !RemoteBackend::create(QUrl(QStringLiteral("https://127.0.0.1/dav/")), options, &error));
    QVERIFY(error.contains(QLatin1String("missing.pem")));
}

void TestWebDavHostile::listsAWellFormedCollection()
{
    m_server->setHandler([](const HostileWebDavServer::Request &request) {
        if (request.method == "PROPFIND" && request.target == "/dav/sub/" &&
            request.header("Depth") == "1" && request.body.contains("getetag"))
            return answer(HostileWebDavServer::multistatus(multistatusXml(
                dirXml("/dav/sub/") + fileXml("/dav/sub/a%20b.txt", 5, "W/\"x\"") +
                dirXml("http://127.0.0.1/dav/sub/other/") + dirXml("/dav/sub/inner/"))));
        return answer(HostileWebDavServer::response(400));
    });
    auto backend = makeBackend();
    const JobResult result = run(backend->list(QStringLiteral("sub")));
    QVERIFY2(result.ok(), qPrintable(result.describe()));
    QCOMPARE(result.entries.size(), 2);
    QCOMPARE(result.entries.at(0).path, QStringLiteral("sub/a b.txt"));
    QCOMPARE(result.entries.at(0).etag, QByteArray("W/\"x\""));
    QCOMPARE(result.entries.at(0).size, 5);
    QCOMPARE(result.entries.at(1).path, QStringLiteral("sub/inner"));
    QVERIFY(result.entries.at(1).isDir());
    QCOMPARE(result.rejected.size(), 1); // the other origin (port 80)
}

void TestWebDavHostile::statTellsWhetherEtagsSurviveMoves_data()
{
    QTest::addColumn<QByteArray>("server");
    QTest::addColumn<QByteArray>("rootEtag");
    QTest::addColumn<bool>("survive");
    // Apache's default FileETag MTime Size: files written in one clock tick share an ETag.
    QTest::newRow("apache, size-mtime")
        << QByteArray("Apache/2.4.57 (Debian)") << QByteArray("\"1000-661f6b49afac3\"") << false;
    QTest::newRow("apache, inode-size-mtime") << QByteArray("Apache/2.4.57 (Debian)")
                                              << QByteArray("\"2a3f-1000-661f6b49afac3\"") << true;
    QTest::newRow("lighttpd") << QByteArray("lighttpd/1.4.69") << QByteArray("\"1970340886\"")
                              << true;
    QTest::newRow("other server, three parts")
        << QByteArray("nginx/1.22.1") << QByteArray("\"2a3f-1000-661f6b49afac3\"") << false;
    QTest::newRow("lighttpd, no root ETag")
        << QByteArray("lighttpd/1.4.69") << QByteArray() << false;
}

// Issue 13, case 8: remote renames become local moves only where ETags name a file for sure.
void TestWebDavHostile::statTellsWhetherEtagsSurviveMoves()
{
    QFETCH(QByteArray, server);
    QFETCH(QByteArray, rootEtag);
    QFETCH(bool, survive);
    const QByteArray etagXml =
        rootEtag.isEmpty() ? QByteArray() : "<D:getetag>" + rootEtag + "</D:getetag>";
    const QByteArray rootXml = "<D:response><D:href>/dav/</D:href><D:propstat><D:prop>"
                               "<D:resourcetype><D:collection/></D:resourcetype>" +
                               etagXml +
                               "</D:prop><D:status>HTTP/1.1 200 OK</D:status>"
                               "</D:propstat></D:response>";
    m_server->setHandler([rootXml, server](const HostileWebDavServer::Request &request) {
        if (request.method != "PROPFIND")
            return answer(HostileWebDavServer::response(405));
        return answer(HostileWebDavServer::response(
            207, multistatusXml(rootXml),
            {{"Content-Type", "application/xml; charset=utf-8"}, {"Server", server}}));
    });
    auto backend = makeBackend();
    QVERIFY(!backend->etagsSurviveMoves());
    const JobResult stat = run(backend->stat(QString()));
    QVERIFY2(stat.ok(), qPrintable(stat.describe()));
    QCOMPARE(backend->etagsSurviveMoves(), survive);
}

void TestWebDavHostile::statTellsWhetherDirectoryEtagsPropagate_data()
{
    QTest::addColumn<QByteArray>("rootXml");
    QTest::addColumn<bool>("propagates");
    QTest::newRow("nextcloud")
        << QByteArray("<D:response><D:href>/dav/</D:href><D:propstat><D:prop><D:resourcetype>"
                      "<D:collection/></D:resourcetype><D:getetag>\"6923b2a0\"</D:getetag>"
                      "<oc:fileid xmlns:oc=\"http://owncloud.org/ns\">00000128ocabc</oc:fileid>"
                      "</D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>")
        << true;
    QTest::newRow("apache")
        << QByteArray("<D:response><D:href>/dav/</D:href><D:propstat><D:prop><D:resourcetype>"
                      "<D:collection/></D:resourcetype><D:getetag>\"1000-5a0b\"</D:getetag>"
                      "</D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat><D:propstat>"
                      "<D:prop><oc:fileid xmlns:oc=\"http://owncloud.org/ns\"/></D:prop>"
                      "<D:status>HTTP/1.1 404 Not Found</D:status></D:propstat></D:response>")
        << false;
}

void TestWebDavHostile::statTellsWhetherDirectoryEtagsPropagate()
{
    QFETCH(QByteArray, rootXml);
    QFETCH(bool, propagates);
    m_server->setHandler([rootXml](const HostileWebDavServer::Request &request) {
        if (request.method != "PROPFIND")
            return answer(HostileWebDavServer::response(405));
        if (request.header("Depth") == "0")
            return answer(HostileWebDavServer::multistatus(multistatusXml(rootXml)));
        return answer(HostileWebDavServer::multistatus(
            multistatusXml(dirXml("/dav/") + fileXml("/dav/a", 1))));
    });
    auto backend = makeBackend();
    QVERIFY(!backend->propagatesDirectoryEtags());
    const JobResult stat = run(backend->stat(QString()));
    QVERIFY2(stat.ok(), qPrintable(stat.describe()));
    QCOMPARE(backend->propagatesDirectoryEtags(), propagates);
    QVERIFY2(run(backend->list(QString())).ok(), "list");

    // The root's stat asks for oc:fileid; listings ask for it and oc:permissions only where
    // the server is ownCloud or Nextcloud, and stay lean on every other server. (There the
    // stat also reads status.php: a GET, left out here.)
    QList<HostileWebDavServer::Request> requests = m_server->requests();
    requests.removeIf([](const HostileWebDavServer::Request &r) { return r.method == "GET"; });
    QCOMPARE(requests.size(), 2);
    QCOMPARE(requests.at(0).header("Depth"), QByteArray("0"));
    QVERIFY(requests.at(0).body.contains("<oc:fileid/>"));
    QVERIFY(requests.at(0).body.contains("xmlns:oc=\"http://owncloud.org/ns\""));
    QCOMPARE(requests.at(1).header("Depth"), QByteArray("1"));
    QCOMPARE(requests.at(1).body.contains("<oc:fileid/>"), propagates);
    QCOMPARE(requests.at(1).body.contains("<oc:permissions/>"), propagates);

    // sabre/dav answers Depth: infinity as Depth 1: never asked where ETags propagate.
    ListJob *tree = backend->listTree(QString());
    QCOMPARE(tree == nullptr, propagates);
    if (tree)
        run(tree);
}

void TestWebDavHostile::malformedListingsAreCorrupt_data()
{
    QTest::addColumn<QByteArray>("body");
    const QByteArray good = multistatusXml(dirXml("/dav/") + fileXml("/dav/a", 1));
    QTest::newRow("malformed") << QByteArray("<D:multistatus xmlns:D=\"DAV:\"><D:response><D:href>"
                                             "/dav/a</D:propstat></D:multistatus>");
    QTest::newRow("truncated") << good.left(good.size() / 2);
    QTest::newRow("html") << QByteArray("<html><body>hello</body></html>");
    QTest::newRow("entity bomb") << QByteArray(
        "<?xml version=\"1.0\"?><!DOCTYPE b [<!ENTITY a \"aaaaaaaaaaaaaaaaaaaaaaaa\">"
        "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
        "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">"
        "<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">]>"
        "<D:multistatus xmlns:D=\"DAV:\"><D:response><D:href>/dav/&d;</D:href></D:response>"
        "</D:multistatus>");
}

void TestWebDavHostile::malformedListingsAreCorrupt()
{
    QFETCH(QByteArray, body);
    m_server->setHandler([body](const HostileWebDavServer::Request &) {
        return answer(HostileWebDavServer::multistatus(body));
    });
    auto backend = makeBackend();
    const JobResult result = run(backend->list(QString()));
    QVERIFY2(result.finished && result.kind() == ErrorKind::Corrupt, qPrintable(result.describe()));
    if (body.contains("<!DOCTYPE"))
        QVERIFY2(result.error->message.contains(QLatin1String("DOCTYPE")),
                 qPrintable(result.describe()));
}

void TestWebDavHostile::escapingNamesAreRejectedNotListed()
{
    m_server->setHandler([](const HostileWebDavServer::Request &) {
        return answer(HostileWebDavServer::multistatus(multistatusXml(
            dirXml("/dav/") + fileXml("/dav/..", 1) + fileXml("/dav/%2e%2e", 1) +
            fileXml("/dav/%2E%2E%2Fescape", 1) + fileXml("/dav/../etc/passwd", 1) +
            fileXml("/etc/passwd", 1) + fileXml("/dav/a%00b", 1) + fileXml("/dav/x%2fy", 1) +
            fileXml("http://evil.example/dav/z", 1) + fileXml("/dav/fine", 1))));
    });
    auto backend = makeBackend();
    const JobResult result = run(backend->list(QString()));
    QVERIFY2(result.ok(), qPrintable(result.describe()));
    QCOMPARE(result.entries.size(), 1);
    QCOMPARE(result.entries.first().path, QStringLiteral("fine"));
    QCOMPARE(result.rejected.size(), 8);
    for (const QString &rejected : result.rejected)
        QVERIFY2(rejected.contains(QLatin1String(": ")), qPrintable(rejected));
}

void TestWebDavHostile::hugeListing()
{
    QByteArray xml = dirXml("/dav/big/");
    for (int i = 0; i < 100'000; ++i)
        xml += fileXml("/dav/big/f" + QByteArray::number(i), i);
    const QByteArray reply = HostileWebDavServer::multistatus(multistatusXml(xml));
    m_server->setHandler([&reply](const HostileWebDavServer::Request &) { return answer(reply); });
    auto backend = makeBackend();
    const JobResult result = run(backend->list(QStringLiteral("big")));
    QVERIFY2(result.ok(), qPrintable(result.describe()));
    QCOMPARE(result.entries.size(), 100'000);
    QCOMPARE(result.entries.last().path, QStringLiteral("big/f99999"));
}

void TestWebDavHostile::oversizedListingIsRefused()
{
    const QByteArray padding(65 * 1024 * 1024, ' ');
    const QByteArray reply = HostileWebDavServer::multistatus(
        multistatusXml(dirXml("/dav/") + padding + fileXml("/dav/a", 1)));
    m_server->setHandler([&reply](const HostileWebDavServer::Request &) { return answer(reply); });
    auto backend = makeBackend();
    const JobResult result = run(backend->list(QString()));
    QVERIFY2(result.finished && result.kind() == ErrorKind::Corrupt, qPrintable(result.describe()));
    QVERIFY(result.error->message.contains(QLatin1String("MiB")));
}

void TestWebDavHostile::statusesMapToErrorKinds_data()
{
    QTest::addColumn<QString>("operation");
    QTest::addColumn<int>("status");
    QTest::addColumn<ErrorKind>("expected");
    const auto row = [](const char *operation, int status, ErrorKind kind) {
        QTest::addRow("%s %d", operation, status)
            << QString::fromLatin1(operation) << status << kind;
    };
    row("stat", 401, ErrorKind::Auth);
    row("stat", 403, ErrorKind::Permanent);
    row("stat", 404, ErrorKind::NotFound);
    row("statRoot", 404, ErrorKind::RootMissing);
    row("list", 404, ErrorKind::NotFound);
    row("listRoot", 404, ErrorKind::RootMissing);
    row("statRoot", 405, ErrorKind::RootMissing);
    row("stat", 400, ErrorKind::Permanent);
    row("stat", 408, ErrorKind::Transient);
    row("stat", 423, ErrorKind::Transient);
    row("stat", 429, ErrorKind::Transient);
    row("stat", 500, ErrorKind::Transient);
    row("stat", 503, ErrorKind::Transient);
    row("upload", 409, ErrorKind::ParentMissing);
    row("upload", 412, ErrorKind::PreconditionFailed);
    row("upload", 413, ErrorKind::Permanent);
    row("upload", 415, ErrorKind::Permanent);
    row("upload", 507, ErrorKind::DiskFull);
    row("upload", 423, ErrorKind::Transient);
    row("upload", 401, ErrorKind::Auth);
    row("mkdir", 409, ErrorKind::ParentMissing);
    row("mkdir", 403, ErrorKind::Permanent);
    row("mkdir", 507, ErrorKind::DiskFull);
    row("download", 404, ErrorKind::NotFound);
    row("download", 403, ErrorKind::Permanent);
    row("download", 503, ErrorKind::Transient);
    row("move", 412, ErrorKind::PreconditionFailed);
    row("move", 403, ErrorKind::Permanent);
    row("remove", 423, ErrorKind::Transient);
    row("remove", 412, ErrorKind::PreconditionFailed);
}

void TestWebDavHostile::statusesMapToErrorKinds()
{
    QFETCH(QString, operation);
    QFETCH(int, status);
    QFETCH(ErrorKind, expected);
    // PROPFINDs that precede a write succeed; the operation's own request gets the status.
    const bool isWrite =
        operation == QLatin1String("upload") || operation == QLatin1String("move") ||
        operation == QLatin1String("remove") || operation == QLatin1String("mkdir") ||
        operation == QLatin1String("download");
    m_server->setHandler([status, isWrite](const HostileWebDavServer::Request &request) {
        if (isWrite && request.method == "PROPFIND")
            return answer(
                HostileWebDavServer::multistatus(multistatusXml(fileXml(request.target, 3))));
        return answer(HostileWebDavServer::response(status, "<html>no</html>"));
    });
    const QString local = m_dir->filePath(QStringLiteral("sync/local"));
    test::writeFile(m_dir->path(), QStringLiteral("sync/local"), "abc");
    auto backend = makeBackend();
    RemoteJob *job = nullptr;
    if (operation == QLatin1String("stat"))
        job = backend->stat(QStringLiteral("f"));
    else if (operation == QLatin1String("statRoot"))
        job = backend->stat(QString());
    else if (operation == QLatin1String("list"))
        job = backend->list(QStringLiteral("d"));
    else if (operation == QLatin1String("listRoot"))
        job = backend->list(QString());
    else if (operation == QLatin1String("upload"))
        job = backend->upload(local, QStringLiteral("f"), 0, Precondition::none());
    else if (operation == QLatin1String("mkdir"))
        job = backend->makeDirectory(QStringLiteral("d"));
    else if (operation == QLatin1String("download"))
        job = backend->download(QStringLiteral("f"), m_dir->filePath(QStringLiteral("sync/t")));
    else if (operation == QLatin1String("move"))
        job = backend->move(QStringLiteral("f"), QStringLiteral("g"), Precondition::none());
    else if (operation == QLatin1String("remove"))
        job = backend->remove(QStringLiteral("f"), Precondition::mustMatch("\"e\""));
    const JobResult result = run(job);
    QVERIFY2(result.finished && result.kind() == expected, qPrintable(result.describe()));
    QVERIFY2(result.error->message.contains(QString::number(status)),
             qPrintable(result.describe()));
}

void TestWebDavHostile::retryAfterIsParsed_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("retryAfter");
    QTest::addColumn<int>("minimum");
    QTest::addColumn<int>("maximum");
    QTest::newRow("429 seconds") << 429 << QByteArray("7") << 7 << 7;
    QTest::newRow("503 seconds") << 503 << QByteArray("120") << 120 << 120;
    const QByteArray inTwoMinutes = QLocale::c()
                                        .toString(QDateTime::currentDateTimeUtc().addSecs(120),
                                                  QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'"))
                                        .toLatin1();
    QTest::newRow("503 date") << 503 << inTwoMinutes << 100 << 121;
    QTest::newRow("423 none") << 423 << QByteArray() << -1 << -1;
}

void TestWebDavHostile::retryAfterIsParsed()
{
    QFETCH(int, status);
    QFETCH(QByteArray, retryAfter);
    QFETCH(int, minimum);
    QFETCH(int, maximum);
    m_server->setHandler([&](const HostileWebDavServer::Request &) {
        QList<std::pair<QByteArray, QByteArray>> headers;
        if (!retryAfter.isEmpty())
            headers.append({"Retry-After", retryAfter});
        return answer(HostileWebDavServer::response(status, {}, headers));
    });
    auto backend = makeBackend();
    const JobResult result = run(backend->stat(QString()));
    QVERIFY2(result.finished && result.kind() == ErrorKind::Transient,
             qPrintable(result.describe()));
    QVERIFY2(result.error->retryAfterSeconds >= minimum &&
                 result.error->retryAfterSeconds <= maximum,
             qPrintable(QString::number(result.error->retryAfterSeconds)));
}

void TestWebDavHostile::droppedPropfindIsTransient()
{
    const QByteArray full =
        HostileWebDavServer::multistatus(multistatusXml(dirXml("/dav/") + fileXml("/dav/a", 1)));
    m_server->setHandler([&full](const HostileWebDavServer::Request &) {
        return answer(full.left(full.size() - 40)); // Content-Length promises more
    });
    auto backend = makeBackend();
    const JobResult result = run(backend->list(QString()));
    QVERIFY2(result.finished && result.kind() == ErrorKind::Transient,
             qPrintable(result.describe()));
}

void TestWebDavHostile::droppedDownloadIsTransientAndResumes()
{
    QByteArray content;
    for (int i = 0; i < 100'000; ++i)
        content += char('a' + i % 26);
    const QList<std::pair<QByteArray, QByteArray>> headers = {
        {"ETag", "\"v1\""}, {"Last-Modified", "Tue, 24 Nov 2026 20:00:00 GMT"}};
    m_server->setHandler([&](const HostileWebDavServer::Request &request) {
        if (request.method == "PROPFIND")
            return answer(HostileWebDavServer::multistatus(
                multistatusXml(fileXml(request.target, content.size(), "\"v1\""))));
        if (request.header("Range").isEmpty()) {
            const QByteArray full = HostileWebDavServer::response(200, content, headers);
            return answer(full.left(full.size() - 60'000));
        }
        const qint64 from = request.header("Range").mid(6).chopped(1).toLongLong();
        if (request.header("If-Range") != "\"v1\"")
            return answer(HostileWebDavServer::response(200, content, headers));
        QList<std::pair<QByteArray, QByteArray>> partial = headers;
        partial.append({"Content-Range", "bytes " + QByteArray::number(from) + '-' +
                                             QByteArray::number(content.size() - 1) + '/' +
                                             QByteArray::number(content.size())});
        return answer(HostileWebDavServer::response(206, content.mid(from), partial));
    });
    auto backend = makeBackend();
    const QString target = m_dir->filePath(QStringLiteral("sync/target"));
    const JobResult first = run(backend->download(QStringLiteral("file"), target));
    QVERIFY2(first.finished && first.kind() == ErrorKind::Transient, qPrintable(first.describe()));
    const qint64 partialSize = QFileInfo(target).size();
    QVERIFY(partialSize > 0 && partialSize < content.size());

    const JobResult second = run(backend->download(QStringLiteral("file"), target));
    QVERIFY2(second.ok(), qPrintable(second.describe()));
    QCOMPARE(m_server->requests().last().header("Range"),
             "bytes=" + QByteArray::number(partialSize) + '-');
    QCOMPARE(test::readFile(target), content);
    QCOMPARE(second.entry.size, content.size());
    QCOMPARE(second.entry.etag, QByteArray("\"v1\""));
    QCOMPARE(second.entry.mtimeNs,
             QDateTime(QDate(2026, 11, 24), QTime(20, 0), Qt::UTC).toMSecsSinceEpoch() * 1'000'000);
}

void TestWebDavHostile::silentServerTimesOut()
{
    m_server->setHandler([](const HostileWebDavServer::Request &) {
        return HostileWebDavServer::Reply{{}, false, true, 0};
    });
    BackendOptions options;
    options.requestTimeoutMs = 500;
    auto backend = makeBackend(options);
    QElapsedTimer timer;
    timer.start();
    const JobResult result = run(backend->stat(QString()));
    QVERIFY2(result.finished && result.kind() == ErrorKind::Transient,
             qPrintable(result.describe()));
    QVERIFY(timer.elapsed() < 30'000);
}

void TestWebDavHostile::refusedConnectionIsOffline()
{
    const QUrl url = m_server->collectionUrl();
    m_server.reset(); // nobody listens on that port any more
    QString error;
    auto backend = RemoteBackend::create(url, {}, &error);
    QVERIFY(backend);
    const JobResult result = run(backend->stat(QString()));
    QVERIFY2(result.finished && result.kind() == ErrorKind::Offline, qPrintable(result.describe()));
}

void TestWebDavHostile::credentialsAreSentOnceOn401()
{
    m_server->setHandler([](const HostileWebDavServer::Request &) {
        return answer(HostileWebDavServer::response(401, "denied",
                                                    {{"WWW-Authenticate", "Basic realm=\"dav\""}}));
    });
    BackendOptions options;
    options.user = QStringLiteral("alice");
    options.password = QStringLiteral("s3cret-pw");
    auto backend = makeBackend(options);
    const JobResult result = run(backend->stat(QString()));
    QVERIFY2(result.finished && result.kind() == ErrorKind::Auth, qPrintable(result.describe()));
    QVERIFY(!result.error->message.contains(options.password));
    int withCredentials = 0;
    for (const auto &request : m_server->requests()) {
        if (!request.header("Authorization").isEmpty()) {
            ++withCredentials;
            QCOMPARE(request.header("Authorization"),
                     "Basic " + QByteArray("alice:s3cret-pw").toBase64());
        }
    }
    QCOMPARE(withCredentials, 1);
    QVERIFY(m_server->requestCount() <= 2);
}

void TestWebDavHostile::crossOriginRedirectIsNotFollowed()
{
    HostileWebDavServer other;
    QVERIFY(other.start());
    m_server->setHandler([&other](const HostileWebDavServer::Request &) {
        return answer(HostileWebDavServer::response(
            301, {}, {{"Location", other.collectionUrl().toEncoded()}}));
    });
    auto backend = makeBackend();
    const JobResult result = run(backend->stat(QString()));
    QVERIFY2(result.finished && result.kind() == ErrorKind::Permanent,
             qPrintable(result.describe()));
    QCOMPARE(other.requestCount(), 0);
}

void TestWebDavHostile::uploadChecksPreconditionItself()
{
    // A server that ignores If-Match (like rclone and nginx): the backend's own check must hold.
    m_server->setHandler([](const HostileWebDavServer::Request &request) {
        if (request.method == "PROPFIND")
            return answer(HostileWebDavServer::multistatus(
                multistatusXml(fileXml("/dav/f", 3, "\"changed\""))));
        return answer(HostileWebDavServer::response(201));
    });
    test::writeFile(m_dir->path(), QStringLiteral("sync/local"), "abc");
    const QString local = m_dir->filePath(QStringLiteral("sync/local"));
    auto backend = makeBackend();
    JobResult result =
        run(backend->upload(local, QStringLiteral("f"), 0, Precondition::mustMatch("\"old\"")));
    QVERIFY2(result.finished && result.kind() == ErrorKind::PreconditionFailed,
             qPrintable(result.describe()));
    result = run(backend->upload(local, QStringLiteral("f"), 0, Precondition::mustNotExist()));
    QVERIFY2(result.finished && result.kind() == ErrorKind::PreconditionFailed,
             qPrintable(result.describe()));
    result = run(backend->remove(QStringLiteral("f"), Precondition::mustMatch("\"old\"")));
    QVERIFY2(result.finished && result.kind() == ErrorKind::PreconditionFailed,
             qPrintable(result.describe()));
    // Nothing was written: the server saw checks only (and one OPTIONS, whose answer does
    // not advertise locks).
    for (const auto &request : m_server->requests())
        QVERIFY2(request.method == "PROPFIND" || request.method == "OPTIONS",
                 request.method.constData());

    // A weak ETag of the same opaque tag matches (Apache turns W/"x" into "x" after a second).
    result = run(
        backend->upload(local, QStringLiteral("f"), 0, Precondition::mustMatch("W/\"changed\"")));
    QVERIFY2(result.ok(), qPrintable(result.describe()));
    QCOMPARE(m_server->requests().at(m_server->requestCount() - 2).method, QByteArray("PUT"));
    // If-Match carries the strong ETag just seen, never the weak one (strong comparison).
    QCOMPARE(m_server->requests().at(m_server->requestCount() - 2).header("If-Match"),
             QByteArray("\"changed\""));
}

void TestWebDavHostile::uploadSendsConditionalHeaders()
{
    bool exists = false;
    m_server->setHandler([&exists](const HostileWebDavServer::Request &request) {
        if (request.method == "PROPFIND") {
            if (!exists)
                return answer(HostileWebDavServer::response(404));
            return answer(HostileWebDavServer::multistatus(
                multistatusXml(fileXml("/dav/dir/n%20ew", 5, "\"v2\""))));
        }
        // The OPTIONS asking whether there are locks (for the create) writes nothing.
        exists = exists || request.method == "PUT";
        return answer(HostileWebDavServer::response(201, {}, {{"ETag", "\"v1\""}}));
    });
    test::writeFile(m_dir->path(), QStringLiteral("sync/local"), "hello");
    const QString local = m_dir->filePath(QStringLiteral("sync/local"));
    auto backend = makeBackend();
    const qint64 mtimeNs = 1'700'000'000'123'456'789;
    JobResult result = run(
        backend->upload(local, QStringLiteral("dir/n ew"), mtimeNs, Precondition::mustNotExist()));
    QVERIFY2(result.ok(), qPrintable(result.describe()));
    const auto &put = m_server->requests().last();
    QCOMPARE(put.method, QByteArray("PUT"));
    QCOMPARE(put.target, QByteArray("/dav/dir/n%20ew"));
    QCOMPARE(put.body, QByteArray("hello"));
    // The session's first create probes whether the server evaluates conditions (it does
    // not: the file is stored); later creates carry If-None-Match: *.
    QCOMPARE(put.header("If-Match"), QByteArray("\"steadysync-no-such-version\""));
    QCOMPARE(put.header("X-OC-Mtime"), QByteArray("1700000000"));
    QCOMPARE(result.entry.etag, QByteArray("\"v1\""));
    QCOMPARE(result.entry.size, 5);
    QCOMPARE(result.entry.path, QStringLiteral("dir/n ew"));

    result = run(backend->upload(local, QStringLiteral("dir/n ew"), mtimeNs,
                                 Precondition::mustMatch("\"v2\"")));
    QVERIFY2(result.ok(), qPrintable(result.describe()));
    QCOMPARE(m_server->requests().last().header("If-Match"), QByteArray("\"v2\""));
    QVERIFY(m_server->requests().last().header("If-None-Match").isEmpty());

    exists = false;
    result = run(
        backend->upload(local, QStringLiteral("dir/n ew"), mtimeNs, Precondition::mustNotExist()));
    QVERIFY2(result.ok(), qPrintable(result.describe()));
    QCOMPARE(m_server->requests().last().method, QByteArray("PUT"));
    QCOMPARE(m_server->requests().last().header("If-None-Match"), QByteArray("*"));
    QVERIFY(m_server->requests().last().header("If-Match").isEmpty());
}

namespace {

// A server like Apache: evaluates If-Match and If-None-Match on PUT, answers PUT without an
// ETag, and lists what was written (ETag "NAME-SIZE").
struct ConditionalServer
{
    QMap<QByteArray, QByteArray> files; // target -> content

    HostileWebDavServer::Reply handle(const HostileWebDavServer::Request &request)
    {
        if (request.method == "PUT") {
            const bool exists = files.contains(request.target);
            const QByteArray ifMatch = request.header("If-Match");
            if ((!ifMatch.isEmpty() && (!exists || ifMatch != etagOf(request.target))) ||
                (request.header("If-None-Match") == "*" && exists))
                return answer(HostileWebDavServer::response(412));
            files.insert(request.target, request.body);
            return answer(HostileWebDavServer::response(exists ? 204 : 201));
        }
        if (request.method == "PROPFIND") {
            QByteArray xml;
            if (request.target.endsWith('/')) {
                xml = dirXml(request.target);
                for (auto it = files.cbegin(); it != files.cend(); ++it)
                    if (it.key().startsWith(request.target) &&
                        !it.key().mid(request.target.size()).contains('/'))
                        xml += fileXml(it.key(), it->size(), etagOf(it.key()));
            } else if (files.contains(request.target)) {
                xml = fileXml(request.target, files.value(request.target).size(),
                              etagOf(request.target));
            } else {
                return answer(HostileWebDavServer::response(404));
            }
            HostileWebDavServer::Reply reply =
                answer(HostileWebDavServer::multistatus(multistatusXml(xml)));
            reply.delayMs = 100; // writes finishing meanwhile wait for the next listing
            return reply;
        }
        return answer(HostileWebDavServer::response(405));
    }

    QByteArray etagOf(const QByteArray &target) const
    {
        return '"' + target.mid(target.lastIndexOf('/') + 1) + '-' +
               QByteArray::number(files.value(target).size()) + '"';
    }
};

QByteArray lockReply(const QByteArray &token)
{
    return HostileWebDavServer::response(200, {}, {{"Lock-Token", "<" + token + ">"}});
}

// OPTIONS as Apache answers it: WebDAV class 2, so LOCK is used.
QByteArray davClass2()
{
    return HostileWebDavServer::response(
        200, {}, {{"DAV", "1,2"}, {"DAV", "<http://apache.org/dav/propset/fs/1>"}});
}

QByteArrayList methodsOf(const QList<HostileWebDavServer::Request> &requests)
{
    QByteArrayList methods;
    for (const auto &request : requests)
        methods.append(request.method);
    return methods;
}

} // namespace

void TestWebDavHostile::createsTrustIfNoneMatchWhereTheServerEvaluatesIt()
{
    ConditionalServer server;
    m_server->setHandler(
        [&server](const HostileWebDavServer::Request &request) { return server.handle(request); });
    test::writeFile(m_dir->path(), QStringLiteral("sync/local"), "hello");
    const QString local = m_dir->filePath(QStringLiteral("sync/local"));
    auto backend = makeBackend();
    JobResult result =
        run(backend->upload(local, QStringLiteral("a"), 0, Precondition::mustNotExist()));
    QVERIFY2(result.ok(), qPrintable(result.describe()));
    QCOMPARE(result.entry.etag, QByteArray("\"a-5\""));
    // The session first asks whether there are locks (a create goes under one where there
    // are; here not). The first create is checked, then probes with an If-Match no version has:
    // refused, so the server evaluates conditions, and the create goes again with If-None-Match: *.
    QCOMPARE(methodsOf(m_server->requests()),
             (QByteArrayList{"OPTIONS", "PROPFIND", "PUT", "PUT", "PROPFIND"}));
    QCOMPARE(m_server->requests().at(2).header("If-Match"),
             QByteArray("\"steadysync-no-such-version\""));
    QCOMPARE(m_server->requests().at(3).header("If-None-Match"), QByteArray("*"));

    // From then on a create is one PUT (and the stat of what it stored): no check before it.
    result = run(backend->upload(local, QStringLiteral("b"), 0, Precondition::mustNotExist()));
    QVERIFY2(result.ok(), qPrintable(result.describe()));
    QCOMPARE(methodsOf(m_server->requests()).mid(5), (QByteArrayList{"PUT", "PROPFIND"}));
    QCOMPARE(m_server->requests().at(5).header("If-None-Match"), QByteArray("*"));
    QVERIFY(m_server->requests().at(5).header("If-Match").isEmpty());

    // The server's If-None-Match keeps another client's file.
    server.files.insert("/dav/theirs", "their version");
    result = run(backend->upload(local, QStringLiteral("theirs"), 0, Precondition::mustNotExist()));
    QVERIFY2(result.finished && result.kind() == ErrorKind::PreconditionFailed,
             qPrintable(result.describe()));
    QCOMPARE(server.files.value("/dav/theirs"), QByteArray("their version"));
}

void TestWebDavHostile::createsStayCheckedWhereTheServerIgnoresConditions()
{
    // Like nginx and rclone: PUT always writes.
    QMap<QByteArray, QByteArray> files;
    m_server->setHandler([&files](const HostileWebDavServer::Request &request) {
        if (request.method == "PUT") {
            files.insert(request.target, request.body);
            return answer(HostileWebDavServer::response(201));
        }
        if (request.method == "PROPFIND" && files.contains(request.target))
            return answer(HostileWebDavServer::multistatus(multistatusXml(
                fileXml(request.target, files.value(request.target).size(), "\"x\""))));
        return answer(HostileWebDavServer::response(404));
    });
    test::writeFile(m_dir->path(), QStringLiteral("sync/local"), "hello");
    const QString local = m_dir->filePath(QStringLiteral("sync/local"));
    auto backend = makeBackend();
    JobResult result =
        run(backend->upload(local, QStringLiteral("a"), 0, Precondition::mustNotExist()));
    QVERIFY2(result.ok(), qPrintable(result.describe()));
    // The probe was stored (the check before it found nothing): no second PUT.
    QCOMPARE(methodsOf(m_server->requests()),
             (QByteArrayList{"OPTIONS", "PROPFIND", "PUT", "PROPFIND"}));
    QCOMPARE(files.value("/dav/a"), QByteArray("hello"));

    result = run(backend->upload(local, QStringLiteral("b"), 0, Precondition::mustNotExist()));
    QVERIFY2(result.ok(), qPrintable(result.describe()));
    QCOMPARE(methodsOf(m_server->requests()).mid(4),
             (QByteArrayList{"PROPFIND", "PUT", "PROPFIND"}));
    QCOMPARE(m_server->requests().at(5).header("If-None-Match"), QByteArray("*"));

    // The backend's own check keeps another client's file.
    files.insert("/dav/theirs", "their version");
    result = run(backend->upload(local, QStringLiteral("theirs"), 0, Precondition::mustNotExist()));
    QVERIFY2(result.finished && result.kind() == ErrorKind::PreconditionFailed,
             qPrintable(result.describe()));
    QCOMPARE(files.value("/dav/theirs"), QByteArray("their version"));
}

void TestWebDavHostile::statsAfterWritesShareADirectoryListing()
{
    ConditionalServer server;
    m_server->setHandler(
        [&server](const HostileWebDavServer::Request &request) { return server.handle(request); });
    BackendOptions options;
    options.parallel = 2;
    auto backend = makeBackend(options);
    test::writeFile(m_dir->path(), QStringLiteral("sync/first"), "1");
    QVERIFY(run(backend->upload(m_dir->filePath(QStringLiteral("sync/first")),
                                QStringLiteral("d/first"), 0, Precondition::mustNotExist()))
                .ok());
    const int before = m_server->requestCount();

    constexpr int files = 24;
    QHash<QString, RemoteEntry> entries;
    for (int i = 0; i < files; ++i) {
        const QString name = QStringLiteral("f%1").arg(i);
        test::writeFile(m_dir->path(), QStringLiteral("sync/") + name, QByteArray(i + 1, 'x'));
        EntryJob *job =
            backend->upload(m_dir->filePath(QStringLiteral("sync/") + name),
                            QStringLiteral("d/") + name, 0, Precondition::mustNotExist());
        connect(job, &RemoteJob::finished, this, [&entries, name](RemoteJob *done) {
            QVERIFY2(done->succeeded(),
                     qPrintable(done->error() ? done->error()->message : QString()));
            entries.insert(name, static_cast<EntryJob *>(done)->entry());
        });
    }
    QVERIFY(test::waitFor([&entries] { return entries.size() == files; }, jobTimeoutMs));
    // Each upload got the entry of its own file...
    for (int i = 0; i < files; ++i) {
        const RemoteEntry entry = entries.value(QStringLiteral("f%1").arg(i));
        QCOMPARE(entry.path, QStringLiteral("d/f%1").arg(i));
        QCOMPARE(entry.size, i + 1);
        QCOMPARE(entry.etag, "\"f" + QByteArray::number(i) + '-' + QByteArray::number(i + 1) + '"');
    }
    // ...from listings of the directory shared by several of them.
    const QByteArrayList methods = methodsOf(m_server->requests()).mid(before);
    QCOMPARE(methods.count("PUT"), files);
    QVERIFY2(methods.count("PROPFIND") < files, qPrintable(methods.join(' ')));
    bool listed = false;
    for (const auto &request : m_server->requests())
        listed = listed || (request.method == "PROPFIND" && request.target == "/dav/d/" &&
                            request.header("Depth") == "1");
    QVERIFY(listed);
    QVERIFY2(m_server->maxConcurrentRequests() <= 2,
             qPrintable(QString::number(m_server->maxConcurrentRequests())));

    // A file that is not the size just written is not reported as what was written.
    server.files.clear();
    m_server->setHandler([&server](const HostileWebDavServer::Request &request) {
        if (request.method == "PUT" && request.header("If-None-Match") == "*")
            server.files.insert(request.target, "someone else's longer version");
        return request.method == "PUT" ? answer(HostileWebDavServer::response(201))
                                       : server.handle(request);
    });
    // It is another client's version (DESIGN §4 "Two writers"): the path is reconciled again.
    const JobResult result =
        run(backend->upload(m_dir->filePath(QStringLiteral("sync/first")),
                            QStringLiteral("d/raced"), 0, Precondition::mustNotExist()));
    QVERIFY2(result.finished && result.kind() == ErrorKind::PreconditionFailed,
             qPrintable(result.describe()));
}

void TestWebDavHostile::writeUnderLockSendsTokenThenUnlocks()
{
    // Apache checks If-Match and writes in two steps, so two clients can both pass the check;
    // under an exclusive lock the check and the write are one step.
    m_server->setHandler([](const HostileWebDavServer::Request &request) {
        if (request.method == "OPTIONS")
            return answer(davClass2());
        if (request.method == "LOCK")
            return answer(lockReply("opaquelocktoken:t1"));
        if (request.method == "PROPFIND")
            return answer(
                HostileWebDavServer::multistatus(multistatusXml(fileXml("/dav/f", 3, "\"v1\""))));
        return answer(HostileWebDavServer::response(204));
    });
    test::writeFile(m_dir->path(), QStringLiteral("sync/local"), "abc");
    const QString local = m_dir->filePath(QStringLiteral("sync/local"));
    auto backend = makeBackend();
    JobResult result =
        run(backend->upload(local, QStringLiteral("f"), 0, Precondition::mustMatch("\"v1\"")));
    QVERIFY2(result.ok(), qPrintable(result.describe()));
    QCOMPARE(methodsOf(m_server->requests()),
             (QByteArrayList{"OPTIONS", "LOCK", "PROPFIND", "PUT", "PROPFIND", "UNLOCK"}));
    const auto &put = m_server->requests().at(3);
    // Untagged where the server is not known to want tagged lists (Apache, lighttpd): rclone
    // skips a tagged one behind a proxy that rewrites Host.
    QCOMPARE(put.header("If"), QByteArray("(<opaquelocktoken:t1>)"));
    QCOMPARE(m_server->requests().at(5).header("Lock-Token"), QByteArray("<opaquelocktoken:t1>"));

    result = run(backend->remove(QStringLiteral("f"), Precondition::mustMatch("\"v1\"")));
    QVERIFY2(result.ok(), qPrintable(result.describe()));
    QCOMPARE(methodsOf(m_server->requests()).mid(6),
             (QByteArrayList{"LOCK", "PROPFIND", "DELETE", "UNLOCK"}));
    QVERIFY(!m_server->requests().at(8).header("If").isEmpty());
}

void TestWebDavHostile::failingLockFallsBackToIfMatch()
{
    m_server->setHandler([](const HostileWebDavServer::Request &request) {
        if (request.method == "OPTIONS")
            return answer(davClass2());
        if (request.method == "LOCK")
            return answer(HostileWebDavServer::response(500, "lock database"));
        if (request.method == "PROPFIND")
            return answer(
                HostileWebDavServer::multistatus(multistatusXml(fileXml("/dav/f", 3, "\"v1\""))));
        return answer(HostileWebDavServer::response(204));
    });
    test::writeFile(m_dir->path(), QStringLiteral("sync/local"), "abc");
    auto backend = makeBackend();
    const JobResult result =
        run(backend->upload(m_dir->filePath(QStringLiteral("sync/local")), QStringLiteral("f"), 0,
                            Precondition::mustMatch("\"v1\"")));
    QVERIFY2(result.ok(), qPrintable(result.describe()));
    QCOMPARE(methodsOf(m_server->requests()),
             (QByteArrayList{"OPTIONS", "LOCK", "PROPFIND", "PUT", "PROPFIND"}));
    const auto &put = m_server->requests().at(3);
    QCOMPARE(put.header("If-Match"), QByteArray("\"v1\""));
    QVERIFY(put.header("If").isEmpty());
}

void TestWebDavHostile::lockHeldElsewhereIsWaitedFor()
{
    int locksRefused = 0;
    m_server->setHandler([&locksRefused](const HostileWebDavServer::Request &request) {
        if (request.method == "OPTIONS")
            return answer(davClass2());
        // The lock is listed while it is held: a 423 that clears, waited for.
        if (request.method == "PROPFIND" && request.body.contains("lockdiscovery"))
            return answer(HostileWebDavServer::multistatus(multistatusXml(
                "<D:response><D:href>/dav/f</D:href><D:propstat><D:prop><D:lockdiscovery>"
                "<D:activelock><D:locktype><D:write/></D:locktype></D:activelock>"
                "</D:lockdiscovery></D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat>"
                "</D:response>")));
        if (request.method == "LOCK") {
            if (locksRefused < 3) {
                ++locksRefused;
                return answer(HostileWebDavServer::response(423));
            }
            return answer(lockReply("opaquelocktoken:t2"));
        }
        if (request.method == "PROPFIND")
            return answer(
                HostileWebDavServer::multistatus(multistatusXml(fileXml("/dav/f", 3, "\"v1\""))));
        return answer(HostileWebDavServer::response(204));
    });
    test::writeFile(m_dir->path(), QStringLiteral("sync/local"), "abc");
    auto backend = makeBackend();
    const JobResult result =
        run(backend->upload(m_dir->filePath(QStringLiteral("sync/local")), QStringLiteral("f"), 0,
                            Precondition::mustMatch("\"v1\"")));
    QVERIFY2(result.ok(), qPrintable(result.describe()));
    QCOMPARE(locksRefused, 3);
    QCOMPARE(methodsOf(m_server->requests()).count("PUT"), 1);
}

void TestWebDavHostile::failedCheckUnderLockStillUnlocks()
{
    m_server->setHandler([](const HostileWebDavServer::Request &request) {
        if (request.method == "OPTIONS")
            return answer(davClass2());
        if (request.method == "LOCK")
            return answer(lockReply("opaquelocktoken:t3"));
        if (request.method == "PROPFIND")
            return answer(HostileWebDavServer::multistatus(
                multistatusXml(fileXml("/dav/f", 3, "\"someone-else\""))));
        return answer(HostileWebDavServer::response(204));
    });
    test::writeFile(m_dir->path(), QStringLiteral("sync/local"), "abc");
    auto backend = makeBackend();
    const JobResult result =
        run(backend->upload(m_dir->filePath(QStringLiteral("sync/local")), QStringLiteral("f"), 0,
                            Precondition::mustMatch("\"v1\"")));
    QVERIFY2(result.finished && result.kind() == ErrorKind::PreconditionFailed,
             qPrintable(result.describe()));
    QCOMPARE(methodsOf(m_server->requests()),
             (QByteArrayList{"OPTIONS", "LOCK", "PROPFIND", "UNLOCK"}));
}

void TestWebDavHostile::youngWeakEtagIsRetriedWhereThereAreNoLocks()
{
    // No locks (OPTIONS without DAV class 2), and Apache's rule: a file changed within the last
    // second has a weak ETag and fails If-Match until it is a second old, then the same tag
    // matches.
    int puts = 0;
    m_server->setHandler([&puts](const HostileWebDavServer::Request &request) {
        if (request.method == "OPTIONS")
            return answer(HostileWebDavServer::response(200, {}, {{"DAV", "1"}}));
        if (request.method == "PROPFIND")
            return answer(HostileWebDavServer::multistatus(
                multistatusXml(fileXml("/dav/f", 3, puts < 2 ? "W/\"v1\"" : "\"v1\""))));
        ++puts;
        if (puts < 3)
            return answer(HostileWebDavServer::response(412));
        return answer(HostileWebDavServer::response(204, {}, {{"ETag", "\"v2\""}}));
    });
    test::writeFile(m_dir->path(), QStringLiteral("sync/local"), "abc");
    auto backend = makeBackend();
    JobResult result =
        run(backend->upload(m_dir->filePath(QStringLiteral("sync/local")), QStringLiteral("f"), 0,
                            Precondition::mustMatch("\"v1\"")));
    QVERIFY2(result.ok(), qPrintable(result.describe()));
    QCOMPARE(puts, 3);
    for (const auto &request : m_server->requests()) {
        if (request.method == "PUT")
            QCOMPARE(request.header("If-Match"), QByteArray("\"v1\""));
    }
    // Locks are not asked for where the server does not offer them.
    QCOMPARE(methodsOf(m_server->requests()).count("LOCK"), 0);
    QCOMPARE(methodsOf(m_server->requests()).count("OPTIONS"), 1);

    // A real change in between is a conflict, not retried away.
    puts = 0;
    m_server->setHandler([&puts](const HostileWebDavServer::Request &request) {
        if (request.method == "PROPFIND")
            return answer(HostileWebDavServer::multistatus(
                multistatusXml(fileXml("/dav/f", 3, puts == 0 ? "W/\"v2\"" : "W/\"v3\""))));
        ++puts;
        return answer(HostileWebDavServer::response(412));
    });
    result = run(backend->upload(m_dir->filePath(QStringLiteral("sync/local")), QStringLiteral("f"),
                                 0, Precondition::mustMatch("\"v2\"")));
    QVERIFY2(result.finished && result.kind() == ErrorKind::PreconditionFailed,
             qPrintable(result.describe()));
    QCOMPARE(puts, 1);
}

void TestWebDavHostile::makeDirectoryThatExists_data()
{
    QTest::addColumn<int>("mkcolStatus");
    QTest::newRow("405 exists") << 405;
    // Apache's answer when another client's MKCOL wins between its check and its mkdir().
    QTest::newRow("403 lost the race") << 403;
}

void TestWebDavHostile::makeDirectoryThatExists()
{
    QFETCH(int, mkcolStatus);
    m_server->setHandler([mkcolStatus](const HostileWebDavServer::Request &request) {
        if (request.method == "MKCOL")
            return answer(HostileWebDavServer::response(mkcolStatus));
        if (request.target == "/dav/isdir/")
            return answer(HostileWebDavServer::multistatus(multistatusXml(dirXml("/dav/isdir/"))));
        if (request.target.startsWith("/dav/missing"))
            return answer(HostileWebDavServer::response(404));
        return answer(HostileWebDavServer::multistatus(multistatusXml(fileXml("/dav/isfile/", 1))));
    });
    auto backend = makeBackend();
    JobResult result = run(backend->makeDirectory(QStringLiteral("isdir")));
    QVERIFY2(result.ok(), qPrintable(result.describe()));
    QVERIFY(result.entry.isDir());
    QCOMPARE(result.entry.path, QStringLiteral("isdir"));
    // A file there, or nothing: 405 means the file is in the way, a refusal stands as such.
    result = run(backend->makeDirectory(QStringLiteral("isfile")));
    QVERIFY2(result.finished && result.kind() == (mkcolStatus == 405 ? ErrorKind::PreconditionFailed
                                                                     : ErrorKind::Permanent),
             qPrintable(result.describe()));
    if (mkcolStatus == 403) {
        result = run(backend->makeDirectory(QStringLiteral("missing")));
        QVERIFY2(result.finished && result.kind() == ErrorKind::Permanent &&
                     result.describe().contains(QStringLiteral("403")),
                 qPrintable(result.describe()));
    }
}

void TestWebDavHostile::moveAndRemoveSendTheRightRequests()
{
    m_server->setHandler([](const HostileWebDavServer::Request &request) {
        if (request.method == "PROPFIND")
            return answer(HostileWebDavServer::multistatus(multistatusXml(
                request.target.startsWith("/dav/folder") ? dirXml(request.target)
                                                         : fileXml(request.target, 1, "\"s\""))));
        return answer(HostileWebDavServer::response(request.method == "MOVE" ? 201 : 204));
    });
    auto backend = makeBackend();
    JobResult result = run(backend->move(QStringLiteral("folder"), QStringLiteral("new place/ü"),
                                         Precondition::none()));
    QVERIFY2(result.ok(), qPrintable(result.describe()));
    auto request = m_server->requests().last();
    QCOMPARE(request.method, QByteArray("MOVE"));
    QCOMPARE(request.target, QByteArray("/dav/folder/"));
    QCOMPARE(request.header("Destination"),
             m_server->collectionUrl().toEncoded() + "new%20place/%C3%BC/");
    QCOMPARE(request.header("Overwrite"), QByteArray("F"));

    result = run(backend->remove(QStringLiteral("file"), Precondition::mustMatch("\"s\"")));
    QVERIFY2(result.ok(), qPrintable(result.describe()));
    request = m_server->requests().last();
    QCOMPARE(request.method, QByteArray("DELETE"));
    QCOMPARE(request.target, QByteArray("/dav/file"));
    QCOMPARE(request.header("If-Match"), QByteArray("\"s\""));

    result = run(backend->move(QStringLiteral("a"), QStringLiteral("a/b"), Precondition::none()));
    QVERIFY2(result.finished && result.kind() == ErrorKind::InvalidName,
             qPrintable(result.describe()));
    result = run(backend->stat(QStringLiteral("../x")));
    QVERIFY2(result.finished && result.kind() == ErrorKind::InvalidName,
             qPrintable(result.describe()));
    result = run(backend->removeStalePartials(60));
    QVERIFY(result.ok());
}

void TestWebDavHostile::pathsArePercentEncodedPerSegment()
{
    m_server->setHandler([](const HostileWebDavServer::Request &request) {
        if (request.method == "PROPFIND")
            return answer(HostileWebDavServer::multistatus(
                multistatusXml(fileXml(request.target, 1, "\"1\""))));
        return answer(HostileWebDavServer::response(200, "x", {{"ETag", "\"1\""}}));
    });
    auto backend = makeBackend();
    const QString target = m_dir->filePath(QStringLiteral("sync/t"));
    const JobResult result =
        run(backend->download(QString::fromUtf8("a b/c#d?e%f/😀 ü+&;=x"), target));
    QVERIFY2(result.ok(), qPrintable(result.describe()));
    QCOMPARE(m_server->requests().last().target,
             QByteArray("/dav/a%20b/c%23d%3Fe%25f/%F0%9F%98%80%20%C3%BC%2B%26%3B%3Dx"));
}

void TestWebDavHostile::concurrencyIsLimited()
{
    m_server->setHandler([](const HostileWebDavServer::Request &request) {
        HostileWebDavServer::Reply reply =
            answer(HostileWebDavServer::multistatus(multistatusXml(fileXml(request.target, 1))));
        reply.delayMs = 30;
        return reply;
    });
    BackendOptions options;
    options.parallel = 2;
    auto backend = makeBackend(options);
    int finished = 0;
    for (int i = 0; i < 8; ++i) {
        RemoteJob *job = backend->stat(QStringLiteral("f%1").arg(i));
        connect(job, &RemoteJob::finished, this, [&finished](RemoteJob *done) {
            QVERIFY(done->succeeded());
            ++finished;
        });
    }
    QVERIFY(test::waitFor([&finished] { return finished == 8; }, jobTimeoutMs));
    QCOMPARE(m_server->requestCount(), 8);
    QVERIFY2(m_server->maxConcurrentRequests() <= 2,
             qPrintable(QString::number(m_server->maxConcurrentRequests())));
    QCOMPARE(m_server->maxConcurrentRequests(), 2);
}

void TestWebDavHostile::cancelAbortsPromptly()
{
    m_server->setHandler([](const HostileWebDavServer::Request &) {
        return HostileWebDavServer::Reply{{}, false, true, 0};
    });
    auto backend = makeBackend();
    RemoteJob *job =
        backend->download(QStringLiteral("f"), m_dir->filePath(QStringLiteral("sync/t")));
    QVERIFY(test::waitFor([this] { return m_server->requestCount() == 1; }));
    job->cancel();
    const JobResult result = run(job);
    QVERIFY2(result.finished && result.kind() == ErrorKind::Cancelled,
             qPrintable(result.describe()));
}

void TestWebDavHostile::downloadsHonourTheBandwidthLimit()
{
    const QByteArray content(300 * 1024, 'b');
    m_server->setHandler([&content](const HostileWebDavServer::Request &request) {
        if (request.method == "PROPFIND")
            return answer(HostileWebDavServer::multistatus(
                multistatusXml(fileXml(request.target, content.size(), "\"z\""))));
        return answer(HostileWebDavServer::response(200, content, {{"ETag", "\"z\""}}));
    });
    BackendOptions options;
    options.bwLimitDownKiB = 100;
    auto backend = makeBackend(options);
    const QString target = m_dir->filePath(QStringLiteral("sync/paced"));
    QElapsedTimer timer;
    timer.start();
    const JobResult result = run(backend->download(QStringLiteral("f"), target));
    QVERIFY2(result.ok(), qPrintable(result.describe()));
    QCOMPARE(test::readFile(target), content);
    // 300 KiB at 100 KiB/s: close to 3 s; only the lower bound is safe on a loaded machine.
    QVERIFY2(timer.elapsed() >= 2'000, qPrintable(QString::number(timer.elapsed())));
}

void TestWebDavHostile::uploadsHonourTheBandwidthLimit()
{
    m_server->setHandler([](const HostileWebDavServer::Request &) {
        return answer(HostileWebDavServer::response(201, {}, {{"ETag", "\"up\""}}));
    });
    const QByteArray content(300 * 1024, 'u');
    test::writeFile(m_dir->path(), QStringLiteral("sync/big"), content);
    BackendOptions options;
    options.bwLimitUpKiB = 100;
    auto backend = makeBackend(options);
    QElapsedTimer timer;
    timer.start();
    const JobResult result = run(backend->upload(m_dir->filePath(QStringLiteral("sync/big")),
                                                 QStringLiteral("big"), 0, Precondition::none()));
    QVERIFY2(result.ok(), qPrintable(result.describe()));
    QCOMPARE(m_server->requests().last().body, content);
    QVERIFY2(timer.elapsed() >= 2'000, qPrintable(QString::number(timer.elapsed())));
}

void TestWebDavHostile::untrustedCertificateIsPermanent()
{
    m_server = std::make_unique<HostileWebDavServer>();
    QVERIFY(m_server->startTls(QSslCertificate(QByteArray(loopbackCertificatePem)),
                               QSslKey(QByteArray(loopbackKeyPem), QSsl::Rsa)));
    m_server->setHandler([](const HostileWebDavServer::Request &) {
        return answer(HostileWebDavServer::multistatus(multistatusXml(dirXml("/dav/"))));
    });
    auto backend = makeBackend();
    const JobResult result = run(backend->stat(QString()));
    QVERIFY2(result.finished && result.kind() == ErrorKind::Permanent,
             qPrintable(result.describe()));
    QVERIFY2(result.error->message.contains(QLatin1String("certificate")),
             qPrintable(result.describe()));
    QCOMPARE(m_server->requestCount(), 0);
    qInfo("%s", qPrintable(result.error->message));
}

void TestWebDavHostile::caCertFileIsTrusted()
{
    m_server = std::make_unique<HostileWebDavServer>();
    QVERIFY(m_server->startTls(QSslCertificate(QByteArray(loopbackCertificatePem)),
                               QSslKey(QByteArray(loopbackKeyPem), QSsl::Rsa)));
    m_server->setHandler([](const HostileWebDavServer::Request &) {
        return answer(HostileWebDavServer::multistatus(multistatusXml(dirXml("/dav/"))));
    });
    test::writeFile(m_dir->path(), QStringLiteral("sync/ca.pem"), loopbackCertificatePem);
    BackendOptions options;
    options.caCertFile = m_dir->filePath(QStringLiteral("sync/ca.pem"));
    auto backend = makeBackend(options);
    QVERIFY(backend);
    const JobResult result = run(backend->stat(QString()));
    QVERIFY2(result.ok(), qPrintable(result.describe()));
    QVERIFY(result.entry.isDir());
}

void TestWebDavHostile::downloadReportsTheListedVersion()
{
    // nginx style: no ETag in PROPFIND, one on GET. The entry must match what a listing says.
    QByteArray getEtag = "\"65f0-5\"";
    QByteArray content = "12345";
    m_server->setHandler([&](const HostileWebDavServer::Request &request) {
        if (request.method == "PROPFIND")
            return answer(
                HostileWebDavServer::multistatus(multistatusXml(fileXml(request.target, 5, {}))));
        return answer(HostileWebDavServer::response(
            200, content, {{"ETag", getEtag}, {"Last-Modified", "Tue, 24 Nov 2026 20:00:00 GMT"}}));
    });
    auto backend = makeBackend();
    const QString target = m_dir->filePath(QStringLiteral("sync/t"));
    JobResult result = run(backend->download(QStringLiteral("f"), target));
    QVERIFY2(result.ok(), qPrintable(result.describe()));
    QVERIFY(result.entry.etag.isEmpty());
    const JobResult listed = run(backend->stat(QStringLiteral("f")));
    QCOMPARE(result.entry.signature(), listed.entry.signature());

    content = "123456"; // changed between the stat and the GET
    result = run(backend->download(QStringLiteral("f"), target));
    QVERIFY2(result.finished && result.kind() == ErrorKind::Transient,
             qPrintable(result.describe()));
}

QByteArray TestWebDavHostile::writeLargeFile(const QString &name)
{
    QByteArray content(9 * 1024 * 1024 + 17, Qt::Uninitialized);
    for (qsizetype i = 0; i < content.size(); ++i)
        content[i] = char((i * 7 + i / 4096) & 0xff);
    test::writeFile(m_dir->path(), QStringLiteral("sync/") + name, content);
    return content;
}

JobResult TestWebDavHostile::uploadLarge(RemoteBackend *backend, const QString &name)
{
    return run(backend->upload(m_dir->filePath(QStringLiteral("sync/") + name), name,
                               1'700'000'000'000'000'000, Precondition::none()));
}

namespace {

bool isDirectPut(const HostileWebDavServer::Request &request)
{
    return request.method == "PUT" && request.header("Expect") == "100-continue" &&
           request.header("Connection").toLower() == "close";
}

BackendOptions withCredentials()
{
    BackendOptions options;
    options.user = QStringLiteral("alice");
    options.password = QStringLiteral("s3cret-pw");
    return options;
}

const QByteArray aliceBasic = "Basic " + QByteArray("alice:s3cret-pw").toBase64();

} // namespace

void TestWebDavHostile::largeUploadGoesOnAConnectionOfItsOwn()
{
    m_server->setHandler([](const HostileWebDavServer::Request &) {
        return answer(HostileWebDavServer::response(
            201, {}, {{"ETag", "\"big-1\""}, {"Last-Modified", "Tue, 24 Nov 2026 20:00:00 GMT"}}));
    });
    const QByteArray content = writeLargeFile(QStringLiteral("big.bin"));
    auto backend = makeBackend();
    const JobResult result = uploadLarge(backend.get(), QStringLiteral("big.bin"));
    QVERIFY2(result.ok(), qPrintable(result.describe()));
    QCOMPARE(m_server->requestCount(), 1);
    const HostileWebDavServer::Request &put = m_server->requests().first();
    QVERIFY(isDirectPut(put));
    QCOMPARE(put.target, QByteArray("/dav/big.bin"));
    QCOMPARE(put.header("Content-Length"), QByteArray::number(content.size()));
    QCOMPARE(put.header("X-OC-Mtime"), QByteArray("1700000000"));
    QVERIFY(put.header("Authorization").isEmpty()); // not asked for
    QVERIFY(put.body == content);
    QCOMPARE(result.entry.etag, QByteArray("\"big-1\""));
    QCOMPARE(result.entry.size, qint64(content.size()));
    QCOMPARE(result.entry.mtimeNs, qint64(1'795'550'400) * 1'000'000'000);
}

void TestWebDavHostile::largeUploadAnswersABasicChallenge()
{
    const auto challenge = [](const HostileWebDavServer::Request &request)
        -> std::optional<HostileWebDavServer::Reply> {
        if (request.header("Authorization") == aliceBasic)
            return std::nullopt;
        return answer(
            HostileWebDavServer::response(401, "denied",
                                          {{"WWW-Authenticate", "Digest realm=\"d\", nonce=\"n\""},
                                           {"WWW-Authenticate", "Basic realm=\"dav\""}}));
    };
    m_server->setEarlyHandler(challenge);
    m_server->setHandler([](const HostileWebDavServer::Request &) {
        return answer(HostileWebDavServer::response(201, {}, {{"ETag", "\"b\""}}));
    });
    const QByteArray content = writeLargeFile(QStringLiteral("a.bin"));
    writeLargeFile(QStringLiteral("b.bin"));
    auto backend = makeBackend(withCredentials());
    QVERIFY2(uploadLarge(backend.get(), QStringLiteral("a.bin")).ok(), "first upload");
    // The challenge came before the body: 9 MiB were not sent for nothing.
    QCOMPARE(m_server->requestCount(), 2);
    QVERIFY(m_server->requests().at(0).body.isEmpty());
    QVERIFY(m_server->requests().at(0).header("Authorization").isEmpty());
    QCOMPARE(m_server->requests().at(1).header("Authorization"), aliceBasic);
    QVERIFY(m_server->requests().at(1).body == content);
    // Known from then on: the next upload sends the credentials at once.
    QVERIFY2(uploadLarge(backend.get(), QStringLiteral("b.bin")).ok(), "second upload");
    QCOMPARE(m_server->requestCount(), 3);
    QCOMPARE(m_server->requests().at(2).header("Authorization"), aliceBasic);
}

void TestWebDavHostile::largeUploadRefusedBeforeItsBodyIsSent()
{
    m_server->setEarlyHandler([](const HostileWebDavServer::Request &) {
        return std::optional(answer(HostileWebDavServer::response(507, "full")));
    });
    writeLargeFile(QStringLiteral("big.bin"));
    auto backend = makeBackend();
    const JobResult result = uploadLarge(backend.get(), QStringLiteral("big.bin"));
    QVERIFY2(result.finished && result.kind() == ErrorKind::DiskFull,
             qPrintable(result.describe()));
    QVERIFY2(result.error->message.contains(QLatin1String("HTTP 507")),
             qPrintable(result.describe()));
    QCOMPARE(m_server->requestCount(), 1);
    QVERIFY(m_server->requests().first().body.isEmpty());
}

void TestWebDavHostile::largeUploadFallsBackWhereBasicIsNotOffered()
{
    // Only Digest: Qt Network answers it (the server here takes any Digest answer).
    m_server->setHandler([](const HostileWebDavServer::Request &request) {
        if (request.header("Authorization").startsWith("Digest "))
            return answer(HostileWebDavServer::response(201, {}, {{"ETag", "\"d\""}}));
        return answer(HostileWebDavServer::response(
            401, "denied",
            {{"WWW-Authenticate", "Digest realm=\"dav\", nonce=\"abc\", qop=\"auth\""}}));
    });
    m_server->setEarlyHandler([](const HostileWebDavServer::Request &request) {
        return request.header("Authorization").isEmpty()
                   ? std::optional(answer(HostileWebDavServer::response(
                         401, "denied",
                         {{"WWW-Authenticate", "Digest realm=\"dav\", nonce=\"abc\""}})))
                   : std::nullopt;
    });
    const QByteArray content = writeLargeFile(QStringLiteral("big.bin"));
    auto backend = makeBackend(withCredentials());
    const JobResult result = uploadLarge(backend.get(), QStringLiteral("big.bin"));
    QVERIFY2(result.ok(), qPrintable(result.describe()));
    QVERIFY(isDirectPut(m_server->requests().first()));
    const HostileWebDavServer::Request &last = m_server->requests().last();
    QVERIFY(!isDirectPut(last));
    QVERIFY(last.header("Authorization").startsWith("Digest "));
    QVERIFY(last.body == content);
    for (const auto &request : m_server->requests())
        QVERIFY(!request.header("Authorization").startsWith("Basic"));
}

void TestWebDavHostile::largeUploadFallsBackOnAnAnswerThatIsNotHttp()
{
    m_server->setHandler([](const HostileWebDavServer::Request &request) {
        if (isDirectPut(request))
            return answer("ICY 200 OK\r\n\r\n");
        return answer(HostileWebDavServer::response(201, {}, {{"ETag", "\"q\""}}));
    });
    const QByteArray content = writeLargeFile(QStringLiteral("big.bin"));
    auto backend = makeBackend();
    const JobResult result = uploadLarge(backend.get(), QStringLiteral("big.bin"));
    QVERIFY2(result.ok(), qPrintable(result.describe()));
    QCOMPARE(m_server->requestCount(), 2);
    QVERIFY(m_server->requests().last().body == content);
    // The session keeps to Qt Network from then on.
    QVERIFY2(uploadLarge(backend.get(), QStringLiteral("big.bin")).ok(), "second upload");
    QCOMPARE(m_server->requestCount(), 3);
    QVERIFY(!isDirectPut(m_server->requests().last()));
}

void TestWebDavHostile::largeUploadAcceptedBeforeItsBodyFallsBack()
{
    // "201 Created" before the body: nothing may be recorded as uploaded on that word.
    m_server->setEarlyHandler([](const HostileWebDavServer::Request &) {
        return std::optional(
            answer(HostileWebDavServer::response(201, {}, {{"ETag", "\"early\""}})));
    });
    m_server->setHandler([](const HostileWebDavServer::Request &) {
        return answer(HostileWebDavServer::response(201, {}, {{"ETag", "\"full\""}}));
    });
    const QByteArray content = writeLargeFile(QStringLiteral("big.bin"));
    auto backend = makeBackend();
    const JobResult result = uploadLarge(backend.get(), QStringLiteral("big.bin"));
    QVERIFY2(result.ok(), qPrintable(result.describe()));
    QCOMPARE(result.entry.etag, QByteArray("\"full\""));
    QCOMPARE(m_server->requestCount(), 2);
    QVERIFY(m_server->requests().last().body == content);
}

namespace {

// Counts the messages Qt prints that contain `needle` while it lives.
class MessageCounter
{
public:
    explicit MessageCounter(QByteArray needle)
    {
        s_needle = std::move(needle);
        s_count = 0;
        s_previous = qInstallMessageHandler(&MessageCounter::handle);
    }
    ~MessageCounter() { qInstallMessageHandler(s_previous); }
    MessageCounter(const MessageCounter &) = delete;
    MessageCounter &operator=(const MessageCounter &) = delete;
    int count() const { return s_count.loadRelaxed(); }

private:
    static void handle(QtMsgType type, const QMessageLogContext &context, const QString &text)
    {
        if (text.toUtf8().contains(s_needle))
            s_count.fetchAndAddRelaxed(1);
        s_previous(type, context, text);
    }
    static inline QByteArray s_needle;
    static inline QAtomicInt s_count;
    static inline QtMessageHandler s_previous = nullptr;
};

} // namespace

void TestWebDavHostile::largeUploadCutOffAfterAnEarlyAnswerFallsBackAtOnce_data()
{
    QTest::addColumn<bool>("tls");
    QTest::newRow("http") << false;
    QTest::newRow("https") << true;
}

void TestWebDavHostile::largeUploadCutOffAfterAnEarlyAnswerFallsBackAtOnce()
{
    // "100 Continue", then 401 while the body is on its way, and the connection closed under
    // it: about half the uploads ended with a broken connection (over TLS), or with writes to a
    // dead socket (Qt warns about an uninitialized socket device) until the 60 s timeout.
    QFETCH(bool, tls);
    const MessageCounter deadSocketWrites("uninitialized socket");
    BackendOptions options;
    options.requestTimeoutMs = 20'000;
    if (tls) {
        m_server = std::make_unique<HostileWebDavServer>();
        QVERIFY(m_server->startTls(QSslCertificate(QByteArray(loopbackCertificatePem)),
                                   QSslKey(QByteArray(loopbackKeyPem), QSsl::Rsa)));
        test::writeFile(m_dir->path(), QStringLiteral("sync/ca.pem"), loopbackCertificatePem);
        options.caCertFile = m_dir->filePath(QStringLiteral("sync/ca.pem"));
    }
    m_server->setEarlyHandler([](const HostileWebDavServer::Request &) {
        HostileWebDavServer::Reply reply = answer(HostileWebDavServer::response(
            401, "denied", {{"WWW-Authenticate", "Basic realm=\"dav\""}}));
        reply.afterContinue = true;
        reply.delayMs = 30;
        return std::optional(reply);
    });
    m_server->setHandler([](const HostileWebDavServer::Request &) {
        return answer(HostileWebDavServer::response(201, {}, {{"ETag", "\"q\""}}));
    });
    const QByteArray content = writeLargeFile(QStringLiteral("big.bin"));
    for (int round = 0; round < 6; ++round) {
        auto backend = makeBackend(options); // a new session tries the direct way again
        QElapsedTimer timer;
        timer.start();
        const JobResult result = uploadLarge(backend.get(), QStringLiteral("big.bin"));
        QVERIFY2(result.ok(),
                 qPrintable(QStringLiteral("round %1: %2").arg(round).arg(result.describe())));
        QVERIFY2(timer.elapsed() < 10'000, qPrintable(QString::number(timer.elapsed())));
        QVERIFY(!isDirectPut(m_server->requests().last())); // Qt Network's PUT
        QVERIFY(m_server->requests().last().body == content);
    }
    QCOMPARE(deadSocketWrites.count(), 0);
}

void TestWebDavHostile::largeUploadOfAFileThatShrinksFails()
{
    // Cut to half between the request's head and its body: the upload must not end as if the
    // file had been sent (nor hang waiting for bytes that are gone).
    const QByteArray content = writeLargeFile(QStringLiteral("big.bin"));
    const QString local = m_dir->filePath(QStringLiteral("sync/big.bin"));
    m_server->setEarlyHandler([local, &content](const HostileWebDavServer::Request &)
                                  -> std::optional<HostileWebDavServer::Reply> {
        QFile::resize(local, content.size() / 2);
        return std::nullopt;
    });
    m_server->setHandler([](const HostileWebDavServer::Request &) {
        return answer(HostileWebDavServer::response(201, {}, {{"ETag", "\"x\""}}));
    });
    auto backend = makeBackend();
    const JobResult result = run(backend->upload(local, QStringLiteral("big.bin"), 0,
                                                 Precondition::none(), UploadHashing::SentBytes));
    QVERIFY2(result.finished && result.kind() == ErrorKind::Transient,
             qPrintable(result.describe()));
    QVERIFY2(result.error->message.contains(QLatin1String("shorter")),
             qPrintable(result.describe()));
    QVERIFY(result.sentSha256.isEmpty());
}

void TestWebDavHostile::largeUploadTimesOut()
{
    m_server->setHandler([](const HostileWebDavServer::Request &) {
        return HostileWebDavServer::Reply{{}, false, true, 0};
    });
    writeLargeFile(QStringLiteral("big.bin"));
    BackendOptions options;
    options.requestTimeoutMs = 1500;
    auto backend = makeBackend(options);
    const JobResult result = uploadLarge(backend.get(), QStringLiteral("big.bin"));
    QVERIFY2(result.finished && result.kind() == ErrorKind::Transient,
             qPrintable(result.describe()));
    QVERIFY2(result.error->message.contains(QLatin1String("timed out")),
             qPrintable(result.describe()));
    QCOMPARE(m_server->requestCount(), 1);
    QVERIFY(isDirectPut(m_server->requests().first()));
}

void TestWebDavHostile::largeUploadOverTls()
{
    m_server = std::make_unique<HostileWebDavServer>();
    QVERIFY(m_server->startTls(QSslCertificate(QByteArray(loopbackCertificatePem)),
                               QSslKey(QByteArray(loopbackKeyPem), QSsl::Rsa)));
    m_server->setHandler([](const HostileWebDavServer::Request &) {
        return answer(HostileWebDavServer::response(201, {}, {{"ETag", "\"t\""}}));
    });
    test::writeFile(m_dir->path(), QStringLiteral("sync/ca.pem"), loopbackCertificatePem);
    const QByteArray content = writeLargeFile(QStringLiteral("big.bin"));
    BackendOptions options;
    options.caCertFile = m_dir->filePath(QStringLiteral("sync/ca.pem"));
    auto backend = makeBackend(options);
    const JobResult result = uploadLarge(backend.get(), QStringLiteral("big.bin"));
    QVERIFY2(result.ok(), qPrintable(result.describe()));
    QCOMPARE(m_server->requestCount(), 1);
    QVERIFY(isDirectPut(m_server->requests().first()));
    QVERIFY(m_server->requests().first().body == content);
}

void TestWebDavHostile::largeUploadToAnUntrustedServerIsPermanent()
{
    m_server = std::make_unique<HostileWebDavServer>();
    QVERIFY(m_server->startTls(QSslCertificate(QByteArray(loopbackCertificatePem)),
                               QSslKey(QByteArray(loopbackKeyPem), QSsl::Rsa)));
    writeLargeFile(QStringLiteral("big.bin"));
    auto backend = makeBackend();
    const JobResult result = uploadLarge(backend.get(), QStringLiteral("big.bin"));
    QVERIFY2(result.finished && result.kind() == ErrorKind::Permanent,
             qPrintable(result.describe()));
    QVERIFY2(result.error->message.contains(QLatin1String("certificate")),
             qPrintable(result.describe()));
    QCOMPARE(m_server->requestCount(), 0);
}

void TestWebDavHostile::uploadsHashWhatTheySend_data()
{
    QTest::addColumn<qint64>("size");
    QTest::addColumn<bool>("direct");
    QTest::newRow("small file, one buffer") << qint64(100 * 1024) << false;
    QTest::newRow("2 MiB, streamed by Qt Network") << qint64(2 * 1024 * 1024 + 1) << false;
    QTest::newRow("9 MiB, direct PUT") << qint64(9 * 1024 * 1024 + 1) << true;
}

void TestWebDavHostile::uploadsHashWhatTheySend()
{
    QFETCH(qint64, size);
    QFETCH(bool, direct);
    // Every upload is first refused with a Basic challenge: Qt Network sends the body again
    // from the start, and the digest must be that of one copy.
    m_server->setHandler([](const HostileWebDavServer::Request &request) {
        if (request.header("Authorization") != aliceBasic)
            return answer(HostileWebDavServer::response(
                401, "denied", {{"WWW-Authenticate", "Basic realm=\"dav\""}}));
        return answer(HostileWebDavServer::response(201, {}, {{"ETag", "\"h\""}}));
    });
    QByteArray content(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < content.size(); ++i)
        content[i] = char((i * 29 + i / 1000) & 0xff);
    test::writeFile(m_dir->path(), QStringLiteral("sync/f.bin"), content);
    auto backend = makeBackend(withCredentials());
    const QByteArray expected =
        QCryptographicHash::hash(content, QCryptographicHash::Sha256).toHex();
    const JobResult hashed =
        run(backend->upload(m_dir->filePath(QStringLiteral("sync/f.bin")), QStringLiteral("f.bin"),
                            0, Precondition::none(), UploadHashing::SentBytes));
    QVERIFY2(hashed.ok(), qPrintable(hashed.describe()));
    QCOMPARE(hashed.sentSha256, expected);
    QVERIFY(m_server->requests().last().body == content);
    QCOMPARE(isDirectPut(m_server->requests().last()), direct);
    // Not asked for: not taken.
    const JobResult plain = run(backend->upload(m_dir->filePath(QStringLiteral("sync/f.bin")),
                                                QStringLiteral("f.bin"), 0, Precondition::none()));
    QVERIFY2(plain.ok(), qPrintable(plain.describe()));
    QVERIFY(plain.sentSha256.isEmpty());
}

QTEST_GUILESS_MAIN(TestWebDavHostile)
#include "tst_webdavhostile.moc"
