// Hostile servers against the WebDAV backend's writes and downloads: locks that do not work
// (issue 13, case 5), downloads cut off part-way. The direct PUT cut off after an early answer
// (case 6) is in tst_webdavhostile, beside the other large uploads.
#include "hostilewebdavserver.h"
#include "jobresult.h"
#include "remote/remotebackend.h"
#include "testutil.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace steadysync;
using test::HostileWebDavServer;

namespace {

constexpr int jobTimeoutMs = 60'000;

using test::JobResult;

JobResult run(RemoteJob *job)
{
    return test::runJob(job, jobTimeoutMs);
}

QList<JobResult> runAll(const QList<RemoteJob *> &jobs)
{
    return test::runJobs(jobs, jobTimeoutMs);
}

HostileWebDavServer::Reply answer(const QByteArray &bytes)
{
    return HostileWebDavServer::reply(bytes);
}

QByteArray fileXml(const QByteArray &href, qint64 size, const QByteArray &etag)
{
    return "<D:response><D:href>" + href +
           "</D:href><D:propstat><D:prop><D:resourcetype/><D:getcontentlength>" +
           QByteArray::number(size) +
           "</D:getcontentlength><D:getlastmodified>Tue, 24 Nov 2026 20:00:00 GMT"
           "</D:getlastmodified><D:getetag>" +
           etag +
           "</D:getetag></D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat>"
           "</D:response>";
}

QByteArray listingOf(const QByteArray &href, qint64 size, const QByteArray &etag)
{
    return HostileWebDavServer::multistatus(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<D:multistatus xmlns:D=\"DAV:\">" +
        fileXml(href, size, etag) + "</D:multistatus>");
}

// What Apache answers a PROPFIND of DAV:lockdiscovery with on a file nobody locked.
QByteArray noLockListed(const QByteArray &href)
{
    return HostileWebDavServer::multistatus(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<D:multistatus xmlns:D=\"DAV:\">"
        "<D:response><D:href>" +
        href +
        "</D:href><D:propstat><D:prop><D:lockdiscovery/></D:prop>"
        "<D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response></D:multistatus>");
}

QByteArray lockReply(const QByteArray &token)
{
    return HostileWebDavServer::response(200, {}, {{"Lock-Token", "<" + token + ">"}});
}

QByteArray davOptions(const QByteArray &classes)
{
    return HostileWebDavServer::response(200, {}, {{"DAV", classes}, {"Allow", "OPTIONS, PUT"}});
}

qsizetype countOf(const QList<HostileWebDavServer::Request> &requests, const QByteArray &method)
{
    return std::count_if(requests.cbegin(), requests.cend(),
                         [&method](const auto &request) { return request.method == method; });
}

} // namespace

class TestWebDavTransfers : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();

    void lockThatFailsAfterTheFirstStopsLockingOnce();
    void lockAnswered500StopsLockingOnce();
    void lockHeldForeverStopsLockingAfterTheWait();
    void noLockWhereOptionsLacksClass2();
    void optionsWithoutAnAnswerDecidesNothing();
    void cutDownloadResumesInTheNextProcess_data();
    void cutDownloadResumesInTheNextProcess();
    void changedFileStartsOver_data();
    void changedFileStartsOver();

private:
    std::unique_ptr<RemoteBackend> makeBackend(BackendOptions options = {});
    // Writes "sync/<name>" and uploads it over a known version (a write that locks).
    RemoteJob *uploadEdit(RemoteBackend *backend, const QString &name);

    std::unique_ptr<HostileWebDavServer> m_server;
    std::unique_ptr<QTemporaryDir> m_dir;
    QStringList m_warnings;
};

void TestWebDavTransfers::init()
{
    m_server = std::make_unique<HostileWebDavServer>();
    QVERIFY(m_server->start());
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    QDir(m_dir->path()).mkpath(QStringLiteral("sync"));
    m_warnings.clear();
}

void TestWebDavTransfers::cleanup()
{
    m_server.reset();
    m_dir.reset();
}

std::unique_ptr<RemoteBackend> TestWebDavTransfers::makeBackend(BackendOptions options)
{
    QString error;
    auto backend = RemoteBackend::create(m_server->collectionUrl(), options, &error);
    if (!backend)
        qWarning() << error;
    else
        QObject::connect(backend.get(), &RemoteBackend::warning, backend.get(),
                         [this](const QString &message) { m_warnings.append(message); });
    return backend;
}

RemoteJob *TestWebDavTransfers::uploadEdit(RemoteBackend *backend, const QString &name)
{
    test::writeFile(m_dir->path(), QStringLiteral("sync/") + name, "edited");
    return backend->upload(m_dir->filePath(QStringLiteral("sync/") + name), name, 0,
                           Precondition::mustMatch("\"v1\""));
}

