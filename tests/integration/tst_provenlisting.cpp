// Deletions need proof (DESIGN §4, DESIGN.md): the real steadysync-cli against servers whose
// listings are wrong without failing. rclone behind a FaultProxy that forwards Depth: infinity
// as Depth: 1 (the server's genuine Depth-1 listing answers it, with nothing to tell), and
// the scripted hostile server's tree with the same quirk or a listing that misses a file once.
#include "clirunner.h"
#include "faultproxy.h"
#include "hostilewebdavserver.h"
#include "scripteddavtree.h"
#include "testutil.h"
#include "webdavserver.h"

#include <QDirIterator>
#include <QProcess>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>

#include <optional>
#include <unistd.h>

using namespace steadysync::test;

Q_DECLARE_METATYPE(steadysync::test::ScriptedDavTree::DepthInfinity)

namespace {

// Files in the system trash of the CLI's HOME and in the pair's own trash.
QStringList trashedFiles(const CliRunner &cli, const QString &localRoot)
{
    QStringList files;
    for (const QString &trash :
         {cli.trashFilesDirectory(), localRoot + QStringLiteral("/.steadysync/trash")}) {
        QDirIterator it(trash, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext())
            files.append(it.next());
    }
    return files;
}

// 7 files at the top and 4 in subfolders: fewer than half below, so the mass-deletion guard
// (more than 50% of at least 10 tracked files) does not see a downgraded listing's deletions.
QMap<QString, QByteArray> sampleTree()
{
    QMap<QString, QByteArray> tree;
    for (int i = 0; i < 7; ++i)
        tree.insert(QStringLiteral("top%1.txt").arg(i), "top " + QByteArray::number(i));
    tree.insert(QStringLiteral("docs/a.txt"), "docs a");
    tree.insert(QStringLiteral("docs/b.txt"), "docs b");
    tree.insert(QStringLiteral("docs/deeper/c.txt"), "deeper c");
    tree.insert(QStringLiteral("photos/d.txt"), "photos d");
    return tree;
}

// readTree() keeps the files only.
QMap<QString, QByteArray> filesOf(const QString &root)
{
    QMap<QString, QByteArray> files = readTree(root);
    for (auto it = files.begin(); it != files.end();)
        it = it.key().endsWith(QLatin1Char('/')) ? files.erase(it) : std::next(it);
    return files;
}

QStringList syncArguments(const QString &folder, const QUrl &url, const QStringList &extra = {})
{
    return QStringList{QStringLiteral("sync"), folder, url.toString(), QStringLiteral("--json")} +
           extra;
}

// files (sampleTree() unless changed before start()) on a scripted server, and a folder the
// CLI syncs with it.
struct SampleOnScriptedServer
{
    QMap<QString, QByteArray> files = sampleTree();
    ScriptedDavTree tree;
    HostileWebDavServer server;
    QTemporaryDir home;
    QTemporaryDir folder;
    CliRunner cli{home.path()};

    bool start()
    {
        for (auto it = files.cbegin(); it != files.cend(); ++it)
            tree.putFile(it.key(), it.value());
        server.setHandler(tree.handler());
        return server.start();
    }
    CliRunner::Outcome sync()
    {
        return cli.runServing(syncArguments(folder.path(), server.collectionUrl()));
    }
};

// For root, setpriv without the capabilities that read any directory (as tst_localfaults
// does); nothing for another user. nullopt, and *why, where a mode-000 folder stays readable.
std::optional<QStringList> launcherThatCannotReadEverything(const QString &probeFolder,
                                                            QString *why)
{
    const QStringList setpriv{
        QStringLiteral("setpriv"), QStringLiteral("--inh-caps=-dac_override,-dac_read_search"),
        QStringLiteral("--bounding-set=-dac_override,-dac_read_search"), QStringLiteral("--")};
    const QStringList launcher = ::geteuid() == 0 ? setpriv : QStringList();
    QProcess probe;
    const QStringList ls{QStringLiteral("ls"), probeFolder};
    const QStringList command = launcher + ls;
    probe.start(command.first(), command.mid(1));
    if (!probe.waitForFinished(30'000) || probe.exitStatus() != QProcess::NormalExit) {
        *why = QStringLiteral("cannot run %1").arg(command.join(QLatin1Char(' ')));
        return std::nullopt;
    }
    if (probe.exitCode() == 0) {
        *why = QStringLiteral("a folder of mode 000 stays readable here");
        return std::nullopt;
    }
    return launcher;
}

} // namespace

class TestProvenListing : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rcloneAnsweringDepthInfinityWithDepthOneLosesNothing();
    void scriptedServerAnsweringDepthInfinityWithDepthOneLosesNothing();
    void listingThatMissesAFileOnceDeletesNothing_data();
    void listingThatMissesAFileOnceDeletesNothing();
    void remoteDeletionWaitsUntilItsAbsenceIsConfirmed();
    void serverFailingTheConfirmationStopsTheCycle();
    void unreadableLocalFolderDeletesNothingRemotely();
    void confirmationIsOneListingPerFolder();
};

