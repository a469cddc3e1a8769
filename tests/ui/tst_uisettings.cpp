#include "appcontroller.h"
#include "autostartentry.h"
#include "dashboardwindow.h"
#include "firstrundialog.h"
#include "paireditor.h"
#include "pairmanager.h"
#include "settingsdialog.h"
#include "uitestenvironment.h"

#include "testutil.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QProcess>
#include <QPushButton>
#include <QRadioButton>
#include <QTest>
#include <QTimer>

using namespace steadysync;
using steadysync::test::readFile;
using steadysync::test::waitFor;

class TestUiSettings : public QObject
{
    Q_OBJECT
public:
    explicit TestUiSettings(test::UiTestEnvironment *environment) : m_env(environment) {}

private Q_SLOTS:
    void cleanup();
    void pairStoreRoundTripsWithoutPasswords();
    void settingsDialogAddsEditsAndRemovesPairs();
    void settingsDialogRejectsBadInput();
    void scheduleSettingsAreCheckedAndKept();
    void unsavedChangesAreNotThrownAway();
    void settingsRowsStayPutWhenMessagesAppear();
    void startAtLoginWritesAutostartEntry();
    void firstStartOffersDefaultPair();
    void firstStartConnectsToAServer();
    void massDeletionAsksFirst();
    void versionOptionPrintsVersion();
    void languageOptionTranslates();

private:
    test::UiTestEnvironment *m_env;
};

void TestUiSettings::cleanup()
{
    QFile::remove(m_env->settingsFile());
}

void TestUiSettings::pairStoreRoundTripsWithoutPasswords()
{
    PairStore store(m_env->settingsFile());
    PairConfig first = m_env->makePair(QStringLiteral("one"), ConflictPolicy::Ask);
    first.user = QStringLiteral("alice");
    first.remoteUrl = QUrl(QStringLiteral("https://alice:secret@dav.example/files/"));
    first.bwLimitUpKiB = 512;
    PairConfig second = m_env->makePair(QStringLiteral("two"), ConflictPolicy::RemoteWins);
    second.debounceMs = 2500;
    second.pauseOnBatteryBelow = 25;
    second.syncWindow = QStringLiteral("Mon-Fri 19:00-07:00,Sat-Sun 00:00-24:00");
    second.bandwidthTimetable = QStringLiteral("08:00,512k:1M 19:00,off");
    store.save({first, second});

    const QVector<PairConfig> loaded = store.load();
    QCOMPARE(loaded.size(), 2);
    QCOMPARE(loaded[0].remoteUrl, QUrl(QStringLiteral("https://alice@dav.example/files/")));
    first.remoteUrl = loaded[0].remoteUrl;
    QCOMPARE(loaded[0], first);
    QCOMPARE(loaded[1], second);
    QVERIFY(!readFile(m_env->settingsFile()).contains("secret"));
    QCOMPARE(m_env->settingsFile(), PairStore::defaultFilePath());
}

