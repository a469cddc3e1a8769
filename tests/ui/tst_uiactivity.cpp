#include "activityfilter.h"
#include "activitymodel.h"
#include "dashboardwindow.h"
#include "pairmanager.h"
#include "pairsession.h"
#include "uitestenvironment.h"

#include "testutil.h"

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QHeaderView>
#include <QLineEdit>
#include <QTableView>
#include <QTest>

using namespace steadysync;
using steadysync::test::waitFor;
using steadysync::test::writeFile;

namespace {

constexpr int Timeout = 60'000;

QStringList shownPaths(const QAbstractItemModel *model)
{
    QStringList paths;
    for (int row = 0; row < model->rowCount(); ++row)
        paths.append(model->index(row, ActivityModel::PathColumn).data().toString());
    return paths;
}

// The first row of the model about path with the given action, as (action, result).
std::optional<std::pair<QString, QString>> rowOf(const QAbstractItemModel *model,
                                                 const QString &path, const QString &action)
{
    for (int row = 0; row < model->rowCount(); ++row) {
        const QString shown = model->index(row, ActivityModel::ActionColumn).data().toString();
        if (model->index(row, ActivityModel::PathColumn).data().toString() == path &&
            shown == action)
            return std::pair{shown,
                             model->index(row, ActivityModel::ResultColumn).data().toString()};
    }
    return std::nullopt;
}

bool inSync(const PairSession *session)
{
    const StatusSnapshot &status = session->status();
    return status.state == EngineState::Idle && status.pending == 0 && status.lastSyncMs > 0;
}

} // namespace

// Issue 15, item 9: a narrow path column, no search or filter, double-click did nothing,
// conflict rows said "OK", resolutions were not logged, and "Syncing 2730 of 5000" sat beside
// "Pending 4,305".
class TestUiActivity : public QObject
{
    Q_OBJECT
public:
    explicit TestUiActivity(test::UiTestEnvironment *environment) : m_env(environment) {}

private Q_SLOTS:
    void searchAndFilterNarrowTheRows();
    void pathColumnTakesTheRoom();
    void doubleClickOpensTheFileOrItsFolder();
    void conflictsAndResolutionsAreLogged();
    void ownDownloadsAreNotCountedAsPending();

private:
    test::UiTestEnvironment *m_env;
    int m_counter = 0;
};

void TestUiActivity::searchAndFilterNarrowTheRows()
{
    PairManager manager{PairStore(m_env->settingsFile())};
    DashboardWindow dashboard(&manager);
    ActivityModel *model = dashboard.activityModel();
    model->addItem("Work", "docs/report.txt", ActionKind::Upload, true, {});
    model->addItem("Work", "docs/old.txt", ActionKind::DeleteRemote, true, {});
    model->addItem("Work", "video.bin", ActionKind::Upload, false, "PUT failed: HTTP 507");
    model->addConflict("Work", {}, "notes.txt", ConflictPolicy::KeepBoth);
    const QAbstractItemModel *shown = dashboard.activityView()->model();
    QCOMPARE(shown->rowCount(), 4);

    dashboard.activitySearch()->setText(QStringLiteral("DOCS/"));
    QCOMPARE(shownPaths(shown), (QStringList{"docs/old.txt", "docs/report.txt"}));
    dashboard.activitySearch()->clear();

    dashboard.activityShow()->setCurrentIndex(int(ActivityFilter::Show::Errors));
    QCOMPARE(shownPaths(shown), QStringList{"video.bin"});
    dashboard.activityShow()->setCurrentIndex(int(ActivityFilter::Show::Conflicts));
    QCOMPARE(shownPaths(shown), QStringList{"notes.txt"});
    dashboard.activityShow()->setCurrentIndex(int(ActivityFilter::Show::Deleted));
    QCOMPARE(shownPaths(shown), QStringList{"docs/old.txt"});
    dashboard.activitySearch()->setText(QStringLiteral("report"));
    QCOMPARE(shown->rowCount(), 0);
    dashboard.activityShow()->setCurrentIndex(int(ActivityFilter::Show::All));
    QCOMPARE(shownPaths(shown), QStringList{"docs/report.txt"});
}

