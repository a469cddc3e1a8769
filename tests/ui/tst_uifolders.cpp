// Selective sync in the desktop app (issue 18, item 4 and the app side of items 2 and 3): the
// "Choose folders" tree, saving it, and held-back new folders on the pair card.
#include "appnotifications.h"
#include "autostartentry.h"
#include "choosefoldersdialog.h"
#include "foldertreemodel.h"
#include "heldfolderspanel.h"
#include "paircard.h"
#include "paireditor.h"
#include "pairmanager.h"
#include "settingsdialog.h"
#include "uitestenvironment.h"

#include "clirunner.h"
#include "hostilewebdavserver.h"
#include "journal/journal.h"
#include "scripteddavtree.h"
#include "sync/folderselection.h"
#include "testutil.h"
#include "webdavserver.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QTreeView>

using namespace steadysync;
using steadysync::test::readFile;
using steadysync::test::waitFor;
using steadysync::test::writeFile;

namespace {

constexpr int Timeout = 60'000;

QString sizeText(const FolderTreeModel *model, const QString &path)
{
    return model
        ->index(model->indexOf(path).row(), FolderTreeModel::SizeColumn,
                model->indexOf(path).parent())
        .data()
        .toString();
}

Qt::CheckState checkState(const FolderTreeModel *model, const QString &path)
{
    return Qt::CheckState(model->indexOf(path).data(Qt::CheckStateRole).toInt());
}

void setChecked(FolderTreeModel *model, const QString &path, bool checked)
{
    model->setData(model->indexOf(path), checked ? Qt::Checked : Qt::Unchecked, Qt::CheckStateRole);
}

// Expands path in the dialog's view and waits for its listing.
bool expand(ChooseFoldersDialog *dialog, const QString &path)
{
    const QModelIndex index = dialog->model()->indexOf(path);
    if (!index.isValid())
        return false;
    dialog->view()->expand(index);
    return waitFor([&] { return !dialog->model()->canFetchMore(dialog->model()->indexOf(path)); },
                   Timeout) &&
           waitFor([&] { return dialog->model()->pendingListings() == 0; }, Timeout);
}

QStringList journalExcluded(const QString &localRoot)
{
    Result<std::unique_ptr<Journal>> journal = Journal::open(localRoot);
    return journal.ok() ? FolderSelection::excludedFolders(**journal) : QStringList{};
}

// Answers the "Remove Local Copies" question once it appears; its text lands in *asked.
void answerRemoval(QObject *context, bool remove, QString *asked)
{
    auto *timer = new QTimer(context);
    QObject::connect(timer, &QTimer::timeout, context, [timer, remove, asked] {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        if (!box || box->objectName() != QStringLiteral("removeLocalCopies"))
            return;
        *asked = box->text() + QLatin1Char('\n') + box->informativeText();
        for (QAbstractButton *button : box->buttons()) {
            if ((box->buttonRole(button) == QMessageBox::AcceptRole) == remove)
                return button->click(), timer->deleteLater();
        }
    });
    timer->start(50);
}

// Photos (a.jpg, 2019/b.jpg, 2020/c.jpg), Docs/d.txt and top.txt below root.
void writeRemoteTree(const QString &root)
{
    writeFile(root, QStringLiteral("top.txt"), QByteArray(10, 't'));
    writeFile(root, QStringLiteral("Docs/d.txt"), QByteArray(100, 'd'));
    writeFile(root, QStringLiteral("Photos/a.jpg"), QByteArray(3000, 'a'));
    writeFile(root, QStringLiteral("Photos/2019/b.jpg"), QByteArray(5000, 'b'));
    writeFile(root, QStringLiteral("Photos/2020/c.jpg"), QByteArray(7000, 'c'));
}

} // namespace

