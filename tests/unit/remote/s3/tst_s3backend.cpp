// The S3 backend (issue 22) against a real store: a one-node Ceph RADOS Gateway (CephRgw).
// Every operation, the refused conditional writes, listings with paging, moves and removals
// under their checks, and answers as a reference client (boto3) sees them.
#include "s3testutil.h"

#include "remote/s3/sigv4.h"

#include <QCryptographicHash>
#include <QTemporaryDir>

using namespace steadysync;
using namespace steadysync::test;

class TestS3Backend : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void uploadStatDownloadRoundTrip();
    void createOnlyRefusesAnExistingObject();
    void updateRefusedWhenAnotherClientWroteFirst();
    void listingsPerFolderAndFlatAcrossPages();
    void moveChecksSourceAndDestination();
    void copyKeepsTheSource();
    void removeNeedsAMatchingVersion();
    void removeFolderTakesEverythingBelow();
    void wrongSecretIsAnAuthError();
    void missingBucketIsRootMissing();

private:
    QString newBucket();
    QString makeLocal(const QString &name, const QByteArray &content);
    QByteArray objectBody(const QString &bucket, const QString &key);
    void putObject(const QString &bucket, const QString &key, const QByteArray &content);

    std::unique_ptr<CephRgw> m_rgw;
    QTemporaryDir m_local;
    int m_buckets = 0;
};

void TestS3Backend::initTestCase()
{
    if (!CephRgw::isInstalled())
        QSKIP(qPrintable(CephRgw::notInstalledMessage()));
    QString error;
    m_rgw = CephRgw::start(&error);
    QVERIFY2(m_rgw, qPrintable(error));
}

void TestS3Backend::cleanup()
{
    S3Backend::setListPageSizeForTests(0);
}

QString TestS3Backend::newBucket()
{
    const QString bucket = QStringLiteral("bucket-%1").arg(++m_buckets);
    QString error;
    if (!m_rgw->createBucket(bucket, &error))
        qWarning("%s", qPrintable(error));
    return bucket;
}

QString TestS3Backend::makeLocal(const QString &name, const QByteArray &content)
{
    writeFile(m_local.path(), name, content);
    return m_local.filePath(name);
}

QByteArray TestS3Backend::objectBody(const QString &bucket, const QString &key)
{
    QString error;
    const QString out = m_rgw->runBoto(
        QStringLiteral("import base64\n"
                       "try:\n"
                       "    body = s3.get_object(Bucket='%1', Key='%2')['Body'].read()\n"
                       "    print(base64.b64encode(body).decode())\n"
                       "except s3.exceptions.NoSuchKey:\n"
                       "    print('ABSENT')")
            .arg(bucket, key),
        &error);
    if (out.trimmed() == QLatin1String("ABSENT"))
        return "<absent>";
    return QByteArray::fromBase64(out.trimmed().toLatin1());
}