void TestProvenListing::rcloneAnsweringDepthInfinityWithDepthOneLosesNothing()
{
    QString error;
    const std::unique_ptr<WebDavServer> server =
        WebDavServer::start(WebDavServer::Kind::Rclone, &error);
    QVERIFY2(server, qPrintable(error));
    FaultProxy proxy(server->url());
    QVERIFY(proxy.listen());
    QTemporaryDir home;
    QTemporaryDir folderA;
    QTemporaryDir folderB;
    CliRunner cli(home.path());
    cli.setPassword(server->password());
    const QStringList user{QStringLiteral("--user"), server->user()};
    const QMap<QString, QByteArray> tree = sampleTree();
    for (auto it = tree.cbegin(); it != tree.cend(); ++it)
        writeFile(folderA.path(), it.key(), it.value());

    CliRunner::Outcome first = cli.runServing(syncArguments(folderA.path(), proxy.url(), user));
    QVERIFY2(first.exitCode == 0, qPrintable(first.describe()));

    // From now on every tree listing is silently one level deep.
    proxy.setDepthInfinityAsDepthOne(true);
    const CliRunner::Outcome again =
        cli.runServing(syncArguments(folderA.path(), proxy.url(), user));
    QCOMPARE(filesOf(folderA.path()), tree);
    QCOMPARE(trashedFiles(cli, folderA.path()), QStringList());
    QVERIFY2(again.exitCode == 0, qPrintable(again.describe()));
    QCOMPARE(again.json().value(QStringLiteral("deleted_local")).toInt(), 0);

    // A second client gets every file, not only the top-level ones.
    const CliRunner::Outcome second =
        cli.runServing(syncArguments(folderB.path(), proxy.url(), user));
    QVERIFY2(second.exitCode == 0, qPrintable(second.describe()));
    QCOMPARE(filesOf(folderB.path()), tree);
}

void TestProvenListing::scriptedServerAnsweringDepthInfinityWithDepthOneLosesNothing()
{
    ScriptedDavTree tree;
    const QMap<QString, QByteArray> files = sampleTree();
    for (auto it = files.cbegin(); it != files.cend(); ++it)
        tree.putFile(it.key(), it.value());
    tree.putDirectory(QStringLiteral("empty/too"));
    tree.setDepthInfinity(ScriptedDavTree::DepthInfinity::Whole);
    HostileWebDavServer server;
    QVERIFY(server.start());
    server.setHandler(tree.handler());
    QTemporaryDir home;
    QTemporaryDir folderA;
    QTemporaryDir folderB;
    CliRunner cli(home.path());

    const CliRunner::Outcome first =
        cli.runServing(syncArguments(folderA.path(), server.collectionUrl()));
    QVERIFY2(first.exitCode == 0, qPrintable(first.describe()));
    QCOMPARE(filesOf(folderA.path()), files);
    QVERIFY(QFileInfo(folderA.path() + QStringLiteral("/empty/too")).isDir());

    tree.setDepthInfinity(ScriptedDavTree::DepthInfinity::DirectMembersOnly);
    const int requestsBefore = server.requestCount();
    const CliRunner::Outcome again =
        cli.runServing(syncArguments(folderA.path(), server.collectionUrl()));
    QCOMPARE(filesOf(folderA.path()), files);
    QVERIFY(QFileInfo(folderA.path() + QStringLiteral("/empty/too")).isDir());
    QCOMPARE(trashedFiles(cli, folderA.path()), QStringList());
    QVERIFY2(again.exitCode == 0, qPrintable(again.describe()));
    // Caught at once: Depth: infinity is asked once in the run, then Depth 1 only.
    int infinityAsked = 0;
    for (int i = requestsBefore; i < server.requestCount(); ++i)
        infinityAsked += server.requests().at(i).header("Depth") == "infinity" ? 1 : 0;
    QCOMPARE(infinityAsked, 1);

    const CliRunner::Outcome second =
        cli.runServing(syncArguments(folderB.path(), server.collectionUrl()));
    QVERIFY2(second.exitCode == 0, qPrintable(second.describe()));
    QCOMPARE(filesOf(folderB.path()), files);
    QVERIFY(QFileInfo(folderB.path() + QStringLiteral("/empty/too")).isDir());
}

