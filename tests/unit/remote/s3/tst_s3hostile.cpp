// The S3 backend (issue 22) against a scripted store on loopback that answers what a test
// says: malformed or hostile XML, names that escape the prefix, endless paging, and the error
// answers S3 gives, each mapped to the project's ErrorKinds. No real store needed.
#include "s3testutil.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>

using namespace steadysync;
using namespace steadysync::test;

namespace {

// Answers every request with the next scripted answer (the last one repeats).
class ScriptedS3 : public QObject
{
public:
    struct Answer
    {
        int status = 200;
        QByteArray body;
        QByteArray headers;
    };

    ScriptedS3()
    {
        m_server.listen(QHostAddress::LocalHost, 0);
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection())
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] { serve(socket); });
        });
    }
    void script(QList<Answer> answers) { m_answers = std::move(answers); }
    QStringList requests() const { return m_requests; }
    QUrl url(const QString &bucketAndPrefix) const
    {
        return QUrl(QStringLiteral("s3+http://127.0.0.1:%1/%2")
                        .arg(m_server.serverPort())
                        .arg(bucketAndPrefix));
    }

private:
    void serve(QTcpSocket *socket)
    {
        QByteArray &buffer = m_buffers[socket];
        buffer += socket->readAll();
        const qsizetype end = buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        const QByteArray head = buffer.left(end);
        buffer.clear(); // bodies are not read: the scripted answers ignore them
        m_requests.append(QString::fromLatin1(head.left(head.indexOf("\r\n"))));
        const Answer answer = m_answers.size() > 1 ? m_answers.takeFirst() : m_answers.value(0);
        const bool isHead = head.startsWith("HEAD ");
        socket->write("HTTP/1.1 " + QByteArray::number(answer.status) + " Scripted\r\n" +
                      answer.headers + "Content-Length: " + QByteArray::number(answer.body.size()) +
                      "\r\n\r\n" + (isHead ? QByteArray() : answer.body));
    }

    QTcpServer m_server;
    QList<Answer> m_answers;
    QStringList m_requests;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

std::unique_ptr<S3Backend> backendOn(const ScriptedS3 &store, const QString &bucketAndPrefix)
{
    Result<S3Endpoint> endpoint = S3Endpoint::parse(store.url(bucketAndPrefix));
    if (!endpoint)
        return nullptr;
    endpoint->accessKeyId = QStringLiteral("id");
    endpoint->secretAccessKey = QStringLiteral("secret");
    return std::make_unique<S3Backend>(*endpoint, BackendOptions{});
}

QByteArray listing(const QByteArray &contents, const QByteArray &extra = {})
{
    return "<?xml version=\"1.0\"?><ListBucketResult>" + contents + extra + "</ListBucketResult>";
}

QByteArray object(const QByteArray &key)
{
    return "<Contents><Key>" + key +
           "</Key><Size>1</Size><ETag>&quot;e&quot;</ETag>"
           "<LastModified>2026-12-07T00:00:00.000Z</LastModified></Contents>";
}

QByteArray error(const QByteArray &code)
{
    return "<Error><Code>" + code + "</Code><Message>scripted</Message></Error>";
}

} // namespace

