// The real steadysync-cli against a server folder the user may only read (issue 13, case 7):
// PUT, DELETE, MKCOL and MOVE below it answer 403, as a read-only share does; or, as on
// ownCloud and Nextcloud, oc:permissions say so, and then no such write is even sent (the
// server of that row would accept them). A local delete
// is restored from the server, a local edit is kept here under a clear name while the server's
// version takes the name, a new file stays here; each is said once, and the next runs change
// nothing and send no writes (no retry loop), with the same exit code.
#include "clirunner.h"
#include "quirkydavserver.h"
#include "testutil.h"

#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonObject>
#include <QProcess>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>

using namespace steadysync::test;

namespace {

const QString keptEditName = QStringLiteral("ro/b (not uploaded: read-only folder).txt");

// Serves the server from this thread while the CLI runs (CliRunner::run would block it).
CliRunner::Outcome sync(const CliRunner &cli, const QuirkyDavServer &server, const QString &local)
{
    return cli.runServing(
        {QStringLiteral("sync"), local, server.url().toString(), QStringLiteral("--json")});
}

bool transferred(const CliRunner::Outcome &outcome)
{
    const QJsonObject json = outcome.json();
    return json.value(QStringLiteral("uploaded")).toInt() != 0 ||
           json.value(QStringLiteral("downloaded")).toInt() != 0 ||
           json.value(QStringLiteral("deleted_local")).toInt() != 0 ||
           json.value(QStringLiteral("deleted_remote")).toInt() != 0;
}

// Every name below root, .steadysync/ left out, sorted.
QStringList namesBelow(const QString &root)
{
    QStringList names;
    QDirIterator it(root, QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString relative = QDir(root).relativeFilePath(it.next());
        if (!relative.startsWith(QLatin1String(".steadysync")))
            names.append(relative);
    }
    names.sort();
    return names;
}

} // namespace

class TestReadOnlyFolders : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase_data();
    void init();
    void localDeleteIsRestoredFromTheServer();
    void localEditIsKeptUnderAClearNameAndTheServerVersionRestored();
    void newLocalFileStaysLocalAndIsReportedWithoutRetrying();
    void localRenameIsUndoneAndTheNewNameKept();
    void fileMovedOutOfTheReadOnlyFolderArrivesAsACopy();
    void locallyDeletedFolderIsRestoredFromTheServer();
    void newLocalFolderStaysLocal();
    void watchKeepsTheEditOnceAndSendsNoMoreWrites();

private:
    // Syncs ro/a.txt, ro/b.txt and rw.txt, then makes "ro" read-only on the server.
    void syncThenMakeReadOnly();
    // Runs sync twice more: the same exit code, no transfers, no refused writes sent, no new
    // names on either side.
    void settles(int exitCode);
    int writesSent() const;
    int rootListings() const; // PROPFINDs of the collection root: polls and cycles
    int writesIntoReadOnlyFolder() const;

    std::unique_ptr<QTemporaryDir> m_home;
    std::unique_ptr<CliRunner> m_cli;
    std::unique_ptr<QuirkyDavServer> m_server;
    std::unique_ptr<QTemporaryDir> m_local;
};

void TestReadOnlyFolders::initTestCase_data()
{
    QTest::addColumn<bool>("permissionsOnly");
    QTest::newRow("403 on writes") << false;
    QTest::newRow("oc:permissions, writes accepted") << true;
}

void TestReadOnlyFolders::init()
{
    QFETCH_GLOBAL(bool, permissionsOnly);
    m_home = std::make_unique<QTemporaryDir>();
    m_cli = std::make_unique<CliRunner>(m_home->path());
    m_server = std::make_unique<QuirkyDavServer>();
    m_server->quirks().ownCloudProperties = permissionsOnly;
    m_server->quirks().refuseReadOnlyWrites = !permissionsOnly;
    m_local = std::make_unique<QTemporaryDir>();
    QVERIFY(m_server->start());
}