class TestUiFolders : public QObject
{
    Q_OBJECT
public:
    explicit TestUiFolders(test::UiTestEnvironment *environment) : m_env(environment) {}

private Q_SLOTS:
    void treeListsLazilyWithSizesAndThreeStates();
    void serverFolderSizesAreShownBeforeListingBelow();
    void closingWhileAListingHangsIsSafe();
    void savedSelectionIsAppliedByTheRunningEngine();
    void apacheTreeSavedBeforeTheFirstSyncIsFollowedByTheCli();
    void heldBackFoldersAreShownNotifiedOnceAndAnsweredOnTheCard();

private:
    test::UiTestEnvironment *m_env;
};

void TestUiFolders::treeListsLazilyWithSizesAndThreeStates()
{
    const PairConfig pair = m_env->makePair(QStringLiteral("tree"));
    writeRemoteTree(test::UiTestEnvironment::remoteDir(pair));
    ChooseFoldersDialog dialog(pair, QString());
    dialog.show();
    FolderTreeModel *model = dialog.model();
    QVERIFY(waitFor([&] { return model->rowCount() == 2; }, Timeout));
    QCOMPARE(model->index(0, 0).data().toString(), QStringLiteral("Docs"));
    QCOMPARE(model->index(1, 0).data().toString(), QStringLiteral("Photos"));

    // Lazily: nothing below Photos is listed or shown before it is expanded.
    QCOMPARE(model->rowCount(model->indexOf(QStringLiteral("Photos"))), 0);
    QCOMPARE(sizeText(model, QStringLiteral("Photos")), QStringLiteral("—"));
    QVERIFY(expand(&dialog, QStringLiteral("Photos")));
    QCOMPARE(model->rowCount(model->indexOf(QStringLiteral("Photos"))), 2);
    QCOMPARE(model->rowCount(model->indexOf(QStringLiteral("Photos/2019"))), 0);
    const QLocale locale;
    QCOMPARE(sizeText(model, QStringLiteral("Photos")),
             QStringLiteral("at least %1").arg(locale.formattedDataSize(3000)));
    QVERIFY(expand(&dialog, QStringLiteral("Photos/2019")));
    QVERIFY(expand(&dialog, QStringLiteral("Photos/2020")));
    QCOMPARE(sizeText(model, QStringLiteral("Photos")), locale.formattedDataSize(15000));
    QCOMPARE(sizeText(model, QStringLiteral("Photos/2019")), locale.formattedDataSize(5000));

    // Three states: a folder partly left out is partly checked; checking it takes all again.
    setChecked(model, QStringLiteral("Photos/2019"), false);
    QCOMPARE(checkState(model, QStringLiteral("Photos")), Qt::PartiallyChecked);
    QCOMPARE(checkState(model, QStringLiteral("Photos/2019")), Qt::Unchecked);
    QCOMPARE(checkState(model, QStringLiteral("Photos/2020")), Qt::Checked);
    QCOMPARE(model->excludedFolders(), QStringList{QStringLiteral("Photos/2019")});
    setChecked(model, QStringLiteral("Photos"), true);
    QCOMPARE(checkState(model, QStringLiteral("Photos/2019")), Qt::Checked);
    QVERIFY(model->excludedFolders().isEmpty());
    // Unchecking a folder leaves out what is below it; checking one below takes that one only.
    setChecked(model, QStringLiteral("Photos"), false);
    QCOMPARE(checkState(model, QStringLiteral("Photos/2020")), Qt::Unchecked);
    setChecked(model, QStringLiteral("Photos/2020"), true);
    QCOMPARE(checkState(model, QStringLiteral("Photos")), Qt::PartiallyChecked);
    QCOMPARE(model->excludedFolders(), QStringList{QStringLiteral("Photos/2019")});

    // The total selected (top.txt, Docs, Photos/a.jpg and 2020) beside the local disk's space.
    QVERIFY(expand(&dialog, QStringLiteral("Docs")));
    const QString summary = dialog.summaryLabel()->text();
    QVERIFY2(summary.contains(locale.formattedDataSize(10 + 100 + 3000 + 7000)),
             qPrintable(summary));
    QVERIFY2(summary.contains(locale.formattedDataSize(dialog.freeBytes())), qPrintable(summary));
    const qint64 free = ChooseFoldersDialog::freeBytesFor(pair.localRoot); // others write too
    QVERIFY2(qAbs(dialog.freeBytes() - free) < free / 50, qPrintable(summary));
}

