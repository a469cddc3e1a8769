// End-to-end tests of steadysync-cli on S3 (issue 22, deliverable 7): two clients (folders A
// and B) sharing one bucket prefix of a real Ceph RADOS Gateway (tests/support/cephrgw.h),
// driven through the real binary, as tst_clisync does on file:// and WebDAV. What is on the
// store is read back with boto3, the reference client, not with the client under test.
#include "cephrgw.h"
#include "clirunner.h"
#include "faultproxy.h"
#include "testutil.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
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

#define SYNC_OK(outcome)                                                                           \
    do {                                                                                           \
        const CliRunner::Outcome syncOkOutcome = (outcome);                                        \
        QVERIFY2(syncOkOutcome.exitCode == 0, qPrintable(describe(syncOkOutcome)));                \
    } while (false)

// The files below root (path -> content), leaving out directories and .steadysync/.
QMap<QString, QByteArray> filesBelow(const QString &root)
{
    QMap<QString, QByteArray> files;
    const QMap<QString, QByteArray> tree = readTree(root);
    for (auto it = tree.begin(); it != tree.end(); ++it)
        if (!it.key().endsWith(QLatin1Char('/')))
            files.insert(it.key(), it.value());
    return files;
}

QStringList conflictCopies(const QMap<QString, QByteArray> &files)
{
    QStringList copies;
    for (const QString &name : files.keys())
        if (name.contains(QStringLiteral(" (conflict ")))
            copies.append(name);
    return copies;
}

} // namespace

class TestCliS3 : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void uploadDownloadEditAndEmptyFolders();
    void remoteDeleteGoesToTheTrash();
    void concurrentEditsKeepAConflictCopy();
    void massDeleteGuardHolds();
    void emptiedPrefixIsNotReadAsDeletion();
    void headlessUseReadsTheAwsEnvironment();
    void loginStoresTheSecretForLaterSyncs();
    void wrongSecretExitsThreeWithLoginHint();
    void statusNamesTheBackend();
    void killDuringMultipartUploadResumesWithoutResendingParts();

private:
    QString bucketUrl(const QString &prefix = QStringLiteral("team")) const;
    // `sync FOLDER URL --json --access-key-id ID` with the secret in STEADYSYNC_PASSWORD.
    CliRunner::Outcome sync(const QString &folder, const QStringList &extra = {}) const;
    // What the store holds below the pair's prefix: key (relative to the prefix) -> content.
    QMap<QString, QByteArray> storeObjects(const QString &prefix = QStringLiteral("team")) const;
    QMap<QString, QByteArray> storeFiles() const;
    QString boto(const QString &snippet) const;

    std::unique_ptr<CephRgw> m_rgw;
    QString m_bucket;
    int m_bucketCount = 0;
    std::unique_ptr<QTemporaryDir> m_home;
    std::unique_ptr<QTemporaryDir> m_a;
    std::unique_ptr<QTemporaryDir> m_b;
    std::unique_ptr<CliRunner> m_cli;
    QString a() const { return m_a->path(); }
    QString b() const { return m_b->path(); }
};

void TestCliS3::initTestCase()
{
    if (!CephRgw::isInstalled()) {
        // CI installs Ceph (scripts/install-deps.sh) and must not pass by skipping.
        if (qEnvironmentVariableIntValue("STEADYSYNC_REQUIRE_S3") == 1)
            QFAIL(qPrintable(CephRgw::notInstalledMessage()));
        QSKIP(qPrintable(CephRgw::notInstalledMessage()));
    }
    QElapsedTimer started;
    started.start();
    QString error;
    m_rgw = CephRgw::start(&error);
    QVERIFY2(m_rgw, qPrintable(error));
    qInfo("Ceph RGW up at %s in %lld ms", qPrintable(m_rgw->endpoint().toString()),
          started.elapsed());
}

