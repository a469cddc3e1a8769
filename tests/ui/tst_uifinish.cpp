#include "activitymodel.h"
#include "autostartentry.h"
#include "conflictreviewdialog.h"
#include "dashboardwindow.h"
#include "firstrundialog.h"
#include "journalreader.h"
#include "massdeletequestion.h"
#include "pairmanager.h"
#include "pairsession.h"
#include "settingsdialog.h"
#include "textfit.h"
#include "translationloader.h"
#include "traycontroller.h"
#include "uitestenvironment.h"
#include "versionpanel.h"
#include "versionsview.h"

#include "versions/versionstore.h"

#include "sync/massdeleteguard.h"
#include "testutil.h"

#include <QApplication>
#include <QCheckBox>
#include <QDir>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QRadioButton>
#include <QTabWidget>
#include <QTest>
#include <QTreeWidget>

#include <functional>

using namespace steadysync;
using steadysync::test::waitFor;
using steadysync::test::writeFile;

namespace {

constexpr int Timeout = 60'000;

QString screenshotDir()
{
    const QString fromEnvironment = qEnvironmentVariable("STEADYSYNC_SCREENSHOT_DIR");
    return fromEnvironment.isEmpty() ? QStringLiteral(STEADYSYNC_SCREENSHOT_DIR) : fromEnvironment;
}

} // namespace

// Issue 15, item 11: text cut or clipped in German and French, English standard buttons,
// checksums shown to users, "Keep Local" as the Enter default, "Remote" beside "server". Every
// window of the app in each language, at its default size.
class TestUiFinish : public QObject
{
    Q_OBJECT
public:
    explicit TestUiFinish(test::UiTestEnvironment *environment) : m_env(environment) {}

private Q_SLOTS:
    void initTestCase();
    void everyWindowFitsItsText_data();
    void everyWindowFitsItsText();
    void conflictDialogHidesChecksumsAndKeepsBoth();
    void standardButtonsAreTranslated();

private:
    // Shows the window at its default size, checks its text (every tab), saves a picture.
    void inspect(QWidget *window, const QString &name, QStringList *problems);
    void inspectDashboards(QStringList *problems);
    void inspectTrayMenu(QStringList *problems);
    ConflictReviewDialog *newConflictDialog();

    test::UiTestEnvironment *m_env;
    std::unique_ptr<PairManager> m_manager;
    PairSession *m_session = nullptr;
    QVector<ConflictRecord> m_conflicts;
    QString m_language;
};

void TestUiFinish::initTestCase()
{
    QGuiApplication::setApplicationDisplayName(QStringLiteral("Steadysync")); // as the app

    QVERIFY(QDir().mkpath(screenshotDir()));
    // A pair with a synced file and an open conflict, for the dashboard and the dialog.
    PairConfig pair = m_env->makePair(QStringLiteral("Documents"), ConflictPolicy::Ask);
    const QString remote = test::UiTestEnvironment::remoteDir(pair);
    writeFile(pair.localRoot, QStringLiteral("notes.txt"), "base\n");
    writeFile(pair.localRoot, QStringLiteral("reports/2026/summary.txt"), "figures\n");
    m_manager = std::make_unique<PairManager>(PairStore(m_env->settingsFile()));
    PairSession *session = m_manager->addOrUpdate(pair);
    QVERIFY(waitFor([&] { return session->status().trackedFiles >= 2; }, Timeout));
    m_manager->remove(pair.id);
    writeFile(pair.localRoot, QStringLiteral("notes.txt"), "base\nchanged on this computer\n");
    writeFile(remote, QStringLiteral("notes.txt"), "base\nchanged on the server\n");
    m_session = m_manager->addOrUpdate(pair);
    QVERIFY(waitFor([&] { return m_session->status().openConflicts == 1; }, Timeout));
    m_conflicts = JournalReader::read(pair.localRoot, 0, 0).conflicts;
    QCOMPARE(m_conflicts.size(), 1);
    // A version of each reason, for the Versions view's words.
    Result<std::unique_ptr<VersionStore>> store = VersionStore::open(pair.localRoot);
    QVERIFY(store);
    for (const VersionReason reason :
         {VersionReason::Overwritten, VersionReason::DeletedRemotely, VersionReason::Conflict,
          VersionReason::Unselected, VersionReason::RemoteOverwritten})
        QVERIFY((*store)->save({pair.localRoot + QStringLiteral("/reports/2026/summary.txt"),
                                QStringLiteral("reports/2026/summary.txt"), reason,
                                QStringLiteral("local"), VersionStore::SaveMode::Snapshot}));
}