void TestReadOnlyFolders::syncThenMakeReadOnly()
{
    m_server->putFile(QStringLiteral("ro/a.txt"), "alpha");
    m_server->putFile(QStringLiteral("ro/b.txt"), "beta");
    m_server->putFile(QStringLiteral("rw.txt"), "writable");
    const CliRunner::Outcome first = sync(*m_cli, *m_server, m_local->path());
    QVERIFY2(first.exitCode == 0, qPrintable(first.describe()));
    m_server->quirks().readOnlyFolders.append(QStringLiteral("ro"));
}

int TestReadOnlyFolders::writesSent() const
{
    int writes = 0;
    for (const HostileWebDavServer::Request &request : m_server->http().requests()) {
        const QByteArray &method = request.method;
        writes += method == "PUT" || method == "DELETE" || method == "MKCOL" || method == "MOVE";
    }
    return writes;
}

int TestReadOnlyFolders::writesIntoReadOnlyFolder() const
{
    int writes = 0;
    for (const HostileWebDavServer::Request &request : m_server->http().requests()) {
        const QByteArray &method = request.method;
        const bool write =
            method == "PUT" || method == "DELETE" || method == "MKCOL" || method == "MOVE";
        writes += write && (request.target.startsWith("/dav/ro/") ||
                            request.header("Destination").contains("/dav/ro/"));
    }
    return writes;
}

int TestReadOnlyFolders::rootListings() const
{
    int count = 0;
    for (const HostileWebDavServer::Request &request : m_server->http().requests())
        count += request.method == "PROPFIND" && request.target == "/dav/";
    return count;
}

void TestReadOnlyFolders::settles(int exitCode)
{
    QFETCH_GLOBAL(bool, permissionsOnly);
    if (permissionsOnly)
        QCOMPARE(writesIntoReadOnlyFolder(), 0);
    const QStringList localNames = namesBelow(m_local->path());
    const QMap<QString, QByteArray> remoteFiles = m_server->files();
    const int writes = writesSent();
    for (int run = 1; run <= 2; ++run) {
        const CliRunner::Outcome again = sync(*m_cli, *m_server, m_local->path());
        QVERIFY2(again.exitCode == exitCode, qPrintable(again.describe()));
        QVERIFY2(!transferred(again), qPrintable(again.describe()));
        QCOMPARE(namesBelow(m_local->path()), localNames);
        QCOMPARE(m_server->files(), remoteFiles);
        QCOMPARE(writesSent(), writes);
    }
}

// Was: the DELETE was refused, the file stayed deleted here, and every run exited 1.
void TestReadOnlyFolders::localDeleteIsRestoredFromTheServer()
{
    syncThenMakeReadOnly();
    QVERIFY(QFile::remove(m_local->filePath(QStringLiteral("ro/a.txt"))));

    const CliRunner::Outcome outcome = sync(*m_cli, *m_server, m_local->path());
    QVERIFY2(outcome.exitCode == 0, qPrintable(outcome.describe()));
    QCOMPARE(readFile(m_local->filePath(QStringLiteral("ro/a.txt"))), QByteArray("alpha"));
    QCOMPARE(m_server->files().value(QStringLiteral("ro/a.txt")), QByteArray("alpha"));
    QVERIFY2(outcome.err.contains("ro/a.txt") && outcome.err.contains("read-only"),
             qPrintable(outcome.describe()));
    settles(0);
}

