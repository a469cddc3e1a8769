// A real Apache with DavDepthInfinity On (issue 21): the real steadysync-cli walks it with one
// PROPFIND Depth: infinity (beside the Depth-0 stat of the root every sync starts with), finds
// a change deep in the tree, and still proves a deletion with a fresh Depth-1 listing of its
// folder before deleting (DESIGN.md, "Deletions need proof").
#include "clirunner.h"
#include "testutil.h"
#include "webdavserver.h"

#include <QFile>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace steadysync::test;

namespace {

QString describe(const CliRunner::Outcome &outcome, const QStringList &requests)
{
    return QStringLiteral("exit %1\nstdout: %2\nstderr: %3\nrequests:\n%4")
        .arg(outcome.exitCode)
        .arg(QString::fromUtf8(outcome.out), QString::fromUtf8(outcome.err),
             requests.join(QLatin1Char('\n')));
}

// Files only (folders, and mod_dav_fs's property store .DAV/, left out): path -> content.
QMap<QString, QByteArray> filesOf(const QString &root)
{
    QMap<QString, QByteArray> files = readTree(root);
    for (auto it = files.begin(); it != files.end();) {
        const bool skipped = it.key().endsWith(QLatin1Char('/')) ||
                             it.key().split(QLatin1Char('/')).contains(QLatin1String(".DAV"));
        it = skipped ? files.erase(it) : std::next(it);
    }
    return files;
}

QStringList propfindsOf(const QStringList &requests)
{
    QStringList propfinds;
    for (const QString &request : requests)
        if (request.startsWith(QLatin1String("PROPFIND ")))
            propfinds << request;
    return propfinds;
}

// The listings among them (Depth 1 or infinity): every PROPFIND but the stats (Depth 0), such
// as the stat of the root each sync starts with (root identity, permissions; a process's first
// is answered 401 before its credentials go with every request) and a download's stat.
QStringList listingsOf(const QStringList &requests)
{
    QStringList listings = propfindsOf(requests);
    listings.removeIf(
        [](const QString &request) { return request.startsWith(QLatin1String("PROPFIND 0 ")); });
    return listings;
}

} // namespace

class TestDepthInfinityApache : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void oneListingFindsDeepChangesAndDeletionsStillNeedProof();
    void aNoChangeSyncOfFoldersOfFilesListsTheRootOnly();

private:
    // The CLI with its own home, syncing local with the server's root.
    void pair(const QString &home, const QString &local);
    // Runs one sync; the requests Apache answered during it.
    QStringList syncOnce(const QString &step, int expectedExit, CliRunner::Outcome *outcome);

    std::unique_ptr<WebDavServer> m_server;
    QStringList m_arguments;
    std::unique_ptr<CliRunner> m_cli;
};

void TestDepthInfinityApache::pair(const QString &home, const QString &local)
{
    m_cli = std::make_unique<CliRunner>(home);
    m_cli->setPassword(m_server->password());
    m_arguments = QStringList{QStringLiteral("sync"),     local,
                              m_server->url().toString(), QStringLiteral("--user"),
                              m_server->user(),           QStringLiteral("--json")};
}

QStringList TestDepthInfinityApache::syncOnce(const QString &step, int expectedExit,
                                              CliRunner::Outcome *outcome)
{
    const qsizetype before = m_server->requestsAnswered().size();
    *outcome = m_cli->run(m_arguments);
    const QStringList requests = m_server->requestsAnswered().mid(before);
    if (outcome->exitCode != expectedExit)
        qWarning("%s: %s", qPrintable(step), qPrintable(describe(*outcome, requests)));
    return requests;
}

