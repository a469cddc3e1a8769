#include "activitymodel.h"
#include "conflictreviewdialog.h"
#include "dashboardwindow.h"
#include "pairmanager.h"
#include "pairsession.h"
#include "uitestenvironment.h"
#include "versionpanel.h"
#include "versionsmodel.h"
#include "versionsview.h"

#include "testutil.h"

#include <QApplication>
#include <QCheckBox>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QTextEdit>
#include <QTimer>
#include <QTreeWidget>

using namespace steadysync;
using steadysync::test::readFile;
using steadysync::test::waitFor;
using steadysync::test::writeFile;

namespace {

constexpr int Timeout = 60'000;

QStringList shownFiles(const VersionsModel *model)
{
    QStringList paths;
    for (int row = 0; row < model->rowCount(); ++row)
        paths.append(model->fileAt(row)->path);
    paths.sort();
    return paths;
}

// The versions listed for the file selected in view, as (reason, size) texts, newest first.
QStringList listedReasons(const VersionsView &view)
{
    QStringList reasons;
    for (int i = 0; i < view.versionList()->topLevelItemCount(); ++i)
        reasons.append(view.versionList()->topLevelItem(i)->text(1));
    return reasons;
}

bool selectFile(VersionsView &view, const QString &path)
{
    const int row = view.filesModel()->rowOf(path);
    if (row < 0)
        return false;
    view.fileList()->selectRow(row);
    return view.currentFilePath() == path;
}

// Emits widget's context menu request at point and chooses "Show Versions" from the menu.
bool chooseShowVersions(QObject *context, QWidget *widget, const QPoint &at)
{
    bool chosen = false;
    QTimer::singleShot(0, context, [&chosen] {
        auto *menu = qobject_cast<QMenu *>(QApplication::activePopupWidget());
        if (!menu)
            return;
        for (QAction *action : menu->actions())
            if (action->text() == DashboardWindow::tr("Show Versions")) {
                chosen = true;
                action->trigger();
            }
        menu->close();
    });
    Q_EMIT widget->customContextMenuRequested(at);
    return chosen;
}

bool restoreAndWait(VersionsView &view, QPushButton *button)
{
    QSignalSpy finished(&view, &VersionsView::restoreFinished);
    button->click();
    return waitFor([&] { return !finished.isEmpty(); }, Timeout) &&
           finished.constFirst().constFirst().toBool();
}

} // namespace

// Issue 17, deliverable 5: the versions the client kept could be reached only from the
// command line. A pair whose engine kept versions for three reasons (a download over a local
// file, a remote delete, a conflict the server's side won) shows them in the app.
class TestUiVersions : public QObject
{
    Q_OBJECT
public:
    explicit TestUiVersions(test::UiTestEnvironment *environment) : m_env(environment) {}

private Q_SLOTS:
    void initTestCase();
    void viewListsEachReasonWithPreview();
    void searchAndDeletedFilterNarrowTheList();
    void restoreBringsTheContentBackAndSyncsIt();
    void restoreToWritesElsewhere();
    void keptOnServerRestoresThroughThePair();
    void activityRowOpensTheViewOnItsFile();
    void failedItemOpensTheViewOnItsFile();
    void conflictDialogAsksForTheFilesVersions();

private:
    test::UiTestEnvironment *m_env;
    std::unique_ptr<PairManager> m_manager;
    PairConfig m_pair;
    QString m_remote;
};