class TestS3Hostile : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void malformedListingsAreCorrupt_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("not xml") << QByteArray("this is not XML <");
        QTest::newRow("truncated") << QByteArray("<ListBucketResult><Contents><Key>a</Key>");
        QTest::newRow("wrong root") << QByteArray("<Html><Body/></Html>");
        QTest::newRow("entity bomb") << QByteArray(
            "<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b "
            "\"&a;&a;&a;&a;&a;&a;&a;&a;\">]><ListBucketResult><Contents><Key>&b;</Key>"
            "</Contents></ListBucketResult>");
        QTest::newRow("size not a number")
            << listing("<Contents><Key>a</Key><Size>lots</Size></Contents>");
        QTest::newRow("truncated without token")
            << listing(object("p/a"), "<IsTruncated>true</IsTruncated>");
        QTest::newRow("deep nesting") << ("<ListBucketResult>" + QByteArray("<a>").repeated(50) +
                                          QByteArray("</a>").repeated(50) + "</ListBucketResult>");
    }
    void malformedListingsAreCorrupt()
    {
        QFETCH(QByteArray, body);
        ScriptedS3 store;
        store.script({{200, body, {}}});
        auto backend = backendOn(store, QStringLiteral("bucket/p"));
        const S3JobResult result = runS3Job(backend->list(QString()));
        QVERIFY2(result.failedWith(ErrorKind::Corrupt), qPrintable(result.describe()));
    }

    void repeatedContinuationTokenEndsTheListing()
    {
        ScriptedS3 store;
        store.script(
            {{200,
              listing(object("p/a"), "<IsTruncated>true</IsTruncated>"
                                     "<NextContinuationToken>same</NextContinuationToken>"),
              {}}});
        auto backend = backendOn(store, QStringLiteral("bucket/p"));
        const S3JobResult result = runS3Job(backend->listTree(QString()));
        QVERIFY2(result.failedWith(ErrorKind::Corrupt), qPrintable(result.describe()));
        QVERIFY(store.requests().size() <= 3);
    }

    void namesThatEscapeAreRefused()
    {
        ScriptedS3 store;
        store.script({{200,
                       listing(object("p/ok.txt") + object("p/../escape.txt") + object("p/d/./x") +
                               object("elsewhere/y") + object("p/d/z")),
                       {}}});
        auto backend = backendOn(store, QStringLiteral("bucket/p"));
        const S3JobResult result = runS3Job(backend->listTree(QString()));
        QVERIFY2(result.ok(), qPrintable(result.describe()));
        QStringList paths;
        for (const RemoteEntry &entry : result.entries)
            paths.append(entry.path);
        paths.sort();
        QCOMPARE(paths, QStringList({"d", "d/z", "ok.txt"}));
        QCOMPARE(result.rejected.size(), 2);
        QCOMPARE(result.rejectedPaths, QStringList({"d"}));
    }

    void errorAnswersMapToKinds_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("code");
        QTest::addColumn<int>("kind");
        QTest::newRow("bad signature")
            << 403 << QByteArray("SignatureDoesNotMatch") << int(ErrorKind::Auth);
        QTest::newRow("unknown key id")
            << 403 << QByteArray("InvalidAccessKeyId") << int(ErrorKind::Auth);
        QTest::newRow("no bucket")
            << 404 << QByteArray("NoSuchBucket") << int(ErrorKind::RootMissing);
        QTest::newRow("slow down") << 503 << QByteArray("SlowDown") << int(ErrorKind::Transient);
        QTest::newRow("internal") << 500 << QByteArray("InternalError")
                                  << int(ErrorKind::Transient);
        QTest::newRow("clock skew")
            << 403 << QByteArray("RequestTimeTooSkewed") << int(ErrorKind::Permanent);
        QTest::newRow("quota") << 403 << QByteArray("QuotaExceeded") << int(ErrorKind::DiskFull);
    }
    void errorAnswersMapToKinds()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, code);
        QFETCH(int, kind);
        ScriptedS3 store;
        store.script({{status, error(code), {}}});
        auto backend = backendOn(store, QStringLiteral("bucket"));
        const S3JobResult result = runS3Job(backend->list(QString()));
        QVERIFY2(result.failedWith(ErrorKind(kind)), qPrintable(result.describe()));
        QVERIFY(result.error->message.contains(QString::fromLatin1(code)));
        if (code == "SlowDown")
            QVERIFY(result.error->retryAfterSeconds > 0);
    }

    void copyAnsweredWithAnErrorInA200Fails()
    {
        ScriptedS3 store;
        store.script({
            {200, {}, "ETag: \"e\"\r\n"},      // HEAD from
            {404, error("NoSuchKey"), {}},     // HEAD to
            {200, listing({}), {}},            // to/ is no folder either
            {200, error("InternalError"), {}}, // CopyObject "succeeds"
            {200, {}, "ETag: \"e\"\r\n"},
        });
        auto backend = backendOn(store, QStringLiteral("bucket"));
        const S3JobResult result =
            runS3Job(backend->move(QStringLiteral("a"), QStringLiteral("b"), Precondition::none()));
        QVERIFY2(!result.ok(), qPrintable(result.describe()));
        for (const QString &request : store.requests())
            QVERIFY2(!request.startsWith(QLatin1String("DELETE")), "the source was deleted");
    }
    // A store that ignores If-None-Match and If-Match (RGW on a versioned bucket, some S3
    // clones): found by the probe, said once, and every conditional write is checked just
    // before (a HEAD) and described after, marked unproven.
    void storeIgnoringConditionsIsCheckedAroundWrites()
    {
        ScriptedS3 store;
        store.script({
            {200, {}, "ETag: \"p1\"\r\n"},                      // probe: create
            {200, {}, "ETag: \"p2\"\r\n"},                      // probe: create again, not refused
            {204, {}, {}},                                      // probe: DELETE
            {404, {}, {}},                                      // HEAD new.txt: absent
            {200, listing({}), {}},                             // nor a folder
            {200, {}, "ETag: \"n1\"\r\n"},                      // PUT
            {200, {}, "ETag: \"n1\"\r\nContent-Length: 4\r\n"}, // HEAD after
        });
        auto backend = backendOn(store, QStringLiteral("bucket"));
        QStringList warnings;
        connect(backend.get(), &RemoteBackend::warning, this,
                [&warnings](const QString &message) { warnings.append(message); });
        QTemporaryDir local;
        writeFile(local.path(), QStringLiteral("new.txt"), "mine");
        const S3JobResult result =
            runS3Job(backend->upload(local.filePath(QStringLiteral("new.txt")),
                                     QStringLiteral("new.txt"), 0, Precondition::mustNotExist()));
        QVERIFY2(result.ok(), qPrintable(result.describe()));
        QVERIFY(result.unproven);
        QVERIFY(!backend->enforcesPreconditions());
        QCOMPARE(warnings.size(), 1);
        const QStringList requests = store.requests();
        QVERIFY2(requests.size() >= 7, qPrintable(requests.join(QLatin1Char('\n'))));
        QVERIFY(requests.at(3).startsWith(QLatin1String("HEAD /bucket/new.txt")));
        QVERIFY(requests.at(5).startsWith(QLatin1String("PUT /bucket/new.txt")));
        QVERIFY(requests.at(6).startsWith(QLatin1String("HEAD /bucket/new.txt")));
    }
};

QTEST_GUILESS_MAIN(TestS3Hostile)
#include "tst_s3hostile.moc"
