// Deletions need proof (SPEC §4, DESIGN.md): the real steadysync-cli against servers whose
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
#include <QTemporaryDir>
#include <QTest>

using namespace steadysync::test;

namespace {

QString describe(const CliRunner::Outcome &outcome)
{
    return QStringLiteral("exit %1\nstdout: %2\nstderr: %3")
        .arg(outcome.exitCode)
        .arg(QString::fromUtf8(outcome.out), QString::fromUtf8(outcome.err));
}

// Runs the CLI while this thread keeps serving the proxy or the scripted server.
CliRunner::Outcome runServing(const CliRunner &cli, const QStringList &arguments)
{
    QProcess process;
    process.setProcessEnvironment(cli.environment());
    process.start(CliRunner::program(), arguments);
    CliRunner::Outcome outcome;
    if (!process.waitForStarted(30'000) ||
        !waitServing([&] { return process.state() == QProcess::NotRunning; }, 120'000)) {
        process.kill();
        process.waitForFinished();
        outcome.err = "timed out or failed to start: " + process.errorString().toUtf8();
        return outcome;
    }
    outcome.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    outcome.out = process.readAllStandardOutput();
    outcome.err = process.readAllStandardError();
    return outcome;
}

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

} // namespace

class TestProvenListing : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rcloneAnsweringDepthInfinityWithDepthOneLosesNothing();
    void scriptedServerAnsweringDepthInfinityWithDepthOneLosesNothing();
    void listingThatMissesAFileOnceDeletesNothing();

private:
    QStringList syncArguments(const QString &folder, const QUrl &url,
                              const QStringList &extra = {}) const
    {
        return QStringList{QStringLiteral("sync"), folder, url.toString(),
                           QStringLiteral("--json")} +
               extra;
    }
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

    CliRunner::Outcome first = runServing(cli, syncArguments(folderA.path(), proxy.url(), user));
    QVERIFY2(first.exitCode == 0, qPrintable(describe(first)));

    // From now on every tree listing is silently one level deep.
    proxy.setDepthInfinityAsDepthOne(true);
    const CliRunner::Outcome again =
        runServing(cli, syncArguments(folderA.path(), proxy.url(), user));
    QCOMPARE(filesOf(folderA.path()), tree);
    QCOMPARE(trashedFiles(cli, folderA.path()), QStringList());
    QVERIFY2(again.exitCode == 0, qPrintable(describe(again)));
    QCOMPARE(again.json().value(QStringLiteral("deleted_local")).toInt(), 0);

    // A second client gets every file, not only the top-level ones.
    const CliRunner::Outcome second =
        runServing(cli, syncArguments(folderB.path(), proxy.url(), user));
    QVERIFY2(second.exitCode == 0, qPrintable(describe(second)));
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
        runServing(cli, syncArguments(folderA.path(), server.collectionUrl()));
    QVERIFY2(first.exitCode == 0, qPrintable(describe(first)));
    QCOMPARE(filesOf(folderA.path()), files);
    QVERIFY(QFileInfo(folderA.path() + QStringLiteral("/empty/too")).isDir());

    tree.setDepthInfinity(ScriptedDavTree::DepthInfinity::DirectMembersOnly);
    const int requestsBefore = server.requestCount();
    const CliRunner::Outcome again =
        runServing(cli, syncArguments(folderA.path(), server.collectionUrl()));
    QCOMPARE(filesOf(folderA.path()), files);
    QVERIFY(QFileInfo(folderA.path() + QStringLiteral("/empty/too")).isDir());
    QCOMPARE(trashedFiles(cli, folderA.path()), QStringList());
    QVERIFY2(again.exitCode == 0, qPrintable(describe(again)));
    // Caught at once: Depth: infinity is asked once in the run, then Depth 1 only.
    int infinityAsked = 0;
    for (int i = requestsBefore; i < server.requestCount(); ++i)
        infinityAsked += server.requests().at(i).header("Depth") == "infinity" ? 1 : 0;
    QCOMPARE(infinityAsked, 1);

    const CliRunner::Outcome second =
        runServing(cli, syncArguments(folderB.path(), server.collectionUrl()));
    QVERIFY2(second.exitCode == 0, qPrintable(describe(second)));
    QCOMPARE(filesOf(folderB.path()), files);
    QVERIFY(QFileInfo(folderB.path() + QStringLiteral("/empty/too")).isDir());
}

// The walk's listing of docs leaves out docs/b.txt, a second listing shows it: nothing goes
// to the trash, the run says it is not done (exit 1), and the next run finds all in sync.
void TestProvenListing::listingThatMissesAFileOnceDeletesNothing()
{
    ScriptedDavTree tree;
    const QMap<QString, QByteArray> files = sampleTree();
    for (auto it = files.cbegin(); it != files.cend(); ++it)
        tree.putFile(it.key(), it.value());
    HostileWebDavServer server;
    QVERIFY(server.start());
    server.setHandler(tree.handler());
    QTemporaryDir home;
    QTemporaryDir folder;
    CliRunner cli(home.path());
    const CliRunner::Outcome first =
        runServing(cli, syncArguments(folder.path(), server.collectionUrl()));
    QVERIFY2(first.exitCode == 0, qPrintable(describe(first)));
    QCOMPARE(filesOf(folder.path()), files);

    tree.omitOnce(QStringLiteral("docs"), QStringLiteral("docs/b.txt"));
    tree.omitOnce(QStringLiteral(""), QStringLiteral("photos"));
    const CliRunner::Outcome missed =
        runServing(cli, syncArguments(folder.path(), server.collectionUrl()));
    QCOMPARE(tree.omissionsPending(), 0);
    QCOMPARE(filesOf(folder.path()), files);
    QCOMPARE(trashedFiles(cli, folder.path()), QStringList());
    QVERIFY2(missed.exitCode == 1, qPrintable(describe(missed)));
    QCOMPARE(missed.json().value(QStringLiteral("deleted_local")).toInt(), 0);

    const CliRunner::Outcome settled =
        runServing(cli, syncArguments(folder.path(), server.collectionUrl()));
    QVERIFY2(settled.exitCode == 0, qPrintable(describe(settled)));
    QCOMPARE(filesOf(folder.path()), files);
    QCOMPARE(trashedFiles(cli, folder.path()), QStringList());
}

QTEST_GUILESS_MAIN(TestProvenListing)
#include "tst_provenlisting.moc"
