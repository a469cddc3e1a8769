// Issue 19, item 6: `steadysync-cli login https://HOST` logs in with Nextcloud's Login Flow v2
// (the user logs in and grants access in a browser; the client polls and receives an app
// password, stored in the keychain for the account's WebDAV root), and that one entry serves
// every pair below it. The scripted server answers as a real Nextcloud 32 did (recorded; the
// tokens shortened); ctest runs this under tests/support/with-keyring.sh.
#include "clirunner.h"
#include "hostilewebdavserver.h"
#include "remote/credentialstore.h"
#include "remote/loginflow.h"
#include "testutil.h"
#include "webdavserver.h"

#include <QTemporaryDir>
#include <QTest>

using namespace steadysync;
using namespace steadysync::test;

namespace {

using Reply = HostileWebDavServer::Reply;

QByteArray json(const QByteArray &body)
{
    return HostileWebDavServer::response(200, body,
                                         {{"Content-Type", "application/json; charset=utf-8"}});
}

// POST /index.php/login/v2 on a real Nextcloud 32 (slashes escaped as it sends them).
QByteArray startAnswer(quint16 port)
{
    const QByteArray base = "http:\\/\\/127.0.0.1:" + QByteArray::number(port);
    return json(R"({"poll":{"token":"J7Xt6OOihspwF1qfJQIm0srxIcvX","endpoint":")" + base +
                R"(\/login\/v2\/poll"},"login":")" + base +
                R"(\/login\/v2\/flow\/kbeKV4kjZGiy03DiCUHSvd1Knury"})");
}

// The poll once the user has granted access.
QByteArray grantedAnswer(quint16 port)
{
    return json(R"({"server":"http:\/\/127.0.0.1:)" + QByteArray::number(port) +
                R"(","loginName":"alice","appPassword":"Kf9yww3I5m2cl4IFR8wSGdpiXporhzLg"})");
}

// A Nextcloud whose user grants access after `pendingPolls` polls (each answered 404, "[]").
HostileWebDavServer::Handler nextcloud(const HostileWebDavServer &server, int pendingPolls)
{
    auto polls = std::make_shared<int>(0);
    return [&server, pendingPolls, polls](const HostileWebDavServer::Request &request) {
        if (request.method == "POST" && request.target == "/index.php/login/v2")
            return HostileWebDavServer::reply(startAnswer(server.port()));
        if (request.method == "POST" && request.target == "/login/v2/poll" &&
            request.body == "token=J7Xt6OOihspwF1qfJQIm0srxIcvX") {
            if ((*polls)++ < pendingPolls)
                return HostileWebDavServer::reply(HostileWebDavServer::response(404, "[]"));
            return HostileWebDavServer::reply(grantedAnswer(server.port()));
        }
        return HostileWebDavServer::reply(HostileWebDavServer::response(400));
    };
}

QString describe(const CliRunner::Outcome &outcome)
{
    return QStringLiteral("exit %1\nstderr: %2")
        .arg(outcome.exitCode)
        .arg(QString::fromUtf8(outcome.err));
}

} // namespace

class TestLoginFlow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void serverBaseOfAnyNextcloudUrl_data();
    void serverBaseOfAnyNextcloudUrl();
    void browserLoginStoresAnAppPassword();
    void oddAnswersFailClearlyAndStoreNothing_data();
    void oddAnswersFailClearlyAndStoreNothing();
    void onePasswordServesThePairsBelowIt();
};

void TestLoginFlow::serverBaseOfAnyNextcloudUrl_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("base");
    QTest::newRow("host") << "https://cloud.example"
                          << "https://cloud.example";
    QTest::newRow("host/") << "https://cloud.example/"
                           << "https://cloud.example";
    QTest::newRow("dav folder") << "https://u:p@cloud.example/remote.php/dav/files/u/Docs/"
                                << "https://cloud.example";
    QTest::newRow("old webdav") << "http://h:8080/remote.php/webdav/"
                                << "http://h:8080";
    QTest::newRow("subdirectory install") << "https://h/nextcloud/remote.php/dav/files/u/"
                                          << "https://h/nextcloud";
}

void TestLoginFlow::serverBaseOfAnyNextcloudUrl()
{
    QFETCH(QString, url);
    QFETCH(QString, base);
    QCOMPARE(LoginFlow::serverBaseOf(QUrl(url)).toString(), base);
}

