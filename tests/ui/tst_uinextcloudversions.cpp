// The Versions view lists what a Nextcloud server keeps of its own accord (issue 19 item 8)
// beside the versions Steadysync kept, and restores it: ScriptedNextcloudHistory replays the
// answers of a real Nextcloud 32 (tests/data/nextcloud32); the pair is synced by the real CLI
// first.
#include "uitestenvironment.h"
#include "versionsmodel.h"
#include "versionsview.h"

#include "clirunner.h"
#include "hostilewebdavserver.h"
#include "scriptednextcloudhistory.h"
#include "testutil.h"

#include <QApplication>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace steadysync;
using namespace steadysync::test;

namespace {

constexpr int Timeout = 60'000;

bool selectFile(VersionsView &view, const QString &path)
{
    const int row = view.filesModel()->rowOf(path);
    if (row < 0)
        return false;
    view.fileList()->selectRow(row);
    return view.currentFilePath() == path;
}

// The rows of the version list as "reason | where".
QStringList listedRows(const VersionsView &view)
{
    QStringList rows;
    for (int i = 0; i < view.versionList()->topLevelItemCount(); ++i) {
        const QTreeWidgetItem *item = view.versionList()->topLevelItem(i);
        rows.append(item->text(1) + QStringLiteral(" | ") + item->text(3));
    }
    return rows;
}

bool chooseRow(VersionsView &view, const QString &reason)
{
    for (int i = 0; i < view.versionList()->topLevelItemCount(); ++i) {
        QTreeWidgetItem *item = view.versionList()->topLevelItem(i);
        if (item->text(1) == reason) {
            view.versionList()->setCurrentItem(item);
            return true;
        }
    }
    return false;
}

} // namespace

class TestUiNextcloudVersions : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void serverVersionsAndTrashAreListedAndRestored();
    void plainWebDavServerAddsNothing();

private:
    std::unique_ptr<VersionsView> openView();

    std::unique_ptr<QTemporaryDir> m_home;
    std::unique_ptr<QTemporaryDir> m_folder;
    std::unique_ptr<HostileWebDavServer> m_server;
    std::unique_ptr<ScriptedNextcloudHistory> m_nextcloud;
};

void TestUiNextcloudVersions::init()
{
    m_home = std::make_unique<QTemporaryDir>();
    m_folder = std::make_unique<QTemporaryDir>();
    m_nextcloud = std::make_unique<ScriptedNextcloudHistory>();
    QVERIFY2(m_nextcloud->loadError().isEmpty(), qPrintable(m_nextcloud->loadError()));
    m_server = std::make_unique<HostileWebDavServer>();
    m_server->setHandler(m_nextcloud->handler());
    QVERIFY(m_server->start());
    CliRunner cli(m_home->path());
    cli.setPassword(ScriptedNextcloudHistory::password());
    const CliRunner::Outcome synced =
        cli.runServing({QStringLiteral("sync"), m_folder->path(),
                        ScriptedNextcloudHistory::filesUrl(*m_server).toString(),
                        QStringLiteral("--user"), ScriptedNextcloudHistory::user()});
    QVERIFY2(synced.exitCode == 0, qPrintable(synced.describe()));
}

std::unique_ptr<VersionsView> TestUiNextcloudVersions::openView()
{
    auto view = std::make_unique<VersionsView>(QStringLiteral("Nextcloud"), m_folder->path());
    BackendOptions options;
    options.user = ScriptedNextcloudHistory::user();
    options.password = ScriptedNextcloudHistory::password();
    view->setServerHistorySource(VersionsView::serverHistorySourceFor(
        ScriptedNextcloudHistory::filesUrl(*m_server), options));
    view->show();
    return view;
}

void TestUiNextcloudVersions::serverVersionsAndTrashAreListedAndRestored()
{
    const std::unique_ptr<VersionsView> view = openView();
    QTRY_VERIFY_WITH_TIMEOUT(view->loaded() && view->serverHistoryLoaded(), Timeout);
    QVERIFY2(view->statusLabel()->text().isEmpty(), qPrintable(view->statusLabel()->text()));

    // notes.txt: the two earlier versions the server keeps (not its current content).
    QVERIFY(selectFile(*view, QStringLiteral("notes.txt")));
    const QString earlier = VersionsModel::serverReasonText(ServerHistoryEntry{});
    QCOMPARE(listedRows(*view), QStringList({earlier + QStringLiteral(" | Server"),
                                             earlier + QStringLiteral(" | Server")}));
    // A deleted file, from the server's trash.
    QVERIFY(selectFile(*view, QStringLiteral("sub/gone.txt")));
    ServerHistoryEntry trashed;
    trashed.kind = ServerHistoryEntry::Kind::Trash;
    const QString inTrash = VersionsModel::serverReasonText(trashed);
    QCOMPARE(listedRows(*view), QStringList({inTrash + QStringLiteral(" | Server")}));

    // Restore of the trashed file: the server's own restore, its place being free.
    QVERIFY(chooseRow(*view, inTrash));
    QTRY_VERIFY_WITH_TIMEOUT(view->restoreButton()->isEnabled(), Timeout);
    view->restoreButton()->click();
    QTRY_VERIFY_WITH_TIMEOUT(!view->restoring(), Timeout);
    QCOMPARE(m_nextcloud->trashRestores(), 1);
    QCOMPARE(m_nextcloud->content(QStringLiteral("sub/gone.txt")), QByteArray("trashed content\n"));

    // Restore of an earlier version: into the file, keeping its current content as a version.
    QTRY_VERIFY_WITH_TIMEOUT(view->loaded() && view->serverHistoryLoaded(), Timeout);
    QVERIFY(selectFile(*view, QStringLiteral("notes.txt")));
    QVERIFY(chooseRow(*view, earlier));
    // A click on the button before the row's choice enabled it did nothing (failed once in a
    // loaded full run with an empty status line).
    QTRY_VERIFY_WITH_TIMEOUT(view->restoreButton()->isEnabled(), Timeout);
    view->restoreButton()->click();
    QTRY_VERIFY_WITH_TIMEOUT(!view->restoring(), Timeout);
    QVERIFY2(view->statusLabel()->text().startsWith(QStringLiteral("Restored to")),
             qPrintable(view->statusLabel()->text()));
    QCOMPARE(readFile(m_folder->path() + QStringLiteral("/notes.txt")), QByteArray("content v2\n"));
    QTRY_VERIFY_WITH_TIMEOUT(view->loaded() && view->serverHistoryLoaded(), Timeout);
    QVERIFY(selectFile(*view, QStringLiteral("notes.txt")));
    QVERIFY2(listedRows(*view).contains(VersionsModel::reasonText(VersionReason::Overwritten) +
                                        QStringLiteral(" | This computer")),
             qPrintable(listedRows(*view).join(QLatin1Char('\n'))));
}

void TestUiNextcloudVersions::plainWebDavServerAddsNothing()
{
    m_nextcloud->setMode(ScriptedNextcloudHistory::Mode::PlainWebDav);
    const std::unique_ptr<VersionsView> view = openView();
    QTRY_VERIFY_WITH_TIMEOUT(view->loaded() && view->serverHistoryLoaded(), Timeout);
    QCOMPARE(view->filesModel()->rowCount(), 0);
    QCOMPARE(view->statusLabel()->text(),
             VersionsView::tr("No version has been kept in this folder yet."));
}

int main(int argc, char **argv)
{
    test::UiTestEnvironment environment;
    QApplication app(argc, argv);
    TestUiNextcloudVersions test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_uinextcloudversions.moc"