void TestUiFinish::inspect(QWidget *window, const QString &name, QStringList *problems)
{
    window->show();
    QVERIFY(QTest::qWaitForWindowExposed(window));
    QCoreApplication::processEvents();
    *problems += test::clippedTexts(window);
    // The window manager shows "TITLE — Steadysync" unless the title ends with the name
    // (QPlatformWindow::formatWindowTitle): a title that names it elsewhere says it twice.
    const QString appName = QGuiApplication::applicationDisplayName();
    const QString title = window->windowTitle();
    if (title.contains(appName) && !title.endsWith(appName))
        *problems += QStringLiteral("%1: the title \"%2\" repeats the name").arg(name, title);
    // Every tab of a tab widget (the dashboard's activity, failed items, conflicts), each
    // with a picture of its own: NAME-tabN-LANG.png.
    const QList<QTabWidget *> tabs = window->findChildren<QTabWidget *>();
    for (QTabWidget *tabWidget : tabs) {
        for (int tab = 1; tab < tabWidget->count(); ++tab) {
            tabWidget->setCurrentIndex(tab);
            QCoreApplication::processEvents();
            *problems += test::clippedTexts(window);
            const QString file = QStringLiteral("%1/%2-tab%3-%4.png")
                                     .arg(screenshotDir(), name)
                                     .arg(tab)
                                     .arg(m_language);
            QVERIFY2(window->grab().save(file), qPrintable(file));
        }
        tabWidget->setCurrentIndex(0);
    }
    QCoreApplication::processEvents();
    const QString file = QStringLiteral("%1/%2-%3.png").arg(screenshotDir(), name, m_language);
    QVERIFY2(window->grab().save(file), qPrintable(file));
}

ConflictReviewDialog *TestUiFinish::newConflictDialog()
{
    return new ConflictReviewDialog(m_session, m_conflicts);
}

void TestUiFinish::everyWindowFitsItsText_data()
{
    QTest::addColumn<QString>("language");
    QTest::newRow("English") << QStringLiteral("en");
    QTest::newRow("German") << QStringLiteral("de");
    QTest::newRow("French") << QStringLiteral("fr");
}

void TestUiFinish::inspectDashboards(QStringList *problems)
{
    DashboardWindow dashboard(m_manager.get());
    // Rows of every kind: the fitted columns must hold their longest words.
    ActivityModel *activity = dashboard.activityModel();
    for (const ActionKind kind :
         {ActionKind::Upload, ActionKind::Download, ActionKind::MakeRemoteDir,
          ActionKind::MakeLocalDir, ActionKind::DeleteRemote, ActionKind::DeleteLocal,
          ActionKind::MoveRemote, ActionKind::MoveLocal, ActionKind::UpdateJournal,
          ActionKind::Forget})
        activity->addItem(QStringLiteral("Documents"), QStringLiteral("reports/2026/summary.txt"),
                          kind, true, {});
    activity->addConflict(QStringLiteral("Documents"), {}, QStringLiteral("notes.txt"),
                          ConflictPolicy::LocalWins);
    activity->addResolution(QStringLiteral("Documents"), {}, QStringLiteral("notes.txt"),
                            ConflictChoice::KeepRemote, true, {});
    QVERIFY(waitFor([&] { return dashboard.conflictList()->topLevelItemCount() == 1; }, Timeout));
    inspect(&dashboard, QStringLiteral("dashboard"), problems);

    // Before any pair: the "nothing synced yet" line and the charts' "No data yet".
    PairManager noPairs{PairStore(m_env->home() + QStringLiteral("/no-pairs.conf"))};
    DashboardWindow emptyDashboard(&noPairs);
    inspect(&emptyDashboard, QStringLiteral("dashboard-empty"), problems);
}

void TestUiFinish::inspectTrayMenu(QStringList *problems)
{
    TrayController tray(m_manager.get());
    QMenu *menu = tray.menu();
    menu->popup(QPoint(40, 40));
    QVERIFY(QTest::qWaitForWindowExposed(menu));
    const QString file = QStringLiteral("%1/tray-menu-%2.png").arg(screenshotDir(), m_language);
    QVERIFY2(menu->grab().save(file), qPrintable(file));
    for (QAction *action : menu->actions()) {
        if (!action->isSeparator() && menu->fontMetrics().horizontalAdvance(action->text()) >
                                          menu->actionGeometry(action).width())
            problems->append(QStringLiteral("tray menu: %1").arg(action->text()));
    }
    menu->hide();
}