void TestUiVersions::initTestCase()
{
    m_pair = m_env->makePair(QStringLiteral("Papers"), ConflictPolicy::RemoteWins);
    m_remote = test::UiTestEnvironment::remoteDir(m_pair);
    QImage picture(16, 16, QImage::Format_RGB32);
    picture.fill(Qt::red);
    QVERIFY(picture.save(m_pair.localRoot + QStringLiteral("/picture.png")));
    writeFile(m_pair.localRoot, QStringLiteral("notes.txt"), "first draft\n");
    writeFile(m_pair.localRoot, QStringLiteral("gone.txt"), "bye\n");
    writeFile(m_pair.localRoot, QStringLiteral("clash.txt"), "mine\n");
    m_manager = std::make_unique<PairManager>(PairStore(m_env->settingsFile()));
    PairSession *session = m_manager->addOrUpdate(m_pair);
    QVERIFY(waitFor(
        [&] {
            return QFile::exists(m_remote + QStringLiteral("/clash.txt")) &&
                   QFile::exists(m_remote + QStringLiteral("/picture.png")) &&
                   session->status().trackedFiles >= 4;
        },
        Timeout));
    m_manager->remove(m_pair.id);
    // While the app is off: the server gets a new notes.txt, a new picture, loses gone.txt,
    // and both sides change clash.txt (the server's side wins by policy).
    writeFile(m_remote, QStringLiteral("notes.txt"), "second draft from the server\n");
    picture.fill(Qt::blue);
    QVERIFY(picture.save(m_remote + QStringLiteral("/picture.png"), "PNG", 0));
    QVERIFY(QFile::remove(m_remote + QStringLiteral("/gone.txt")));
    writeFile(m_pair.localRoot, QStringLiteral("clash.txt"), "mine, edited here\n");
    writeFile(m_remote, QStringLiteral("clash.txt"), "theirs, edited on the server\n");
    m_manager->addOrUpdate(m_pair);
    const QString local = m_pair.localRoot + QLatin1Char('/');
    QVERIFY(waitFor(
        [&] {
            return readFile(local + QStringLiteral("notes.txt")) ==
                       "second draft from the server\n" &&
                   readFile(local + QStringLiteral("clash.txt")) ==
                       "theirs, edited on the server\n" &&
                   !QFile::exists(local + QStringLiteral("gone.txt")) &&
                   QImage(local + QStringLiteral("picture.png")).pixelColor(0, 0) == Qt::blue;
        },
        Timeout));
}

void TestUiVersions::viewListsEachReasonWithPreview()
{
    VersionsView view(m_pair.displayName(), m_pair.localRoot);
    view.show();
    QVERIFY(waitFor([&] { return view.loaded(); }, Timeout));
    const QStringList files{"clash.txt", "gone.txt", "notes.txt", "picture.png"};
    QCOMPARE(shownFiles(view.filesModel()), files);

    QVERIFY(selectFile(view, QStringLiteral("notes.txt")));
    QCOMPARE(listedReasons(view),
             QStringList{VersionsModel::reasonText(VersionReason::Overwritten)});
    QCOMPARE(view.versionList()->topLevelItem(0)->text(2), QLocale().formattedDataSize(12));
    QVERIFY(waitFor([&] { return view.previewLoaded(); }, Timeout));
    QVERIFY(view.previewPanel()->findChild<QTextEdit *>()->toPlainText().contains(
        QStringLiteral("first draft")));

    QVERIFY(selectFile(view, QStringLiteral("gone.txt")));
    QCOMPARE(listedReasons(view),
             QStringList{VersionsModel::reasonText(VersionReason::DeletedRemotely)});
    QVERIFY(selectFile(view, QStringLiteral("clash.txt")));
    QCOMPARE(listedReasons(view), QStringList{VersionsModel::reasonText(VersionReason::Conflict)});
    QVERIFY(waitFor([&] { return view.previewLoaded(); }, Timeout));
    QVERIFY(view.previewPanel()->findChild<QTextEdit *>()->toPlainText().contains(
        QStringLiteral("mine, edited here")));

    // Images preview as images: the kept picture is the red one.
    QVERIFY(selectFile(view, QStringLiteral("picture.png")));
    QVERIFY(waitFor([&] { return view.previewLoaded(); }, Timeout));
    const QList<QLabel *> labels = view.previewPanel()->findChildren<QLabel *>();
    const auto shown = std::find_if(labels.cbegin(), labels.cend(),
                                    [](const QLabel *label) { return !label->pixmap().isNull(); });
    QVERIFY(shown != labels.cend());
    QCOMPARE((*shown)->pixmap().toImage().pixelColor(4, 4), QColor(Qt::red));
}