// A server that gives quota-used-bytes per folder (Nextcloud, ownCloud): sizes and the total
// are known from the root's listing alone, with nothing below listed.
void TestUiFolders::serverFolderSizesAreShownBeforeListingBelow()
{
    test::ScriptedDavTree tree;
    tree.putFile(QStringLiteral("top.txt"), QByteArray(10, 't'));
    tree.putFile(QStringLiteral("Photos/2019/b.jpg"), QByteArray(5000, 'b'));
    tree.putFile(QStringLiteral("Photos/2020/c.jpg"), QByteArray(7000, 'c'));
    tree.putFile(QStringLiteral("Docs/d.txt"), QByteArray(100, 'd'));
    tree.setFolderSizes(true);
    test::HostileWebDavServer server;
    QVERIFY(server.start());
    server.setHandler(tree.handler());
    PairConfig pair = m_env->makePair(QStringLiteral("quota"));
    pair.remoteUrl = server.collectionUrl();
    ChooseFoldersDialog dialog(pair, QString());
    FolderTreeModel *model = dialog.model();
    QVERIFY2(waitFor([&] { return model->rowCount() == 2; }, Timeout),
             qPrintable(dialog.messageLabel()->text()));
    const QLocale locale;
    QCOMPARE(sizeText(model, QStringLiteral("Photos")), locale.formattedDataSize(12000));
    QCOMPARE(sizeText(model, QStringLiteral("Docs")), locale.formattedDataSize(100));
    QCOMPARE(model->rowCount(model->indexOf(QStringLiteral("Photos"))), 0);
    setChecked(model, QStringLiteral("Docs"), false);
    bool complete = false;
    QCOMPARE(model->selectedBytes(&complete), 12010);
    QVERIFY(complete);
    QVERIFY2(dialog.summaryLabel()->text().contains(locale.formattedDataSize(12010)),
             qPrintable(dialog.summaryLabel()->text()));
}

