// The fault-injection proxy in front of a real Apache: it is transparent when no fault is
// armed, counts requests on keep-alive connections, and injects each fault it promises.
#include "faultproxy.h"
#include "testutil.h"
#include "webdavserver.h"

#include <QElapsedTimer>
#include <QMap>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSet>
#include <QTcpSocket>
#include <QTest>

#include <memory>

using namespace steadysync::test;

namespace {

// What one request through the seeded mix looked like, from the proxy's side (the fault it
// drew) and from the client's.
struct MixOutcome
{
    QString fault;  // "none", "reset", "503", "stall", "slow"
    int status = 0; // 0: no complete answer
    QByteArray retryAfter;
    qint64 bodyBytes = 0;
    qint64 elapsedMs = 0;

    bool operator==(const MixOutcome &other) const
    {
        // Elapsed time depends on the machine's load: not part of what must repeat.
        return fault == other.fault && status == other.status && retryAfter == other.retryAfter &&
               bodyBytes == other.bodyBytes;
    }
};

struct Answer
{
    int status = 0;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QByteArray body;
    QByteArray retryAfter;
};

} // namespace

class TestFaultProxy : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void transparentAndCountsKeepAliveRequests();
    void countsPipelinedChunkedAndHeadRequests();
    void serverDownRefusesAndComesBack();
    void answers503WithRetryAfter();
    void resetsRequestBodyAfterBytes();
    void resetsResponseBodyAfterBytes();
    void hangsWithoutAnswer();
    void throttlesToRate();
    void seededRandomResetsRepeat();
    void seededMixRepeatsAndInjectsEachFault();