// Was: the PUT was refused and the edit stayed here only, under the synced name, every run
// exiting 1 with it.
void TestReadOnlyFolders::localEditIsKeptUnderAClearNameAndTheServerVersionRestored()
{
    syncThenMakeReadOnly();
    writeFile(m_local->path(), QStringLiteral("ro/b.txt"), "beta, edited here");

    const CliRunner::Outcome outcome = sync(*m_cli, *m_server, m_local->path());
    // The kept edit is on this side only: not in sync, said with one stable reason.
    QVERIFY2(outcome.exitCode == 1, qPrintable(outcome.describe()));
    QCOMPARE(readFile(m_local->filePath(QStringLiteral("ro/b.txt"))), QByteArray("beta"));
    QCOMPARE(readFile(m_local->filePath(keptEditName)), QByteArray("beta, edited here"));
    QVERIFY2(outcome.err.contains(keptEditName.toUtf8()), qPrintable(outcome.describe()));
    QCOMPARE(m_server->files().value(QStringLiteral("ro/b.txt")), QByteArray("beta"));
    QCOMPARE(m_server->files().size(), 3);
    settles(1);
}

// A file created here in the read-only folder cannot go up: it stays, one failed item.
void TestReadOnlyFolders::newLocalFileStaysLocalAndIsReportedWithoutRetrying()
{
    syncThenMakeReadOnly();
    writeFile(m_local->path(), QStringLiteral("ro/new.txt"), "new here");

    const CliRunner::Outcome outcome = sync(*m_cli, *m_server, m_local->path());
    QVERIFY2(outcome.exitCode == 1, qPrintable(outcome.describe()));
    QCOMPARE(readFile(m_local->filePath(QStringLiteral("ro/new.txt"))), QByteArray("new here"));
    QVERIFY2(outcome.err.contains("ro/new.txt") && outcome.err.contains("read-only"),
             qPrintable(outcome.describe()));
    QCOMPARE(outcome.json().value(QStringLiteral("failed")).toInt(), 1);
    QCOMPARE(m_server->files().size(), 3);
    settles(1);
}

// Was: the MOVE was refused, the old name stayed missing here, and every run exited 1.
void TestReadOnlyFolders::localRenameIsUndoneAndTheNewNameKept()
{
    syncThenMakeReadOnly();
    QVERIFY(QFile::rename(m_local->filePath(QStringLiteral("ro/a.txt")),
                          m_local->filePath(QStringLiteral("ro/renamed.txt"))));

    const CliRunner::Outcome outcome = sync(*m_cli, *m_server, m_local->path());
    QVERIFY2(outcome.exitCode == 1, qPrintable(outcome.describe()));
    QCOMPARE(readFile(m_local->filePath(QStringLiteral("ro/a.txt"))), QByteArray("alpha"));
    QCOMPARE(readFile(m_local->filePath(QStringLiteral("ro/renamed.txt"))), QByteArray("alpha"));
    QCOMPARE(outcome.json().value(QStringLiteral("failed")).toInt(), 1);
    QCOMPARE(m_server->files().size(), 3);
    QCOMPARE(m_server->files().value(QStringLiteral("ro/a.txt")), QByteArray("alpha"));
    settles(1);
}

// The server cannot take the file out of its read-only folder: it stays there (and here), and
// the new place, in a folder that takes writes, gets it as a new file.
void TestReadOnlyFolders::fileMovedOutOfTheReadOnlyFolderArrivesAsACopy()
{
    syncThenMakeReadOnly();
    QVERIFY(QFile::rename(m_local->filePath(QStringLiteral("ro/a.txt")),
                          m_local->filePath(QStringLiteral("moved.txt"))));

    const CliRunner::Outcome outcome = sync(*m_cli, *m_server, m_local->path());
    QVERIFY2(outcome.exitCode == 0, qPrintable(outcome.describe()));
    QCOMPARE(readFile(m_local->filePath(QStringLiteral("ro/a.txt"))), QByteArray("alpha"));
    QCOMPARE(readFile(m_local->filePath(QStringLiteral("moved.txt"))), QByteArray("alpha"));
    QCOMPARE(m_server->files().value(QStringLiteral("ro/a.txt")), QByteArray("alpha"));
    QCOMPARE(m_server->files().value(QStringLiteral("moved.txt")), QByteArray("alpha"));
    settles(0);
}