namespace {

// A server whose LOCK works like Apache's (OPTIONS: DAV 1, 2) until `lock` says otherwise; every
// file is "v1" with the 6 bytes an edit writes.
HostileWebDavServer::Handler lockingServer(std::function<QByteArray()> lock)
{
    return [lock](const HostileWebDavServer::Request &request) {
        if (request.method == "OPTIONS")
            return answer(davOptions("1, 2"));
        if (request.method == "LOCK")
            return answer(lock());
        if (request.method == "PROPFIND" && request.body.contains("lockdiscovery"))
            return answer(noLockListed(request.target));
        if (request.method == "PROPFIND")
            return answer(listingOf(request.target, 6, "\"v1\""));
        return answer(HostileWebDavServer::response(204));
    };
}

} // namespace

void TestWebDavTransfers::lockThatFailsAfterTheFirstStopsLockingOnce()
{
    // One lock is granted; every later LOCK is refused with 423 though no lock is held (a stuck
    // lock database). Each edit used to wait ~10 s per run and fail, never reaching the server.
    int locks = 0;
    m_server->setHandler(lockingServer([&locks] {
        return locks++ == 0 ? lockReply("opaquelocktoken:once")
                            : HostileWebDavServer::response(423);
    }));
    auto backend = makeBackend();
    const JobResult first = run(uploadEdit(backend.get(), QStringLiteral("a")));
    QVERIFY2(first.ok(), qPrintable(first.describe()));

    QElapsedTimer timer;
    timer.start();
    const QList<JobResult> edits = runAll({uploadEdit(backend.get(), QStringLiteral("b")),
                                           uploadEdit(backend.get(), QStringLiteral("c"))});
    for (const JobResult &edit : edits)
        QVERIFY2(edit.ok(), qPrintable(edit.describe()));
    QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
    QStringList written;
    for (const auto &request : m_server->requests())
        if (request.method == "PUT") {
            written.append(QString::fromLatin1(request.target));
            QVERIFY(!request.header("If-Match").isEmpty() || !request.header("If").isEmpty());
        }
    written.sort();
    QCOMPARE(written, (QStringList{"/dav/a", "/dav/b", "/dav/c"}));
    QCOMPARE(m_warnings.size(), 1);
    QVERIFY2(m_warnings.first().contains(QLatin1String("423")), qPrintable(m_warnings.first()));
}

void TestWebDavTransfers::lockAnswered500StopsLockingOnce()
{
    m_server->setHandler(
        lockingServer([] { return HostileWebDavServer::response(500, "lock database"); }));
    auto backend = makeBackend();
    for (const QString &name : {QStringLiteral("a"), QStringLiteral("b")}) {
        const JobResult edit = run(uploadEdit(backend.get(), name));
        QVERIFY2(edit.ok(), qPrintable(edit.describe()));
    }
    const JobResult removed =
        run(backend->remove(QStringLiteral("a"), Precondition::mustMatch("\"v1\"")));
    QVERIFY2(removed.ok(), qPrintable(removed.describe()));
    // The session learnt from the first LOCK: the other writes went guarded by If-Match alone.
    QCOMPARE(countOf(m_server->requests(), "LOCK"), 1);
    QCOMPARE(countOf(m_server->requests(), "PUT"), 2);
    for (const auto &request : m_server->requests())
        if (request.method == "PUT" || request.method == "DELETE")
            QCOMPARE(request.header("If-Match"), QByteArray("\"v1\""));
    QCOMPARE(m_warnings.size(), 1);
    QVERIFY2(m_warnings.first().contains(QLatin1String("500")), qPrintable(m_warnings.first()));
}

void TestWebDavTransfers::lockHeldForeverStopsLockingAfterTheWait()
{
    // A lock that is listed and never released (a client gone, a server ignoring timeouts):
    // the first write waits the whole ~10 s, then the session stops locking; the server still
    // refuses the write to the locked file (423: Transient), and later writes ask no lock.
    m_server->setHandler([](const HostileWebDavServer::Request &request) {
        if (request.method == "OPTIONS")
            return answer(davOptions("1, 2"));
        if (request.method == "LOCK")
            return answer(HostileWebDavServer::response(423));
        if (request.method == "PROPFIND" && request.body.contains("lockdiscovery"))
            return answer(HostileWebDavServer::multistatus(
                "<?xml version=\"1.0\"?><D:multistatus xmlns:D=\"DAV:\"><D:response><D:href>" +
                request.target +
                "</D:href><D:propstat><D:prop><D:lockdiscovery><D:activelock><D:locktype>"
                "<D:write/></D:locktype></D:activelock></D:lockdiscovery></D:prop>"
                "<D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>"
                "</D:multistatus>"));
        if (request.method == "PROPFIND")
            return answer(listingOf(request.target, 6, "\"v1\""));
        if (request.method == "PUT" && request.target == "/dav/locked")
            return answer(HostileWebDavServer::response(423));
        return answer(HostileWebDavServer::response(204));
    });
    auto backend = makeBackend();
    const JobResult refused = run(uploadEdit(backend.get(), QStringLiteral("locked")));
    QVERIFY2(refused.finished && refused.kind() == ErrorKind::Transient,
             qPrintable(refused.describe()));
    QCOMPARE(m_warnings.size(), 1);
    const qsizetype locks = countOf(m_server->requests(), "LOCK");
    QVERIFY2(locks > 30, qPrintable(QString::number(locks))); // waited for, not given up at once

    const JobResult other = run(uploadEdit(backend.get(), QStringLiteral("other")));
    QVERIFY2(other.ok(), qPrintable(other.describe()));
    QCOMPARE(countOf(m_server->requests(), "LOCK"), locks);
    QCOMPARE(m_warnings.size(), 1);
}