void TestUiSettings::settingsDialogAddsEditsAndRemovesPairs()
{
    PairManager manager{PairStore(m_env->settingsFile())};
    AutostartEntry autostart(QStringLiteral("/usr/bin/steadysync"));
    SettingsDialog dialog(&manager, autostart);
    const PairConfig pair = m_env->makePair(QStringLiteral("settings"));

    dialog.addPair();
    dialog.editor()->localFolderEdit()->setText(pair.localRoot);
    dialog.editor()->remoteUrlEdit()->setText(pair.remoteUrl.toString());
    QVERIFY(dialog.saveCurrentPair());
    QCOMPARE(manager.sessions().size(), 1);
    QCOMPARE(dialog.pairList()->count(), 1);
    QCOMPARE(PairStore(m_env->settingsFile()).load().size(), 1);
    // The pair runs: its engine creates the journal.
    QVERIFY(waitFor([&] { return QFile::exists(Journal::databasePath(pair.localRoot)); }, 30'000));

    QComboBox *policy = dialog.editor()->conflictPolicyBox();
    policy->setCurrentIndex(policy->findData(int(ConflictPolicy::Ask)));
    QVERIFY(dialog.saveCurrentPair());
    QCOMPARE(manager.sessions().size(), 1);
    QCOMPARE(manager.sessions().constFirst()->config().conflictPolicy, ConflictPolicy::Ask);
    QCOMPARE(PairStore(m_env->settingsFile()).load().constFirst().conflictPolicy,
             ConflictPolicy::Ask);

    dialog.removeCurrentPair();
    QVERIFY(manager.sessions().isEmpty());
    QVERIFY(PairStore(m_env->settingsFile()).load().isEmpty());
    QVERIFY(QFile::exists(pair.localRoot)); // removing a pair deletes nothing
}

void TestUiSettings::settingsDialogRejectsBadInput()
{
    PairManager manager{PairStore(m_env->settingsFile())};
    AutostartEntry autostart(QStringLiteral("/usr/bin/steadysync"));
    SettingsDialog dialog(&manager, autostart);
    dialog.addPair();
    dialog.editor()->localFolderEdit()->setText(QStringLiteral("relative/folder"));
    dialog.editor()->remoteUrlEdit()->setText(QStringLiteral("file:///tmp/remote"));
    QVERIFY(!dialog.saveCurrentPair());
    dialog.editor()->localFolderEdit()->setText(m_env->home() + QStringLiteral("/x"));
    dialog.editor()->remoteUrlEdit()->setText(QStringLiteral("ftp://server/dir"));
    QVERIFY(!dialog.saveCurrentPair());
    QVERIFY(manager.sessions().isEmpty());
}

// Issue 20, schedules: the pair's sync window and bandwidth timetable are refused with the
// reason when they do not parse, and reach the store and the engine's options when they do.
void TestUiSettings::scheduleSettingsAreCheckedAndKept()
{
    PairManager manager{PairStore(m_env->settingsFile())};
    AutostartEntry autostart(QStringLiteral("/usr/bin/steadysync"));
    SettingsDialog dialog(&manager, autostart);
    const PairConfig pair = m_env->makePair(QStringLiteral("scheduled"));
    dialog.addPair();
    PairEditor *editor = dialog.editor();
    editor->localFolderEdit()->setText(pair.localRoot);
    editor->remoteUrlEdit()->setText(pair.remoteUrl.toString());
    editor->syncWindowEdit()->setText(QStringLiteral("22:00-25:00"));
    QVERIFY(editor->validationError().contains(QStringLiteral("The sync window is not valid")));
    QVERIFY(!dialog.saveCurrentPair());
    editor->syncWindowEdit()->setText(QStringLiteral("22:00-06:00"));
    editor->bandwidthTimetableEdit()->setText(QStringLiteral("08:00,fast"));
    QVERIFY(editor->validationError().contains(QStringLiteral("\"fast\" is not a rate")));
    QVERIFY(!dialog.saveCurrentPair());
    editor->bandwidthTimetableEdit()->setText(QStringLiteral("08:00,512k 19:00,off"));
    QVERIFY(dialog.saveCurrentPair());

    const QVector<PairConfig> stored = PairStore(m_env->settingsFile()).load();
    QCOMPARE(stored.size(), 1);
    QCOMPARE(stored[0].syncWindow, QStringLiteral("22:00-06:00"));
    QCOMPARE(stored[0].bandwidthTimetable, QStringLiteral("08:00,512k 19:00,off"));
    const EngineOptions options = stored[0].engineOptions();
    QCOMPARE(options.syncWindow.spec(), QStringLiteral("22:00-06:00"));
    QVERIFY(!options.bandwidthTimetable.isEmpty());
}

namespace {

// Answers the next modal "unsaved changes" question with button; asked tells whether it came.
void answerUnsavedQuestion(QObject *context, QMessageBox::StandardButton button, bool *asked)
{
    *asked = false;
    QTimer::singleShot(0, context, [button, asked] {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        if (!box || box->objectName() != QStringLiteral("unsavedChanges"))
            return;
        *asked = true;
        box->button(button)->click();
    });
}

} // namespace

// Issue 15, item 4: edits were thrown away without a word on Close and when another pair was
// selected. Now the dialog asks: Save, Discard or Cancel.
void TestUiSettings::unsavedChangesAreNotThrownAway()
{
    const PairConfig first = m_env->makePair(QStringLiteral("keepfirst"));
    const PairConfig second = m_env->makePair(QStringLiteral("keepsecond"));
    PairStore(m_env->settingsFile()).save({first, second});
    PairManager manager{PairStore(m_env->settingsFile())};
    manager.startAll();
    AutostartEntry autostart(QStringLiteral("/usr/bin/steadysync"));
    SettingsDialog dialog(&manager, autostart);
    dialog.show();
    QComboBox *policy = dialog.editor()->conflictPolicyBox();
    const auto storedPolicy = [&](int index) {
        return PairStore(m_env->settingsFile()).load().at(index).conflictPolicy;
    };
    QCOMPARE(dialog.pairList()->currentRow(), 0);
    policy->setCurrentIndex(policy->findData(int(ConflictPolicy::Ask)));

    bool asked = false;
    answerUnsavedQuestion(this, QMessageBox::Cancel, &asked);
    dialog.pairList()->setCurrentRow(1);
    QVERIFY(asked);
    QCOMPARE(dialog.pairList()->currentRow(), 0); // Cancel: still editing the first pair
    QCOMPARE(policy->currentData().toInt(), int(ConflictPolicy::Ask));

    answerUnsavedQuestion(this, QMessageBox::Save, &asked);
    dialog.pairList()->setCurrentRow(1);
    QVERIFY(asked);
    QCOMPARE(storedPolicy(0), ConflictPolicy::Ask);
    QCOMPARE(dialog.pairList()->currentRow(), 1);
    QCOMPARE(dialog.editor()->localFolderEdit()->text(), second.localRoot);

    policy->setCurrentIndex(policy->findData(int(ConflictPolicy::RemoteWins)));
    answerUnsavedQuestion(this, QMessageBox::Cancel, &asked);
    dialog.reject(); // Close
    QVERIFY(asked);
    QVERIFY(dialog.isVisible());
    answerUnsavedQuestion(this, QMessageBox::Discard, &asked);
    dialog.reject();
    QVERIFY(asked);
    QVERIFY(!dialog.isVisible());
    QCOMPARE(storedPolicy(1), ConflictPolicy::KeepBoth);

    // Nothing changed: no question.
    dialog.show();
    answerUnsavedQuestion(this, QMessageBox::Cancel, &asked);
    dialog.pairList()->setCurrentRow(0);
    dialog.reject();
    QVERIFY(!asked);
    QVERIFY(!dialog.isVisible());
}

// Issue 15, item 4: the rows below Test Connection jumped when its result appeared, and Save
// Pair moved when a message appeared. Space is kept for both.
void TestUiSettings::settingsRowsStayPutWhenMessagesAppear()
{
    PairManager manager{PairStore(m_env->settingsFile())};
    AutostartEntry autostart(QStringLiteral("/usr/bin/steadysync"));
    SettingsDialog dialog(&manager, autostart);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    dialog.addPair();
    PairEditor *editor = dialog.editor();
    const auto yOf = [&](QWidget *widget) {
        QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
        return widget->mapTo(&dialog, QPoint()).y();
    };
    const int policyY = yOf(editor->conflictPolicyBox());
    const int saveY = yOf(dialog.saveButton());

    editor->localFolderEdit()->setText(m_env->home() + QStringLiteral("/LayoutLocal"));
    editor->remoteUrlEdit()->setText(
        QUrl::fromLocalFile(m_env->home() + QStringLiteral("/a-remote-folder-that-is-not-there"))
            .toString());
    editor->testConnection();
    QVERIFY(waitFor([&] { return !editor->isTestingConnection(); }, 30'000));
    QVERIFY2(editor->connectionResultLabel()->text().startsWith(QStringLiteral("Folder not found")),
             qPrintable(editor->connectionResultLabel()->text()));
    QCOMPARE(yOf(editor->conflictPolicyBox()), policyY);

    editor->localFolderEdit()->setText(QStringLiteral("relative/folder"));
    QVERIFY(!dialog.saveCurrentPair());
    QVERIFY(!dialog.messageLabel()->text().isEmpty());
    QCOMPARE(yOf(dialog.saveButton()), saveY);
    QCOMPARE(yOf(editor->conflictPolicyBox()), policyY);
}

void TestUiSettings::startAtLoginWritesAutostartEntry()
{
    PairManager manager{PairStore(m_env->settingsFile())};
    AutostartEntry autostart(QStringLiteral("/opt/steadysync/bin/steadysync"));
    SettingsDialog dialog(&manager, autostart);
    const QString entry = m_env->home() + QStringLiteral("/.config/autostart/steadysync.desktop");
    QCOMPARE(AutostartEntry::filePath(), entry);
    QVERIFY(!dialog.startAtLoginBox()->isChecked());

    dialog.startAtLoginBox()->setChecked(true);
    QVERIFY(readFile(entry).contains("Exec=\"/opt/steadysync/bin/steadysync\""));
    QVERIFY(readFile(entry).contains("[Desktop Entry]"));
    dialog.startAtLoginBox()->setChecked(false);
    QVERIFY(!QFile::exists(entry));
}

void TestUiSettings::firstStartOffersDefaultPair()
{
    AppController controller{PairStore(m_env->settingsFile())};
    bool offered = false;
    QTimer::singleShot(0, this, [&] {
        auto *dialog = qobject_cast<FirstRunDialog *>(QApplication::activeModalWidget());
        offered = dialog != nullptr;
        if (dialog)
            dialog->accept();
    });
    controller.start();
    QVERIFY(offered);
    const PairConfig expected = PairConfig::defaultPair();
    QCOMPARE(expected.localRoot, m_env->home() + QStringLiteral("/Steadysync"));
    QCOMPARE(expected.remoteUrl.toLocalFile(),
             m_env->home() + QStringLiteral("/.local/share/steadysync/remote"));
    QCOMPARE(controller.pairManager()->sessions().size(), 1);
    QVERIFY(QFileInfo(expected.remoteUrl.toLocalFile()).isDir());
    // No tray under the offscreen platform: the dashboard is the way in.
    QVERIFY(controller.dashboard()->isVisible());

    test::writeFile(expected.localRoot, QStringLiteral("hello.txt"), "hi\n");
    QVERIFY(
        waitFor([&] { return readFile(expected.remoteUrl.toLocalFile() + "/hello.txt") == "hi\n"; },
                30'000));
}

// Issue 15, item 12: the first run offered only the same-disk default, and after it nothing
// visible happened. Now it offers a server (tested, its missing folder created on request)
// and opens the dashboard on the new pair. A file:// "server" keeps the keychain out of it.
void TestUiSettings::firstStartConnectsToAServer()
{
    const QString serverRoot = m_env->home() + QStringLiteral("/Server");
    QVERIFY(QDir().mkpath(serverRoot));
    const QString remote = serverRoot + QStringLiteral("/steadysync-new");
    const QString local = m_env->home() + QStringLiteral("/FromServer");
    AppController controller{PairStore(m_env->settingsFile())};
    QStringList steps; // what the dialog showed, in order
    QTimer::singleShot(0, this, [&] {
        auto *dialog = qobject_cast<FirstRunDialog *>(QApplication::activeModalWidget());
        if (!dialog)
            return;
        PairEditor *editor = dialog->serverEditor();
        const auto tested = [&] {
            waitFor([&] { return !editor->isTestingConnection(); }, 30'000);
            return editor->connectionResultLabel()->text().section(QLatin1Char(':'), 0, 0);
        };
        dialog->serverChoice()->click();
        editor->localFolderEdit()->setText(local);
        editor->remoteUrlEdit()->setText(QUrl::fromLocalFile(remote).toString());
        QTest::mouseClick(editor->testConnectionButton(), Qt::LeftButton);
        steps << tested();
        if (dialog->createFolderButton()->isEnabled()) {
            QTest::mouseClick(dialog->createFolderButton(), Qt::LeftButton);
            waitFor([&] { return QFileInfo(remote).isDir(); }, 30'000);
            waitFor(
                [&] {
                    return !editor->connectionResultLabel()->text().startsWith(
                        QStringLiteral("Folder not found"));
                },
                30'000);
            steps << tested();
        }
        dialog->accept();
    });
    controller.start();
    QCOMPARE(steps, (QStringList{QStringLiteral("Folder not found"), QStringLiteral("Connected")}));
    QCOMPARE(controller.pairManager()->sessions().size(), 1);
    const PairConfig pair = controller.pairManager()->sessions().constFirst()->config();
    QCOMPARE(pair.localRoot, local);
    QCOMPARE(pair.remoteUrl, QUrl::fromLocalFile(remote));
    QVERIFY(controller.dashboard()->isVisible());
    QCOMPARE(controller.dashboard()->selectedPairId(), pair.id);

    test::writeFile(local, QStringLiteral("first.txt"), "from the first run\n");
    QVERIFY(
        waitFor([&] { return readFile(remote + "/first.txt") == "from the first run\n"; }, 30'000));
}

void TestUiSettings::massDeletionAsksFirst()
{
    const PairConfig pair = m_env->makePair(QStringLiteral("massdelete"));
    const QString remote = test::UiTestEnvironment::remoteDir(pair);
    for (int i = 0; i < 12; ++i)
        test::writeFile(pair.localRoot, QStringLiteral("file%1.txt").arg(i), "content\n");
    PairStore(m_env->settingsFile()).save({pair});
    AppController controller{PairStore(m_env->settingsFile())};
    controller.start();
    PairSession *session = controller.pairManager()->sessions().constFirst();
    QVERIFY(waitFor([&] { return session->status().trackedFiles == 12; }, 30'000));
    QVERIFY(waitFor([&] { return QDir(remote).entryList(QDir::Files).size() == 12; }, 30'000));

    // Paused, so that the engine sees all deletions in one cycle.
    session->pause();
    QVERIFY(waitFor([&] { return session->isPaused(); }, 30'000));
    for (int i = 0; i < 12; ++i)
        QVERIFY(QFile::remove(pair.localRoot + QStringLiteral("/file%1.txt").arg(i)));
    session->resume();
    QVERIFY(waitFor([&] { return controller.massDeleteQuestion() != nullptr; }, 30'000));
    QCOMPARE(QDir(remote).entryList(QDir::Files).size(), 12); // nothing deleted before asking

    controller.massDeleteQuestion()
        ->findChild<QPushButton *>(QStringLiteral("deleteOtherSide"))
        ->click();
    QVERIFY(waitFor([&] { return QDir(remote).entryList(QDir::Files).isEmpty(); }, 30'000));
}

void TestUiSettings::versionOptionPrintsVersion()
{
    QProcess process;
    process.start(QStringLiteral(STEADYSYNC_GUI_BINARY), {QStringLiteral("--version")});
    QVERIFY(process.waitForFinished(30'000));
    QCOMPARE(process.exitCode(), 0);
    QCOMPARE(process.readAllStandardOutput().trimmed(),
             QByteArray("steadysync " STEADYSYNC_VERSION));
}

void TestUiSettings::languageOptionTranslates()
{
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(STEADYSYNC_GUI_BINARY),
                  {QStringLiteral("--lang"), QStringLiteral("fr"), QStringLiteral("--help")});
    QVERIFY(process.waitForFinished(30'000));
    QCOMPARE(process.exitCode(), 0);
    QVERIFY2(
        process.readAllStandardOutput().contains("Synchronisation de dossiers dans les deux sens"),
        "the help text is not in French");
}

int main(int argc, char **argv)
{
    test::UiTestEnvironment environment;
    QApplication app(argc, argv);
    TestUiSettings test(&environment);
    return QTest::qExec(&test, argc, argv);
}

#include "tst_uisettings.moc"
