#include "appcontroller.h"
#include "autostartentry.h"
#include "dashboardwindow.h"
#include "firstrundialog.h"
#include "paireditor.h"
#include "pairmanager.h"
#include "settingsdialog.h"
#include "uitestenvironment.h"

#include "journal/journal.h"
#include "remote/credentialstore.h"
#include "testutil.h"
#include "webdavserver.h"

#include <QApplication>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QRadioButton>
#include <QTest>
#include <QTimer>

using namespace steadysync;
using steadysync::test::readFile;
using steadysync::test::waitFor;
using steadysync::test::WebDavServer;

// A WebDAV pair added through the settings dialog, under a real Secret Service (ctest runs
// this inside tests/support/with-keyring.sh) and a real Apache with basic auth.
class TestUiKeychain : public QObject
{
    Q_OBJECT
public:
    explicit TestUiKeychain(test::UiTestEnvironment *environment) : m_env(environment) {}

private Q_SLOTS:
    void addedPairKeepsPasswordInKeychainAndSyncs();
    void wrongThenRightPasswordSavedAgainAndAgain();
    void aFailedStoreIsShown();
    void aStoredPasswordIsShownAsStored();
    void firstRunConnectsToApache();

private:
    test::UiTestEnvironment *m_env;
};

void TestUiKeychain::addedPairKeepsPasswordInKeychainAndSyncs()
{
    QString error;
    auto apache = WebDavServer::start(WebDavServer::Kind::Apache, &error);
    QVERIFY2(apache, qPrintable(error));
    const QUrl url = apache->url();
    const Result<QString> before = CredentialStore().readPassword(url, apache->user());
    QVERIFY2(!before.ok(), qPrintable(before.ok() ? *before : QString()));
    QVERIFY2(before.error().kind == ErrorKind::NotFound, qPrintable(before.error().message));

    PairManager manager{PairStore(m_env->settingsFile())};
    AutostartEntry autostart(QStringLiteral("/usr/bin/steadysync"));
    SettingsDialog dialog(&manager, autostart);
    dialog.show();
    const QString local = m_env->home() + QStringLiteral("/Documents");
    QVERIFY(QDir().mkpath(local));
    test::writeFile(local, QStringLiteral("report.txt"), "quarterly numbers\n");

    dialog.addPair();
    PairEditor *editor = dialog.editor();
    editor->localFolderEdit()->setText(local);
    editor->remoteUrlEdit()->setText(url.toString());
    editor->userEdit()->setText(apache->user());
    editor->passwordEdit()->setText(apache->password());
    QVERIFY(dialog.saveCurrentPair());
    QVERIFY(waitFor([&] { return manager.sessions().size() == 1; }, 60'000));

    const Result<QString> stored = CredentialStore().readPassword(url, apache->user());
    QVERIFY2(stored.ok(), qPrintable(stored.ok() ? QString() : stored.error().message));
    QCOMPARE(*stored, apache->password());
    const QByteArray settings = readFile(m_env->settingsFile());
    QVERIFY(settings.contains(apache->user().toUtf8()));
    QVERIFY2(!settings.contains(apache->password().toUtf8()), "the password is in the INI file");

    // The engine logs in with the keychain's password: the file reaches Apache.
    const QString onServer = apache->dataDirectory() + QStringLiteral("/report.txt");
    QVERIFY2(waitFor([&] { return readFile(onServer) == "quarterly numbers\n"; }, 60'000),
             qPrintable(engineStateName(manager.sessions().constFirst()->status().state)));
    QVERIFY(!readFile(Journal::databasePath(local)).contains(apache->password().toUtf8()));

    // Editing the saved pair with the password field left empty tests the stored password.
    QCOMPARE(editor->remoteUrlEdit()->text(), url.toString());
    QVERIFY(editor->passwordEdit()->text().isEmpty());
    QTest::mouseClick(editor->testConnectionButton(), Qt::LeftButton);
    QVERIFY(waitFor([&] { return !editor->isTestingConnection(); }, 60'000));
    const QString shown = editor->connectionResultLabel()->text();
    QVERIFY2(shown.startsWith(QStringLiteral("Connected:")), qPrintable(shown));
}

// Issue 15, case 1: Save Pair with a wrong, then the right password, a few times, crashed the
// app (keychain jobs from several pool threads at once) or left "Saving the password in the
// keychain…" on screen for good. Each save must end with its outcome shown, the last password
// typed must be the one kept, and the pair must sync with it.
void TestUiKeychain::wrongThenRightPasswordSavedAgainAndAgain()
{
    QString error;
    auto apache = WebDavServer::start(WebDavServer::Kind::Apache, &error);
    QVERIFY2(apache, qPrintable(error));
    PairManager manager{PairStore(m_env->settingsFile())};
    AutostartEntry autostart(QStringLiteral("/usr/bin/steadysync"));
    SettingsDialog dialog(&manager, autostart);
    dialog.show();
    const QString local = m_env->home() + QStringLiteral("/Again");
    QVERIFY(QDir().mkpath(local));
    test::writeFile(local, QStringLiteral("again.txt"), "kept\n");

    dialog.addPair();
    PairEditor *editor = dialog.editor();
    editor->localFolderEdit()->setText(local);
    editor->remoteUrlEdit()->setText(apache->url().toString());
    editor->userEdit()->setText(apache->user());
    const QString saving = QStringLiteral("Saving the password in the keychain…");
    for (int round = 0; round < 8; ++round) {
        for (const QString &password :
             {QStringLiteral("wrong-%1").arg(round), apache->password()}) {
            QVERIFY(waitFor([&] { return dialog.saveButton()->isEnabled(); }, 30'000));
            editor->passwordEdit()->setText(password);
            QTest::mouseClick(dialog.saveButton(), Qt::LeftButton);
            // Meanwhile the restarted pair and a connection test read the keychain.
            QTest::mouseClick(editor->testConnectionButton(), Qt::LeftButton);
        }
    }
    QVERIFY(waitFor([&] { return dialog.saveButton()->isEnabled(); }, 30'000));
    QVERIFY2(dialog.messageLabel()->text() != saving, "the save never ended");
    QCOMPARE(dialog.messageLabel()->text(),
             QStringLiteral("The password is saved in the keychain."));
    QCOMPARE(manager.sessions().size(), 1);
    const Result<QString> stored = CredentialStore().readPassword(apache->url(), apache->user());
    QVERIFY2(stored.ok(), qPrintable(stored.ok() ? QString() : stored.error().message));
    QCOMPARE(*stored, apache->password());
    const QString onServer = apache->dataDirectory() + QStringLiteral("/again.txt");
    QVERIFY(waitFor([&] { return readFile(onServer) == "kept\n"; }, 60'000));
}

// Without a Secret Service the store fails: the dialog says so in words (the technical reason
// in the tooltip) instead of leaving its progress line.
void TestUiKeychain::aFailedStoreIsShown()
{
    const QByteArray bus = qgetenv("DBUS_SESSION_BUS_ADDRESS");
    const QByteArray runtime = qgetenv("XDG_RUNTIME_DIR");
    qunsetenv("DBUS_SESSION_BUS_ADDRESS");
    qputenv("XDG_RUNTIME_DIR", m_env->home().toUtf8() + "/no-runtime");
    PairManager manager{PairStore(m_env->settingsFile())};
    AutostartEntry autostart(QStringLiteral("/usr/bin/steadysync"));
    SettingsDialog dialog(&manager, autostart);
    dialog.show();
    const QString local = m_env->home() + QStringLiteral("/NoKeychain");
    QVERIFY(QDir().mkpath(local));
    dialog.addPair();
    dialog.editor()->localFolderEdit()->setText(local);
    dialog.editor()->remoteUrlEdit()->setText(QStringLiteral("http://127.0.0.1:9/dav/"));
    dialog.editor()->userEdit()->setText(QStringLiteral("alice"));
    dialog.editor()->passwordEdit()->setText(QStringLiteral("secret"));
    QVERIFY(dialog.saveCurrentPair());
    const bool ended = waitFor([&] { return !dialog.isSaving(); }, 30'000);
    qputenv("DBUS_SESSION_BUS_ADDRESS", bus);
    qputenv("XDG_RUNTIME_DIR", runtime);
    QVERIFY(ended);
    QVERIFY2(dialog.messageLabel()->text().startsWith(
                 QStringLiteral("The password could not be saved in the keychain.")),
             qPrintable(dialog.messageLabel()->text()));
    QVERIFY2(dialog.messageLabel()->toolTip().contains(QStringLiteral("D-Bus")),
             qPrintable(dialog.messageLabel()->toolTip()));
}

// Issue 15, item 4: an edited pair's password field is empty (the password is never shown),
// which read as "no password". The editor says that one is stored, without revealing it.
void TestUiKeychain::aStoredPasswordIsShownAsStored()
{
    PairConfig withPassword = m_env->makePair(QStringLiteral("stored"));
    withPassword.remoteUrl = QUrl(QStringLiteral("http://127.0.0.1:9/stored/"));
    withPassword.user = QStringLiteral("bob");
    PairConfig without = m_env->makePair(QStringLiteral("nopassword"));
    without.remoteUrl = QUrl(QStringLiteral("http://127.0.0.1:9/none/"));
    without.user = QStringLiteral("carol");
    const QString secret = QStringLiteral("hunter2-stored");
    const Status stored =
        CredentialStore().storePassword(withPassword.remoteUrl, withPassword.user, secret);
    QVERIFY2(stored.ok(), qPrintable(stored.ok() ? QString() : stored.error().message));
    PairStore(m_env->settingsFile()).save({withPassword, without});
    PairManager manager{PairStore(m_env->settingsFile())};
    manager.startAll(); // port 9 never answers: only the form matters here
    AutostartEntry autostart(QStringLiteral("/usr/bin/steadysync"));
    SettingsDialog dialog(&manager, autostart);
    dialog.show();
    QLabel *state = dialog.editor()->passwordStateLabel();
    const QString storedText =
        QStringLiteral("A password is stored in the keychain. Type a new one only to replace it.");
    QVERIFY2(waitFor([&] { return state->text() == storedText; }, 30'000),
             qPrintable(state->text()));
    QVERIFY(dialog.editor()->passwordEdit()->text().isEmpty());
    for (const QLabel *label : dialog.findChildren<QLabel *>())
        QVERIFY(!label->text().contains(secret) && !label->toolTip().contains(secret));

    dialog.pairList()->setCurrentRow(1);
    QVERIFY2(waitFor(
                 [&] {
                     return state->text() ==
                            QStringLiteral("No password is stored in the keychain yet.");
                 },
                 30'000),
             qPrintable(state->text()));
    QVERIFY(!dialog.editor()->isModified());
}

// Issue 15, item 12, against a real server: the first run tests Apache with the typed
// password, creates the missing folder (MKCOL), keeps the password in the keychain, and the
// new pair syncs.
void TestUiKeychain::firstRunConnectsToApache()
{
    QString error;
    auto apache = WebDavServer::start(WebDavServer::Kind::Apache, &error);
    QVERIFY2(apache, qPrintable(error));
    const QUrl url = apache->url().resolved(QUrl(QStringLiteral("fromfirstrun/")));
    const QString local = m_env->home() + QStringLiteral("/FirstRun");
    QFile::remove(m_env->settingsFile());
    AppController controller{PairStore(m_env->settingsFile())};
    QStringList steps;
    QTimer::singleShot(0, this, [&] {
        auto *dialog = qobject_cast<FirstRunDialog *>(QApplication::activeModalWidget());
        if (!dialog)
            return;
        PairEditor *editor = dialog->serverEditor();
        const auto tested = [&] {
            waitFor([&] { return !editor->isTestingConnection(); }, 60'000);
            return editor->connectionResultLabel()->text().section(QLatin1Char(':'), 0, 0);
        };
        dialog->serverChoice()->click();
        editor->localFolderEdit()->setText(local);
        editor->remoteUrlEdit()->setText(url.toString());
        editor->userEdit()->setText(apache->user());
        editor->passwordEdit()->setText(apache->password());
        editor->testConnection();
        steps << tested();
        if (dialog->createFolderButton()->isEnabled()) {
            QTest::mouseClick(dialog->createFolderButton(), Qt::LeftButton);
            waitFor(
                [&] {
                    return editor->connectionResultLabel()->text().startsWith(
                        QStringLiteral("Connected"));
                },
                60'000);
            steps << tested();
        }
        dialog->accept();
    });
    controller.start();
    QCOMPARE(steps, (QStringList{QStringLiteral("Folder not found"), QStringLiteral("Connected")}));
    QVERIFY(waitFor([&] { return controller.pairManager()->sessions().size() == 1; }, 60'000));
    const Result<QString> stored = CredentialStore().readPassword(url, apache->user());
    QVERIFY2(stored.ok(), qPrintable(stored.ok() ? QString() : stored.error().message));
    QCOMPARE(*stored, apache->password());
    QVERIFY(controller.dashboard()->isVisible());
    test::writeFile(local, QStringLiteral("hello.txt"), "over WebDAV\n");
    const QString onServer = apache->dataDirectory() + QStringLiteral("/fromfirstrun/hello.txt");
    QVERIFY(waitFor([&] { return readFile(onServer) == "over WebDAV\n"; }, 60'000));
}

int main(int argc, char **argv)
{
    test::UiTestEnvironment environment;
    QApplication app(argc, argv);
    TestUiKeychain test(&environment);
    return QTest::qExec(&test, argc, argv);
}

#include "tst_uikeychain.moc"
