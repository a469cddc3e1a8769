// AWS Signature Version 4 (core/remote/s3/sigv4.h) against AWS's published test suite
// (sigv4-test-suite/, origin and licence in its README.md) and the examples of the S3 API
// documentation ("Signature Calculations for the Authorization Header").
#include "remote/s3/s3endpoint.h"
#include "remote/s3/sigv4.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QUrl>

using namespace steadysync;

namespace {

const QString suiteDir = QStringLiteral(SIGV4_SUITE_DIR);

QByteArray readFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

struct SuiteCase
{
    sigv4::Request request;
    sigv4::Credentials credentials;
    sigv4::Scope scope;
    QDateTime time;
    bool signBody = false;
};

// "a=b&c" -> {{"a","b"},{"c",""}}, names and values percent-decoded.
QList<std::pair<QString, QString>> parseQuery(const QByteArray &raw)
{
    QList<std::pair<QString, QString>> query;
    for (const QByteArray &item : raw.split('&')) {
        if (item.isEmpty())
            continue;
        const qsizetype equals = item.indexOf('=');
        const QByteArray name = equals < 0 ? item : item.left(equals);
        const QByteArray value = equals < 0 ? QByteArray() : item.mid(equals + 1);
        query.append({QString::fromUtf8(QByteArray::fromPercentEncoding(name)),
                      QString::fromUtf8(QByteArray::fromPercentEncoding(value))});
    }
    return query;
}

// request.txt: "METHOD PATH HTTP/1.1", "Name:value" lines (indented lines continue the value
// before), an empty line, the body.
void parseRequest(const QByteArray &text, sigv4::Request *request, QByteArray *body)
{
    const qsizetype headEnd = text.indexOf("\n\n");
    const QByteArray head = headEnd < 0 ? text : text.left(headEnd);
    *body = headEnd < 0 ? QByteArray() : text.mid(headEnd + 2);
    QByteArrayList lines = head.split('\n');
    const QByteArray requestLine = lines.takeFirst();
    request->method = requestLine.left(requestLine.indexOf(' '));
    const QByteArray target = requestLine.mid(
        request->method.size() + 1, requestLine.lastIndexOf(' ') - request->method.size() - 1);
    const qsizetype question = target.indexOf('?');
    const QByteArray rawPath = question < 0 ? target : target.left(question);
    request->canonicalUri =
        s3UriEncode(QString::fromUtf8(QByteArray::fromPercentEncoding(rawPath)), false);
    request->query = parseQuery(question < 0 ? QByteArray() : target.mid(question + 1));
    for (const QByteArray &line : std::as_const(lines)) {
        if (line.isEmpty())
            continue;
        if ((line.startsWith(' ') || line.startsWith('\t')) && !request->headers.isEmpty()) {
            request->headers.last().second += '\n' + line;
            continue;
        }
        const qsizetype colon = line.indexOf(':');
        request->headers.append({line.left(colon), line.mid(colon + 1)});
    }
}

SuiteCase loadCase(const QString &name)
{
    const QString dir = suiteDir + QLatin1Char('/') + name;
    const QJsonObject context =
        QJsonDocument::fromJson(readFile(dir + QStringLiteral("/context.json"))).object();
    const QJsonObject credentials = context.value(QStringLiteral("credentials")).toObject();
    SuiteCase suiteCase;
    suiteCase.credentials = {credentials.value(QStringLiteral("access_key_id")).toString(),
                             credentials.value(QStringLiteral("secret_access_key")).toString(),
                             credentials.value(QStringLiteral("token")).toString()};
    suiteCase.scope = {context.value(QStringLiteral("region")).toString(),
                       context.value(QStringLiteral("service")).toString()};
    suiteCase.time =
        QDateTime::fromString(context.value(QStringLiteral("timestamp")).toString(), Qt::ISODate);
    suiteCase.signBody = context.value(QStringLiteral("sign_body")).toBool();
    QByteArray body;
    parseRequest(readFile(dir + QStringLiteral("/request.txt")), &suiteCase.request, &body);
    suiteCase.request.payloadHash = sigv4::sha256Hex(body);
    return suiteCase;
}

QByteArray authorizationLine(const QByteArray &signedRequest)
{
    for (const QByteArray &line : signedRequest.split('\n'))
        if (line.startsWith("Authorization:"))
            return line.mid(int(sizeof("Authorization:")) - 1).trimmed();
    return {};
}

const QByteArray exampleAccessKey = "AKIAIOSFODNN7EXAMPLE";
const QByteArray exampleSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

} // namespace

class TestSigV4 : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void awsTestSuite_data()
    {
        QTest::addColumn<QString>("name");
        const QStringList cases = QDir(suiteDir).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        QVERIFY(cases.size() >= 25);
        for (const QString &name : cases)
            QTest::newRow(qPrintable(name)) << name;
    }
    void awsTestSuite()
    {
        QFETCH(QString, name);
        SuiteCase suiteCase = loadCase(name);
        const QString dir = suiteDir + QLatin1Char('/') + name;
        const QByteArray authorization =
            sigv4::sign(&suiteCase.request, suiteCase.credentials, suiteCase.time, suiteCase.scope,
                        suiteCase.signBody);
        const QByteArray canonical = sigv4::canonicalRequest(suiteCase.request);
        QCOMPARE(canonical, readFile(dir + QStringLiteral("/header-canonical-request.txt")));
        const QByteArray toSign = sigv4::stringToSign(canonical, suiteCase.time, suiteCase.scope);
        QCOMPARE(toSign, readFile(dir + QStringLiteral("/header-string-to-sign.txt")));
        const QByteArray key = sigv4::signingKey(suiteCase.credentials.secretAccessKey,
                                                 suiteCase.time, suiteCase.scope);
        QCOMPARE(sigv4::signature(key, toSign),
                 readFile(dir + QStringLiteral("/header-signature.txt")).trimmed());
        QCOMPARE(authorization,
                 authorizationLine(readFile(dir + QStringLiteral("/header-signed-request.txt"))));
    }

    // S3 API reference, "Example: GET Object": the first 10 bytes of test.txt.
    void s3GetObjectWithRange()
    {
        const Result<S3Endpoint> endpoint =
            S3Endpoint::parse(QUrl(QStringLiteral("s3://examplebucket")));
        QVERIFY(endpoint.ok());
        const QUrl url = endpoint->objectUrl(QStringLiteral("test.txt"));
        sigv4::Request request;
        request.method = "GET";
        request.canonicalUri = url.path(QUrl::FullyEncoded).toLatin1();
        request.headers = {{"Host", "examplebucket.s3.amazonaws.com"}, {"Range", "bytes=0-9"}};
        request.payloadHash = sigv4::emptyPayloadHash();
        const QDateTime time(QDate(2013, 5, 24), QTime(0, 0), Qt::UTC);
        const QByteArray authorization = sigv4::sign(
            &request,
            {QString::fromLatin1(exampleAccessKey), QString::fromLatin1(exampleSecret), {}}, time,
            {QStringLiteral("us-east-1"), QStringLiteral("s3")});
        QCOMPARE(sigv4::canonicalRequest(request),
                 QByteArray("GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\n"
                            "range:bytes=0-9\nx-amz-content-sha256:"
                            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
                            "x-amz-date:20130524T000000Z\n\n"
                            "host;range;x-amz-content-sha256;x-amz-date\n"
                            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
        QCOMPARE(authorization,
                 QByteArray("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/"
                            "s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;"
                            "x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba4"
                            "8dd91039c6036bdb41"));
    }
};

QTEST_GUILESS_MAIN(TestSigV4)
#include "tst_sigv4.moc"
