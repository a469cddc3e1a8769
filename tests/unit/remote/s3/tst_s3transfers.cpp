// Large and interrupted transfers of the S3 backend (issue 22) against a real Ceph RGW:
// multipart uploads (parallel parts, invisible until complete, resumed after a kill without
// resending the parts the store has), ranged resumed downloads, abandoned uploads cleaned up.
#include "s3testutil.h"

#include "remote/s3/sigv4.h"

#include <QRandomGenerator>
#include <QTemporaryDir>

using namespace steadysync;
using namespace steadysync::test;

namespace {

constexpr qint64 MiB = 1024 * 1024;

QByteArray randomBytes(qint64 size)
{
    QByteArray data(size, Qt::Uninitialized);
    QRandomGenerator generator(42);
    generator.fillRange(reinterpret_cast<quint32 *>(data.data()), size / 4);
    return data;
}

} // namespace

class TestS3Transfers : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void multipartUploadSendsPartsAndKeepsTheHash();
    void multipartResumesAfterAKillWithoutResendingParts();
    void downloadResumesWithRange();
    void downloadStartsOverWhenTheObjectChanged();
    void staleUploadsAreAborted();

private:
    QString newBucket();
    QString boto(const QString &snippet);

    std::unique_ptr<CephRgw> m_rgw;
    QTemporaryDir m_local;
    int m_buckets = 0;
};

void TestS3Transfers::initTestCase()
{
    if (!CephRgw::isInstalled())
        QSKIP(qPrintable(CephRgw::notInstalledMessage()));
    QString error;
    m_rgw = CephRgw::start(&error);
    QVERIFY2(m_rgw, qPrintable(error));
    S3Backend::setPartSizeForTests(5 * MiB); // S3's smallest part: 16 MiB make four
}

void TestS3Transfers::cleanup()
{
    S3Backend::setPartSizeForTests(5 * MiB);
}

QString TestS3Transfers::newBucket()
{
    const QString bucket = QStringLiteral("transfers-%1").arg(++m_buckets);
    QString error;
    if (!m_rgw->createBucket(bucket, &error))
        qWarning("%s", qPrintable(error));
    return bucket;
}

QString TestS3Transfers::boto(const QString &snippet)
{
    QString error;
    const QString out = m_rgw->runBoto(snippet, &error);
    if (!error.isEmpty())
        qWarning("%s", qPrintable(error));
    return out.trimmed();
}

void TestS3Transfers::multipartUploadSendsPartsAndKeepsTheHash()
{
    const QString bucket = newBucket();
    auto backend = s3BackendFor(*m_rgw, bucket, {}, 4);
    const QByteArray content = randomBytes(16 * MiB);
    writeFile(m_local.path(), QStringLiteral("big.bin"), content);
    // Invisible before completion: seen in multipartResumesAfterAKillWithoutResendingParts.
    const S3JobResult result = runS3Job(
        backend->upload(m_local.filePath(QStringLiteral("big.bin")), QStringLiteral("big.bin"), 0,
                        Precondition::mustNotExist(), UploadHashing::SentBytes));
    QVERIFY2(result.ok(), qPrintable(result.describe()));
    QCOMPARE(backend->partRequestsSent(), 4);
    const QByteArray sha256 = sigv4::sha256Hex(content);
    QCOMPARE(result.entry.sha256, sha256);
    QCOMPARE(result.sentSha256, sha256);
    QVERIFY2(result.entry.etag.endsWith("-4\""), result.entry.etag.constData());
    QCOMPARE(boto(QStringLiteral("import hashlib\nprint(hashlib.sha256(s3.get_object(Bucket='%1',"
                                 " Key='big.bin')['Body'].read()).hexdigest())")
                      .arg(bucket))
                 .toLatin1(),
             sha256);
}

