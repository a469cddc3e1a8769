// The real steadysync-cli against a server that gives each item an identity that survives a
// rename (oc:fileid, as ownCloud and Nextcloud do; its ETags are not taken for identities
// there) (issue 13, case 8 and deliverable 7): a folder or file renamed on the server by
// another client becomes one local move, not a trip through the trash and a new download.
// Nextcloud 32 keeps a file's ETag across a MOVE (measured), as this server does by default.
#include "clirunner.h"
#include "quirkydavserver.h"
#include "testutil.h"

#include <QDir>
#include <QDirIterator>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace steadysync::test;

namespace {

CliRunner::Outcome sync(const CliRunner &cli, const QuirkyDavServer &server, const QString &local)
{
    return cli.runServing(
        {QStringLiteral("sync"), local, server.url().toString(), QStringLiteral("--json")});
}

int count(const CliRunner::Outcome &outcome, const char *key)
{
    return outcome.json().value(QLatin1String(key)).toInt();
}

int filesIn(const QString &directory)
{
    int files = 0;
    QDirIterator it(directory, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        ++files;
    }
    return files;
}

int getRequests(QuirkyDavServer &server)
{
    int gets = 0;
    for (const HostileWebDavServer::Request &request : server.http().requests())
        gets += request.method == "GET" && request.target.startsWith("/dav/"); // not status.php
    return gets;
}

} // namespace

class TestServerMoves : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void folderRenamedOnTheServerIsOneLocalMove();
    void fileRenamedAndEditedOnTheServerMovesThenDownloads();
    void recordsFromBeforeFileIdsLearnThem();
    void withoutFileIdsARenameIsDeleteAndDownload();

private:
    void syncPhotos(int files);

    std::unique_ptr<QTemporaryDir> m_home;
    std::unique_ptr<CliRunner> m_cli;
    std::unique_ptr<QuirkyDavServer> m_server;
    std::unique_ptr<QTemporaryDir> m_local;
};

void TestServerMoves::init()
{
    m_home = std::make_unique<QTemporaryDir>();
    m_cli = std::make_unique<CliRunner>(m_home->path());
    m_server = std::make_unique<QuirkyDavServer>();
    m_server->quirks().ownCloudProperties = true;
    m_local = std::make_unique<QTemporaryDir>();
    QVERIFY(m_server->start());
}

void TestServerMoves::syncPhotos(int files)
{
    for (int i = 0; i < files; ++i)
        m_server->putFile(QStringLiteral("Photos/img%1.jpg").arg(i),
                          "photo " + QByteArray::number(i));
    const CliRunner::Outcome first = sync(*m_cli, *m_server, m_local->path());
    QVERIFY2(first.exitCode == 0, qPrintable(first.describe()));
    QCOMPARE(filesIn(m_local->filePath(QStringLiteral("Photos"))), files);
}

// Was: 60 files to the trash and 60 downloads.
void TestServerMoves::folderRenamedOnTheServerIsOneLocalMove()
{
    syncPhotos(60);
    QVERIFY(m_server->moveItem(QStringLiteral("Photos"), QStringLiteral("Pictures")));
    const int getsBefore = getRequests(*m_server);

    const CliRunner::Outcome outcome = sync(*m_cli, *m_server, m_local->path());
    QVERIFY2(outcome.exitCode == 0, qPrintable(outcome.describe()));
    QCOMPARE(count(outcome, "moved"), 1);
    QCOMPARE(count(outcome, "downloaded"), 0);
    QCOMPARE(count(outcome, "deleted_local"), 0);
    QCOMPARE(getRequests(*m_server), getsBefore);
    QVERIFY(!QFileInfo::exists(m_local->filePath(QStringLiteral("Photos"))));
    QCOMPARE(filesIn(m_local->filePath(QStringLiteral("Pictures"))), 60);
    QCOMPARE(readFile(m_local->filePath(QStringLiteral("Pictures/img7.jpg"))),
             QByteArray("photo 7"));
    QCOMPARE(filesIn(m_cli->trashFilesDirectory()), 0);

    const CliRunner::Outcome again = sync(*m_cli, *m_server, m_local->path());
    QVERIFY2(again.exitCode == 0, qPrintable(again.describe()));
    QCOMPARE(count(again, "moved") + count(again, "downloaded") + count(again, "uploaded"), 0);
}