void TestUiVersions::searchAndDeletedFilterNarrowTheList()
{
    VersionsView view(m_pair.displayName(), m_pair.localRoot);
    QVERIFY(waitFor([&] { return view.loaded(); }, Timeout));
    view.searchBox()->setText(QStringLiteral("CLASH"));
    QCOMPARE(shownFiles(view.filesModel()), QStringList{"clash.txt"});
    view.searchBox()->setText(QStringLiteral(".txt"));
    QCOMPARE(shownFiles(view.filesModel()), (QStringList{"clash.txt", "gone.txt", "notes.txt"}));
    view.deletedOnlyBox()->setChecked(true);
    QCOMPARE(shownFiles(view.filesModel()), QStringList{"gone.txt"});
    view.searchBox()->setText(QStringLiteral("notes"));
    QCOMPARE(view.filesModel()->rowCount(), 0);
    view.searchBox()->clear();
    QCOMPARE(shownFiles(view.filesModel()), QStringList{"gone.txt"});
}

void TestUiVersions::restoreBringsTheContentBackAndSyncsIt()
{
    DashboardWindow dashboard(m_manager.get());
    VersionsView *view = dashboard.showVersions(m_pair.id, QStringLiteral("notes.txt"));
    QVERIFY(view);
    QVERIFY(waitFor([&] { return view->loaded(); }, Timeout));
    QCOMPARE(view->currentFilePath(), QStringLiteral("notes.txt"));
    QVERIFY(restoreAndWait(*view, view->restoreButton()));
    const QString local = m_pair.localRoot + QStringLiteral("/notes.txt");
    QCOMPARE(readFile(local), QByteArray("first draft\n"));
    // The server's draft it replaced is kept as a version first, listed once re-read.
    QVERIFY(waitFor([&] { return view->loaded() && view->versionList()->topLevelItemCount() == 2; },
                    Timeout));
    // The restored file syncs up like any local change.
    QVERIFY(waitFor(
        [&] { return readFile(m_remote + QStringLiteral("/notes.txt")) == "first draft\n"; },
        Timeout));
    QCOMPARE(readFile(local), QByteArray("first draft\n"));
}

void TestUiVersions::restoreToWritesElsewhere()
{
    VersionsView view(m_pair.displayName(), m_pair.localRoot);
    const QString destination = m_env->home() + QStringLiteral("/recovered/gone-again.txt");
    QString suggested;
    view.setDestinationChooser([&](QWidget *, const QString &offered) {
        suggested = offered;
        return destination;
    });
    QVERIFY(waitFor([&] { return view.loaded(); }, Timeout));
    QVERIFY(selectFile(view, QStringLiteral("gone.txt")));
    QVERIFY(restoreAndWait(view, view.restoreToButton()));
    QVERIFY(suggested.endsWith(QStringLiteral("/gone.txt")));
    QCOMPARE(readFile(destination), QByteArray("bye\n"));
    QVERIFY(!QFile::exists(m_pair.localRoot + QStringLiteral("/gone.txt")));
}

// Issue 17, deliverable 2 in the app: a version the pair kept on the server (remote-side
// versions) is restored from the Versions view through the running pair, which has the
// credentials; before, the view only named the command line.
void TestUiVersions::keptOnServerRestoresThroughThePair()
{
    PairConfig pair = m_env->makePair(QStringLiteral("Kept"));
    pair.remoteVersions = true;
    const QString remote = test::UiTestEnvironment::remoteDir(pair);
    writeFile(pair.localRoot, QStringLiteral("plan.txt"), "plan A\n");
    m_manager->addOrUpdate(pair);
    QVERIFY(waitFor([&] { return readFile(remote + QStringLiteral("/plan.txt")) == "plan A\n"; },
                    Timeout));
    writeFile(pair.localRoot, QStringLiteral("plan.txt"), "plan B, much longer\n");
    QVERIFY(waitFor(
        [&] { return readFile(remote + QStringLiteral("/plan.txt")) == "plan B, much longer\n"; },
        Timeout));

    DashboardWindow dashboard(m_manager.get());
    VersionsView *view = dashboard.showVersions(pair.id, QStringLiteral("plan.txt"));
    QVERIFY(view);
    QVERIFY(waitFor([&] { return view->loaded() && view->versionList()->topLevelItemCount() == 1; },
                    Timeout));
    QVERIFY(restoreAndWait(*view, view->restoreButton()));
    QCOMPARE(readFile(pair.localRoot + QStringLiteral("/plan.txt")), QByteArray("plan A\n"));
    // It syncs up like any local change.
    QVERIFY(waitFor([&] { return readFile(remote + QStringLiteral("/plan.txt")) == "plan A\n"; },
                    Timeout));
    m_manager->remove(pair.id);
}

