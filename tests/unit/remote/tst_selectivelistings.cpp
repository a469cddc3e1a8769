// Selective sync keeps a small selection of a large remote fast (issue 18, deliverable 6):
// the listings of excluded folders are skipped. The real CLI against QuirkyDavServer, which
// answers Depth: infinity with 403 (as Apache and nginx do), so every folder is one PROPFIND.
#include "clirunner.h"
#include "quirkydavserver.h"
#include "testutil.h"

#include <QTemporaryDir>
#include <QTest>

using namespace steadysync::test;

namespace {

constexpr int Folders = 1000;

QString folderName(int i)
{
    return QStringLiteral("folder%1").arg(i, 4, 10, QLatin1Char('0'));
}

int count(QuirkyDavServer &server, const QByteArray &method)
{
    int requests = 0;
    for (const HostileWebDavServer::Request &request : server.http().requests())
        requests += method.isEmpty() || request.method == method;
    return requests;
}

} // namespace

class TestSelectiveListings : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void noChangeSyncOfOneSelectedFolderOfAThousand();
};

void TestSelectiveListings::noChangeSyncOfOneSelectedFolderOfAThousand()
{
    QTemporaryDir home;
    QTemporaryDir local;
    CliRunner cli(home.path());
    QuirkyDavServer server;
    QVERIFY(server.start());
    for (int i = 0; i < Folders; ++i)
        server.putFile(folderName(i) + QStringLiteral("/file.txt"),
                       "content " + QByteArray::number(i));

    QStringList exclude{QStringLiteral("select"), local.path(), QStringLiteral("exclude")};
    for (int i = 1; i < Folders; ++i)
        exclude.append(folderName(i));
    const CliRunner::Outcome selected = cli.run(exclude);
    QVERIFY2(selected.exitCode == 0, qPrintable(selected.describe()));

    const QStringList sync{QStringLiteral("sync"), local.path(), server.url().toString(),
                           QStringLiteral("--json")};
    const CliRunner::Outcome first = cli.runServing(sync);
    QVERIFY2(first.exitCode == 0, qPrintable(first.describe()));
    QCOMPARE(first.json().value(QStringLiteral("downloaded")).toInt(), 1);

    const int before = count(server, {});
    const int propfindsBefore = count(server, "PROPFIND");
    const CliRunner::Outcome again = cli.runServing(sync);
    QVERIFY2(again.exitCode == 0, qPrintable(again.describe()));
    const int requests = count(server, {}) - before;
    const int propfinds = count(server, "PROPFIND") - propfindsBefore;
    qInfo("no-change sync, 1 folder of %d selected: %d requests (%d PROPFIND)", Folders, requests,
          propfinds);
    // The root's stat and listing and the one selected folder's listing, give or take an
    // OPTIONS: not one per excluded folder.
    QVERIFY2(requests <= 6, qPrintable(QString::number(requests)));
}

QTEST_GUILESS_MAIN(TestSelectiveListings)
#include "tst_selectivelistings.moc"
