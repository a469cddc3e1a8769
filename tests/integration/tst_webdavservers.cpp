// The WebDavServer fixture: each real server starts on loopback, stores what is PUT in its data
// directory, lists it over PROPFIND, refuses a wrong password, and leaves nothing behind.
#include "testutil.h"
#include "webdavserver.h"

#include <QDir>
#include <QFileInfo>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTest>

#include <cerrno>
#include <csignal>

using namespace steadysync::test;

Q_DECLARE_METATYPE(WebDavServer::Kind)

namespace {

struct Answer
{
    int status = 0;
    QByteArray body;
    QString error;
    QByteArray etag;
    QByteArray lastModified;
};

Answer request(const QByteArray &method, const QUrl &url, const QString &user,
               const QString &password, const QByteArray &body = {}, const QByteArray &depth = {})
{
    QNetworkAccessManager network;
    QNetworkRequest request(url);
    request.setRawHeader("Authorization",
                         "Basic " + (user + QLatin1Char(':') + password).toUtf8().toBase64());
    if (!depth.isEmpty())
        request.setRawHeader("Depth", depth);
    request.setTransferTimeout(30'000);
    std::unique_ptr<QNetworkReply> reply(network.sendCustomRequest(request, method, body));
    Answer answer;
    if (!waitFor([&] { return reply->isFinished(); }, 60'000)) {
        answer.error = QStringLiteral("no answer");
        return answer;
    }
    answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    answer.body = reply->readAll();
    answer.error = reply->errorString();
    answer.etag = reply->rawHeader("ETag");
    answer.lastModified = reply->rawHeader("Last-Modified");
    return answer;
}

// Every process whose command line names path (the server's main process and its workers).
QStringList processesMentioning(const QString &path)
{
    QStringList found;
    const QByteArray needle = QFile::encodeName(path);
    for (const QString &pid : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs)) {
        if (pid.toLongLong() <= 0)
            continue;
        QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(pid));
        if (cmdline.open(QIODevice::ReadOnly) && cmdline.readAll().contains(needle))
            found.append(pid);
    }
    return found;
}

} // namespace

class TestWebDavServers : public QObject
{
    Q_OBJECT

private slots:
    void serves_data()
    {
        QTest::addColumn<WebDavServer::Kind>("kind");
        for (const auto kind : WebDavServer::allKinds())
            QTest::newRow(qPrintable(WebDavServer::kindName(kind))) << kind;
    }

    void serves()
    {
        QFETCH(WebDavServer::Kind, kind);
        QString error;
        std::unique_ptr<WebDavServer> server = WebDavServer::start(kind, &error);
        QVERIFY2(server, qPrintable(error));
        QCOMPARE(server->url().host(), QStringLiteral("127.0.0.1"));
        QVERIFY(server->url().path().endsWith(QLatin1Char('/')));

        const QUrl file = server->url().resolved(QUrl(QStringLiteral("hello.txt")));
        const Answer put = request("PUT", file, server->user(), server->password(), "hello, dav\n");
        QVERIFY2(put.status == 201 || put.status == 204, qPrintable(put.error));

        const Answer list =
            request("PROPFIND", server->url(), server->user(), server->password(), {}, "1");
        QCOMPARE(list.status, 207);
        QVERIFY2(list.body.contains("hello.txt"), list.body.constData());

        const Answer refused =
            request("PROPFIND", server->url(), server->user(), QStringLiteral("wrong"), {}, "0");
        QCOMPARE(refused.status, 401);

        QCOMPARE(readFile(server->dataDirectory() + QStringLiteral("/hello.txt")),
                 QByteArray("hello, dav\n"));

        // A file placed directly on disk (as a test simulating a remote change does) is served.
        writeFile(server->dataDirectory(), QStringLiteral("sub/placed.txt"), "placed");
        const QUrl placed = server->url().resolved(QUrl(QStringLiteral("sub/placed.txt")));
        const Answer get = request("GET", placed, server->user(), server->password());
        QCOMPARE(get.status, 200);
        QCOMPARE(get.body, QByteArray("placed"));
        const Answer overwrite =
            request("PUT", placed, server->user(), server->password(), "changed");
        QVERIFY2(overwrite.status == 201 || overwrite.status == 204, qPrintable(overwrite.error));
        QCOMPARE(readFile(server->dataDirectory() + QStringLiteral("/sub/placed.txt")),
                 QByteArray("changed"));

        const qint64 pid = server->processId();
        QVERIFY(pid > 0);
        const QString directory =
            QDir::cleanPath(server->dataDirectory() + QStringLiteral("/../.."));
        QVERIFY(!processesMentioning(directory).isEmpty());
        server.reset();
        QVERIFY(::kill(pid_t(pid), 0) != 0 && errno == ESRCH);
        QCOMPARE(processesMentioning(directory), QStringList());
        QVERIFY(!QFileInfo::exists(directory));
    }

    // The two lighttpd flavours differ where the client has to cope: only the full one locks
    // (the minimal one answers LOCK with 500) and sends ETag and Last-Modified on GET.
    void lighttpdFlavoursDiffer_data()
    {
        QTest::addColumn<WebDavServer::Kind>("kind");
        QTest::addColumn<bool>("full");
        QTest::newRow("lighttpd") << WebDavServer::Kind::Lighttpd << true;
        QTest::newRow("lighttpd-nodb") << WebDavServer::Kind::LighttpdNoDb << false;
    }

    void lighttpdFlavoursDiffer()
    {
        QFETCH(WebDavServer::Kind, kind);
        QFETCH(bool, full);
        QString error;
        std::unique_ptr<WebDavServer> server = WebDavServer::start(kind, &error);
        QVERIFY2(server, qPrintable(error));
        const QUrl file = server->url().resolved(QUrl(QStringLiteral("locked.txt")));
        QCOMPARE(request("PUT", file, server->user(), server->password(), "x").status, 201);
        const Answer get = request("GET", file, server->user(), server->password());
        QCOMPARE(get.status, 200);
        QCOMPARE(!get.etag.isEmpty(), full);
        QCOMPARE(!get.lastModified.isEmpty(), full);
        const QByteArray lockInfo = "<?xml version=\"1.0\"?><D:lockinfo xmlns:D=\"DAV:\">"
                                    "<D:lockscope><D:exclusive/></D:lockscope>"
                                    "<D:locktype><D:write/></D:locktype></D:lockinfo>";
        const Answer lock = request("LOCK", file, server->user(), server->password(), lockInfo);
        QCOMPARE(lock.status, full ? 200 : 500);
    }

    void runsSeveralAtOnce()
    {
        QString error;
        std::unique_ptr<WebDavServer> first =
            WebDavServer::start(WebDavServer::Kind::Rclone, &error);
        QVERIFY2(first, qPrintable(error));
        std::unique_ptr<WebDavServer> second =
            WebDavServer::start(WebDavServer::Kind::Rclone, &error);
        QVERIFY2(second, qPrintable(error));
        QVERIFY(first->url() != second->url());
        QVERIFY(first->dataDirectory() != second->dataDirectory());
    }
};

QTEST_GUILESS_MAIN(TestWebDavServers)
#include "tst_webdavservers.moc"