// The walk's listing leaves out docs/b.txt and the folder photos, a second listing shows
// them: nothing goes to the trash, the run says it is not done (exit 1), and the next run finds
// all in sync. Depth 1: the listings of docs and of the root miss them; tree: the server's
// Depth: infinity answer misses them, though it shows docs with its other members.
void TestProvenListing::listingThatMissesAFileOnceDeletesNothing_data()
{
    QTest::addColumn<ScriptedDavTree::DepthInfinity>("depthInfinity");
    QTest::newRow("depth 1") << ScriptedDavTree::DepthInfinity::Refused;
    QTest::newRow("tree") << ScriptedDavTree::DepthInfinity::Whole;
}

void TestProvenListing::listingThatMissesAFileOnceDeletesNothing()
{
    SampleOnScriptedServer sample;
    QVERIFY(sample.start());
    const CliRunner::Outcome first = sample.sync();
    QVERIFY2(first.exitCode == 0, qPrintable(first.describe()));
    QCOMPARE(filesOf(sample.folder.path()), sample.files);

    QFETCH(ScriptedDavTree::DepthInfinity, depthInfinity);
    sample.tree.setDepthInfinity(depthInfinity);
    const bool whole = depthInfinity == ScriptedDavTree::DepthInfinity::Whole;
    sample.tree.omitOnce(whole ? QString() : QStringLiteral("docs"), QStringLiteral("docs/b.txt"));
    sample.tree.omitOnce(QString(), QStringLiteral("photos"));
    const CliRunner::Outcome missed = sample.sync();
    QCOMPARE(sample.tree.omissionsPending(), 0);
    QCOMPARE(filesOf(sample.folder.path()), sample.files);
    QCOMPARE(trashedFiles(sample.cli, sample.folder.path()), QStringList());
    QVERIFY2(missed.exitCode == 1, qPrintable(missed.describe()));
    QCOMPARE(missed.json().value(QStringLiteral("deleted_local")).toInt(), 0);

    const CliRunner::Outcome settled = sample.sync();
    QVERIFY2(settled.exitCode == 0, qPrintable(settled.describe()));
    QCOMPARE(filesOf(sample.folder.path()), sample.files);
    QCOMPARE(trashedFiles(sample.cli, sample.folder.path()), QStringList());
}

// docs/b.txt is deleted on the server, and the listing that would confirm it fails: the
// file stays until a listing confirms its absence, then goes to the trash.
void TestProvenListing::remoteDeletionWaitsUntilItsAbsenceIsConfirmed()
{
    SampleOnScriptedServer sample;
    QVERIFY(sample.start());
    const CliRunner::Outcome first = sample.sync();
    QVERIFY2(first.exitCode == 0, qPrintable(first.describe()));

    sample.tree.removeItem(QStringLiteral("docs/b.txt"));
    sample.tree.failListing(QStringLiteral("docs"), 1, 500); // the walk's listing passes
    const CliRunner::Outcome unconfirmed = sample.sync();
    QVERIFY(!sample.tree.failurePending());
    QCOMPARE(filesOf(sample.folder.path()), sample.files);
    QCOMPARE(trashedFiles(sample.cli, sample.folder.path()), QStringList());
    QVERIFY2(unconfirmed.exitCode == 1, qPrintable(unconfirmed.describe()));

    const CliRunner::Outcome confirmed = sample.sync();
    QVERIFY2(confirmed.exitCode == 0, qPrintable(confirmed.describe()));
    QCOMPARE(confirmed.json().value(QStringLiteral("deleted_local")).toInt(), 1);
    sample.files.remove(QStringLiteral("docs/b.txt"));
    QCOMPARE(filesOf(sample.folder.path()), sample.files);
    QCOMPARE(trashedFiles(sample.cli, sample.folder.path()).size(), 1);
}

// The server refuses the confirming listing as a whole (401): the cycle stops with exit 3
// ("remote unavailable") and deletes nothing.
void TestProvenListing::serverFailingTheConfirmationStopsTheCycle()
{
    SampleOnScriptedServer sample;
    QVERIFY(sample.start());
    const CliRunner::Outcome first = sample.sync();
    QVERIFY2(first.exitCode == 0, qPrintable(first.describe()));

    sample.tree.removeItem(QStringLiteral("photos"));
    sample.tree.failListing(QString(), 1, 401);
    const CliRunner::Outcome stopped = sample.sync();
    QVERIFY(!sample.tree.failurePending());
    QCOMPARE(filesOf(sample.folder.path()), sample.files);
    QCOMPARE(trashedFiles(sample.cli, sample.folder.path()), QStringList());
    QVERIFY2(stopped.exitCode == 3, qPrintable(stopped.describe()));
}

