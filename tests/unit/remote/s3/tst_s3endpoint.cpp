// S3 remote URLs (issue 22): s3://BUCKET/PREFIX for AWS, s3+http(s)://HOST:PORT/BUCKET/PREFIX for
// custom endpoints, and the object URLs built from them.
#include "remote/s3/s3endpoint.h"

#include <QTest>

using namespace steadysync;

class TestS3Endpoint : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void awsUrlIsVirtualHostStyleWithRegionEndpoint()
    {
        const Result<S3Endpoint> parsed =
            S3Endpoint::parse(QUrl(QStringLiteral("s3://my-bucket/team/docs/?region=eu-west-1")));
        QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().message));
        QCOMPARE(parsed->bucket, QStringLiteral("my-bucket"));
        QCOMPARE(parsed->prefix, QStringLiteral("team/docs"));
        QCOMPARE(parsed->region, QStringLiteral("eu-west-1"));
        QVERIFY(!parsed->pathStyle);
        QCOMPARE(parsed->endpoint, QUrl(QStringLiteral("https://s3.eu-west-1.amazonaws.com")));
        QCOMPARE(parsed->objectUrl(QStringLiteral("team/docs/a b.txt")),
                 QUrl(QStringLiteral("https://my-bucket.s3.eu-west-1.amazonaws.com/team/docs/"
                                     "a%20b.txt")));
        QCOMPARE(parsed->hostHeader(), QStringLiteral("my-bucket.s3.eu-west-1.amazonaws.com"));
        QCOMPARE(parsed->remoteUrl(),
                 QUrl(QStringLiteral("s3://my-bucket/team/docs?region=eu-west-1")));
    }

    void awsUrlDefaultsToUsEast1AndWholeBucket()
    {
        const Result<S3Endpoint> parsed = S3Endpoint::parse(QUrl(QStringLiteral("s3://bucket")));
        QVERIFY(parsed.ok());
        QCOMPARE(parsed->region, QStringLiteral("us-east-1"));
        QCOMPARE(parsed->prefix, QString());
        QCOMPARE(parsed->keyFor(QStringLiteral("a/b")), QStringLiteral("a/b"));
        QCOMPARE(parsed->keyPrefix(), QString());
    }

    void customEndpointIsPathStyle()
    {
        const Result<S3Endpoint> parsed =
            S3Endpoint::parse(QUrl(QStringLiteral("s3+http://keyid@127.0.0.1:7480/bkt/pre/fix")));
        QVERIFY(parsed.ok());
        QCOMPARE(parsed->endpoint, QUrl(QStringLiteral("http://127.0.0.1:7480")));
        QCOMPARE(parsed->bucket, QStringLiteral("bkt"));
        QCOMPARE(parsed->prefix, QStringLiteral("pre/fix"));
        QCOMPARE(parsed->accessKeyId, QStringLiteral("keyid"));
        QVERIFY(parsed->pathStyle);
        QCOMPARE(parsed->keyFor(QStringLiteral("x/y.txt")), QStringLiteral("pre/fix/x/y.txt"));
        QCOMPARE(parsed->pathOf(QStringLiteral("pre/fix/x/y.txt")), QStringLiteral("x/y.txt"));
        QCOMPARE(parsed->objectUrl(QStringLiteral("pre/fix/ü!(*).txt")).toEncoded(),
                 QByteArray("http://127.0.0.1:7480/bkt/pre/fix/%C3%BC%21%28%2A%29.txt"));
        QCOMPARE(parsed->objectUrl(QString()).toEncoded(), QByteArray("http://127.0.0.1:7480/bkt"));
        QCOMPARE(parsed->hostHeader(), QStringLiteral("127.0.0.1:7480"));
        QCOMPARE(parsed->remoteUrl(), QUrl(QStringLiteral("s3+http://127.0.0.1:7480/bkt/pre/fix")));
    }

    void customEndpointMaySelectVirtualHostStyle()
    {
        const Result<S3Endpoint> parsed = S3Endpoint::parse(
            QUrl(QStringLiteral("s3+https://store.example:9000/bkt?style=virtual&region=garage")));
        QVERIFY(parsed.ok());
        QVERIFY(!parsed->pathStyle);
        QCOMPARE(parsed->region, QStringLiteral("garage"));
        QCOMPARE(parsed->objectUrl(QStringLiteral("k")).toEncoded(),
                 QByteArray("https://bkt.store.example:9000/k"));
        QCOMPARE(parsed->hostHeader(), QStringLiteral("bkt.store.example:9000"));
    }

    void malformedUrlsAreRefused_data()
    {
        QTest::addColumn<QString>("url");
        QTest::newRow("webdav scheme") << QStringLiteral("https://host/bucket");
        QTest::newRow("no bucket") << QStringLiteral("s3+http://127.0.0.1:7480/");
        QTest::newRow("no host") << QStringLiteral("s3+http:///bucket");
        QTest::newRow("short bucket") << QStringLiteral("s3+http://h/ab");
        QTest::newRow("bad aws bucket") << QStringLiteral("s3://Bad_Bucket/x");
        QTest::newRow("dotdot prefix") << QStringLiteral("s3+http://h/bkt/a/../b");
        QTest::newRow("empty segment") << QStringLiteral("s3+http://h/bkt/a//b");
        QTest::newRow("secret in url") << QStringLiteral("s3+http://id:secret@h/bkt");
        QTest::newRow("unknown option") << QStringLiteral("s3://bkt?foo=bar");
    }
    void malformedUrlsAreRefused()
    {
        QFETCH(QString, url);
        const Result<S3Endpoint> parsed = S3Endpoint::parse(QUrl(url));
        QVERIFY(!parsed.ok());
        QCOMPARE(parsed.error().kind, ErrorKind::Permanent);
        QVERIFY(!parsed.error().message.contains(QLatin1String("secret")) ||
                url.contains(QLatin1String("secret")));
        QVERIFY(!parsed.error().message.contains(QLatin1String(":secret@")));
    }

    void uriEncodingFollowsSigV4()
    {
        QCOMPARE(s3UriEncode(QStringLiteral("a b/c~d-e_f.g"), false),
                 QByteArray("a%20b/c~d-e_f.g"));
        QCOMPARE(s3UriEncode(QStringLiteral("a b/c"), true), QByteArray("a%20b%2Fc"));
        QCOMPARE(s3UriEncode(QStringLiteral("+=&?%"), true), QByteArray("%2B%3D%26%3F%25"));
    }
};

QTEST_GUILESS_MAIN(TestS3Endpoint)
#include "tst_s3endpoint.moc"