void TestWebDavTransfers::noLockWhereOptionsLacksClass2()
{
    // Class 1 only (nginx, many NAS): no LOCK is sent, however willing the server would be.
    m_server->setHandler([](const HostileWebDavServer::Request &request) {
        if (request.method == "OPTIONS")
            return answer(davOptions("1"));
        if (request.method == "LOCK")
            return answer(lockReply("opaquelocktoken:unasked"));
        if (request.method == "PROPFIND")
            return answer(listingOf(request.target, 6, "\"v1\""));
        return answer(HostileWebDavServer::response(204));
    });
    auto backend = makeBackend();
    const QList<JobResult> edits = runAll({uploadEdit(backend.get(), QStringLiteral("a")),
                                           uploadEdit(backend.get(), QStringLiteral("b"))});
    for (const JobResult &edit : edits)
        QVERIFY2(edit.ok(), qPrintable(edit.describe()));
    const JobResult removed =
        run(backend->remove(QStringLiteral("a"), Precondition::mustMatch("\"v1\"")));
    QVERIFY2(removed.ok(), qPrintable(removed.describe()));
    QCOMPARE(countOf(m_server->requests(), "LOCK"), 0);
    QCOMPARE(countOf(m_server->requests(), "OPTIONS"), 1); // asked once for the session
    QCOMPARE(countOf(m_server->requests(), "PUT"), 2);
    for (const auto &request : m_server->requests())
        if (request.method == "PUT" || request.method == "DELETE")
            QCOMPARE(request.header("If-Match"), QByteArray("\"v1\""));
    QVERIFY2(m_warnings.isEmpty(), qPrintable(m_warnings.join(QLatin1Char('\n'))));
}

void TestWebDavTransfers::optionsWithoutAnAnswerDecidesNothing()
{
    // OPTIONS answered 503: the write fails as Transient (retried later) and nothing is decided;
    // the next write asks again and locks where the answer shows class 2.
    bool available = false;
    m_server->setHandler([&available](const HostileWebDavServer::Request &request) {
        if (request.method == "OPTIONS")
            return answer(available ? davOptions("1,2") : HostileWebDavServer::response(503));
        if (request.method == "LOCK")
            return answer(lockReply("opaquelocktoken:later"));
        if (request.method == "PROPFIND")
            return answer(listingOf(request.target, 6, "\"v1\""));
        return answer(HostileWebDavServer::response(204));
    });
    auto backend = makeBackend();
    const JobResult refused = run(uploadEdit(backend.get(), QStringLiteral("a")));
    QVERIFY2(refused.finished && refused.kind() == ErrorKind::Transient,
             qPrintable(refused.describe()));
    QCOMPARE(countOf(m_server->requests(), "PUT"), 0);

    available = true;
    const JobResult edit = run(uploadEdit(backend.get(), QStringLiteral("a")));
    QVERIFY2(edit.ok(), qPrintable(edit.describe()));
    QCOMPARE(countOf(m_server->requests(), "OPTIONS"), 2);
    QCOMPARE(countOf(m_server->requests(), "LOCK"), 1);
    QVERIFY(m_warnings.isEmpty());
}