// The whole read-only folder deleted here: every file in it comes back, and the folder.
void TestReadOnlyFolders::locallyDeletedFolderIsRestoredFromTheServer()
{
    syncThenMakeReadOnly();
    QVERIFY(QDir(m_local->filePath(QStringLiteral("ro"))).removeRecursively());

    const CliRunner::Outcome outcome = sync(*m_cli, *m_server, m_local->path());
    QVERIFY2(outcome.exitCode == 0, qPrintable(outcome.describe()));
    QCOMPARE(readFile(m_local->filePath(QStringLiteral("ro/a.txt"))), QByteArray("alpha"));
    QCOMPARE(readFile(m_local->filePath(QStringLiteral("ro/b.txt"))), QByteArray("beta"));
    QCOMPARE(m_server->files().size(), 3);
    settles(0);
}

// A folder made here (with a file) in the read-only folder: MKCOL is refused, both stay here.
void TestReadOnlyFolders::newLocalFolderStaysLocal()
{
    syncThenMakeReadOnly();
    writeFile(m_local->path(), QStringLiteral("ro/made here/x.txt"), "x");

    const CliRunner::Outcome outcome = sync(*m_cli, *m_server, m_local->path());
    QVERIFY2(outcome.exitCode == 1, qPrintable(outcome.describe()));
    QVERIFY2(outcome.err.contains("ro/made here") && outcome.err.contains("read-only"),
             qPrintable(outcome.describe()));
    QCOMPARE(readFile(m_local->filePath(QStringLiteral("ro/made here/x.txt"))), QByteArray("x"));
    QCOMPARE(m_server->files().size(), 3);
    settles(1);
}

// `watch` settles too: the edit is kept once, and the polls that follow send no write.
void TestReadOnlyFolders::watchKeepsTheEditOnceAndSendsNoMoreWrites()
{
    syncThenMakeReadOnly();
    writeFile(m_local->path(), QStringLiteral("ro/b.txt"), "beta, edited here");
    QProcess watch;
    watch.setProcessEnvironment(m_cli->environment());
    watch.start(CliRunner::program(),
                {QStringLiteral("watch"), m_local->path(), m_server->url().toString(),
                 QStringLiteral("--poll-interval"), QStringLiteral("1"),
                 QStringLiteral("--debounce-ms"), QStringLiteral("100")});
    QVERIFY(watch.waitForStarted(30'000));
    const auto stop = qScopeGuard([&watch] {
        watch.terminate();
        if (!waitFor([&watch] { return watch.state() == QProcess::NotRunning; }, 30'000))
            watch.kill();
        watch.waitForFinished();
    });
    QVERIFY2(waitFor(
                 [&] {
                     return readFile(m_local->filePath(keptEditName)) == "beta, edited here" &&
                            readFile(m_local->filePath(QStringLiteral("ro/b.txt"))) == "beta";
                 },
                 60'000),
             watch.readAllStandardError().constData());
    const int writes = writesSent();
    // Three polls of the root (one a second) at least, each a chance to send the copy again.
    const int polls = rootListings();
    QVERIFY(waitFor([&] { return rootListings() >= polls + 3; }, 60'000));
    QCOMPARE(writesSent(), writes);
    QCOMPARE(m_server->files().value(QStringLiteral("ro/b.txt")), QByteArray("beta"));
    QCOMPARE(m_server->files().size(), 3);
    QFETCH_GLOBAL(bool, permissionsOnly);
    if (permissionsOnly)
        QCOMPARE(writesIntoReadOnlyFolder(), 0);
    const QByteArray said = watch.readAllStandardError();
    QVERIFY2(said.count("not uploaded: its folder on the server is read-only") <= 1,
             said.constData());
}

QTEST_GUILESS_MAIN(TestReadOnlyFolders)
#include "tst_readonlyfolders.moc"
