#include "autostartentry.h"
#include "paireditor.h"
#include "pairmanager.h"
#include "settingsdialog.h"
#include "uitestenvironment.h"

#include "hostilewebdavserver.h"
#include "testutil.h"
#include "webdavserver.h"

#include <QApplication>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QProcess>
#include <QPushButton>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace steadysync;
using steadysync::test::waitFor;
using steadysync::test::WebDavServer;

// "Test connection" in the pair editor, against a real Apache and real folders.
class TestConnectionTest : public QObject
{
    Q_OBJECT
public:
    explicit TestConnectionTest(test::UiTestEnvironment *environment) : m_env(environment) {}

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void webDavRightPasswordConnects();
    void webDavWrongPasswordIsRefused();
    void stoppedServerIsUnreachable();
    void missingCollectionIsNotFound();
    void fileIsNotACollection();
    void existingFolderConnects();
    void missingFolderIsNotFound();
    void untrustedCertificateIsNamed();
    void silentServerTimesOut();
    void closingTheDialogCancelsTheTest();

private:
    // Types into the editor, clicks the button and returns the outcome shown.
    QString runTest(const QString &url, const QString &user = {}, const QString &password = {});
    QString davUrl(const QString &path = {}) const;

    test::UiTestEnvironment *m_env;
    std::unique_ptr<WebDavServer> m_apache;
    std::unique_ptr<PairManager> m_manager;
    std::unique_ptr<AutostartEntry> m_autostart;
    std::unique_ptr<SettingsDialog> m_dialog;
};

void TestConnectionTest::initTestCase()
{
    QString error;
    m_apache = WebDavServer::start(WebDavServer::Kind::Apache, &error);
    QVERIFY2(m_apache, qPrintable(error));
}

void TestConnectionTest::init()
{
    m_manager = std::make_unique<PairManager>(PairStore(m_env->settingsFile()));
    m_autostart = std::make_unique<AutostartEntry>(QStringLiteral("/usr/bin/steadysync"));
    m_dialog = std::make_unique<SettingsDialog>(m_manager.get(), *m_autostart);
    m_dialog->show();
    m_dialog->addPair();
}

void TestConnectionTest::cleanup()
{
    m_dialog.reset();
    m_manager.reset();
    QFile::remove(m_env->settingsFile());
}

QString TestConnectionTest::davUrl(const QString &path) const
{
    return m_apache->url().toString() + path;
}