void TestUiActivity::pathColumnTakesTheRoom()
{
    PairManager manager{PairStore(m_env->settingsFile())};
    DashboardWindow dashboard(&manager);
    ActivityModel *model = dashboard.activityModel();
    model->addItem("Work", "projects/2026/budget/forecast-q3-final.xlsx", ActionKind::Upload, true,
                   {});
    // A long error message does not take the path's room.
    model->addItem("Work", "video.bin", ActionKind::Upload, false,
                   "PUT failed: Connection closed by the server after 12582912 of 62914560 bytes "
                   "(http://127.0.0.1:8080/dav/files/alice/video.bin)");
    dashboard.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dashboard));
    QTableView *view = dashboard.activityView();
    view->window()->findChild<QTabWidget *>()->setCurrentWidget(view->parentWidget());
    QVERIFY(waitFor([&] { return view->isVisible(); }, 5000));
    const int pathWidth = view->columnWidth(ActivityModel::PathColumn);
    for (int column = 0; column < ActivityModel::ColumnCount; ++column)
        QVERIFY2(view->columnWidth(column) <= pathWidth,
                 qPrintable(QStringLiteral("column %1: %2 vs path %3")
                                .arg(column)
                                .arg(view->columnWidth(column))
                                .arg(pathWidth)));
    // The path is shown whole, and the columns fit the view (no sideways scrolling).
    const QString path = model->index(1, ActivityModel::PathColumn).data().toString();
    QVERIFY(view->fontMetrics().horizontalAdvance(path) < pathWidth);
    QVERIFY2(view->horizontalHeader()->length() <= view->viewport()->width(),
             qPrintable(QString::number(view->horizontalHeader()->length())));
}

void TestUiActivity::doubleClickOpensTheFileOrItsFolder()
{
    PairManager manager{PairStore(m_env->settingsFile())};
    DashboardWindow dashboard(&manager);
    QList<QUrl> opened;
    dashboard.setUrlOpener([&](const QUrl &url) {
        opened.append(url);
        return true;
    });
    const PairConfig pair = m_env->makePair(QStringLiteral("opener"));
    writeFile(pair.localRoot, QStringLiteral("docs/report.txt"), "figures\n");
    PairSession *session = manager.addOrUpdate(pair);
    QVERIFY(waitFor([&] { return inSync(session); }, Timeout));
    dashboard.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dashboard));
    QTableView *view = dashboard.activityView();
    view->window()->findChild<QTabWidget *>()->setCurrentWidget(view->parentWidget());
    QVERIFY(waitFor([&] { return view->isVisible() && view->model()->rowCount() > 0; }, Timeout));
    dashboard.activitySearch()->setText(QStringLiteral("report"));
    QCOMPARE(view->model()->rowCount(), 1);

    const QModelIndex row = view->model()->index(0, ActivityModel::PathColumn);
    const QPoint centre = view->visualRect(row).center();
    // A double click is a press, a release, then the double-click press.
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, centre);
    QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, centre);
    const QString file = QDir(pair.localRoot).absoluteFilePath(QStringLiteral("docs/report.txt"));
    QCOMPARE(opened, QList<QUrl>{QUrl::fromLocalFile(file)});
    dashboard.openActivity(row, DashboardWindow::OpenTarget::ContainingFolder);
    QCOMPARE(opened.constLast(), QUrl::fromLocalFile(QFileInfo(file).absolutePath()));
}