void TestDepthInfinityApache::oneListingFindsDeepChangesAndDeletionsStillNeedProof()
{
    QString error;
    m_server = WebDavServer::start(WebDavServer::Kind::Apache, &error, {},
                                   WebDavServer::DepthInfinity::Allowed);
    QVERIFY2(m_server, qPrintable(error));
    const QString data = m_server->dataDirectory();
    const QString deep = QStringLiteral("one/two/three/four/deep.txt");
    const QString doomed = QStringLiteral("other/gone/doomed.txt");
    writeFile(data, QStringLiteral("top.txt"), "top");
    writeFile(data, deep, "deep");
    writeFile(data, QStringLiteral("one/two/beside.txt"), "beside");
    writeFile(data, doomed, "doomed");
    writeFile(data, QStringLiteral("other/gone/stays.txt"), "stays");

    QTemporaryDir home;
    QTemporaryDir local;
    pair(home.path(), local.path());
    CliRunner::Outcome outcome;
    QStringList requests = syncOnce(QStringLiteral("first sync"), 0, &outcome);
    QCOMPARE(outcome.exitCode, 0);
    QCOMPARE(filesOf(local.path()), filesOf(data));

    // Nothing changed: the whole remote in one answer, and nothing else is asked.
    requests = syncOnce(QStringLiteral("no-change sync"), 0, &outcome);
    QCOMPARE(outcome.exitCode, 0);
    QCOMPARE(outcome.json().value(QStringLiteral("downloaded")).toInt(), 0);
    QCOMPARE(outcome.json().value(QStringLiteral("uploaded")).toInt(), 0);
    QVERIFY2(listingsOf(requests) == QStringList{QStringLiteral("PROPFIND infinity /dav/ 207")},
             qPrintable(describe(outcome, requests)));
    QStringList besideRootStats = requests;
    besideRootStats.removeIf([](const QString &request) {
        return request.startsWith(QLatin1String("PROPFIND 0 /dav/ "));
    });
    QVERIFY2(besideRootStats == QStringList{QStringLiteral("PROPFIND infinity /dav/ 207")},
             qPrintable(describe(outcome, requests)));

    // Changed four folders down, by another client: found by that one answer.
    writeFile(data, deep, "deep, changed on the server");
    requests = syncOnce(QStringLiteral("deep change"), 0, &outcome);
    QCOMPARE(outcome.exitCode, 0);
    QCOMPARE(outcome.json().value(QStringLiteral("downloaded")).toInt(), 1);
    QCOMPARE(filesOf(local.path()).value(deep), QByteArray("deep, changed on the server"));
    QVERIFY2(listingsOf(requests) == QStringList{QStringLiteral("PROPFIND infinity /dav/ 207")},
             qPrintable(describe(outcome, requests)));

    // Deleted on the server: the tree answer no longer shows it, and a fresh Depth-1 listing
    // of its folder proves it gone before the local copy goes.
    QVERIFY(QFile::remove(data + QLatin1Char('/') + doomed));
    requests = syncOnce(QStringLiteral("remote deletion"), 0, &outcome);
    QCOMPARE(outcome.exitCode, 0);
    QVERIFY(!QFile::exists(local.filePath(doomed)));
    QCOMPARE(filesOf(local.path()), filesOf(data));
    QVERIFY2(listingsOf(requests) ==
                 QStringList({QStringLiteral("PROPFIND infinity /dav/ 207"),
                              QStringLiteral("PROPFIND 1 /dav/other/gone/ 207")}),
             qPrintable(describe(outcome, requests)));
}

// Apache's collection ETags follow their direct members: a sync remembers the folders it saw
// (the tree cache, kept between runs) and lists only the root and what changed. A no-change
// sync of 100,000 files in 1,000 folders asked for a 42 MB tree answer.
void TestDepthInfinityApache::aNoChangeSyncOfFoldersOfFilesListsTheRootOnly()
{
    QString error;
    m_server = WebDavServer::start(WebDavServer::Kind::Apache, &error, {},
                                   WebDavServer::DepthInfinity::Allowed);
    QVERIFY2(m_server, qPrintable(error));
    const QString data = m_server->dataDirectory();
    for (int i = 0; i < 300; ++i)
        writeFile(data, QStringLiteral("d%1/f%2.txt").arg(i % 10).arg(i), "on the server");
    // An hour old: Apache's ETags are weak for a second after a change, and a weak ETag proves
    // nothing (RemoteWalker::reuseCachedSubtree), so the second sync would list every folder
    // whenever the first ran within that second.
    QVERIFY(runTool(QStringLiteral("find"),
                    {data, QStringLiteral("-exec"), QStringLiteral("touch"), QStringLiteral("-d"),
                     QStringLiteral("1 hour ago"), QStringLiteral("{}"), QStringLiteral("+")}));
    QTemporaryDir home;
    QTemporaryDir local;
    pair(home.path(), local.path());
    CliRunner::Outcome outcome;
    QStringList requests = syncOnce(QStringLiteral("first sync"), 0, &outcome);
    QCOMPARE(outcome.exitCode, 0);
    QCOMPARE(filesOf(local.path()), filesOf(data));

    requests = syncOnce(QStringLiteral("no-change sync"), 0, &outcome);
    QCOMPARE(outcome.exitCode, 0);
    QVERIFY2(listingsOf(requests) == QStringList{QStringLiteral("PROPFIND 1 /dav/ 207")},
             qPrintable(describe(outcome, requests)));

    // Another client adds a file to one folder and removes one from another: those two are
    // listed, the deletion proven by a fresh listing, and the rest is as the cache holds it.
    writeFile(data, QStringLiteral("d3/new.txt"), "new on the server");
    QVERIFY(QFile::remove(data + QStringLiteral("/d5/f5.txt")));
    requests = syncOnce(QStringLiteral("two folders changed"), 0, &outcome);
    QCOMPARE(outcome.exitCode, 0);
    QCOMPARE(filesOf(local.path()), filesOf(data));
    QStringList listings = listingsOf(requests);
    listings.removeDuplicates();
    listings.sort();
    QVERIFY2(listings == QStringList({QStringLiteral("PROPFIND 1 /dav/ 207"),
                                      QStringLiteral("PROPFIND 1 /dav/d3/ 207"),
                                      QStringLiteral("PROPFIND 1 /dav/d5/ 207")}),
             qPrintable(describe(outcome, requests)));
}

QTEST_GUILESS_MAIN(TestDepthInfinityApache)
#include "tst_depthinfinityapache.moc"
