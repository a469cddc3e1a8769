// Issue 19, item 6, in the app: the pair editor's (and so the first run's) "Log in with
// Browser…" runs Nextcloud's Login Flow v2, opens the login page in the browser and fills in
// the account's WebDAV root, the user and the app password, which saving then stores like a
// typed password. The scripted server answers as a real Nextcloud 32 did.
#include "hostilewebdavserver.h"
#include "paireditor.h"
#include "testutil.h"

#include <QApplication>
#include <QDesktopServices>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTest>

using namespace steadysync;
using namespace steadysync::test;

namespace {

constexpr int Deadline = 30'000;

QByteArray json(const QByteArray &body)
{
    return HostileWebDavServer::response(200, body, {{"Content-Type", "application/json"}});
}

} // namespace

// Stands in for the desktop's browser: records what the app asked it to open.
class Browser : public QObject
{
    Q_OBJECT
public:
    QList<QUrl> opened;
public Q_SLOTS:
    void open(const QUrl &url) { opened.append(url); }
};

class TestUiBrowserLogin : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QDesktopServices::setUrlHandler(QStringLiteral("http"), &m_browser, "open");
    }
    void fillsTheAccountFromTheBrowser();
    void aServerWithoutItSaysSo();

private:
    Browser m_browser;
};

void TestUiBrowserLogin::fillsTheAccountFromTheBrowser()
{
    HostileWebDavServer server;
    QVERIFY(server.start());
    const QByteArray base = "http:\\/\\/127.0.0.1:" + QByteArray::number(server.port());
    int polls = 0;
    server.setHandler([&](const HostileWebDavServer::Request &request) {
        if (request.target == "/index.php/login/v2")
            return HostileWebDavServer::reply(json(R"({"poll":{"token":"tok","endpoint":")" + base +
                                                   R"(\/login\/v2\/poll"},"login":")" + base +
                                                   R"(\/login\/v2\/flow\/abc"})"));
        if (polls++ == 0) // the user is still logging in
            return HostileWebDavServer::reply(HostileWebDavServer::response(404, "[]"));
        return HostileWebDavServer::reply(
            json(R"({"server":")" + base + R"(","loginName":"alice","appPassword":"app-pw"})"));
    });
    const QString serverUrl = QStringLiteral("http://127.0.0.1:%1").arg(server.port());

    PairEditor editor;
    editor.show();
    editor.remoteUrlEdit()->setText(serverUrl);
    editor.browserLoginButton()->click();
    QVERIFY(waitFor([&] { return editor.passwordEdit()->text() == QStringLiteral("app-pw"); },
                    Deadline));
    QCOMPARE(editor.userEdit()->text(), QStringLiteral("alice"));
    QCOMPARE(editor.remoteUrlEdit()->text(),
             serverUrl + QStringLiteral("/remote.php/dav/files/alice/"));
    QCOMPARE(m_browser.opened, QList<QUrl>{QUrl(serverUrl + QStringLiteral("/login/v2/flow/abc"))});
    QVERIFY(editor.connectionResultLabel()->text().contains(QStringLiteral("alice")));
    QVERIFY(editor.browserLoginButton()->isEnabled());
    // Saving stores it as it stores a typed password.
    QCOMPARE(editor.password(), QStringLiteral("app-pw"));
}

void TestUiBrowserLogin::aServerWithoutItSaysSo()
{
    HostileWebDavServer server;
    QVERIFY(server.start());
    server.setHandler([](const HostileWebDavServer::Request &) {
        return HostileWebDavServer::reply(HostileWebDavServer::response(404, "Not Found"));
    });
    PairEditor editor;
    editor.show();
    const QString folderUrl =
        QStringLiteral("http://127.0.0.1:%1/remote.php/dav/files/bob/").arg(server.port());
    editor.remoteUrlEdit()->setText(folderUrl);
    editor.browserLoginButton()->click();
    QVERIFY(waitFor([&] { return editor.browserLoginButton()->isEnabled(); }, Deadline));
    QVERIFY2(
        editor.connectionResultLabel()->text().contains(QStringLiteral("offers no browser login")),
        qPrintable(editor.connectionResultLabel()->text()));
    QCOMPARE(editor.remoteUrlEdit()->text(), folderUrl); // nothing in the form changed
    QVERIFY(editor.passwordEdit()->text().isEmpty());
}

QTEST_MAIN(TestUiBrowserLogin)
#include "tst_uibrowserlogin.moc"
