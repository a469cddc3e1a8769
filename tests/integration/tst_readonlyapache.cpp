// A read-only folder on a real Apache (issue 13, case 7): `<Limit PUT DELETE MKCOL MOVE COPY
// LOCK PROPPATCH>` denied in one folder, as a read-only share. The real steadysync-cli restores
// a local delete, keeps a local edit under a clear name beside the server's version, keeps a
// new file here, and the runs after that transfer nothing and exit the same way.
#include "clirunner.h"
#include "testutil.h"
#include "webdavserver.h"

#include <QFile>
#include <QJsonObject>
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

} // namespace

class TestReadOnlyApache : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void deniedFolderRestoresKeepsAndSettles();
};

void TestReadOnlyApache::deniedFolderRestoresKeepsAndSettles()
{
    QString error;
    const std::unique_ptr<WebDavServer> server =
        WebDavServer::start(WebDavServer::Kind::Apache, &error, {QStringLiteral("ro")});
    QVERIFY2(server, qPrintable(error));
    writeFile(server->dataDirectory(), QStringLiteral("ro/a.txt"), "alpha");
    writeFile(server->dataDirectory(), QStringLiteral("ro/b.txt"), "beta");
    const QMap<QString, QByteArray> onServer = filesOf(server->dataDirectory());
    QTemporaryDir home;
    QTemporaryDir local;
    CliRunner cli(home.path());
    cli.setPassword(server->password());
    const QStringList sync{QStringLiteral("sync"),   local.path(),   server->url().toString(),
                           QStringLiteral("--user"), server->user(), QStringLiteral("--json")};
    const CliRunner::Outcome first = cli.run(sync);
    QVERIFY2(first.exitCode == 0, qPrintable(describe(first)));

    QVERIFY(QFile::remove(local.filePath(QStringLiteral("ro/a.txt"))));
    writeFile(local.path(), QStringLiteral("ro/b.txt"), "beta, edited here");
    writeFile(local.path(), QStringLiteral("ro/new.txt"), "new here");
    const CliRunner::Outcome second = cli.run(sync);
    // The kept edit and the new file are here only: exit 1, two failed items.
    QVERIFY2(second.exitCode == 1, qPrintable(describe(second)));
    QCOMPARE(second.json().value(QStringLiteral("failed")).toInt(), 2);
    QMap<QString, QByteArray> expected = onServer;
    expected.insert(QStringLiteral("ro/b (not uploaded: read-only folder).txt"),
                    "beta, edited here");
    expected.insert(QStringLiteral("ro/new.txt"), "new here");
    QCOMPARE(filesOf(local.path()), expected);
    QCOMPARE(filesOf(server->dataDirectory()), onServer);

    for (int run = 3; run <= 4; ++run) {
        const CliRunner::Outcome again = cli.run(sync);
        QVERIFY2(again.exitCode == 1, qPrintable(describe(again)));
        const QJsonObject json = again.json();
        QVERIFY2(json.value(QStringLiteral("uploaded")).toInt() == 0 &&
                     json.value(QStringLiteral("downloaded")).toInt() == 0 &&
                     json.value(QStringLiteral("failed")).toInt() == 2,
                 qPrintable(describe(again)));
        QCOMPARE(filesOf(local.path()), expected);
        QCOMPARE(filesOf(server->dataDirectory()), onServer);
    }
}

QTEST_GUILESS_MAIN(TestReadOnlyApache)
#include "tst_readonlyapache.moc"