// A bucket of its own and fresh folders and HOME for every test.
void TestCliS3::init()
{
    m_bucket = QStringLiteral("clis3-%1").arg(++m_bucketCount);
    QString error;
    QVERIFY2(m_rgw->createBucket(m_bucket, &error), qPrintable(error));
    m_home = std::make_unique<QTemporaryDir>();
    m_a = std::make_unique<QTemporaryDir>();
    m_b = std::make_unique<QTemporaryDir>();
    m_cli = std::make_unique<CliRunner>(m_home->path());
    m_cli->setPassword(m_rgw->secretAccessKey());
}

QString TestCliS3::bucketUrl(const QString &prefix) const
{
    return m_rgw->remoteUrl(m_bucket, prefix).toString();
}

CliRunner::Outcome TestCliS3::sync(const QString &folder, const QStringList &extra) const
{
    return m_cli->run(QStringList{QStringLiteral("sync"), folder, bucketUrl(),
                                  QStringLiteral("--json"), QStringLiteral("--access-key-id"),
                                  m_rgw->accessKeyId()} +
                      extra);
}

QString TestCliS3::boto(const QString &snippet) const
{
    QString error;
    const QString out = m_rgw->runBoto(snippet, &error);
    if (!error.isEmpty())
        qWarning("%s", qPrintable(error));
    return out;
}

QMap<QString, QByteArray> TestCliS3::storeObjects(const QString &prefix) const
{
    const QString out = boto(
        QStringLiteral("import json, base64\n"
                       "found = {}\n"
                       "for page in s3.get_paginator('list_objects_v2').paginate(Bucket='%1', "
                       "Prefix='%2/'):\n"
                       "    for o in page.get('Contents', []):\n"
                       "        body = s3.get_object(Bucket='%1', Key=o['Key'])['Body'].read()\n"
                       "        found[o['Key'][len('%2/'):]] = base64.b64encode(body).decode()\n"
                       "print(json.dumps(found))")
            .arg(m_bucket, prefix));
    QMap<QString, QByteArray> objects;
    const QJsonObject json = QJsonDocument::fromJson(out.toUtf8()).object();
    for (auto it = json.begin(); it != json.end(); ++it)
        objects.insert(it.key(), QByteArray::fromBase64(it.value().toString().toLatin1()));
    return objects;
}

// The store's files: objects that are no folder markers ("name/") and no client state.
QMap<QString, QByteArray> TestCliS3::storeFiles() const
{
    QMap<QString, QByteArray> files;
    const QMap<QString, QByteArray> objects = storeObjects();
    for (auto it = objects.begin(); it != objects.end(); ++it)
        if (!it.key().endsWith(QLatin1Char('/')) &&
            !it.key().startsWith(QStringLiteral(".steadysync")))
            files.insert(it.key(), it.value());
    return files;
}

