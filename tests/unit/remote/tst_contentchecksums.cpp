// Issue 14, case 1c, measured on a real Nextcloud 32: a file's ETag there comes from its size,
// mtime and inode, the mtime is the one the client sends (X-OC-Mtime), and the PUT's temporary
// file may reuse the freed inode. Two clients that append different lines of one length within
// the same second therefore leave the server's ETag unchanged when the second one's version
// replaces the first's: the first client took the server's version for its own and stayed with
// its own content under the name, "in sync". The server names content where it is asked to
// (OC-Checksum on the PUT, oc:checksums in listings): the real steadysync-cli sends its SHA-256
// and trusts a listed SHA-256 over an ETag.
#include "clirunner.h"
#include "quirkydavserver.h"
#include "testutil.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
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

void writeWithMtime(const QString &directory, const QString &name, const QByteArray &content,
                    const QDateTime &mtime)
{
    writeFile(directory, name, content);
    QFile file(directory + QLatin1Char('/') + name);
    QVERIFY(file.open(QIODevice::ReadWrite));
    QVERIFY(file.setFileTime(mtime, QFileDevice::FileModificationTime));
}

} // namespace

class TestContentChecksums : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sameSizeAndMtimeRewriteIsSeenByItsChecksum();
    void uploadsNameTheirContent();
};

void TestContentChecksums::sameSizeAndMtimeRewriteIsSeenByItsChecksum()
{
    QTemporaryDir home, a, b;
    CliRunner cli(home.path());
    QuirkyDavServer server;
    server.quirks().ownCloudProperties = true;
    server.quirks().nextcloudFileEtags = true;
    QVERIFY(server.start());

    writeFile(a.path(), QStringLiteral("plan.txt"), "common\n");
    QCOMPARE(sync(cli, server, a.path()).exitCode, 0);
    QCOMPARE(sync(cli, server, b.path()).exitCode, 0);

    const QDateTime sameSecond = QDateTime::currentDateTimeUtc().addSecs(-30);
    writeWithMtime(a.path(), QStringLiteral("plan.txt"), "common\nline from A 1\n", sameSecond);
    writeWithMtime(b.path(), QStringLiteral("plan.txt"), "common\nline from B 2\n", sameSecond);
    QCOMPARE(sync(cli, server, b.path()).exitCode, 0);
    // A's edit meets B's: a conflict, both kept (A's under the name: it is newer or equal).
    const CliRunner::Outcome conflict = sync(cli, server, a.path());
    QVERIFY2(conflict.exitCode <= 1, qPrintable(conflict.describe()));
    QCOMPARE(sync(cli, server, a.path()).exitCode, 0);
    const CliRunner::Outcome settled = sync(cli, server, b.path());
    QVERIFY2(settled.exitCode == 0, qPrintable(settled.describe()));

    // Both clients hold what the server holds, under every name.
    const QMap<QString, QByteArray> onServer = server.files();
    QCOMPARE(onServer.size(), 2);
    QCOMPARE(readTree(a.path()), onServer);
    QCOMPARE(readTree(b.path()), onServer);
    QVERIFY(onServer.values().contains("common\nline from A 1\n"));
    QVERIFY(onServer.values().contains("common\nline from B 2\n"));
}

void TestContentChecksums::uploadsNameTheirContent()
{
    QTemporaryDir home, a;
    CliRunner cli(home.path());
    QuirkyDavServer server;
    server.quirks().ownCloudProperties = true;
    server.quirks().nextcloudFileEtags = true;
    QVERIFY(server.start());
    writeFile(a.path(), QStringLiteral("notes.txt"), "hello\n");
    QCOMPARE(sync(cli, server, a.path()).exitCode, 0);
    QByteArray checksum;
    for (const HostileWebDavServer::Request &request : server.http().requests())
        if (request.method == "PUT")
            checksum = request.header("OC-Checksum");
    QCOMPARE(checksum,
             QByteArray("SHA256:5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03"));
}

QTEST_GUILESS_MAIN(TestContentChecksums)
#include "tst_contentchecksums.moc"