void TestUiVersions::activityRowOpensTheViewOnItsFile()
{
    DashboardWindow dashboard(m_manager.get());
    dashboard.activityModel()->addItem(m_pair.displayName(), QStringLiteral("clash.txt"),
                                       ActionKind::Download, true, {}, m_pair.localRoot);
    dashboard.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dashboard));
    QTableView *activity = dashboard.activityView();
    activity->window()->findChild<QTabWidget *>()->setCurrentWidget(activity->parentWidget());
    QVERIFY(waitFor([&] { return activity->isVisible(); }, 5000));
    // The row's context menu, as the user gets it: "Show Versions" is chosen from it.
    const QRect cell = activity->visualRect(activity->model()->index(0, ActivityModel::PathColumn));
    QVERIFY(chooseShowVersions(this, activity, cell.center()));
    VersionsView *view = dashboard.versionsView();
    QVERIFY(view);
    QVERIFY(waitFor([&] { return view->loaded(); }, Timeout));
    QCOMPARE(view->currentFilePath(), QStringLiteral("clash.txt"));
    QCOMPARE(shownFiles(view->filesModel()), QStringList{"clash.txt"});
    QCOMPARE(listedReasons(*view), QStringList{VersionsModel::reasonText(VersionReason::Conflict)});
}

void TestUiVersions::failedItemOpensTheViewOnItsFile()
{
    DashboardWindow dashboard(m_manager.get());
    dashboard.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dashboard));
    QTreeWidget *failed = dashboard.failedList();
    failed->window()->findChild<QTabWidget *>()->setCurrentWidget(failed->parentWidget());
    QVERIFY(waitFor([&] { return failed->isVisible() && dashboard.detailsLoaded(); }, Timeout));
    // A row as the journal's retry queue fills it (only the file column matters here).
    auto *row = new QTreeWidgetItem(failed, {QStringLiteral("gone.txt")});
    QVERIFY(chooseShowVersions(this, failed, failed->visualItemRect(row).center()));
    VersionsView *view = dashboard.versionsView();
    QVERIFY(view);
    QVERIFY(waitFor([&] { return view->loaded(); }, Timeout));
    QCOMPARE(view->currentFilePath(), QStringLiteral("gone.txt"));
    QCOMPARE(listedReasons(*view),
             QStringList{VersionsModel::reasonText(VersionReason::DeletedRemotely)});
}

void TestUiVersions::conflictDialogAsksForTheFilesVersions()
{
    ConflictRecord conflict;
    conflict.path = QStringLiteral("clash.txt");
    conflict.localCopy = QStringLiteral("clash.txt");
    conflict.remoteCopy = QStringLiteral("clash.txt");
    ConflictReviewDialog dialog(m_manager->session(m_pair.id), {conflict});
    QSignalSpy requested(&dialog, &ConflictReviewDialog::versionsRequested);
    dialog.versionsButton()->click();
    QCOMPARE(requested.size(), 1);
    QCOMPARE(requested.constFirst().constFirst().toString(), QStringLiteral("clash.txt"));
}

int main(int argc, char **argv)
{
    test::UiTestEnvironment environment;
    QApplication app(argc, argv);
    TestUiVersions test(&environment);
    return QTest::qExec(&test, argc, argv);
}

#include "tst_uiversions.moc"