private:
    Answer request(const QByteArray &method, const QString &path, const QByteArray &body = {},
                   int timeoutMs = 30'000)
    {
        QUrl url = m_proxy->url();
        url.setPath(url.path() + path);
        QNetworkRequest networkRequest(url);
        networkRequest.setRawHeader(
            "Authorization",
            "Basic " +
                (m_server->user() + QLatin1Char(':') + m_server->password()).toUtf8().toBase64());
        if (method == "PROPFIND")
            networkRequest.setRawHeader("Depth", "1");
        networkRequest.setTransferTimeout(timeoutMs);
        std::unique_ptr<QNetworkReply> reply(
            m_network->sendCustomRequest(networkRequest, method, body));
        waitServing([&] { return reply->isFinished(); }, timeoutMs + 30'000);
        Answer answer;
        answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        answer.error = reply->error();
        answer.body = reply->readAll();
        answer.retryAfter = reply->rawHeader("Retry-After");
        return answer;
    }
    // One GET on a connection of its own (Connection: close), so that no client library
    // resends a request cut before its answer: each request is exactly one draw of the mix.
    MixOutcome getAlone(const QString &path);
    // The fault the mix drew for the last request, from the proxy's counts before it.
    QString faultDrawnSince(const QMap<FaultProxy::RandomFault, qint64> &before) const;
    QMap<FaultProxy::RandomFault, qint64> randomFaultCounts() const;

    QByteArray onServer(const QString &name) const
    {
        return readFile(m_server->dataDirectory() + QLatin1Char('/') + name);
    }

    std::unique_ptr<WebDavServer> m_server;
    std::unique_ptr<FaultProxy> m_proxy;
    std::unique_ptr<QNetworkAccessManager> m_network;
};

void TestFaultProxy::initTestCase()
{
    QString error;
    m_server = WebDavServer::start(WebDavServer::Kind::Apache, &error);
    QVERIFY2(m_server, qPrintable(error));
}

void TestFaultProxy::init()
{
    m_proxy = std::make_unique<FaultProxy>(m_server->url());
    QVERIFY(m_proxy->listen());
    m_network = std::make_unique<QNetworkAccessManager>();
}

void TestFaultProxy::cleanup()
{
    m_network.reset();
    m_proxy.reset();
}

void TestFaultProxy::transparentAndCountsKeepAliveRequests()
{
    const QByteArray content(100'000, 'x');
    QCOMPARE(request("PUT", QStringLiteral("big.bin"), content).status, 201);
    for (int i = 0; i < 5; ++i)
        QCOMPARE(request("GET", QStringLiteral("big.bin")).body, content);
    QCOMPARE(request("PROPFIND", QString()).status, 207);
    QCOMPARE(m_proxy->requestCount(), 7);
    QCOMPARE(m_proxy->faultsInjected(), 0);
    QVERIFY2(m_proxy->connectionsAccepted() < 7,
             "requests were not counted on a kept-alive connection");
}

void TestFaultProxy::countsPipelinedChunkedAndHeadRequests()
{
    // One connection, requests sent back to back: a chunked PUT, a HEAD (whose answer has a
    // Content-Length but no body) and two GETs.
    const QByteArray auth =
        "Authorization: Basic " +
        (m_server->user() + QLatin1Char(':') + m_server->password()).toUtf8().toBase64() + "\r\n";
    const QByteArray base = m_server->url().path().toUtf8();
    const QByteArray pipeline =
        "PUT " + base + "chunked.txt HTTP/1.1\r\nHost: x\r\n" + auth +
        "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n7; ext=1\r\n, world\r\n0\r\n\r\n" +
        "HEAD " + base + "chunked.txt HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n" + "GET " + base +
        "chunked.txt HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n" + "GET " + base +
        "chunked.txt HTTP/1.1\r\nHost: x\r\n" + auth + "Connection: close\r\n\r\n";
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_proxy->port());
    QVERIFY(socket.waitForConnected(10'000));
    socket.write(pipeline);
    QByteArray received;
    QVERIFY(waitServing([&] {
        received += socket.readAll();
        return socket.state() == QAbstractSocket::UnconnectedState;
    }));
    received += socket.readAll();
    QCOMPARE(m_proxy->requestCount(), 4);
    QCOMPARE(m_proxy->connectionsAccepted(), 1);
    QCOMPARE(received.count("HTTP/1.1 2"), 4);
    QCOMPARE(received.count("hello, world"), 2);
    QCOMPARE(onServer(QStringLiteral("chunked.txt")), QByteArray("hello, world"));
}

void TestFaultProxy::serverDownRefusesAndComesBack()
{
    QCOMPARE(request("PROPFIND", QString()).status, 207);
    QVERIFY(m_proxy->setServerDown(true));
    QTcpSocket refused;
    refused.connectToHost(QHostAddress::LocalHost, m_proxy->port());
    QVERIFY(waitFor([&] { return refused.state() == QAbstractSocket::UnconnectedState; }, 10'000));
    QCOMPARE(refused.error(), QAbstractSocket::ConnectionRefusedError);
    QVERIFY(m_proxy->setServerDown(false));
    QCOMPARE(request("PROPFIND", QString()).status, 207);
}

void TestFaultProxy::answers503WithRetryAfter()
{
    m_proxy->answer503(2, 7);
    for (int i = 0; i < 2; ++i) {
        const Answer answer = request("PUT", QStringLiteral("later.txt"), "content");
        QCOMPARE(answer.status, 503);
        QCOMPARE(answer.retryAfter, QByteArray("7"));
    }
    QVERIFY(!QFile::exists(m_server->dataDirectory() + QStringLiteral("/later.txt")));
    QCOMPARE(request("PUT", QStringLiteral("later.txt"), "content").status, 201);
    QCOMPARE(m_proxy->faultsInjected(), 2);
    QCOMPARE(m_proxy->requestCount(), 3);
}

void TestFaultProxy::resetsRequestBodyAfterBytes()
{
    m_proxy->resetRequestBodies(1, 10'000);
    QCOMPARE(request("PUT", QStringLiteral("small.txt"), "short").status, 201); // not long enough
    // Qt resends a request cut before any answer once, so the cut shows as a third request;
    // the file under its final name is never the partial body (Apache writes a temporary file).
    const QByteArray content(200'000, 'c');
    const Answer cut = request("PUT", QStringLiteral("cut.bin"), content);
    QCOMPARE(m_proxy->faultsInjected(), 1);
    QCOMPARE(m_proxy->requestCount(), cut.error == QNetworkReply::NoError ? 3 : 2);
    const QString onDisk = m_server->dataDirectory() + QStringLiteral("/cut.bin");
    QVERIFY(!QFile::exists(onDisk) || onServer(QStringLiteral("cut.bin")) == content);
    QVERIFY(
        QList<int>({201, 204}).contains(request("PUT", QStringLiteral("cut.bin"), content).status));
    QCOMPARE(onServer(QStringLiteral("cut.bin")), content);
}

void TestFaultProxy::resetsResponseBodyAfterBytes()
{
    const QByteArray content(300'000, 'r');
    QCOMPARE(request("PUT", QStringLiteral("download.bin"), content).status, 201);
    m_proxy->resetResponseBodies(1, 50'000);
    const Answer cut = request("GET", QStringLiteral("download.bin"));
    // The cut shows in the body's length: Qt 6.4 sometimes reports a reply that ends early
    // with the connection as complete (d9a0af8), so reply->error() cannot be relied on.
    QVERIFY2(cut.body.size() <= 50'000, qPrintable(QString::number(cut.body.size())));
    QCOMPARE(m_proxy->faultsInjected(), 1);
    QCOMPARE(request("GET", QStringLiteral("download.bin")).body, content);
}

void TestFaultProxy::hangsWithoutAnswer()
{
    m_proxy->setHanging(true);
    const Answer hung = request("PROPFIND", QString(), {}, 1'000);
    QCOMPARE(hung.status, 0);
    QVERIFY(hung.error != QNetworkReply::NoError);
    QCOMPARE(m_proxy->faultsInjected(), 1);
    m_proxy->setHanging(false);
    QCOMPARE(request("PROPFIND", QString()).status, 207);
}

void TestFaultProxy::throttlesToRate()
{
    const QByteArray content(400'000, 't');
    QCOMPARE(request("PUT", QStringLiteral("slow.bin"), content).status, 201);
    m_proxy->setThrottle(400'000);
    QElapsedTimer timer;
    timer.start();
    QCOMPARE(request("GET", QStringLiteral("slow.bin")).body, content);
    // At 400 kB/s, 400 kB cannot arrive in much less than a second (a burst of 20 kB aside).
    QVERIFY2(timer.elapsed() >= 800, qPrintable(QString::number(timer.elapsed())));
    m_proxy->setThrottle(0);
    timer.restart();
    QCOMPARE(request("GET", QStringLiteral("slow.bin")).body, content);
}

void TestFaultProxy::seededRandomResetsRepeat()
{
    QCOMPARE(request("PUT", QStringLiteral("r.bin"), QByteArray(20'000, 'z')).status, 201);
    const auto runOnce = [&](double probability, quint32 seed) {
        m_proxy->setRandomResets(probability, seed);
        const qint64 faultsBefore = m_proxy->faultsInjected();
        QList<int> statuses;
        for (int i = 0; i < 40; ++i)
            statuses.append(request("GET", QStringLiteral("r.bin")).status);
        return std::make_pair(m_proxy->faultsInjected() - faultsBefore, statuses);
    };
    const auto first = runOnce(0.3, 42);
    const auto again = runOnce(0.3, 42);
    QCOMPARE(again, first);
    QVERIFY2(first.first >= 3 && first.first <= 25, qPrintable(QString::number(first.first)));
    // Qt silently resends a request reset before its answer on a reused connection, so only
    // some faults surface; none may turn into a success that did not happen.
    QVERIFY(first.second.count(200) < 40);
    QVERIFY(first.second.count(200) >= 40 - first.first);
    QCOMPARE(runOnce(0, 7).first, 0);
}

QMap<FaultProxy::RandomFault, qint64> TestFaultProxy::randomFaultCounts() const
{
    QMap<FaultProxy::RandomFault, qint64> counts;
    for (const FaultProxy::RandomFault kind :
         {FaultProxy::RandomFault::Reset, FaultProxy::RandomFault::Unavailable,
          FaultProxy::RandomFault::Stall, FaultProxy::RandomFault::SlowAnswer})
        counts.insert(kind, m_proxy->randomFaults(kind));
    return counts;
}

QString TestFaultProxy::faultDrawnSince(const QMap<FaultProxy::RandomFault, qint64> &before) const
{
    const QMap<FaultProxy::RandomFault, qint64> after = randomFaultCounts();
    const QList<std::pair<FaultProxy::RandomFault, QString>> names{
        {FaultProxy::RandomFault::Reset, QStringLiteral("reset")},
        {FaultProxy::RandomFault::Unavailable, QStringLiteral("503")},
        {FaultProxy::RandomFault::Stall, QStringLiteral("stall")},
        {FaultProxy::RandomFault::SlowAnswer, QStringLiteral("slow")}};
    QStringList drawn;
    for (const auto &[kind, name] : names) {
        if (after.value(kind) != before.value(kind))
            drawn.append(name);
    }
    return drawn.isEmpty() ? QStringLiteral("none") : drawn.join(QLatin1Char('+'));
}

MixOutcome TestFaultProxy::getAlone(const QString &path)
{
    const QMap<FaultProxy::RandomFault, qint64> before = randomFaultCounts();
    QElapsedTimer timer;
    timer.start();
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_proxy->port());
    socket.write("GET " + m_server->url().path().toUtf8() + path.toUtf8() +
                 " HTTP/1.1\r\nHost: x\r\nAuthorization: Basic " +
                 (m_server->user() + QLatin1Char(':') + m_server->password()).toUtf8().toBase64() +
                 "\r\nConnection: close\r\n\r\n");
    QByteArray received;
    waitServing(
        [&] {
            received += socket.readAll();
            return socket.state() == QAbstractSocket::UnconnectedState;
        },
        60'000);
    received += socket.readAll();

    MixOutcome outcome;
    outcome.elapsedMs = timer.elapsed();
    outcome.fault = faultDrawnSince(before);
    const qsizetype headEnd = received.indexOf("\r\n\r\n");
    if (headEnd < 0)
        return outcome;
    const QList<QByteArray> headLines = received.left(headEnd).split('\n');
    qint64 contentLength = -1;
    for (const QByteArray &line : headLines) {
        const QByteArray lower = line.trimmed().toLower();
        if (lower.startsWith("content-length:"))
            contentLength = lower.mid(15).trimmed().toLongLong();
        else if (lower.startsWith("retry-after:"))
            outcome.retryAfter = line.trimmed().mid(12).trimmed();
    }
    outcome.bodyBytes = received.size() - headEnd - 4;
    // A body cut short is no answer, whatever its head said.
    if (contentLength == outcome.bodyBytes)
        outcome.status = headLines.value(0).split(' ').value(1).toInt();
    return outcome;
}

void TestFaultProxy::seededMixRepeatsAndInjectsEachFault()
{
    constexpr int Size = 60'000;
    constexpr qint64 SlowRate = 100'000;
    // 600 ms at that rate, less the burst the rate allows (a twentieth of a second's worth).
    constexpr qint64 SlowAnswerMs = Size * 1000 / SlowRate - 50;
    QCOMPARE(request("PUT", QStringLiteral("mix.bin"), QByteArray(Size, 'm')).status, 201);
    FaultProxy::FaultMix mix;
    mix.resets = 0.15;
    mix.unavailable = 0.15;
    mix.retryAfterSeconds = 3;
    mix.stalls = 0.15;
    mix.minStallMs = 300;
    mix.maxStallMs = 600;
    mix.slowAnswers = 0.15;
    mix.slowBytesPerSecond = SlowRate;
    const auto runOnce = [&](quint32 seed) {
        m_proxy->setRandomMix(mix, seed);
        QList<MixOutcome> outcomes;
        for (int i = 0; i < 30; ++i)
            outcomes.append(getAlone(QStringLiteral("mix.bin")));
        return outcomes;
    };
    const QList<MixOutcome> first = runOnce(99);
    QCOMPARE(runOnce(99), first);
    QVERIFY2(!(runOnce(100) == first), "another seed drew the same faults");

    QSet<QString> seen;
    for (const MixOutcome &outcome : first) {
        seen.insert(outcome.fault);
        const QString where = QStringLiteral("%1: status %2, %3 bytes in %4 ms")
                                  .arg(outcome.fault)
                                  .arg(outcome.status)
                                  .arg(outcome.bodyBytes)
                                  .arg(outcome.elapsedMs);
        if (outcome.fault == u"reset") {
            QVERIFY2(outcome.status == 0, qPrintable(where));
        } else if (outcome.fault == u"503") {
            QVERIFY2(outcome.status == 503 && outcome.retryAfter == "3", qPrintable(where));
        } else {
            QVERIFY2(outcome.status == 200 && outcome.bodyBytes == Size, qPrintable(where));
        }
        // Lower bounds only: a loaded machine makes everything slower, never faster.
        if (outcome.fault == u"stall")
            QVERIFY2(outcome.elapsedMs >= mix.minStallMs, qPrintable(where));
        if (outcome.fault == u"slow")
            QVERIFY2(outcome.elapsedMs >= SlowAnswerMs, qPrintable(where));
    }
    QCOMPARE(seen,
             (QSet<QString>{QStringLiteral("none"), QStringLiteral("reset"), QStringLiteral("503"),
                            QStringLiteral("stall"), QStringLiteral("slow")}));
}

QTEST_GUILESS_MAIN(TestFaultProxy)
#include "tst_faultproxy.moc"