void TestS3Backend::putObject(const QString &bucket, const QString &key, const QByteArray &content)
{
    QString error;
    m_rgw->runBoto(QStringLiteral("import base64\ns3.put_object(Bucket='%1', Key='%2', "
                                  "Body=base64.b64decode('%3'))")
                       .arg(bucket, key, QString::fromLatin1(content.toBase64())),
                   &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void TestS3Backend::uploadStatDownloadRoundTrip()
{
    const QString bucket = newBucket();
    auto backend = s3BackendFor(*m_rgw, bucket, QStringLiteral("team/docs"));
    QVERIFY(backend);
    const QByteArray content = "hello S3, with a name that needs encoding";
    const QString name = QStringLiteral("dir/ü (1) & +.txt");
    const S3JobResult uploaded =
        runS3Job(backend->upload(makeLocal(QStringLiteral("a.txt"), content), name, 0,
                                 Precondition::mustNotExist(), UploadHashing::SentBytes));
    QVERIFY2(uploaded.ok(), qPrintable(uploaded.describe()));
    const QByteArray sha256 = sigv4::sha256Hex(content);
    QCOMPARE(uploaded.entry.sha256, sha256);
    QCOMPARE(uploaded.sentSha256, sha256);
    QVERIFY(!uploaded.entry.etag.isEmpty());
    QVERIFY2(backend->enforcesPreconditions(), "RGW enforces conditional PUTs (bare ETags)");
    QVERIFY(!uploaded.unproven);

    QCOMPARE(objectBody(bucket, QStringLiteral("team/docs/") + name), content);
    const S3JobResult stat = runS3Job(backend->stat(name));
    QVERIFY2(stat.ok(), qPrintable(stat.describe()));
    QCOMPARE(stat.entry.etag, uploaded.entry.etag);
    QCOMPARE(stat.entry.sha256, sha256);
    QCOMPARE(stat.entry.size, content.size());
    const S3JobResult folder = runS3Job(backend->stat(QStringLiteral("dir")));
    QVERIFY2(folder.ok() && folder.entry.isDir(), qPrintable(folder.describe()));
    QVERIFY(runS3Job(backend->stat(QStringLiteral("nothing"))).failedWith(ErrorKind::NotFound));
    const S3JobResult root = runS3Job(backend->stat(QString()));
    QVERIFY2(root.ok() && root.entry.isDir(), qPrintable(root.describe()));

    const QString target = m_local.filePath(QStringLiteral("downloaded.txt"));
    const S3JobResult downloaded = runS3Job(backend->download(name, target));
    QVERIFY2(downloaded.ok(), qPrintable(downloaded.describe()));
    QCOMPARE(readFile(target), content);
    QCOMPARE(downloaded.entry.etag, uploaded.entry.etag);
    QCOMPARE(downloaded.entry.sha256, sha256);
}

void TestS3Backend::createOnlyRefusesAnExistingObject()
{
    const QString bucket = newBucket();
    auto backend = s3BackendFor(*m_rgw, bucket);
    putObject(bucket, QStringLiteral("taken.txt"), "another client's");
    const S3JobResult refused =
        runS3Job(backend->upload(makeLocal(QStringLiteral("b.txt"), "mine"),
                                 QStringLiteral("taken.txt"), 0, Precondition::mustNotExist()));
    QVERIFY2(refused.failedWith(ErrorKind::PreconditionFailed), qPrintable(refused.describe()));
    QCOMPARE(objectBody(bucket, QStringLiteral("taken.txt")), QByteArray("another client's"));
}

void TestS3Backend::updateRefusedWhenAnotherClientWroteFirst()
{
    const QString bucket = newBucket();
    auto backend = s3BackendFor(*m_rgw, bucket);
    const S3JobResult first =
        runS3Job(backend->upload(makeLocal(QStringLiteral("c1.txt"), "version 1"),
                                 QStringLiteral("f.txt"), 0, Precondition::mustNotExist()));
    QVERIFY2(first.ok(), qPrintable(first.describe()));
    putObject(bucket, QStringLiteral("f.txt"), "another client's version 2");
    const S3JobResult stale = runS3Job(backend->upload(
        makeLocal(QStringLiteral("c2.txt"), "my version 2"), QStringLiteral("f.txt"), 0,
        Precondition::mustMatch(first.entry.signature())));
    QVERIFY2(stale.failedWith(ErrorKind::PreconditionFailed), qPrintable(stale.describe()));
    QCOMPARE(objectBody(bucket, QStringLiteral("f.txt")), QByteArray("another client's version 2"));

    const S3JobResult current = runS3Job(backend->stat(QStringLiteral("f.txt")));
    const S3JobResult update = runS3Job(backend->upload(
        makeLocal(QStringLiteral("c3.txt"), "my version 3"), QStringLiteral("f.txt"), 0,
        Precondition::mustMatch(current.entry.signature())));
    QVERIFY2(update.ok(), qPrintable(update.describe()));
    QCOMPARE(objectBody(bucket, QStringLiteral("f.txt")), QByteArray("my version 3"));
}

void TestS3Backend::listingsPerFolderAndFlatAcrossPages()
{
    const QString bucket = newBucket();
    auto backend = s3BackendFor(*m_rgw, bucket, QStringLiteral("root"));
    S3Backend::setListPageSizeForTests(2); // 7 keys: four pages
    for (const char *path : {"a.txt", "b.txt", "d/b.txt", "d/e/c.txt", "d/e/g.txt"})
        QVERIFY(runS3Job(backend->upload(makeLocal(QStringLiteral("l.txt"), path),
                                         QString::fromLatin1(path), 0, Precondition::none()))
                    .ok());
    QVERIFY(runS3Job(backend->makeDirectory(QStringLiteral("empty"))).ok());
    putObject(bucket, QStringLiteral("rootless.txt"), "outside the prefix");
    putObject(bucket, QStringLiteral("root/bad//name.txt"), "an empty segment");

    const S3JobResult top = runS3Job(backend->list(QString()));
    QVERIFY2(top.ok(), qPrintable(top.describe()));
    QStringList names;
    for (const RemoteEntry &entry : top.entries)
        names.append(entry.path + (entry.isDir() ? QStringLiteral("/") : QString()));
    names.sort();
    QCOMPARE(names, QStringList({"a.txt", "b.txt", "bad/", "d/", "empty/"}));
    QCOMPARE(top.find(QStringLiteral("a.txt"))->size, qint64(5));

    const S3JobResult inBad = runS3Job(backend->list(QStringLiteral("bad")));
    QVERIFY(inBad.ok());
    QCOMPARE(inBad.rejectedPaths, QStringList({"bad"}));
    QVERIFY(inBad.entries.isEmpty());

    const S3JobResult tree = runS3Job(backend->listTree(QString()));
    QVERIFY2(tree.ok(), qPrintable(tree.describe()));
    for (const char *path :
         {"a.txt", "b.txt", "d", "d/b.txt", "d/e", "d/e/c.txt", "d/e/g.txt", "empty"})
        QVERIFY2(tree.find(QString::fromLatin1(path)), path);
    QVERIFY(tree.find(QStringLiteral("d/e"))->isDir());
    QCOMPARE(tree.rejectedPaths, QStringList({"bad"}));
    const S3JobResult stat = runS3Job(backend->stat(QStringLiteral("d/e/c.txt")));
    QCOMPARE(tree.find(QStringLiteral("d/e/c.txt"))->signature(), stat.entry.signature());
    QCOMPARE(tree.find(QStringLiteral("d/e/c.txt"))->mtimeNs, stat.entry.mtimeNs);
}

void TestS3Backend::moveChecksSourceAndDestination()
{
    const QString bucket = newBucket();
    auto backend = s3BackendFor(*m_rgw, bucket);
    const S3JobResult a =
        runS3Job(backend->upload(makeLocal(QStringLiteral("m.txt"), "moved"),
                                 QStringLiteral("a.txt"), 0, Precondition::none()));
    putObject(bucket, QStringLiteral("taken.txt"), "in the way");
    QVERIFY(runS3Job(backend->move(QStringLiteral("a.txt"), QStringLiteral("taken.txt"),
                                   Precondition::mustMatch(a.entry.signature())))
                .failedWith(ErrorKind::PreconditionFailed));
    QVERIFY(runS3Job(backend->move(QStringLiteral("a.txt"), QStringLiteral("b.txt"),
                                   Precondition::mustMatch("\"stale\"")))
                .failedWith(ErrorKind::PreconditionFailed));
    QCOMPARE(objectBody(bucket, QStringLiteral("a.txt")), QByteArray("moved"));
    QCOMPARE(objectBody(bucket, QStringLiteral("taken.txt")), QByteArray("in the way"));
    const S3JobResult moved =
        runS3Job(backend->move(QStringLiteral("a.txt"), QStringLiteral("sub/b.txt"),
                               Precondition::mustMatch(a.entry.signature())));
    QVERIFY2(moved.ok(), qPrintable(moved.describe()));
    QCOMPARE(objectBody(bucket, QStringLiteral("a.txt")), QByteArray("<absent>"));
    QCOMPARE(objectBody(bucket, QStringLiteral("sub/b.txt")), QByteArray("moved"));
    const S3JobResult statMoved = runS3Job(backend->stat(QStringLiteral("sub/b.txt")));
    QCOMPARE(statMoved.entry.sha256, sigv4::sha256Hex("moved"));

    const S3JobResult folder = runS3Job(
        backend->move(QStringLiteral("sub"), QStringLiteral("renamed"), Precondition::none()));
    QVERIFY2(folder.ok(), qPrintable(folder.describe()));
    QCOMPARE(objectBody(bucket, QStringLiteral("renamed/b.txt")), QByteArray("moved"));
    QVERIFY(runS3Job(backend->stat(QStringLiteral("sub"))).failedWith(ErrorKind::NotFound));
}

void TestS3Backend::copyKeepsTheSource()
{
    const QString bucket = newBucket();
    auto backend = s3BackendFor(*m_rgw, bucket);
    QVERIFY(runS3Job(backend->upload(makeLocal(QStringLiteral("k.txt"), "kept"),
                                     QStringLiteral("v.txt"), 0, Precondition::none()))
                .ok());
    QVERIFY(runS3Job(backend->copy(QStringLiteral("v.txt"), QStringLiteral("versions/v1.txt"),
                                   Precondition::none()))
                .ok());
    QCOMPARE(objectBody(bucket, QStringLiteral("v.txt")), QByteArray("kept"));
    QCOMPARE(objectBody(bucket, QStringLiteral("versions/v1.txt")), QByteArray("kept"));
}

void TestS3Backend::removeNeedsAMatchingVersion()
{
    const QString bucket = newBucket();
    auto backend = s3BackendFor(*m_rgw, bucket);
    const S3JobResult mine =
        runS3Job(backend->upload(makeLocal(QStringLiteral("r.txt"), "old"), QStringLiteral("r.txt"),
                                 0, Precondition::none()));
    putObject(bucket, QStringLiteral("r.txt"), "changed by another client");
    QVERIFY(runS3Job(backend->remove(QStringLiteral("r.txt"),
                                     Precondition::mustMatch(mine.entry.signature())))
                .failedWith(ErrorKind::PreconditionFailed));
    QCOMPARE(objectBody(bucket, QStringLiteral("r.txt")), QByteArray("changed by another client"));
    const S3JobResult now = runS3Job(backend->stat(QStringLiteral("r.txt")));
    QVERIFY(runS3Job(backend->remove(QStringLiteral("r.txt"),
                                     Precondition::mustMatch(now.entry.signature())))
                .ok());
    QCOMPARE(objectBody(bucket, QStringLiteral("r.txt")), QByteArray("<absent>"));
    QVERIFY(runS3Job(backend->remove(QStringLiteral("r.txt"), Precondition::none()))
                .failedWith(ErrorKind::NotFound));
}

void TestS3Backend::removeFolderTakesEverythingBelow()
{
    const QString bucket = newBucket();
    auto backend = s3BackendFor(*m_rgw, bucket);
    QVERIFY(runS3Job(backend->makeDirectory(QStringLiteral("gone"))).ok());
    putObject(bucket, QStringLiteral("gone/x/y.txt"), "y");
    putObject(bucket, QStringLiteral("gone-not/z.txt"), "a neighbour that shares the prefix");
    QVERIFY(runS3Job(backend->remove(QStringLiteral("gone"), Precondition::none())).ok());
    QVERIFY(runS3Job(backend->stat(QStringLiteral("gone"))).failedWith(ErrorKind::NotFound));
    QCOMPARE(objectBody(bucket, QStringLiteral("gone-not/z.txt")),
             QByteArray("a neighbour that shares the prefix"));
}

void TestS3Backend::wrongSecretIsAnAuthError()
{
    const QString bucket = newBucket();
    Result<S3Endpoint> endpoint = S3Endpoint::parse(m_rgw->remoteUrl(bucket));
    QVERIFY(endpoint.ok());
    endpoint->accessKeyId = m_rgw->accessKeyId();
    endpoint->secretAccessKey = QStringLiteral("not the secret");
    S3Backend backend(*endpoint, BackendOptions{});
    const S3JobResult root = runS3Job(backend.stat(QString()));
    QVERIFY2(root.failedWith(ErrorKind::Auth), qPrintable(root.describe()));
    QVERIFY(!root.error->message.contains(QLatin1String("not the secret")));
}

void TestS3Backend::missingBucketIsRootMissing()
{
    auto backend = s3BackendFor(*m_rgw, QStringLiteral("no-such-bucket"));
    const S3JobResult root = runS3Job(backend->stat(QString()));
    QVERIFY2(root.failedWith(ErrorKind::RootMissing), qPrintable(root.describe()));
}

QTEST_GUILESS_MAIN(TestS3Backend)
#include "tst_s3backend.moc"