// The symmetric rule: a local folder that cannot be read is no proof that its files are gone.
void TestProvenListing::unreadableLocalFolderDeletesNothingRemotely()
{
    QTemporaryDir home;
    QTemporaryDir folder;
    QTemporaryDir remote;
    CliRunner cli(home.path());
    const QMap<QString, QByteArray> files = sampleTree();
    for (auto it = files.cbegin(); it != files.cend(); ++it)
        writeFile(folder.path(), it.key(), it.value());
    const QUrl url = QUrl::fromLocalFile(remote.path());
    const CliRunner::Outcome first = cli.runServing(syncArguments(folder.path(), url));
    QVERIFY2(first.exitCode == 0, qPrintable(first.describe()));

    const QString docs = folder.path() + QStringLiteral("/docs");
    QVERIFY(QFile::setPermissions(docs, {}));
    auto restore = qScopeGuard([&docs] {
        QFile::setPermissions(docs, QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                        QFileDevice::ExeOwner);
    });
    QString why;
    const std::optional<QStringList> launcher = launcherThatCannotReadEverything(docs, &why);
    if (!launcher)
        QSKIP(qPrintable(why));
    const CliRunner::Outcome blind = cli.runServing(syncArguments(folder.path(), url), *launcher);
    QVERIFY2(blind.exitCode == 1, qPrintable(blind.describe()));
    QCOMPARE(blind.json().value(QStringLiteral("deleted_remote")).toInt(), 0);
    QCOMPARE(filesOf(remote.path()), files);

    QVERIFY(QFile::setPermissions(docs, QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                            QFileDevice::ExeOwner));
    restore.dismiss();
    const CliRunner::Outcome seeing = cli.runServing(syncArguments(folder.path(), url));
    QVERIFY2(seeing.exitCode == 0, qPrintable(seeing.describe()));
    QCOMPARE(filesOf(remote.path()), files);
    QCOMPARE(filesOf(folder.path()), files);
}

// Deletions are confirmed per folder, not per file, and a folder gone on the server is
// confirmed by one listing of its parent: two files deleted in docs and a folder of six files
// deleted cost one extra listing of docs and one of the root, none of the folder itself.
void TestProvenListing::confirmationIsOneListingPerFolder()
{
    SampleOnScriptedServer sample;
    for (int i = 0; i < 6; ++i)
        sample.files.insert(QStringLiteral("album/%1.jpg").arg(i),
                            "picture " + QByteArray::number(i));
    QVERIFY(sample.start());
    const CliRunner::Outcome first = sample.sync();
    QVERIFY2(first.exitCode == 0, qPrintable(first.describe()));

    const QStringList deleted{QStringLiteral("docs/a.txt"), QStringLiteral("docs/b.txt"),
                              QStringLiteral("album")};
    for (const QString &path : deleted)
        sample.tree.removeItem(path);
    const int requestsBefore = sample.server.requestCount();
    const CliRunner::Outcome synced = sample.sync();
    QVERIFY2(synced.exitCode == 0, qPrintable(synced.describe()));
    QCOMPARE(synced.json().value(QStringLiteral("deleted_local")).toInt(), 8);
    for (auto it = sample.files.begin(); it != sample.files.end();)
        it = it.key().startsWith(QLatin1String("album/")) || it.key().startsWith("docs/a") ||
                     it.key().startsWith("docs/b")
                 ? sample.files.erase(it)
                 : std::next(it);
    QCOMPARE(filesOf(sample.folder.path()), sample.files);

    QMap<QByteArray, int> listings; // Depth-1 PROPFINDs by target
    for (int i = requestsBefore; i < sample.server.requestCount(); ++i) {
        const HostileWebDavServer::Request &request = sample.server.requests().at(i);
        if (request.method == "PROPFIND" && request.header("Depth") == "1")
            listings[request.target] += 1;
    }
    QCOMPARE(listings.value("/dav/"), 2);      // the walk, and the proof that album is gone
    QCOMPARE(listings.value("/dav/docs/"), 2); // the walk, and one proof for both files
    QCOMPARE(listings.value("/dav/album/"), 0);
}

QTEST_GUILESS_MAIN(TestProvenListing)
#include "tst_provenlisting.moc"