void TestUiActivity::conflictsAndResolutionsAreLogged()
{
    PairManager manager{PairStore(m_env->settingsFile())};
    DashboardWindow dashboard(&manager);
    const QAbstractItemModel *rows = dashboard.activityModel();

    // By policy (keep both, settled within the cycle), then by the user (ask).
    for (const ConflictPolicy policy : {ConflictPolicy::KeepBoth, ConflictPolicy::Ask}) {
        PairConfig pair = m_env->makePair(QStringLiteral("conflicts%1").arg(++m_counter), policy);
        const QString remote = test::UiTestEnvironment::remoteDir(pair);
        writeFile(pair.localRoot, QStringLiteral("notes.txt"), "base\n");
        PairSession *session = manager.addOrUpdate(pair);
        QVERIFY(waitFor([&] { return inSync(session); }, Timeout));
        manager.remove(pair.id);
        writeFile(pair.localRoot, QStringLiteral("notes.txt"), "base\nchanged here\n");
        writeFile(remote, QStringLiteral("notes.txt"), "base\nchanged on the server\n");
        session = manager.addOrUpdate(pair);
        const QString expected = policy == ConflictPolicy::KeepBoth
                                     ? ActivityModel::tr("Both versions kept; the older one as "
                                                         "a conflict copy")
                                     : ActivityModel::tr("Waiting for your choice");
        QVERIFY(waitFor(
            [&] {
                const auto row = rowOf(rows, "notes.txt", ActivityModel::tr("Conflict"));
                return row && row->second == expected;
            },
            Timeout));
        QVERIFY(rowOf(rows, "notes.txt", ActivityModel::tr("Conflict"))->second !=
                ActivityModel::tr("OK"));
        if (policy != ConflictPolicy::Ask)
            continue;
        // By the user, as the review dialog does it.
        QVERIFY(waitFor([&] { return session->status().openConflicts == 1; }, Timeout));
        session->resolveConflict(QStringLiteral("notes.txt"), ConflictChoice::KeepLocal);
        QVERIFY(waitFor(
            [&] {
                const auto row = rowOf(rows, "notes.txt", ActivityModel::tr("Conflict resolved"));
                return row && row->second == ActivityModel::tr("You kept this computer's version");
            },
            Timeout));
        dashboard.activityShow()->setCurrentIndex(int(ActivityFilter::Show::Conflicts));
        QVERIFY(dashboard.activityView()->model()->rowCount() >= 2);
        dashboard.activityShow()->setCurrentIndex(int(ActivityFilter::Show::All));
    }
}

// The client's own downloads come back from the watcher as changed paths; they were counted
// as pending, so pending (and "Syncing X of Y") grew past the files the cycle had to move.
void TestUiActivity::ownDownloadsAreNotCountedAsPending()
{
    PairConfig pair = m_env->makePair(QStringLiteral("downloads"));
    pair.debounceMs = 50;
    constexpr int Files = 600;
    const QString remote = test::UiTestEnvironment::remoteDir(pair);
    for (int i = 0; i < Files; ++i)
        writeFile(remote, QStringLiteral("d%1/file%2.txt").arg(i % 20).arg(i), "from the server\n");
    PairManager manager{PairStore(m_env->settingsFile())};
    PairSession *session = manager.addOrUpdate(pair);
    QList<StatusSnapshot> seen;
    connect(session, &PairSession::statusChanged, this,
            [&](const StatusSnapshot &status) { seen.append(status); });
    QVERIFY(waitFor([&] { return session->status().counters.downloads >= Files; }, Timeout));
    QVERIFY(waitFor([&] { return inSync(session); }, Timeout));
    for (const StatusSnapshot &status : std::as_const(seen)) {
        // 20 folders and 600 files is all there is to do.
        QVERIFY2(status.filesDone + status.pending <= Files + 20,
                 qPrintable(QStringLiteral("%1: done %2, pending %3, total %4")
                                .arg(engineStateName(status.state))
                                .arg(status.filesDone)
                                .arg(status.pending)
                                .arg(status.filesTotal)));
        if (status.state != EngineState::Syncing)
            QVERIFY2(status.pending == 0 || status.lastSyncMs == 0,
                     qPrintable(QStringLiteral("%1 with %2 pending")
                                    .arg(engineStateName(status.state))
                                    .arg(status.pending)));
    }
}

int main(int argc, char **argv)
{
    test::UiTestEnvironment environment;
    QApplication app(argc, argv);
    TestUiActivity test(&environment);
    return QTest::qExec(&test, argc, argv);
}

#include "tst_uiactivity.moc"