namespace {

const QByteArray lastModified = "Tue, 24 Nov 2026 20:00:00 GMT";

QByteArray contentOf(qsizetype size, char first)
{
    QByteArray content(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        content[i] = char(first + i % 23);
    return content;
}

} // namespace

// Serves *content as version *etag: GET with a matching If-Range gets the rest (206), or with
// `ignoreIfRange` the rest whatever the version; the first whole answer is cut at half.
void serveDownloads(HostileWebDavServer *server, const QByteArray *content, const QByteArray *etag,
                    const QByteArray *ifRangeMatching, bool ignoreIfRange)
{
    auto cut = std::make_shared<bool>(true);
    server->setHandler([=](const HostileWebDavServer::Request &request) {
        if (request.method == "PROPFIND")
            return answer(listingOf(request.target, content->size(), *etag));
        const QList<std::pair<QByteArray, QByteArray>> headers = {{"ETag", *etag},
                                                                  {"Last-Modified", lastModified}};
        const bool resumable = !request.header("Range").isEmpty() &&
                               (ignoreIfRange || request.header("If-Range") == *ifRangeMatching);
        if (!resumable) {
            const QByteArray full = HostileWebDavServer::response(200, *content, headers);
            if (!std::exchange(*cut, false))
                return answer(full);
            return answer(full.left(full.size() - content->size() / 2));
        }
        const qint64 from = request.header("Range").mid(6).chopped(1).toLongLong();
        QList<std::pair<QByteArray, QByteArray>> partial = headers;
        partial.append({"Content-Range", "bytes " + QByteArray::number(from) + '-' +
                                             QByteArray::number(content->size() - 1) + '/' +
                                             QByteArray::number(content->size())});
        return answer(HostileWebDavServer::response(206, content->mid(from), partial));
    });
}

void TestWebDavTransfers::cutDownloadResumesInTheNextProcess_data()
{
    QTest::addColumn<QByteArray>("etag");
    QTest::addColumn<QByteArray>("ifRange");
    QTest::newRow("strong ETag") << QByteArray("\"v1\"") << QByteArray("\"v1\"");
    // A weak ETag cannot validate a range: the date does.
    QTest::newRow("weak ETag") << QByteArray("W/\"v1\"") << lastModified;
}

void TestWebDavTransfers::cutDownloadResumesInTheNextProcess()
{
    QFETCH(QByteArray, etag);
    QFETCH(QByteArray, ifRange);
    const QByteArray content = contentOf(1536 * 1024, 'a');
    serveDownloads(m_server.get(), &content, &etag, &ifRange, false);
    const QString target = m_dir->filePath(QStringLiteral("sync/download-x"));
    {
        auto backend = makeBackend();
        const JobResult first = run(backend->download(QStringLiteral("file"), target));
        QVERIFY2(first.finished && first.kind() == ErrorKind::Transient,
                 qPrintable(first.describe()));
    } // that process ends; what it got stays
    const qint64 partial = QFileInfo(target).size();
    QVERIFY(partial > 0 && partial < content.size());

    auto backend = makeBackend();
    const JobResult second = run(backend->download(QStringLiteral("file"), target));
    QVERIFY2(second.ok(), qPrintable(second.describe()));
    const HostileWebDavServer::Request &get = m_server->requests().last();
    QCOMPARE(get.header("Range"), "bytes=" + QByteArray::number(partial) + '-');
    QCOMPARE(get.header("If-Range"), ifRange);
    QVERIFY(test::readFile(target) == content);
    QCOMPARE(second.entry.size, content.size());
}

void TestWebDavTransfers::changedFileStartsOver_data()
{
    QTest::addColumn<bool>("ignoreIfRange");
    QTest::newRow("If-Range honoured") << false;
    // A server that sends the rest of the new version: never spliced onto the old bytes.
    QTest::newRow("If-Range ignored") << true;
}

void TestWebDavTransfers::changedFileStartsOver()
{
    QFETCH(bool, ignoreIfRange);
    QByteArray content = contentOf(1536 * 1024, 'a');
    QByteArray etag = "\"v1\"";
    serveDownloads(m_server.get(), &content, &etag, &etag, ignoreIfRange);
    const QString target = m_dir->filePath(QStringLiteral("sync/download-x"));
    auto backend = makeBackend();
    QCOMPARE(run(backend->download(QStringLiteral("file"), target)).kind(), ErrorKind::Transient);

    content = contentOf(1280 * 1024, 'A');
    etag = "\"v2\"";
    const QByteArray sentIfRange = "\"v1\"";
    JobResult again = run(backend->download(QStringLiteral("file"), target));
    QCOMPARE(m_server->requests().last().header("If-Range"), sentIfRange);
    if (ignoreIfRange) {
        QVERIFY2(again.finished && again.kind() == ErrorKind::Transient,
                 qPrintable(again.describe()));
        again = run(backend->download(QStringLiteral("file"), target));
        QVERIFY(m_server->requests().last().header("Range").isEmpty());
    }
    QVERIFY2(again.ok(), qPrintable(again.describe()));
    QVERIFY(test::readFile(target) == content);
    QCOMPARE(again.entry.etag, QByteArray("\"v2\""));
}

QTEST_GUILESS_MAIN(TestWebDavTransfers)
#include "tst_webdavtransfers.moc"