void TestCliS3::uploadDownloadEditAndEmptyFolders()
{
    writeFile(a(), QStringLiteral("top.txt"), "top");
    writeFile(a(), QStringLiteral("docs/readme.md"), "readme");
    writeFile(a(), QStringLiteral("docs/deep/nested/file.bin"), QByteArray(100'000, 'x'));
    writeFile(a(), QStringLiteral("with space & ünïcödé.txt"), "names");
    QVERIFY(QDir().mkpath(a() + QStringLiteral("/empty/dir")));
    const auto first = sync(a());
    SYNC_OK(first);
    QCOMPARE(storeFiles(), filesBelow(a()));
    // An empty folder is a zero-byte "name/" marker, as other S3 tools write it.
    const QMap<QString, QByteArray> objects = storeObjects();
    QVERIFY2(objects.contains(QStringLiteral("empty/dir/")), qPrintable(objects.keys().join(' ')));
    QCOMPARE(objects.value(QStringLiteral("empty/dir/")), QByteArray());

    const auto rerun = sync(a());
    SYNC_OK(rerun);
    QCOMPARE(rerun.json().value(QStringLiteral("uploaded")).toInt(), 0);

    SYNC_OK(sync(b()));
    QCOMPARE(filesBelow(b()), filesBelow(a()));
    QVERIFY(QFileInfo(b() + QStringLiteral("/empty/dir")).isDir());

    writeFile(b(), QStringLiteral("docs/readme.md"), "readme, edited by B");
    SYNC_OK(sync(b()));
    SYNC_OK(sync(a()));
    QCOMPARE(readFile(a() + QStringLiteral("/docs/readme.md")), QByteArray("readme, edited by B"));
    QCOMPARE(storeFiles(), filesBelow(a()));
}

void TestCliS3::remoteDeleteGoesToTheTrash()
{
    writeFile(a(), QStringLiteral("old/letter.txt"), "dear");
    writeFile(a(), QStringLiteral("keep.txt"), "keep");
    SYNC_OK(sync(a()));
    SYNC_OK(sync(b()));
    QVERIFY(QDir(b() + QStringLiteral("/old")).removeRecursively());
    const auto removed = sync(b());
    SYNC_OK(removed);
    QVERIFY(!storeFiles().contains(QStringLiteral("old/letter.txt")));

    const auto applied = sync(a());
    SYNC_OK(applied);
    QCOMPARE(applied.json().value(QStringLiteral("deleted_local")).toInt(), 1);
    QVERIFY(!QFileInfo::exists(a() + QStringLiteral("/old/letter.txt")));
    bool inTrash = false;
    QDirIterator it(m_cli->trashFilesDirectory(), QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
        inTrash |= readFile(it.next()) == QByteArray("dear");
    QVERIFY2(inTrash, "the deleted file is not in the trash");
    QCOMPARE(storeFiles(), filesBelow(a()));
}

void TestCliS3::concurrentEditsKeepAConflictCopy()
{
    writeFile(a(), QStringLiteral("report.txt"), "base");
    SYNC_OK(sync(a()));
    SYNC_OK(sync(b()));
    writeFile(a(), QStringLiteral("report.txt"), "edit from A (older)");
    setMtimeOffset(a() + QStringLiteral("/report.txt"), -600);
    writeFile(b(), QStringLiteral("report.txt"), "edit from B (newer)");
    SYNC_OK(sync(b()));
    const auto clash = sync(a());
    SYNC_OK(clash);
    QCOMPARE(clash.json().value(QStringLiteral("conflicts")).toInt(), 1);
    SYNC_OK(sync(b()));

    for (const QMap<QString, QByteArray> &side : {filesBelow(a()), filesBelow(b()), storeFiles()}) {
        QCOMPARE(side.value(QStringLiteral("report.txt")), QByteArray("edit from B (newer)"));
        const QStringList copies = conflictCopies(side);
        QCOMPARE(copies.size(), 1);
        QCOMPARE(side.value(copies.first()), QByteArray("edit from A (older)"));
    }
}

void TestCliS3::massDeleteGuardHolds()
{
    for (int i = 0; i < 20; ++i)
        writeFile(a(), QStringLiteral("f%1.txt").arg(i), "data");
    SYNC_OK(sync(a()));
    for (int i = 0; i < 15; ++i)
        QVERIFY(QFile::remove(a() + QStringLiteral("/f%1.txt").arg(i)));
    const auto stopped = sync(a());
    QVERIFY2(stopped.exitCode == 4, qPrintable(describe(stopped)));
    QCOMPARE(storeFiles().size(), 20); // nothing deleted on the store

    const auto allowed = sync(a(), {QStringLiteral("--allow-mass-delete")});
    SYNC_OK(allowed);
    QCOMPARE(allowed.json().value(QStringLiteral("deleted_remote")).toInt(), 15);
    QCOMPARE(storeFiles().size(), 5);
}

// A prefix emptied behind the client's back (a lifecycle rule, another tool) lists like one
// whose files were all deleted: the guard stops, nothing local is deleted.
void TestCliS3::emptiedPrefixIsNotReadAsDeletion()
{
    for (int i = 0; i < 3; ++i)
        writeFile(a(), QStringLiteral("f%1.txt").arg(i), "data");
    SYNC_OK(sync(a()));
    const auto before = filesBelow(a());
    boto(QStringLiteral("for page in s3.get_paginator('list_objects_v2').paginate(Bucket='%1'):\n"
                        "    for o in page.get('Contents', []):\n"
                        "        s3.delete_object(Bucket='%1', Key=o['Key'])")
             .arg(m_bucket));
    QVERIFY(storeObjects().isEmpty());
    const auto stopped = sync(a());
    QVERIFY2(stopped.exitCode == 4 || stopped.exitCode == 3, qPrintable(describe(stopped)));
    QCOMPARE(filesBelow(a()), before);
}

// Headless (cron, CI): no --access-key-id, no keychain, only the AWS variables.
void TestCliS3::headlessUseReadsTheAwsEnvironment()
{
    writeFile(a(), QStringLiteral("env.txt"), "from the environment");
    m_cli->setPassword({});
    m_cli->removeSessionBus();
    const auto outcome = m_cli->runServing(
        {QStringLiteral("sync"), a(), bucketUrl(), QStringLiteral("--json")},
        {QStringLiteral("env"), QStringLiteral("AWS_ACCESS_KEY_ID=") + m_rgw->accessKeyId(),
         QStringLiteral("AWS_SECRET_ACCESS_KEY=") + m_rgw->secretAccessKey(),
         QStringLiteral("AWS_REGION=us-east-1")});
    SYNC_OK(outcome);
    QCOMPARE(storeFiles().value(QStringLiteral("env.txt")), QByteArray("from the environment"));
}

// `login` stores the secret for the bucket; a sync of a prefix in it finds it in the keychain
// (one throwaway keyring for both: tests/support/with-keyring.sh).
void TestCliS3::loginStoresTheSecretForLaterSyncs()
{
    writeFile(a(), QStringLiteral("kept.txt"), "signed with the stored secret");
    m_cli->setPassword({});
    const QString script =
        QStringLiteral("printf '%s\\n' '%1' | \"$0\" login '%2' --access-key-id '%3' && "
                       "exec \"$0\" \"$@\"")
            .arg(m_rgw->secretAccessKey(), m_rgw->remoteUrl(m_bucket).toString(),
                 m_rgw->accessKeyId());
    const auto outcome =
        m_cli->runServing({QStringLiteral("sync"), a(), bucketUrl(), QStringLiteral("--json"),
                           QStringLiteral("--access-key-id"), m_rgw->accessKeyId()},
                          {QStringLiteral(STEADYSYNC_KEYRING_SCRIPT), QStringLiteral("sh"),
                           QStringLiteral("-c"), script});
    SYNC_OK(outcome);
    QVERIFY2(outcome.err.contains("stored in the keychain"), qPrintable(describe(outcome)));
    QCOMPARE(storeFiles().value(QStringLiteral("kept.txt")),
             QByteArray("signed with the stored secret"));
}

void TestCliS3::wrongSecretExitsThreeWithLoginHint()
{
    m_cli->setPassword(QStringLiteral("not-") + m_rgw->secretAccessKey());
    writeFile(a(), QStringLiteral("f.txt"), "data");
    const auto outcome = sync(a());
    QVERIFY2(outcome.exitCode == 3, qPrintable(describe(outcome)));
    const QByteArray hint = "steadysync-cli login " + bucketUrl().toUtf8() + " --access-key-id " +
                            m_rgw->accessKeyId().toUtf8();
    QVERIFY2(outcome.err.contains(hint), qPrintable(describe(outcome)));
    QCOMPARE(readFile(a() + QStringLiteral("/f.txt")), QByteArray("data"));
    QVERIFY(storeFiles().isEmpty());
}

void TestCliS3::statusNamesTheBackend()
{
    writeFile(a(), QStringLiteral("f.txt"), "data");
    SYNC_OK(sync(a()));
    const auto json = m_cli->run({QStringLiteral("status"), a(), QStringLiteral("--json")});
    QVERIFY2(json.exitCode == 0, qPrintable(describe(json)));
    QCOMPARE(json.json().value(QStringLiteral("backend")).toString(), QStringLiteral("s3"));
    const auto text = m_cli->run({QStringLiteral("status"), a()});
    QVERIFY2(text.out.contains("Backend:          s3"), qPrintable(describe(text)));
}

// Killed while a multipart upload is under way, the next run completes it from the parts the
// store already holds (ListParts): no finished part is sent again, and the object is whole.
void TestCliS3::killDuringMultipartUploadResumesWithoutResendingParts()
{
    FaultProxy proxy(m_rgw->endpoint());
    proxy.setKeepHostHeader(true);
    QVERIFY(proxy.listen());
    proxy.setThrottle(16 * 1024 * 1024); // the upload takes a few seconds: time to kill it
    QUrl viaProxy = m_rgw->remoteUrl(m_bucket, QStringLiteral("team"));
    viaProxy.setPort(proxy.port());
    QByteArray big(96 * 1024 * 1024, Qt::Uninitialized);
    for (qsizetype i = 0; i < big.size(); i += 4096)
        big[i] = char(i / 4096);
    writeFile(a(), QStringLiteral("big.bin"), big);
    const QStringList arguments{QStringLiteral("sync"),
                                a(),
                                viaProxy.toString(),
                                QStringLiteral("--json"),
                                QStringLiteral("--access-key-id"),
                                m_rgw->accessKeyId()};

    // Parts the store holds for unfinished uploads, as "uploadId partNumber" lines.
    const auto storedParts = [this] {
        const QString out = boto(
            QStringLiteral("for u in s3.list_multipart_uploads(Bucket='%1').get('Uploads', []):\n"
                           "    for p in s3.list_parts(Bucket='%1', Key=u['Key'], "
                           "UploadId=u['UploadId']).get('Parts', []):\n"
                           "        print(p['PartNumber'])")
                .arg(m_bucket));
        QSet<int> parts;
        for (const QString &line : out.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
            parts.insert(line.toInt());
        return parts;
    };
    const auto partPuts = [&proxy](qsizetype from) {
        QList<int> parts;
        for (qsizetype i = from; i < proxy.requestLines().size(); ++i) {
            const QByteArray line = proxy.requestLines().at(i);
            const qsizetype at = line.indexOf("partNumber=");
            if (line.startsWith("PUT ") && at >= 0)
                parts.append(line.mid(at + 11).split('&').first().split(' ').first().toInt());
        }
        return parts;
    };

    QProcess *first = m_cli->start(arguments, this);
    // boto3 blocks this thread, and with it the proxy: ask it once a second, serve between.
    QSet<int> finished;
    QElapsedTimer waited;
    waited.start();
    while (finished.isEmpty() && waited.elapsed() < 90'000 && first->state() == QProcess::Running) {
        QElapsedTimer served;
        served.start();
        waitServing([&served] { return served.elapsed() > 1000; }, 2000);
        finished = storedParts();
    }
    QVERIFY2(!finished.isEmpty(), "no part reached the store before the upload ended");
    first->kill();
    QVERIFY(first->waitForFinished(10'000));
    finished = storedParts(); // what the store kept when the client died
    QVERIFY(!finished.isEmpty());
    QVERIFY2(!storeFiles().contains(QStringLiteral("big.bin")), "a partial upload is visible");

    proxy.setThrottle(0);
    const qsizetype before = proxy.requestLines().size();
    const auto resumed = m_cli->runServing(arguments);
    QVERIFY2(resumed.exitCode == 0, qPrintable(describe(resumed)));
    const QList<int> resent = partPuts(before);
    for (int part : resent)
        QVERIFY2(!finished.contains(part), qPrintable(QStringLiteral("part %1 was sent again "
                                                                     "(finished: %2)")
                                                          .arg(part)
                                                          .arg(finished.size())));
    qInfo("multipart resume: %lld parts kept, %lld sent after the kill; %lld bytes down",
          qint64(finished.size()), qint64(resent.size()),
          resumed.json().value(QStringLiteral("bytes_down")).toInteger());
    QCOMPARE(storeFiles().value(QStringLiteral("big.bin")), big);
    QVERIFY(storedParts().isEmpty()); // no unfinished upload left behind
    // An upload is not downloaded again: the multipart upload, which no store lets a client
    // make conditional, is confirmed by the SHA-256 kept with the object (one HEAD).
    QCOMPARE(resumed.json().value(QStringLiteral("bytes_down")).toInteger(), qint64(0));
}

QTEST_GUILESS_MAIN(TestCliS3)
#include "tst_clis3.moc"