QString TestConnectionTest::runTest(const QString &url, const QString &user,
                                    const QString &password)
{
    PairEditor *editor = m_dialog->editor();
    editor->remoteUrlEdit()->setText(url);
    editor->userEdit()->setText(user);
    editor->passwordEdit()->setText(password);
    QTest::mouseClick(editor->testConnectionButton(), Qt::LeftButton);
    if (!waitFor([&] { return !editor->isTestingConnection(); }, 60'000))
        return QStringLiteral("(still testing)");
    if (!editor->testConnectionButton()->isEnabled())
        return QStringLiteral("(button still busy)");
    return editor->connectionResultLabel()->text();
}

void TestConnectionTest::webDavRightPasswordConnects()
{
    PairEditor *editor = m_dialog->editor();
    editor->remoteUrlEdit()->setText(davUrl());
    editor->userEdit()->setText(m_apache->user());
    editor->passwordEdit()->setText(m_apache->password());
    QTest::mouseClick(editor->testConnectionButton(), Qt::LeftButton);
    // Busy while the request is out; the GUI thread keeps running meanwhile.
    QVERIFY(editor->isTestingConnection());
    QVERIFY(!editor->testConnectionButton()->isEnabled());
    QVERIFY(waitFor([&] { return !editor->isTestingConnection(); }, 60'000));
    QVERIFY(editor->testConnectionButton()->isEnabled());
    const QString shown = editor->connectionResultLabel()->text();
    QVERIFY2(shown.startsWith(QStringLiteral("Connected: the server accepted the login and the "
                                             "WebDAV folder exists")),
             qPrintable(shown));
    // Testing stores nothing.
    QVERIFY(m_manager->sessions().isEmpty());
    QVERIFY(!QFile::exists(m_env->settingsFile()));
}

void TestConnectionTest::webDavWrongPasswordIsRefused()
{
    const QString shown = runTest(davUrl(), m_apache->user(), QStringLiteral("not-the-password"));
    QVERIFY2(shown.startsWith(QStringLiteral("Wrong user or password")), qPrintable(shown));
    const QString noPassword = runTest(davUrl(), m_apache->user());
    QVERIFY2(noPassword.startsWith(QStringLiteral("Wrong user or password")),
             qPrintable(noPassword));
}

void TestConnectionTest::stoppedServerIsUnreachable()
{
    QString error;
    auto stopped = WebDavServer::start(WebDavServer::Kind::Apache, &error);
    QVERIFY2(stopped, qPrintable(error));
    const QUrl url = stopped->url();
    const QString user = stopped->user();
    const QString password = stopped->password();
    QCOMPARE(runTest(url.toString(), user, password).left(10), QStringLiteral("Connected:"));
    stopped.reset();
    const QString shown = runTest(url.toString(), user, password);
    QVERIFY2(
        shown.startsWith(QStringLiteral("Server unreachable: no answer from http://127.0.0.1:%1")
                             .arg(url.port())),
        qPrintable(shown));
}

void TestConnectionTest::missingCollectionIsNotFound()
{
    const QString shown =
        runTest(davUrl(QStringLiteral("missing/")), m_apache->user(), m_apache->password());
    QVERIFY2(shown.startsWith(QStringLiteral("Folder not found: %1 does not exist on the server")
                                  .arg(davUrl(QStringLiteral("missing/")))),
             qPrintable(shown));
    // Deeper: the parent is missing too.
    const QString deeper =
        runTest(davUrl(QStringLiteral("a/b/")), m_apache->user(), m_apache->password());
    QVERIFY2(deeper.startsWith(QStringLiteral("Folder not found:")), qPrintable(deeper));
}

void TestConnectionTest::fileIsNotACollection()
{
    test::writeFile(m_apache->dataDirectory(), QStringLiteral("notes.txt"), "just a file\n");
    const QString shown =
        runTest(davUrl(QStringLiteral("notes.txt")), m_apache->user(), m_apache->password());
    QVERIFY2(shown.startsWith(QStringLiteral("Not a WebDAV collection:")), qPrintable(shown));
    QVERIFY(QFile::remove(m_apache->dataDirectory() + QStringLiteral("/notes.txt")));
}

void TestConnectionTest::existingFolderConnects()
{
    const QString folder = m_env->home() + QStringLiteral("/nas-share");
    QVERIFY(QDir().mkpath(folder));
    const QString shown = runTest(QUrl::fromLocalFile(folder).toString());
    QVERIFY2(shown.startsWith(QStringLiteral("Connected: the folder exists and can be read")),
             qPrintable(shown));
}

void TestConnectionTest::missingFolderIsNotFound()
{
    const QString folder = m_env->home() + QStringLiteral("/unmounted-nas");
    const QString shown = runTest(QUrl::fromLocalFile(folder).toString());
    QVERIFY2(shown.startsWith(QStringLiteral("Folder not found: %1 does not exist").arg(folder)),
             qPrintable(shown));
}

void TestConnectionTest::untrustedCertificateIsNamed()
{
    // A self-signed certificate made for this run: no authority this computer trusts signed it.
    QTemporaryDir directory;
    QProcess openssl;
    openssl.setWorkingDirectory(directory.path());
    openssl.start(QStringLiteral("openssl"),
                  {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                   QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                   QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes"),
                   QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"),
                   QStringLiteral("/CN=127.0.0.1"), QStringLiteral("-addext"),
                   QStringLiteral("subjectAltName=IP:127.0.0.1"), QStringLiteral("-keyout"),
                   QStringLiteral("key.pem"), QStringLiteral("-out"), QStringLiteral("cert.pem")});
    QVERIFY(openssl.waitForFinished(60'000));
    QCOMPARE(openssl.exitCode(), 0);
    test::HostileWebDavServer server;
    QVERIFY(server.startTls(QSslCertificate(test::readFile(directory.filePath("cert.pem"))),
                            QSslKey(test::readFile(directory.filePath("key.pem")), QSsl::Ec)));
    server.setHandler([](const test::HostileWebDavServer::Request &) {
        return test::HostileWebDavServer::reply(test::HostileWebDavServer::response(401));
    });
    const QString shown =
        runTest(server.collectionUrl().toString(), QStringLiteral("alice"), QStringLiteral("pw"));
    QVERIFY2(shown.startsWith(QStringLiteral("Certificate not trusted:")), qPrintable(shown));
    QCOMPARE(server.requestCount(), 0); // nothing was sent over the untrusted connection
}

void TestConnectionTest::silentServerTimesOut()
{
    // Accepts connections and never answers.
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost));
    m_dialog->editor()->setConnectionTestTimeout(1500);
    const QString url = QStringLiteral("http://127.0.0.1:%1/dav/").arg(silent.serverPort());
    const QString shown = runTest(url, QStringLiteral("alice"), QStringLiteral("pw"));
    QVERIFY2(shown.startsWith(QStringLiteral("Server unreachable:")), qPrintable(shown));
}

void TestConnectionTest::closingTheDialogCancelsTheTest()
{
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost));
    PairEditor *editor = m_dialog->editor();
    editor->remoteUrlEdit()->setText(
        QStringLiteral("http://127.0.0.1:%1/dav/").arg(silent.serverPort()));
    QTest::mouseClick(editor->testConnectionButton(), Qt::LeftButton);
    QVERIFY(waitFor([&] { return silent.hasPendingConnections(); }, 30'000));
    QTcpSocket *request = silent.nextPendingConnection();
    QVERIFY(editor->isTestingConnection());

    // The typed URL is not saved: Close asks first (issue 15, item 4); Discard closes.
    bool asked = false;
    QTimer::singleShot(0, this, [&asked] {
        if (auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget())) {
            asked = true;
            box->button(QMessageBox::Discard)->click();
        }
    });
    m_dialog->reject();
    QVERIFY(asked);
    QVERIFY(!m_dialog->isVisible());
    QVERIFY(!editor->isTestingConnection());
    QVERIFY(editor->testConnectionButton()->isEnabled());
    // The request is dropped: the client closes its connection.
    QVERIFY(waitFor([&] { return request->state() == QAbstractSocket::UnconnectedState; }, 30'000));
    QVERIFY(editor->connectionResultLabel()->text().isEmpty());
}

int main(int argc, char **argv)
{
    test::UiTestEnvironment environment;
    QApplication app(argc, argv);
    TestConnectionTest test(&environment);
    return QTest::qExec(&test, argc, argv);
}

#include "tst_connectiontest.moc"
