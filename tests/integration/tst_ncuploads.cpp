// Nextcloud uploads (issue 19 items 4, 5, 7): the real steadysync-cli against a scripted
// Nextcloud 32 (tests/support/scriptednextclouduploads.*, answers as recorded in
// tests/data/nextcloud32/): small files in bulk POSTs, a file refused in a batch sent again
// alone, large files chunked through a proxy's request limit, an interrupted chunked upload
// resumed without sending the stored chunks again, a 413 switching to chunks, and a file
// larger than the quota held with a message instead of sent again and again.
#include "clirunner.h"
#include "scriptednextclouduploads.h"
#include "testutil.h"

#include <QJsonObject>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace steadysync::test;

namespace {

constexpr qint64 mib = 1024 * 1024;

QByteArray randomBytes(qint64 size)
{
    QByteArray bytes(size, Qt::Uninitialized);
    QRandomGenerator generator{quint32(size)};
    for (qint64 i = 0; i < size; i += 4) {
        const quint32 word = generator.generate();
        memcpy(bytes.data() + i, &word, size_t(std::min<qint64>(4, size - i)));
    }
    return bytes;
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

class TestNcUploads : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void smallFilesGoInFewBulkPosts();
    void fileRefusedInABatchIsSentAloneOnly();
    void largeFileGoesChunkedThroughARequestLimit();
    void interruptedChunkedUploadResumesWithoutResending();
    void requestTooLargeSwitchesToChunks();
    void fileLargerThanTheQuotaIsHeld();
    void bulkPostsKeepTheSessionLoggedIn();
    void batchesGoInParallel();
    void statusTellsTheServerSpace();

private:
    CliRunner::Outcome sync(const ScriptedNextcloudUploads &server, const QString &folder)
    {
        return m_cli.runServing(
            {QStringLiteral("sync"), folder, server.url().toString(), QStringLiteral("--json")});
    }
    QTemporaryDir m_home;
    CliRunner m_cli{m_home.path()};
};

void TestNcUploads::smallFilesGoInFewBulkPosts()
{
    ScriptedNextcloudUploads server;
    QVERIFY(server.start());
    QTemporaryDir folder;
    for (int i = 0; i < 120; ++i)
        writeFile(folder.path(), QStringLiteral("%1/f%2.txt").arg(i % 2 ? "odd" : "even").arg(i),
                  "content of " + QByteArray::number(i) + QByteArray(i * 7, 'x'));
    const CliRunner::Outcome first = sync(server, folder.path());
    QVERIFY2(first.exitCode == 0, qPrintable(first.describe()));
    QCOMPARE(server.files(), filesOf(folder.path()));
    QVERIFY2(server.counts().bulkPosts <= 3,
             qPrintable(QString::number(server.counts().bulkPosts)));
    QCOMPARE(server.counts().bulkParts, 120);
    QCOMPARE(server.counts().plainPuts, 0);
    QCOMPARE(first.json().value(QStringLiteral("uploaded")).toInt(), 120);
    // The journal recorded what the server stored: the next run has nothing to do.
    const CliRunner::Outcome second = sync(server, folder.path());
    QVERIFY2(second.exitCode == 0, qPrintable(second.describe()));
    QCOMPARE(second.json().value(QStringLiteral("uploaded")).toInt(), 0);
    QCOMPARE(second.json().value(QStringLiteral("downloaded")).toInt(), 0);
    QCOMPARE(server.counts().bulkParts, 120);
    QCOMPARE(server.counts().plainPuts, 0);
}

void TestNcUploads::fileRefusedInABatchIsSentAloneOnly()
{
    ScriptedNextcloudUploads server;
    QVERIFY(server.start());
    server.failInNextBulk(QStringLiteral("f7.txt"));
    QTemporaryDir folder;
    for (int i = 0; i < 20; ++i)
        writeFile(folder.path(), QStringLiteral("f%1.txt").arg(i), "file " + QByteArray::number(i));
    const CliRunner::Outcome first = sync(server, folder.path());
    QVERIFY2(first.exitCode == 0, qPrintable(first.describe()));
    QCOMPARE(server.files(), filesOf(folder.path()));
    QCOMPARE(server.counts().bulkParts, 20);
    // f7.txt alone (its PUT may be sent twice: the first create of a session probes whether
    // the server evaluates conditional PUTs), nothing else sent twice.
    QCOMPARE(server.plainPutPaths(), QSet<QString>{QStringLiteral("f7.txt")});
    const CliRunner::Outcome second = sync(server, folder.path());
    QCOMPARE(second.json().value(QStringLiteral("uploaded")).toInt(), 0);
}

void TestNcUploads::largeFileGoesChunkedThroughARequestLimit()
{
    ScriptedNextcloudUploads server;
    QVERIFY(server.start());
    server.setRequestLimit(10 * mib);
    server.setMaxChunkSize(10 * mib);
    QTemporaryDir folder;
    const QByteArray content = randomBytes(64 * mib + 12345);
    writeFile(folder.path(), QStringLiteral("big.bin"), content);
    const CliRunner::Outcome first = sync(server, folder.path());
    QVERIFY2(first.exitCode == 0, qPrintable(first.describe()));
    QVERIFY(server.files().value(QStringLiteral("big.bin")) == content);
    QCOMPARE(server.counts().moves, 1);
    QCOMPARE(server.counts().chunkBytes, content.size()); // no chunk sent twice
    // Where the server's max chunk size was read (OCS capabilities), none; else the first
    // plain PUT and one chunk grown past the limit.
    QVERIFY2(server.counts().refused413 <= 2,
             qPrintable(QString::number(server.counts().refused413)));
    const CliRunner::Outcome second = sync(server, folder.path());
    QCOMPARE(second.json().value(QStringLiteral("uploaded")).toInt(), 0);
    QCOMPARE(server.counts().moves, 1);
}

void TestNcUploads::interruptedChunkedUploadResumesWithoutResending()
{
    ScriptedNextcloudUploads server;
    QVERIFY(server.start());
    server.setMaxChunkSize(10 * mib);
    server.setRequestLimit(10 * mib);
    server.failChunkPut(3);
    QTemporaryDir folder;
    const QByteArray content = randomBytes(40 * mib + 99);
    writeFile(folder.path(), QStringLiteral("big.bin"), content);
    const CliRunner::Outcome first = sync(server, folder.path());
    if (!server.files().contains(QStringLiteral("big.bin"))) {
        QVERIFY2(first.exitCode != 0, qPrintable(first.describe()));
        const CliRunner::Outcome second = sync(server, folder.path());
        QVERIFY2(second.exitCode == 0, qPrintable(second.describe()));
    }
    QVERIFY(server.files().value(QStringLiteral("big.bin")) == content);
    // The chunks stored before the failure went once: the upload went on after them.
    const QList<int> numbers = server.chunkNumbersPut();
    QVERIFY2(numbers.size() >= 4, qPrintable(QString::number(numbers.size())));
    for (qsizetype i = 0; i < numbers.size(); ++i)
        QCOMPARE(numbers.at(i), int(i) + 1);
    QCOMPARE(server.counts().chunkPuts, numbers.size() + 1); // and the one that failed
    QCOMPARE(server.counts().chunkBytes, content.size());
    QCOMPARE(server.counts().moves, 1);
}

void TestNcUploads::requestTooLargeSwitchesToChunks()
{
    ScriptedNextcloudUploads server;
    QVERIFY(server.start());
    server.setRequestLimit(10 * mib); // a proxy's; the server itself says 100 MiB chunks
    QTemporaryDir folder;
    const QByteArray first = randomBytes(30 * mib + 1);
    const QByteArray second = randomBytes(25 * mib + 2);
    writeFile(folder.path(), QStringLiteral("a.bin"), first);
    writeFile(folder.path(), QStringLiteral("b.bin"), second);
    const CliRunner::Outcome run = m_cli.runServing(
        {QStringLiteral("sync"), folder.path(), server.url().toString(), QStringLiteral("--json"),
         QStringLiteral("--parallel"), QStringLiteral("1")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    QVERIFY(server.files().value(QStringLiteral("a.bin")) == first);
    QVERIFY(server.files().value(QStringLiteral("b.bin")) == second);
    QCOMPARE(server.counts().moves, 2);
    // One plain PUT refused, then one chunk larger than the limit: everything else fits.
    QVERIFY2(server.counts().refused413 <= 2,
             qPrintable(QString::number(server.counts().refused413)));
    QCOMPARE(server.counts().chunkBytes, first.size() + second.size());
}

void TestNcUploads::fileLargerThanTheQuotaIsHeld()
{
    ScriptedNextcloudUploads server;
    QVERIFY(server.start());
    server.setQuota(2 * mib);
    QTemporaryDir folder;
    const QByteArray large = randomBytes(3 * mib);
    writeFile(folder.path(), QStringLiteral("large.bin"), large);
    writeFile(folder.path(), QStringLiteral("small.txt"), "small");
    const CliRunner::Outcome first = sync(server, folder.path());
    QVERIFY2(first.exitCode != 0, qPrintable(first.describe()));
    QVERIFY2(first.out.contains("does not fit in the space left on the server") ||
                 first.err.contains("does not fit in the space left on the server"),
             qPrintable(first.describe()));
    QCOMPARE(server.files().value(QStringLiteral("small.txt")), QByteArray("small"));
    QVERIFY(!server.files().contains(QStringLiteral("large.bin")));
    // Held, not tried: no request carried it.
    QCOMPARE(server.counts().plainPuts, 0);
    QCOMPARE(server.counts().refused507, 0);
    const CliRunner::Outcome again = sync(server, folder.path());
    QVERIFY2(again.exitCode != 0, qPrintable(again.describe()));
    QCOMPARE(server.counts().plainPuts + server.counts().refused507, 0);
    // Room on the server: the next run sends it.
    server.setQuota(10 * mib);
    const CliRunner::Outcome roomy = sync(server, folder.path());
    QVERIFY2(roomy.exitCode == 0, qPrintable(roomy.describe()));
    QVERIFY(server.files().value(QStringLiteral("large.bin")) == large);
}

// Nextcloud checks the password (seconds of hashing on a loaded server) for a request without
// its session cookie, and logs the session out at a POST that fails its CSRF check.
void TestNcUploads::bulkPostsKeepTheSessionLoggedIn()
{
    ScriptedNextcloudUploads server;
    QVERIFY(server.start());
    QTemporaryDir folder;
    for (int i = 0; i < 150; ++i)
        writeFile(folder.path(), QStringLiteral("f%1.txt").arg(i), "file " + QByteArray::number(i));
    const CliRunner::Outcome run = sync(server, folder.path());
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    QCOMPARE(server.files(), filesOf(folder.path()));
    QVERIFY2(server.counts().bulkPosts >= 2,
             qPrintable(QString::number(server.counts().bulkPosts)));
    // The cookie went back, and no POST cost the session.
    QVERIFY2(server.counts().withSessionCookie >= server.counts().bulkPosts,
             qPrintable(QString::number(server.counts().withSessionCookie)));
    QCOMPARE(server.counts().csrfLogouts, 0);
}

// A batch fills while the server writes the one before: 300 files go in three POSTs of 100
// (as nextcloudcmd sends them), and the POSTs overlap.
void TestNcUploads::batchesGoInParallel()
{
    ScriptedNextcloudUploads server;
    QVERIFY(server.start());
    server.setBulkDelayMs(1500);
    QTemporaryDir folder;
    for (int i = 0; i < 300; ++i)
        writeFile(folder.path(), QStringLiteral("d/f%1.txt").arg(i, 3, 10, QLatin1Char('0')),
                  "small file " + QByteArray::number(i));
    const CliRunner::Outcome run = sync(server, folder.path());
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    QCOMPARE(server.files(), filesOf(folder.path()));
    QCOMPARE(server.counts().bulkParts, 300);
    QCOMPARE(server.counts().plainPuts, 0);
    QVERIFY2(server.counts().bulkPosts <= 4,
             qPrintable(QString::number(server.counts().bulkPosts)));
    QVERIFY2(server.counts().maxBulkPostsAtOnce >= 2,
             qPrintable(QString::number(server.counts().maxBulkPostsAtOnce)));
    QCOMPARE(run.json().value(QStringLiteral("uploaded")).toInt(), 300);
}

// The root listing's quota reaches `status --json` (the dashboard shows the same snapshot).
void TestNcUploads::statusTellsTheServerSpace()
{
    ScriptedNextcloudUploads server;
    QVERIFY(server.start());
    server.setQuota(10 * mib);
    QTemporaryDir folder;
    writeFile(folder.path(), QStringLiteral("a.txt"), QByteArray(1000, 'a'));
    const CliRunner::Outcome first = sync(server, folder.path());
    QVERIFY2(first.exitCode == 0, qPrintable(first.describe()));
    const CliRunner::Outcome status =
        m_cli.run({QStringLiteral("status"), folder.path(), QStringLiteral("--json")});
    QVERIFY2(status.exitCode == 0, qPrintable(status.describe()));
    const QJsonObject space = status.json().value(QStringLiteral("server_space")).toObject();
    QVERIFY2(!space.isEmpty(), qPrintable(status.describe()));
    const qint64 used = space.value(QStringLiteral("used_bytes")).toInteger();
    const qint64 free = space.value(QStringLiteral("free_bytes")).toInteger();
    // As listed before the upload, or after it where the client counted it in.
    QVERIFY2(used == 0 || used == 1000, qPrintable(status.describe()));
    QCOMPARE(used + free, 10 * mib);
    QCOMPARE(space.value(QStringLiteral("total_bytes")).toInteger(), 10 * mib);
    QCOMPARE(space.value(QStringLiteral("unlimited")).toBool(), false);
    // Unlimited: said so, and no free bytes.
    server.setQuota(-1);
    writeFile(folder.path(), QStringLiteral("b.txt"), "b");
    QCOMPARE(sync(server, folder.path()).exitCode, 0);
    const QJsonObject unlimited =
        m_cli.run({QStringLiteral("status"), folder.path(), QStringLiteral("--json")})
            .json()
            .value(QStringLiteral("server_space"))
            .toObject();
    QCOMPARE(unlimited.value(QStringLiteral("unlimited")).toBool(), true);
    QVERIFY(unlimited.value(QStringLiteral("free_bytes")).isNull());
}

QTEST_GUILESS_MAIN(TestNcUploads)
#include "tst_ncuploads.moc"