// The file id names the file although its ETag and content changed too: it moves here, and
// then the server's new content replaces the old one.
void TestServerMoves::fileRenamedAndEditedOnTheServerMovesThenDownloads()
{
    m_server->quirks().newEtagsOnMove = true;
    syncPhotos(3);
    QVERIFY(m_server->moveItem(QStringLiteral("Photos/img1.jpg"), QStringLiteral("best.jpg")));
    m_server->putFile(QStringLiteral("best.jpg"), "photo 1, retouched");

    const CliRunner::Outcome outcome = sync(*m_cli, *m_server, m_local->path());
    QVERIFY2(outcome.exitCode == 0, qPrintable(outcome.describe()));
    QCOMPARE(count(outcome, "moved"), 1);
    QCOMPARE(count(outcome, "downloaded"), 1);
    QCOMPARE(count(outcome, "deleted_local"), 0);
    QVERIFY(!QFileInfo::exists(m_local->filePath(QStringLiteral("Photos/img1.jpg"))));
    QCOMPARE(readFile(m_local->filePath(QStringLiteral("best.jpg"))),
             QByteArray("photo 1, retouched"));
    QCOMPARE(m_server->files().value(QStringLiteral("best.jpg")), QByteArray("photo 1, retouched"));
}

// A pair synced before its server's file ids were recorded (schema 3) learns them on the next
// run, and a rename after that is a move.
void TestServerMoves::recordsFromBeforeFileIdsLearnThem()
{
    m_server->quirks().ownCloudProperties = false;
    syncPhotos(5);
    m_server->quirks().ownCloudProperties = true;
    const CliRunner::Outcome learn = sync(*m_cli, *m_server, m_local->path());
    QVERIFY2(learn.exitCode == 0, qPrintable(learn.describe()));
    QCOMPARE(count(learn, "downloaded") + count(learn, "uploaded"), 0);

    QVERIFY(m_server->moveItem(QStringLiteral("Photos"), QStringLiteral("Pictures")));
    const CliRunner::Outcome outcome = sync(*m_cli, *m_server, m_local->path());
    QVERIFY2(outcome.exitCode == 0, qPrintable(outcome.describe()));
    QCOMPARE(count(outcome, "moved"), 1);
    QCOMPARE(count(outcome, "downloaded"), 0);
    QCOMPARE(filesIn(m_local->filePath(QStringLiteral("Pictures"))), 5);
}

// The contrast: a server with neither file ids nor ETags that survive a move gives no proof
// that the renamed files are the same; they are fetched again, and nothing is lost.
void TestServerMoves::withoutFileIdsARenameIsDeleteAndDownload()
{
    m_server->quirks().ownCloudProperties = false;
    syncPhotos(5);
    QVERIFY(m_server->moveItem(QStringLiteral("Photos"), QStringLiteral("Pictures")));

    const CliRunner::Outcome outcome = sync(*m_cli, *m_server, m_local->path());
    QVERIFY2(outcome.exitCode == 0, qPrintable(outcome.describe()));
    QCOMPARE(count(outcome, "moved"), 0);
    QCOMPARE(count(outcome, "downloaded"), 5);
    QCOMPARE(filesIn(m_local->filePath(QStringLiteral("Pictures"))), 5);
    QCOMPARE(filesIn(m_cli->trashFilesDirectory()), 5);
}

QTEST_GUILESS_MAIN(TestServerMoves)
#include "tst_servermoves.moc"