void TestLoginFlow::browserLoginStoresAnAppPassword()
{
    HostileWebDavServer server;
    QVERIFY(server.start());
    server.setHandler(nextcloud(server, 2));
    QTemporaryDir home;
    const CliRunner cli(home.path());
    const QString base = QStringLiteral("http://127.0.0.1:%1").arg(server.port());
    const QUrl davRoot(base + QStringLiteral("/remote.php/dav/files/alice/"));
    QVERIFY(CredentialStore().removePassword(davRoot, QStringLiteral("alice")).ok());

    const CliRunner::Outcome login =
        cli.runServing({QStringLiteral("login"), base, QStringLiteral("--no-browser")});
    QVERIFY2(login.exitCode == 0, qPrintable(describe(login)));
    // The user is told where to log in, and how to sync afterwards.
    QVERIFY2(login.err.contains(base.toUtf8() + "/login/v2/flow/kbeKV4kjZGiy03DiCUHSvd1Knury"),
             qPrintable(describe(login)));
    QVERIFY2(login.err.contains(davRoot.toString().toUtf8() + " --user alice"),
             qPrintable(describe(login)));
    QVERIFY(!login.err.contains("Kf9yww3I5m2cl4IFR8wSGdpiXporhzLg")); // never printed
    const Result<QString> stored = CredentialStore().readPassword(davRoot, QStringLiteral("alice"));
    QVERIFY2(stored.ok(), qPrintable(stored.ok() ? QString() : stored.error().message));
    QCOMPARE(*stored, QStringLiteral("Kf9yww3I5m2cl4IFR8wSGdpiXporhzLg"));
    // No password was ever sent; the polls carried the token only.
    for (const HostileWebDavServer::Request &request : server.requests())
        QVERIFY(request.header("authorization").isEmpty());
}

void TestLoginFlow::oddAnswersFailClearlyAndStoreNothing_data()
{
    QTest::addColumn<int>("which"); // 0: no Login Flow, 1: not JSON, 2: granted without password
    QTest::addColumn<QByteArray>("says");
    QTest::newRow("plain WebDAV server") << 0 << QByteArray("offers no browser login");
    QTest::newRow("HTML instead of JSON") << 1 << QByteArray("not a JSON object");
    QTest::newRow("granted without a password") << 2 << QByteArray("lacks the server");
}

void TestLoginFlow::oddAnswersFailClearlyAndStoreNothing()
{
    QFETCH(int, which);
    QFETCH(QByteArray, says);
    HostileWebDavServer server;
    QVERIFY(server.start());
    server.setHandler([&server, which](const HostileWebDavServer::Request &request) {
        if (which == 0)
            return HostileWebDavServer::reply(HostileWebDavServer::response(404, "Not Found"));
        if (which == 1)
            return HostileWebDavServer::reply(HostileWebDavServer::response(
                200, "<html>login</html>", {{"Content-Type", "text/html"}}));
        if (request.target == "/index.php/login/v2")
            return HostileWebDavServer::reply(startAnswer(server.port()));
        return HostileWebDavServer::reply(json(R"({"server":"http:\/\/x","loginName":"alice"})"));
    });
    QTemporaryDir home;
    const CliRunner cli(home.path());
    const QString base = QStringLiteral("http://127.0.0.1:%1").arg(server.port());
    const CliRunner::Outcome login =
        cli.runServing({QStringLiteral("login"), base, QStringLiteral("--no-browser")});
    QVERIFY2(login.exitCode == 3, qPrintable(describe(login)));
    QVERIFY2(login.err.contains(says), qPrintable(describe(login)));
    QVERIFY(!login.err.contains("stored"));
}

// An entry for a folder serves the pairs below it on the same server (the account's WebDAV
// root after a browser login); a real rclone WebDAV server checks the password.
void TestLoginFlow::onePasswordServesThePairsBelowIt()
{
    QString error;
    const std::unique_ptr<WebDavServer> server =
        WebDavServer::start(WebDavServer::Kind::Rclone, &error);
    QVERIFY2(server, qPrintable(error));
    QVERIFY(
        CredentialStore().storePassword(server->url(), server->user(), server->password()).ok());
    QTemporaryDir home, folder;
    const CliRunner cli(home.path());
    writeFile(folder.path(), QStringLiteral("notes.txt"), "below the stored folder");
    const QString sub = server->url().toString() + QStringLiteral("Projects/2026/");
    QVERIFY(QDir().mkpath(server->dataDirectory() + QStringLiteral("/Projects/2026")));
    const CliRunner::Outcome synced = cli.run(
        {QStringLiteral("sync"), folder.path(), sub, QStringLiteral("--user"), server->user()});
    QVERIFY2(synced.exitCode == 0, qPrintable(describe(synced)));
    QCOMPARE(readFile(server->dataDirectory() + QStringLiteral("/Projects/2026/notes.txt")),
             QByteArray("below the stored folder"));
    // Another user's entry serves nobody else.
    const Result<QString> other =
        CredentialStore().readPassword(QUrl(sub), QStringLiteral("mallory"));
    QVERIFY(!other.ok());
    QCOMPARE(other.error().kind, ErrorKind::NotFound);
}

QTEST_GUILESS_MAIN(TestLoginFlow)
#include "tst_loginflow.moc"