void TestS3Transfers::multipartResumesAfterAKillWithoutResendingParts()
{
    const QString bucket = newBucket();
    const QByteArray content = randomBytes(16 * MiB);
    writeFile(m_local.path(), QStringLiteral("resumed.bin"), content);
    const QString local = m_local.filePath(QStringLiteral("resumed.bin"));
    {
        auto killed = s3BackendFor(*m_rgw, bucket, {}, 1); // one part at a time
        killed->upload(local, QStringLiteral("resumed.bin"), 0, Precondition::mustNotExist());
        QVERIFY(waitFor([&] { return killed->partRequestsSent() >= 3; }, s3JobTimeoutMs));
    } // the process "dies" with part 3 in flight: its requests are cut
    QCOMPARE(boto(QStringLiteral("print(len(s3.list_objects_v2(Bucket='%1').get('Contents', [])))")
                      .arg(bucket)),
             QStringLiteral("0"));
    const int present =
        boto(QStringLiteral("u = s3.list_multipart_uploads(Bucket='%1')['Uploads'][0]\n"
                            "print(len(s3.list_parts(Bucket='%1', Key='resumed.bin', "
                            "UploadId=u['UploadId']).get('Parts', [])))")
                 .arg(bucket))
            .toInt();
    QVERIFY2(present >= 2, qPrintable(QString::number(present)));

    auto resumed = s3BackendFor(*m_rgw, bucket, {}, 2);
    const S3JobResult result = runS3Job(
        resumed->upload(local, QStringLiteral("resumed.bin"), 0, Precondition::mustNotExist()));
    QVERIFY2(result.ok(), qPrintable(result.describe()));
    QCOMPARE(resumed->partRequestsSent(), 4 - present);
    QCOMPARE(result.entry.sha256, sigv4::sha256Hex(content));
    QCOMPARE(boto(QStringLiteral("import hashlib\nprint(hashlib.sha256(s3.get_object(Bucket='%1',"
                                 " Key='resumed.bin')['Body'].read()).hexdigest())")
                      .arg(bucket))
                 .toLatin1(),
             sigv4::sha256Hex(content));
    QCOMPARE(boto(QStringLiteral("print(len(s3.list_multipart_uploads(Bucket='%1')"
                                 ".get('Uploads', [])))")
                      .arg(bucket)),
             QStringLiteral("0"));
}

void TestS3Transfers::downloadResumesWithRange()
{
    const QString bucket = newBucket();
    auto backend = s3BackendFor(*m_rgw, bucket);
    const QByteArray content = randomBytes(MiB);
    writeFile(m_local.path(), QStringLiteral("src.bin"), content);
    const S3JobResult uploaded =
        runS3Job(backend->upload(m_local.filePath(QStringLiteral("src.bin")),
                                 QStringLiteral("r.bin"), 0, Precondition::none()));
    QVERIFY2(uploaded.ok(), qPrintable(uploaded.describe()));
    // A download cut after 300,000 bytes left them and its note. The partial bytes here are
    // not the object's: only a ranged request for the rest keeps them, which proves the resume.
    const QString target = m_local.filePath(QStringLiteral("partial.bin"));
    writeFile(m_local.path(), QStringLiteral("partial.bin"), QByteArray(300'000, 'X'));
    writeFile(m_local.path(), QStringLiteral("partial.bin.s3resume"), uploaded.entry.etag);
    const S3JobResult resumed = runS3Job(backend->download(QStringLiteral("r.bin"), target));
    QVERIFY2(resumed.ok(), qPrintable(resumed.describe()));
    QCOMPARE(readFile(target), QByteArray(300'000, 'X') + content.mid(300'000));
    QVERIFY(!QFile::exists(target + QStringLiteral(".s3resume")));
}

void TestS3Transfers::downloadStartsOverWhenTheObjectChanged()
{
    const QString bucket = newBucket();
    auto backend = s3BackendFor(*m_rgw, bucket);
    const QByteArray content = randomBytes(MiB / 2);
    writeFile(m_local.path(), QStringLiteral("src2.bin"), content);
    QVERIFY(runS3Job(backend->upload(m_local.filePath(QStringLiteral("src2.bin")),
                                     QStringLiteral("c.bin"), 0, Precondition::none()))
                .ok());
    const QString target = m_local.filePath(QStringLiteral("partial2.bin"));
    writeFile(m_local.path(), QStringLiteral("partial2.bin"), QByteArray(1000, 'X'));
    writeFile(m_local.path(), QStringLiteral("partial2.bin.s3resume"), "\"an older version\"");
    const S3JobResult result = runS3Job(backend->download(QStringLiteral("c.bin"), target));
    QVERIFY2(result.ok(), qPrintable(result.describe()));
    QCOMPARE(readFile(target), content);
}

void TestS3Transfers::staleUploadsAreAborted()
{
    const QString bucket = newBucket();
    auto backend = s3BackendFor(*m_rgw, bucket, QStringLiteral("pair"));
    boto(QStringLiteral("s3.create_multipart_upload(Bucket='%1', Key='pair/abandoned.bin')\n"
                        "s3.create_multipart_upload(Bucket='%1', Key='other/not-ours.bin')")
             .arg(bucket));
    const S3JobResult young = runS3Job(backend->removeStalePartials(3600));
    QVERIFY2(young.ok(), qPrintable(young.describe()));
    const QString listUploads =
        QStringLiteral("print(sorted(u['Key'] for u in s3.list_multipart_uploads(Bucket='%1')"
                       ".get('Uploads', [])))")
            .arg(bucket);
    QCOMPARE(boto(listUploads), QStringLiteral("['other/not-ours.bin', 'pair/abandoned.bin']"));
    QVERIFY(waitFor(
        [&] {
            return runS3Job(backend->removeStalePartials(0)).ok() &&
                   boto(listUploads) == QLatin1String("['other/not-ours.bin']");
        },
        20'000));
}

QTEST_GUILESS_MAIN(TestS3Transfers)
#include "tst_s3transfers.moc"