void TestUiFinish::everyWindowFitsItsText()
{
    QFETCH(QString, language);
    m_language = language;
    const QLocale locale(language);
    QLocale::setDefault(locale);
    TranslationLoader translations;
    QCOMPARE(translations.install(locale), language != QStringLiteral("en"));
    QStringList problems;

    inspectDashboards(&problems);
    inspectTrayMenu(&problems);

    const AutostartEntry autostart;
    SettingsDialog settings(m_manager.get(), autostart);
    inspect(&settings, QStringLiteral("settings"), &problems);

    std::unique_ptr<ConflictReviewDialog> conflict(newConflictDialog());
    conflict->show();
    QVERIFY(waitFor([&] { return conflict->factsLoaded(); }, Timeout));
    inspect(conflict.get(), QStringLiteral("conflict-dialog"), &problems);
    conflict->detailsBox()->click();
    QCoreApplication::processEvents();
    inspect(conflict.get(), QStringLiteral("conflict-dialog-details"), &problems);

    VersionsView versions(QStringLiteral("Documents"), m_session->config().localRoot);
    versions.showFile(QStringLiteral("reports/2026/summary.txt"));
    QVERIFY(waitFor([&] { return versions.loaded() && versions.previewLoaded(); }, Timeout));
    versions.statusLabel()->setText(
        VersionsView::tr("Restored to %1.").arg(QStringLiteral("/home/user/reports/summary.txt")));
    inspect(&versions, QStringLiteral("versions"), &problems);

    FirstRunDialog firstRun(PairConfig::defaultPair());
    inspect(&firstRun, QStringLiteral("first-run"), &problems);
    firstRun.serverChoice()->click();
    QCoreApplication::processEvents();
    inspect(&firstRun, QStringLiteral("first-run-server"), &problems);

    MassDeleteVerdict verdict;
    verdict.blocked = true;
    verdict.trackedFiles = 1250;
    verdict.remoteDeletes = 1180;
    std::unique_ptr<QMessageBox> question(
        createMassDeleteQuestion(verdict, QStringLiteral("Documents"), nullptr));
    inspect(question.get(), QStringLiteral("mass-delete"), &problems);

    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
}

void TestUiFinish::conflictDialogHidesChecksumsAndKeepsBoth()
{
    std::unique_ptr<ConflictReviewDialog> dialog(newConflictDialog());
    dialog->show();
    QVERIFY(waitFor([&] { return dialog->factsLoaded(); }, Timeout));
    // Users compare size, date and content; the SHA-256 is a detail on request.
    QVERIFY(!dialog->localPanel()->detailsVisible());
    QVERIFY(!dialog->remotePanel()->detailsVisible());
    QVERIFY(dialog->detailsBox()->isVisible());
    dialog->detailsBox()->click();
    QVERIFY(dialog->localPanel()->detailsVisible());
    QVERIFY(dialog->remotePanel()->detailsVisible());
    QCOMPARE(dialog->localPanel()->checksumText().size(), 64);
    // Enter keeps both versions, the choice that discards nothing.
    QVERIFY(dialog->keepBothButton()->isDefault());
    QVERIFY(!dialog->keepLocalButton()->isDefault());
    QVERIFY(!dialog->keepRemoteButton()->isDefault());
}

// "Close", "Yes", "No" stayed English without Qt's own translations (qt6-translations-l10n).
void TestUiFinish::standardButtonsAreTranslated()
{
    TranslationLoader translations;
    QVERIFY(translations.install(QLocale(QLocale::German)));
    QMessageBox box(QMessageBox::Question, QStringLiteral("t"), QStringLiteral("t"),
                    QMessageBox::Yes | QMessageBox::No | QMessageBox::Close);
    QCOMPARE(box.button(QMessageBox::Yes)->text().remove(QLatin1Char('&')), QStringLiteral("Ja"));
    QCOMPARE(box.button(QMessageBox::No)->text().remove(QLatin1Char('&')), QStringLiteral("Nein"));
    QCOMPARE(box.button(QMessageBox::Close)->text().remove(QLatin1Char('&')),
             QStringLiteral("Schließen"));
}

int main(int argc, char **argv)
{
    test::UiTestEnvironment environment;
    QApplication app(argc, argv);
    TestUiFinish test(&environment);
    return QTest::qExec(&test, argc, argv);
}

#include "tst_uifinish.moc"