// A server that never answers: the dialog says it is listing, and closing it then ends the
// listing without a crash or a hang.
void TestUiFolders::closingWhileAListingHangsIsSafe()
{
    test::HostileWebDavServer server;
    QVERIFY(server.start());
    server.setHandler([](const test::HostileWebDavServer::Request &) {
        test::HostileWebDavServer::Reply reply;
        reply.neverAnswer = true;
        return reply;
    });
    PairConfig pair = m_env->makePair(QStringLiteral("hanging"));
    pair.remoteUrl = server.collectionUrl();
    auto *dialog = new ChooseFoldersDialog(pair, QString());
    dialog->show();
    QVERIFY(waitFor([&] { return server.requestCount() > 0; }, Timeout));
    QCOMPARE(dialog->model()->pendingListings(), 1);
    QVERIFY(dialog->summaryLabel()->text().contains(QStringLiteral("Listing")));
    QElapsedTimer closing;
    closing.start();
    delete dialog;
    QVERIFY2(closing.elapsed() < 5'000, "closing waited for the server");
}

// Saving through the settings while the pair runs: the engine takes the change, the synced
// local copy goes after a question naming its size, and later files in the folder stay away.
void TestUiFolders::savedSelectionIsAppliedByTheRunningEngine()
{
    const PairConfig pair = m_env->makePair(QStringLiteral("running"));
    const QString remote = test::UiTestEnvironment::remoteDir(pair);
    writeRemoteTree(remote);
    PairManager manager{PairStore(m_env->settingsFile())};
    PairSession *session = manager.addOrUpdate(pair);
    QVERIFY(
        waitFor([&] { return QFileInfo::exists(pair.localRoot + "/Photos/2020/c.jpg"); }, Timeout));
    writeFile(pair.localRoot, QStringLiteral("Photos/mine.txt"), "only here\n");
    QVERIFY(waitFor([&] { return QFileInfo::exists(remote + "/Photos/mine.txt"); }, Timeout));
    // A whole cycle after the upload: every file here is recorded as synced.
    const qint64 uploaded = session->status().lastSyncMs;
    session->syncNow();
    QVERIFY(waitFor(
        [&] {
            return session->status().lastSyncMs > uploaded &&
                   session->state() == SyncState::UpToDate;
        },
        Timeout));
    session->pause(); // so that draft.txt is local only when the folder is left out
    QVERIFY(waitFor([&] { return session->isPaused(); }, Timeout));
    writeFile(pair.localRoot, QStringLiteral("Photos/draft.txt"), "not yet on the server\n");

    AutostartEntry autostart(QStringLiteral("/usr/bin/steadysync"));
    SettingsDialog settings(&manager, autostart);
    settings.show();
    QCOMPARE(settings.editor()->config().id, pair.id);
    settings.chooseFolders();
    QVERIFY(waitFor([&] { return settings.chooseFoldersDialog() != nullptr; }, Timeout));
    ChooseFoldersDialog *dialog = settings.chooseFoldersDialog();
    QVERIFY(waitFor([&] { return dialog->model()->rowCount() == 2; }, Timeout));
    setChecked(dialog->model(), QStringLiteral("Photos"), false);
    QString asked;
    answerRemoval(this, true, &asked);
    dialog->save();
    QVERIFY(waitFor([&] { return !asked.isEmpty(); }, Timeout));
    const qint64 localBytes = 3000 + 5000 + 7000 + 10 + 22;
    QVERIFY2(asked.contains(QLocale().formattedDataSize(localBytes)), qPrintable(asked));
    QVERIFY2(asked.contains(QStringLiteral("Photos")), qPrintable(asked));

    // Synced files go (to the trash); the one the server lacks stays; the server keeps all.
    QVERIFY(waitFor([&] { return !QFileInfo::exists(pair.localRoot + "/Photos/a.jpg"); }, Timeout));
    QCOMPARE(readFile(pair.localRoot + "/Photos/draft.txt"), QByteArray("not yet on the server\n"));
    QVERIFY2(
        waitFor([&] { return settings.messageLabel()->text().contains("stay here: 1."); }, Timeout),
        qPrintable(settings.messageLabel()->text()));
    QVERIFY(settings.messageLabel()->text().contains(QStringLiteral("to the trash: 4.")));
    QVERIFY(QFileInfo::exists(remote + "/Photos/2019/b.jpg"));
    QVERIFY(QFileInfo::exists(remote + "/Photos/mine.txt"));
    session->resume();
    QVERIFY(
        waitFor([&] { return journalExcluded(pair.localRoot) == QStringList{"Photos"}; }, Timeout));

    // The next cycles download new files elsewhere, never into the left-out folder.
    writeFile(remote, QStringLiteral("Photos/new.jpg"), "new photo\n");
    writeFile(remote, QStringLiteral("Docs/new.txt"), "new doc\n");
    session->syncNow();
    QVERIFY(waitFor([&] { return readFile(pair.localRoot + "/Docs/new.txt") == "new doc\n"; },
                    Timeout));
    const qint64 lastSync = session->status().lastSyncMs;
    session->syncNow(); // one more whole cycle after the one that brought Docs/new.txt
    QVERIFY(waitFor([&] { return session->status().lastSyncMs > lastSync; }, Timeout));
    QVERIFY(!QFileInfo::exists(pair.localRoot + "/Photos/new.jpg"));
    QVERIFY(!QFileInfo::exists(remote + "/Photos/draft.txt")); // not uploaded while left out
    QVERIFY(QFileInfo::exists(remote + "/Photos/a.jpg"));      // and nothing deleted there
    manager.remove(pair.id);
}

// The same tree against Apache (sizes summed from Depth-1 listings), saved for a new pair
// before its first sync: the CLI's first sync then never downloads the left-out folder.
void TestUiFolders::apacheTreeSavedBeforeTheFirstSyncIsFollowedByTheCli()
{
    QString error;
    auto apache = test::WebDavServer::start(test::WebDavServer::Kind::Apache, &error);
    QVERIFY2(apache, qPrintable(error));
    writeRemoteTree(apache->dataDirectory());
    PairConfig pair;
    pair.localRoot = m_env->home() + QStringLiteral("/apache-local");
    pair.remoteUrl = apache->url();
    pair.user = apache->user();

    PairManager manager{PairStore(m_env->settingsFile())};
    AutostartEntry autostart(QStringLiteral("/usr/bin/steadysync"));
    SettingsDialog settings(&manager, autostart);
    settings.show();
    settings.addPair();
    settings.editor()->localFolderEdit()->setText(pair.localRoot);
    settings.editor()->remoteUrlEdit()->setText(pair.remoteUrl.toString());
    settings.editor()->userEdit()->setText(pair.user);
    settings.editor()->passwordEdit()->setText(apache->password());
    settings.chooseFolders();
    QVERIFY(waitFor([&] { return settings.chooseFoldersDialog() != nullptr; }, Timeout));
    ChooseFoldersDialog *dialog = settings.chooseFoldersDialog();
    FolderTreeModel *model = dialog->model();
    QVERIFY2(waitFor([&] { return model->rowCount() == 2; }, Timeout),
             qPrintable(dialog->messageLabel()->text()));
    QCOMPARE(model->rowCount(model->indexOf(QStringLiteral("Photos"))), 0);
    QVERIFY(expand(dialog, QStringLiteral("Photos")));
    QCOMPARE(model->rowCount(model->indexOf(QStringLiteral("Photos"))), 2);
    QVERIFY(expand(dialog, QStringLiteral("Photos/2019")));
    QVERIFY(expand(dialog, QStringLiteral("Photos/2020")));
    QCOMPARE(sizeText(model, QStringLiteral("Photos")), QLocale().formattedDataSize(15000));
    setChecked(model, QStringLiteral("Photos/2019"), false);
    QCOMPARE(checkState(model, QStringLiteral("Photos")), Qt::PartiallyChecked);
    const QPointer<ChooseFoldersDialog> guard(dialog);
    dialog->save(); // nothing local yet: no question
    QVERIFY(waitFor([&] { return !guard || guard->isHidden(); }, Timeout));
    QCOMPARE(journalExcluded(pair.localRoot), QStringList{QStringLiteral("Photos/2019")});

    test::CliRunner cli(m_env->home());
    cli.setPassword(apache->password());
    const QStringList sync{QStringLiteral("sync"), pair.localRoot, apache->url().toString(),
                           QStringLiteral("--user"), apache->user()};
    const test::CliRunner::Outcome first = cli.run(sync);
    QVERIFY2(first.exitCode == 0, qPrintable(first.describe()));
    QCOMPARE(readFile(pair.localRoot + "/Photos/2020/c.jpg"), QByteArray(7000, 'c'));
    QCOMPARE(readFile(pair.localRoot + "/Docs/d.txt"), QByteArray(100, 'd'));
    QVERIFY(!QFileInfo::exists(pair.localRoot + "/Photos/2019"));
    QVERIFY(QFileInfo::exists(apache->dataDirectory() + "/Photos/2019/b.jpg"));
}

// New remote folders over the pair's limit wait: the card shows them, the app says so once,
// "Keep Excluded" leaves one out for good and "Download" brings the other.
void TestUiFolders::heldBackFoldersAreShownNotifiedOnceAndAnsweredOnTheCard()
{
    PairConfig pair = m_env->makePair(QStringLiteral("held"));
    pair.newFolderLimitMiB = 1;
    const QString remote = test::UiTestEnvironment::remoteDir(pair);
    writeFile(remote, QStringLiteral("small.txt"), "small\n");
    PairManager manager{PairStore(m_env->settingsFile())};
    AppNotifications notifications(&manager);
    QSignalSpy notified(&notifications, &AppNotifications::notified);
    PairSession *session = manager.addOrUpdate(pair);
    PairCard card(session);
    card.show();
    QVERIFY(waitFor([&] { return readFile(pair.localRoot + "/small.txt") == "small\n"; }, Timeout));

    const QByteArray large(2 * 1024 * 1024 + 1, 'v');
    writeFile(remote, QStringLiteral("Videos/holiday.mp4"), large);
    writeFile(remote, QStringLiteral("Music/album.flac"), large);
    session->syncNow();
    const QStringList both{QStringLiteral("Music"), QStringLiteral("Videos")};
    QVERIFY(waitFor([&] { return card.heldFoldersPanel()->folders() == both; }, Timeout));
    QVERIFY(card.heldFoldersPanel()->isVisibleTo(&card));
    QVERIFY(!QFileInfo::exists(pair.localRoot + "/Videos"));
    QVERIFY(!QFileInfo::exists(pair.localRoot + "/Music"));
    const auto heldNotices = [&] {
        return std::count_if(notified.cbegin(), notified.cend(), [](const QList<QVariant> &args) {
            return args.at(1).toString().contains(QStringLiteral("Videos"));
        });
    };
    QVERIFY(waitFor([&] { return heldNotices() == 1; }, Timeout));
    const qint64 lastSync = session->status().lastSyncMs;
    session->syncNow(); // held again, said no more
    QVERIFY(waitFor([&] { return session->status().lastSyncMs > lastSync; }, Timeout));
    QCOMPARE(heldNotices(), 1);

    const auto button = [&card](const QString &folder, const QString &name) {
        QWidget *row =
            card.heldFoldersPanel()->findChild<QWidget *>(QStringLiteral("heldFolder:") + folder);
        return row ? row->findChild<QPushButton *>(name) : nullptr;
    };
    QVERIFY(button(QStringLiteral("Music"), QStringLiteral("keepExcluded")));
    button(QStringLiteral("Music"), QStringLiteral("keepExcluded"))->click();
    QVERIFY(waitFor([&] { return card.heldFoldersPanel()->folders() == QStringList{"Videos"}; },
                    Timeout));
    QVERIFY(button(QStringLiteral("Videos"), QStringLiteral("download")));
    button(QStringLiteral("Videos"), QStringLiteral("download"))->click();
    QVERIFY(waitFor([&] { return readFile(pair.localRoot + "/Videos/holiday.mp4") == large; },
                    Timeout));
    QVERIFY(waitFor([&] { return card.heldFoldersPanel()->folders().isEmpty(); }, Timeout));
    QVERIFY(!card.heldFoldersPanel()->isVisibleTo(&card));
    const qint64 afterDownload = session->status().lastSyncMs;
    session->syncNow();
    QVERIFY(waitFor([&] { return session->status().lastSyncMs > afterDownload; }, Timeout));
    QVERIFY(!QFileInfo::exists(pair.localRoot + "/Music")); // kept excluded
    QCOMPARE(journalExcluded(pair.localRoot), QStringList{QStringLiteral("Music")});
    QVERIFY(QFileInfo::exists(remote + "/Music/album.flac"));
    manager.remove(pair.id);
}

int main(int argc, char **argv)
{
    test::UiTestEnvironment environment;
    QApplication app(argc, argv);
    TestUiFolders test(&environment);
    return QTest::qExec(&test, argc, argv);
}

#include "tst_uifolders.moc"
