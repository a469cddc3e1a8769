// PROPFIND Depth: infinity against the scripted tree (issue 21): a server that refuses it
// (Apache's 403 with <D:propfind-finite-depth/>) or fails it (503) is asked once per session,
// not on every walk, and every walk still lists the whole tree, with Depth 1 instead; one that
// answers it is walked with that one request.
#include "hostilewebdavserver.h"
#include "remote/remotebackend.h"
#include "scripteddavtree.h"
#include "sync/remotewalker.h"
#include "testutil.h"

#include <QTest>

using namespace steadysync;
using test::HostileWebDavServer;
using test::ScriptedDavTree;

Q_DECLARE_METATYPE(steadysync::test::ScriptedDavTree::DepthInfinity)

namespace {

constexpr int walkTimeoutMs = 60'000;
constexpr int walks = 3;

// Three levels of folders with a file in each: "a/x.txt", "a/b/x.txt", "a/b/c/x.txt", ...
QStringList fillTree(ScriptedDavTree *tree)
{
    QStringList paths;
    for (const QString &top : {QStringLiteral("a"), QStringLiteral("d")}) {
        QString folder;
        for (const QString &name : {top, QStringLiteral("b"), QStringLiteral("c")}) {
            folder = folder.isEmpty() ? name : folder + QLatin1Char('/') + name;
            tree->putDirectory(folder);
            tree->putFile(folder + QStringLiteral("/x.txt"), folder.toUtf8());
            paths << folder << folder + QStringLiteral("/x.txt");
        }
    }
    paths.sort();
    return paths;
}

int depthInfinityRequests(const HostileWebDavServer &server)
{
    int count = 0;
    for (const HostileWebDavServer::Request &request : server.requests())
        count += request.method == "PROPFIND" &&
                 request.header("Depth").trimmed().toLower() == "infinity";
    return count;
}

} // namespace

class TestTreeListing : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void depthInfinityIsAskedOncePerSessionWhereItFails_data();
    void depthInfinityIsAskedOncePerSessionWhereItFails();
    void wholeTreeAnswerIsOneRequestPerWalk();

private:
    // Walks the whole remote; the paths found, or what went wrong.
    static QStringList walk(RemoteWalker *walker);
};

QStringList TestTreeListing::walk(RemoteWalker *walker)
{
    bool finished = false;
    QObject::connect(walker, &RemoteWalker::finished, [&finished] { finished = true; });
    walker->start({QString()});
    if (!test::waitFor([&finished] { return finished; }, walkTimeoutMs))
        return {QStringLiteral("(the walk did not finish)")};
    if (walker->error())
        return {QStringLiteral("(failed: %1)").arg(walker->error()->message)};
    QStringList seen = walker->snapshot().keys();
    seen.sort();
    return seen;
}

void TestTreeListing::depthInfinityIsAskedOncePerSessionWhereItFails_data()
{
    QTest::addColumn<ScriptedDavTree::DepthInfinity>("answer");
    QTest::newRow("refused like Apache (403)") << ScriptedDavTree::DepthInfinity::Refused;
    QTest::newRow("failing (503)") << ScriptedDavTree::DepthInfinity::Unavailable;
}

void TestTreeListing::depthInfinityIsAskedOncePerSessionWhereItFails()
{
    QFETCH(ScriptedDavTree::DepthInfinity, answer);
    ScriptedDavTree tree;
    const QStringList expected = fillTree(&tree);
    tree.setDepthInfinity(answer);
    HostileWebDavServer server;
    server.setHandler(tree.handler());
    QVERIFY(server.start());
    QString error;
    const std::unique_ptr<RemoteBackend> backend =
        RemoteBackend::create(server.collectionUrl(), BackendOptions{}, &error);
    QVERIFY2(backend, qPrintable(error));

    for (int i = 0; i < walks; ++i) {
        RemoteWalker walker(backend.get(), IgnoreRules(), 4);
        QCOMPARE(walk(&walker), expected);
        // The root and the six folders, each with Depth 1.
        QCOMPARE(walker.listingsMade() - walker.treeListingsMade(), 7);
    }
    QCOMPARE(depthInfinityRequests(server), 1);
}

void TestTreeListing::wholeTreeAnswerIsOneRequestPerWalk()
{
    ScriptedDavTree tree;
    const QStringList expected = fillTree(&tree);
    tree.setDepthInfinity(ScriptedDavTree::DepthInfinity::Whole);
    HostileWebDavServer server;
    server.setHandler(tree.handler());
    QVERIFY(server.start());
    QString error;
    const std::unique_ptr<RemoteBackend> backend =
        RemoteBackend::create(server.collectionUrl(), BackendOptions{}, &error);
    QVERIFY2(backend, qPrintable(error));

    for (int i = 0; i < walks; ++i) {
        RemoteWalker walker(backend.get(), IgnoreRules(), 4);
        QCOMPARE(walk(&walker), expected);
        QCOMPARE(walker.listingsMade(), 1);
        QCOMPARE(walker.treeListingsMade(), 1);
    }
    QCOMPARE(server.requestCount(), walks);
}

QTEST_GUILESS_MAIN(TestTreeListing)
#include "tst_treelisting.moc"
