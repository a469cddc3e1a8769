// WebDavBackend against real servers on loopback (the WebDavServer fixture): Apache mod_dav_fs
// first, and nginx + dav-ext and rclone where their behaviour allows the same assertions.
#include "jobresult.h"
#include "remote/remotebackend.h"
#include "sync/remotewalker.h"
#include "testutil.h"
#include "webdavserver.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace steadysync;
using test::WebDavServer;

Q_DECLARE_METATYPE(WebDavServer::Kind)
Q_DECLARE_METATYPE(WebDavServer::FileEtags)

namespace {

constexpr int jobTimeoutMs = 60'000;

using test::JobResult;

JobResult run(RemoteJob *job)
{
    return test::runJob(job, jobTimeoutMs);
}

const RemoteEntry *find(const QVector<RemoteEntry> &entries, const QString &path)
{
    for (const RemoteEntry &entry : entries)
        if (entry.path == path)
            return &entry;
    return nullptr;
}

// A raw request from "another client" (not through the backend), with basic auth.
QNetworkReply *sendRaw(QNetworkAccessManager *network, const QByteArray &verb, const QUrl &url,
                       const WebDavServer &server, QList<std::pair<QByteArray, QByteArray>> headers,
                       const QByteArray &body = {})
{
    QNetworkRequest request(url);
    request.setRawHeader(
        "Authorization",
        "Basic " + (server.user() + QLatin1Char(':') + server.password()).toUtf8().toBase64());
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    return network->sendCustomRequest(request, verb, body);
}

int waitForStatus(QNetworkReply *reply)
{
    test::waitFor([reply] { return reply->isFinished(); }, jobTimeoutMs);
    return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
}

} // namespace

class TestWebDavApache : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();

    void roundTrip_data();
    void roundTrip();
    void preconditions_data();
    void preconditions();
    void editOfAFileDeletedMeanwhileLeavesNoEmptyFile_data();
    void editOfAFileDeletedMeanwhileLeavesNoEmptyFile();
    void moveAndRemove_data();
    void moveAndRemove();
    void missingParentAndWrongPassword_data();
    void missingParentAndWrongPassword();
    void walksWholeTreesWhereAllowed_data();
    void walksWholeTreesWhereAllowed();
    void writeWaitsForAnotherClientsLock_data();
    void writeWaitsForAnotherClientsLock();
    void etagsSurviveMovesWhereClaimed_data();
    void etagsSurviveMovesWhereClaimed();
    void concurrentCreatesOfOneNameKeepOneVersion_data();
    void concurrentCreatesOfOneNameKeepOneVersion();
    void stagedCreatesAreProvenAndLeaveNothingBehind_data();
    void stagedCreatesAreProvenAndLeaveNothingBehind();

private:
    void addKinds();
    bool startServer(WebDavServer::FileEtags etags = WebDavServer::FileEtags::MtimeSize);
    std::unique_ptr<RemoteBackend> makeBackend(const QString &password = {});
    QString writeLocal(const QString &name, const QByteArray &content);

    // Names the staged files left on the server (anywhere below its root).
    QStringList stagedFilesOnServer() const;

    std::unique_ptr<WebDavServer> m_server;
    std::unique_ptr<QTemporaryDir> m_local;
    int m_clients = 0;
};

void TestWebDavApache::init()
{
    m_local = std::make_unique<QTemporaryDir>();
    QVERIFY(m_local->isValid());
}

void TestWebDavApache::cleanup()
{
    m_server.reset();
    m_local.reset();
}

void TestWebDavApache::addKinds()
{
    QTest::addColumn<WebDavServer::Kind>("kind");
    for (const auto kind : WebDavServer::allKinds())
        QTest::newRow(qPrintable(WebDavServer::kindName(kind))) << kind;
}

bool TestWebDavApache::startServer(WebDavServer::FileEtags etags)
{
    QFETCH(WebDavServer::Kind, kind);
    QString error;
    m_server = WebDavServer::start(kind, &error, {}, WebDavServer::DepthInfinity::Refused, etags);
    if (!m_server)
        qWarning("%s did not start: %s", qPrintable(WebDavServer::kindName(kind)),
                 qPrintable(error));
    return bool(m_server);
}

std::unique_ptr<RemoteBackend> TestWebDavApache::makeBackend(const QString &password)
{
    BackendOptions options;
    options.user = m_server->user();
    options.password = password.isEmpty() ? m_server->password() : password;
    QString error;
    auto backend = RemoteBackend::create(m_server->url(), options, &error);
    if (!backend)
        qWarning("%s", qPrintable(error));
    else // as the engine does: each pair writes its temporary files under its own name
        backend->setClientId(QStringLiteral("client%1").arg(++m_clients));
    return backend;
}

QStringList TestWebDavApache::stagedFilesOnServer() const
{
    QStringList staged;
    QDirIterator it(m_server->dataDirectory(), QDir::Files | QDir::Hidden,
                    QDirIterator::Subdirectories);
    while (it.hasNext())
        if (it.next().contains(QLatin1String(".steadysync-part-")))
            staged.append(it.filePath());
    return staged;
}

QString TestWebDavApache::writeLocal(const QString &name, const QByteArray &content)
{
    test::writeFile(m_local->path(), name, content);
    return m_local->filePath(name);
}

void TestWebDavApache::roundTrip_data()
{
    addKinds();
}

void TestWebDavApache::roundTrip()
{
    QVERIFY(startServer());
    auto backend = makeBackend();
    QVERIFY(backend);

    JobResult result = run(backend->stat(QString()));
    QVERIFY2(result.ok(), qPrintable(result.describe()));
    QVERIFY(result.entry.isDir());

    const QString dir = QString::fromUtf8("sub dir #1 ü");
    result = run(backend->makeDirectory(dir));
    QVERIFY2(result.ok(), qPrintable(result.describe()));
    QVERIFY(result.entry.isDir());
    QCOMPARE(result.entry.path, dir);
    result = run(backend->makeDirectory(dir)); // exists already: still fine
    QVERIFY2(result.ok(), qPrintable(result.describe()));

    QByteArray content(3 * 1024 * 1024 + 17, '\0');
    for (qsizetype i = 0; i < content.size(); ++i)
        content[i] = char(i * 7 % 251);
    const QString name = QString::fromUtf8("a b%c?d 😀.bin");
    const QString path = dir + QLatin1Char('/') + name;
    const QString local = writeLocal(QStringLiteral("up"), content);
    const qint64 mtimeNs = 1'600'000'000LL * 1'000'000'000;
    result = run(backend->upload(local, path, mtimeNs, Precondition::mustNotExist()));
    QVERIFY2(result.ok(), qPrintable(result.describe()));
    QCOMPARE(result.entry.path, path);
    QCOMPARE(result.entry.size, content.size());
    QCOMPARE(test::readFile(m_server->dataDirectory() + QLatin1Char('/') + path), content);

    result = run(backend->list(dir));
    QVERIFY2(result.ok(), qPrintable(result.describe()));
    QCOMPARE(result.entries.size(), 1);
    QCOMPARE(result.entries.first().path, path);
    QCOMPARE(result.entries.first().size, content.size());
    QVERIFY(result.entries.first().mtimeNs > 0);

    result = run(backend->list(QString()));
    QVERIFY2(result.ok(), qPrintable(result.describe()));
    QCOMPARE(result.entries.size(), 1);
    QCOMPARE(result.entries.first().path, dir);
    QVERIFY(result.entries.first().isDir());

    const QString target = m_local->filePath(QStringLiteral("down"));
    result = run(backend->download(path, target));
    QVERIFY2(result.ok(), qPrintable(result.describe()));
    QCOMPARE(result.entry.size, content.size());
    QCOMPARE(test::readFile(target), content);

    result = run(backend->stat(path));
    QVERIFY2(result.ok(), qPrintable(result.describe()));
    QVERIFY(!result.entry.isDir());
    QCOMPARE(result.entry.size, content.size());
    result = run(backend->stat(dir));
    QVERIFY2(result.ok(), qPrintable(result.describe()));
    QVERIFY(result.entry.isDir());
}

void TestWebDavApache::preconditions_data()
{
    addKinds();
}

void TestWebDavApache::preconditions()
{
    QVERIFY(startServer());
    auto backend = makeBackend();
    const QString local = writeLocal(QStringLiteral("v1"), "version one");
    JobResult result =
        run(backend->upload(local, QStringLiteral("f.txt"), 0, Precondition::mustNotExist()));
    QVERIFY2(result.ok(), qPrintable(result.describe()));

    result = run(backend->list(QString()));
    QVERIFY2(result.ok(), qPrintable(result.describe()));
    const RemoteEntry *listed = find(result.entries, QStringLiteral("f.txt"));
    QVERIFY(listed);
    const QByteArray seen = listed->signature();

    // Someone else changes the file. Sizes differ throughout: nginx gives no ETag, and its
    // size+mtime signature cannot tell same-size writes within one second apart.
    test::writeFile(m_server->dataDirectory(), QStringLiteral("f.txt"), "changed by someone else");
    const QString local2 = writeLocal(QStringLiteral("v2"), "version two, longer");
    result =
        run(backend->upload(local2, QStringLiteral("f.txt"), 0, Precondition::mustMatch(seen)));
    QVERIFY2(result.failedWith(ErrorKind::PreconditionFailed), qPrintable(result.describe()));
    QCOMPARE(test::readFile(m_server->dataDirectory() + QStringLiteral("/f.txt")),
             QByteArray("changed by someone else"));

    result = run(backend->upload(local2, QStringLiteral("f.txt"), 0, Precondition::mustNotExist()));
    QVERIFY2(result.failedWith(ErrorKind::PreconditionFailed), qPrintable(result.describe()));

    result = run(backend->stat(QStringLiteral("f.txt")));
    QVERIFY2(result.ok(), qPrintable(result.describe()));
    result = run(backend->upload(local2, QStringLiteral("f.txt"), 0,
                                 Precondition::mustMatch(result.entry.signature())));
    QVERIFY2(result.ok(), qPrintable(result.describe()));
    QCOMPARE(test::readFile(m_server->dataDirectory() + QStringLiteral("/f.txt")),
             QByteArray("version two, longer"));
    const QString target = m_local->filePath(QStringLiteral("down"));
    result = run(backend->download(QStringLiteral("f.txt"), target));
    QVERIFY2(result.ok(), qPrintable(result.describe()));
    QCOMPARE(test::readFile(target), QByteArray("version two, longer"));

    result = run(backend->remove(QStringLiteral("f.txt"), Precondition::mustMatch(seen)));
    QVERIFY2(result.failedWith(ErrorKind::PreconditionFailed), qPrintable(result.describe()));
    QVERIFY(QFile::exists(m_server->dataDirectory() + QStringLiteral("/f.txt")));
}

// Issue 14 case 2: an edit's LOCK of a path another client has just deleted creates an empty
// "lock-null" file (rclone, lighttpd). The write fails its precondition, and nothing may stay
// behind: an empty file there would be downloaded by every client and win the name.
void TestWebDavApache::editOfAFileDeletedMeanwhileLeavesNoEmptyFile_data()
{
    addKinds();
}

void TestWebDavApache::editOfAFileDeletedMeanwhileLeavesNoEmptyFile()
{
    QVERIFY(startServer());
    auto backend = makeBackend();
    const QString local = writeLocal(QStringLiteral("v1"), "version one");
    JobResult result =
        run(backend->upload(local, QStringLiteral("f.txt"), 0, Precondition::mustNotExist()));
    QVERIFY2(result.ok(), qPrintable(result.describe()));
    result = run(backend->stat(QStringLiteral("f.txt")));
    QVERIFY2(result.ok(), qPrintable(result.describe()));
    const QByteArray seen = result.entry.signature();

    QVERIFY(QFile::remove(m_server->dataDirectory() + QStringLiteral("/f.txt")));
    const QString edit = writeLocal(QStringLiteral("v2"), "version two");
    result = run(backend->upload(edit, QStringLiteral("f.txt"), 0, Precondition::mustMatch(seen)));
    QVERIFY2(result.failedWith(ErrorKind::PreconditionFailed), qPrintable(result.describe()));
    QVERIFY2(!QFileInfo::exists(m_server->dataDirectory() + QStringLiteral("/f.txt")),
             "an empty file stayed where the LOCK was taken");
    result = run(backend->stat(QStringLiteral("f.txt")));
    QVERIFY2(result.failedWith(ErrorKind::NotFound), qPrintable(result.describe()));
    // The create that follows (modification wins over the deletion) goes ahead.
    result = run(backend->upload(edit, QStringLiteral("f.txt"), 0, Precondition::mustNotExist()));
    QVERIFY2(result.ok(), qPrintable(result.describe()));
    QCOMPARE(test::readFile(m_server->dataDirectory() + QStringLiteral("/f.txt")),
             QByteArray("version two"));
}

void TestWebDavApache::moveAndRemove_data()
{
    addKinds();
}

void TestWebDavApache::moveAndRemove()
{
    QVERIFY(startServer());
    auto backend = makeBackend();
    QVERIFY(run(backend->makeDirectory(QStringLiteral("d"))).ok());
    QVERIFY(run(backend->makeDirectory(QStringLiteral("d/e"))).ok());
    const QString local = writeLocal(QStringLiteral("x"), "x");
    QVERIFY(run(backend->upload(local, QStringLiteral("d/e/x"), 0, Precondition::none())).ok());
    QVERIFY(run(backend->upload(local, QStringLiteral("y"), 0, Precondition::none())).ok());

    JobResult result =
        run(backend->move(QStringLiteral("d"), QStringLiteral("d moved"), Precondition::none()));
    QVERIFY2(result.ok(), qPrintable(result.describe()));
    QVERIFY(QFile::exists(m_server->dataDirectory() + QStringLiteral("/d moved/e/x")));

    result = run(
        backend->move(QStringLiteral("y"), QStringLiteral("d moved/e/x"), Precondition::none()));
    QVERIFY2(result.failedWith(ErrorKind::PreconditionFailed), qPrintable(result.describe()));

    result = run(backend->remove(QStringLiteral("d moved"), Precondition::none()));
    QVERIFY2(result.ok(), qPrintable(result.describe()));
    QVERIFY(!QFileInfo::exists(m_server->dataDirectory() + QStringLiteral("/d moved")));
    result = run(backend->stat(QStringLiteral("d moved")));
    QVERIFY2(result.failedWith(ErrorKind::NotFound), qPrintable(result.describe()));
    result = run(backend->remove(QStringLiteral("gone"), Precondition::none()));
    QVERIFY2(result.failedWith(ErrorKind::NotFound), qPrintable(result.describe()));
}

void TestWebDavApache::missingParentAndWrongPassword_data()
{
    addKinds();
}

void TestWebDavApache::missingParentAndWrongPassword()
{
    QFETCH(WebDavServer::Kind, kind);
    QVERIFY(startServer());
    auto backend = makeBackend();
    const QString local = writeLocal(QStringLiteral("x"), "x");
    JobResult result = run(backend->makeDirectory(QStringLiteral("no/such")));
    QVERIFY2(result.failedWith(ErrorKind::ParentMissing), qPrintable(result.describe()));
    if (kind != WebDavServer::Kind::Nginx) { // nginx creates missing parents on PUT
        result = run(backend->upload(local, QStringLiteral("no/such"), 0, Precondition::none()));
        QVERIFY2(result.failedWith(ErrorKind::ParentMissing), qPrintable(result.describe()));
    }

    auto wrong = makeBackend(QStringLiteral("wrong password"));
    result = run(wrong->list(QString()));
    QVERIFY2(result.failedWith(ErrorKind::Auth), qPrintable(result.describe()));
    QVERIFY(!result.error->message.contains(QLatin1String("wrong password")));
}

void TestWebDavApache::walksWholeTreesWhereAllowed_data()
{
    addKinds();
}

void TestWebDavApache::walksWholeTreesWhereAllowed()
{
    QFETCH(WebDavServer::Kind, kind);
    QVERIFY(startServer());
    QStringList expected;
    for (int d = 0; d < 4; ++d) {
        const QString dir = QStringLiteral("dir %1/sub").arg(d);
        for (int f = 0; f < 5; ++f) {
            const QString path = dir + QStringLiteral("/file%1.txt").arg(f);
            test::writeFile(m_server->dataDirectory(), path, QByteArray::number(f));
            expected << path;
        }
        expected << QStringLiteral("dir %1").arg(d) << dir;
    }
    // Nothing below an ignored directory may show up, however the tree was listed.
    test::writeFile(m_server->dataDirectory(), QStringLiteral(".steadysync/deep/x.txt"), "x");
    expected.sort();

    auto backend = makeBackend();
    QVERIFY(backend);
    for (int walk = 0; walk < 2; ++walk) {
        RemoteWalker walker(backend.get(), IgnoreRules(), 4);
        bool finished = false;
        QObject::connect(&walker, &RemoteWalker::finished, [&finished] { finished = true; });
        walker.start({QString()});
        QVERIFY(test::waitFor([&finished] { return finished; }, jobTimeoutMs));
        QVERIFY2(!walker.error(), qPrintable(walker.error() ? walker.error()->message : QString()));
        QStringList seen = walker.snapshot().keys();
        seen.sort();
        QCOMPARE(seen, expected);
        // rclone allows Depth: infinity: one request for the whole tree. Apache and nginx
        // refuse it (403): the walk goes collection by collection, and after the first refusal
        // it no longer asks.
        if (kind == WebDavServer::Kind::Rclone) {
            QCOMPARE(walker.listingsMade(), 1);
            QCOMPARE(walker.treeListingsMade(), 1);
        } else {
            QCOMPARE(walker.treeListingsMade(), walk == 0 ? 1 : 0);
            QCOMPARE(walker.listingsMade() - walker.treeListingsMade(), 1 + 4 * 2);
        }
        qInfo("%s walk %d: %d listing requests", qPrintable(WebDavServer::kindName(kind)), walk,
              walker.listingsMade());
    }
}

void TestWebDavApache::writeWaitsForAnotherClientsLock_data()
{
    addKinds();
}

void TestWebDavApache::writeWaitsForAnotherClientsLock()
{
    QFETCH(WebDavServer::Kind, kind);
    if (kind == WebDavServer::Kind::Nginx)
        QSKIP("nginx + dav-ext has no LOCK: writes are guarded by the check before them alone");
    if (kind == WebDavServer::Kind::LighttpdNoDb)
        QSKIP("lighttpd without webdav.sqlite-db-name has no LOCK (500): writes are guarded by "
              "If-Match alone");
    QVERIFY(startServer());
    auto backend = makeBackend();
    QVERIFY(backend);
    JobResult result =
        run(backend->upload(writeLocal(QStringLiteral("v1"), "version 1"), QStringLiteral("f.txt"),
                            0, Precondition::mustNotExist()));
    QVERIFY2(result.ok(), qPrintable(result.describe()));
    const QByteArray base = result.entry.signature();

    // Another client locks the file, and while it holds the lock writes its own version.
    QNetworkAccessManager network;
    const QUrl url = m_server->url().resolved(QUrl(QStringLiteral("f.txt")));
    std::unique_ptr<QNetworkReply> lock(
        sendRaw(&network, "LOCK", url, *m_server,
                {{"Depth", "0"}, {"Timeout", "Second-60"}, {"Content-Type", "application/xml"}},
                "<?xml version=\"1.0\"?><D:lockinfo xmlns:D=\"DAV:\"><D:lockscope><D:exclusive/>"
                "</D:lockscope><D:locktype><D:write/></D:locktype></D:lockinfo>"));
    QCOMPARE(waitForStatus(lock.get()), 200);
    const QByteArray token = lock->rawHeader("Lock-Token");
    QVERIFY(!token.isEmpty());

    bool finished = false;
    std::optional<Error> error;
    RemoteJob *upload = backend->upload(writeLocal(QStringLiteral("mine"), "my version"),
                                        QStringLiteral("f.txt"), 0, Precondition::mustMatch(base));
    QObject::connect(upload, &RemoteJob::finished, [&](RemoteJob *job) {
        finished = true;
        error = job->error();
    });
    // The backend keeps asking for the lock (423) and writes nothing meanwhile.
    QVERIFY(!test::waitFor([&finished] { return finished; }, 1500));
    QCOMPARE(test::readFile(m_server->dataDirectory() + QStringLiteral("/f.txt")),
             QByteArray("version 1"));

    std::unique_ptr<QNetworkReply> put(
        sendRaw(&network, "PUT", url, *m_server,
                {{"If", "<" + url.toEncoded() + "> (" + token + ")"}}, "their version"));
    const int putStatus = waitForStatus(put.get());
    QVERIFY2(putStatus == 201 || putStatus == 204, qPrintable(put->errorString()));
    std::unique_ptr<QNetworkReply> unlock(
        sendRaw(&network, "UNLOCK", url, *m_server, {{"Lock-Token", token}}));
    QCOMPARE(waitForStatus(unlock.get()), 204);

    // Then it gets the lock, sees the other version and refuses to overwrite it.
    QVERIFY(test::waitFor([&finished] { return finished; }, jobTimeoutMs));
    QVERIFY(error && error->kind == ErrorKind::PreconditionFailed);
    QCOMPARE(test::readFile(m_server->dataDirectory() + QStringLiteral("/f.txt")),
             QByteArray("their version"));
}

void TestWebDavApache::etagsSurviveMovesWhereClaimed_data()
{
    addKinds();
}

// Issue 13, case 8: a remote rename becomes a local move only where a file's ETag names it for
// sure: unique among files written together (same size, same clock tick) and kept by a MOVE.
void TestWebDavApache::etagsSurviveMovesWhereClaimed()
{
    QFETCH(WebDavServer::Kind, kind);
    QVERIFY(startServer());
    auto backend = makeBackend();
    QVERIFY(backend);
    JobResult result = run(backend->stat(QString()));
    QVERIFY2(result.ok(), qPrintable(result.describe()));
    const bool expected = WebDavServer::kindName(kind).startsWith(QLatin1String("lighttpd"));
    QCOMPARE(backend->etagsSurviveMoves(), expected);
    if (!expected)
        return;

    QVERIFY(run(backend->makeDirectory(QStringLiteral("d"))).ok());
    constexpr int fileCount = 20;
    for (int i = 0; i < fileCount; ++i) {
        const QString local = writeLocal(QStringLiteral("f%1").arg(i), "same size");
        result = run(backend->upload(local, QStringLiteral("d/f%1").arg(i), 0,
                                     Precondition::mustNotExist()));
        QVERIFY2(result.ok(), qPrintable(result.describe()));
    }
    result = run(backend->list(QStringLiteral("d")));
    QVERIFY2(result.ok(), qPrintable(result.describe()));
    QHash<QString, QByteArray> before;
    QSet<QByteArray> distinct;
    for (const RemoteEntry &entry : std::as_const(result.entries)) {
        QVERIFY(!entry.etag.isEmpty() && !entry.hasWeakEtag());
        before.insert(entry.path.mid(2), entry.etag);
        distinct.insert(entry.etag);
    }
    QCOMPARE(distinct.size(), fileCount);
    QVERIFY(
        run(backend->move(QStringLiteral("d"), QStringLiteral("e"), Precondition::none())).ok());
    result = run(backend->list(QStringLiteral("e")));
    QVERIFY2(result.ok(), qPrintable(result.describe()));
    QCOMPARE(result.entries.size(), fileCount);
    for (const RemoteEntry &entry : std::as_const(result.entries))
        QCOMPARE(entry.etag, before.value(entry.path.mid(2)));
}

void TestWebDavApache::concurrentCreatesOfOneNameKeepOneVersion_data()
{
    QTest::addColumn<WebDavServer::Kind>("kind");
    QTest::addColumn<WebDavServer::FileEtags>("etags");
    for (const auto kind : WebDavServer::allKinds())
        QTest::newRow(qPrintable(WebDavServer::kindName(kind)))
            << kind << WebDavServer::FileEtags::MtimeSize;
    QTest::newRow("apache, FileETag INode MTime Size")
        << WebDavServer::Kind::Apache << WebDavServer::FileEtags::InodeMtimeSize;
}

// Issue 14, case 1: two clients create one name at the same moment, with contents of the same
// size, a few MiB each. Exactly one create may succeed and the other must be told
// (PreconditionFailed, or Transient and then told on its next try); the server holds the
// winner's content. Where the server cannot make a create conditional (Apache checks
// If-None-Match before it reads the body: two 50 MB creates at once both got 201 from curl),
// both may succeed, but then only one may be taken as proven, the one the server holds (the
// sync compares the content of the other). With Apache's default ETags (same size, same clock
// tick: one ETag) staged creates took both as proven, every run.
void TestWebDavApache::concurrentCreatesOfOneNameKeepOneVersion()
{
    QFETCH(WebDavServer::Kind, kind);
    QFETCH(WebDavServer::FileEtags, etags);
    if (kind == WebDavServer::Kind::Nginx || kind == WebDavServer::Kind::LighttpdNoDb)
        QSKIP("no locks and no conditional PUT: a lost race is found by the check after the "
              "write (unproven), covered by tst_twowriters");
    QVERIFY(startServer(etags));
    auto clientA = makeBackend();
    auto clientB = makeBackend();
    QVERIFY(clientA && clientB);
    // As every sync does first: what the server is comes with the root's answer.
    QVERIFY(run(clientA->stat(QString())).ok());
    QVERIFY(run(clientB->stat(QString())).ok());
    QVERIFY(run(clientA->makeDirectory(QStringLiteral("d"))).ok());
    constexpr int rounds = 6;
    constexpr int bodyBytes = 16 * 1024 * 1024;
    for (int round = 0; round < rounds; ++round) {
        const QString path = QStringLiteral("d/round%1.txt").arg(round);
        // Large enough that Apache's check of the create and its write lie far apart.
        const QByteArray contentA = QByteArray(bodyBytes, 'a') + QByteArray::number(round);
        const QByteArray contentB = QByteArray(bodyBytes, 'b') + QByteArray::number(round);
        RemoteJob *uploadA = clientA->upload(writeLocal(QStringLiteral("a%1").arg(round), contentA),
                                             path, 0, Precondition::mustNotExist());
        RemoteJob *uploadB = clientB->upload(writeLocal(QStringLiteral("b%1").arg(round), contentB),
                                             path, 0, Precondition::mustNotExist());
        JobResult a;
        JobResult b;
        test::captureJob(uploadA, &a);
        test::captureJob(uploadB, &b);
        QVERIFY2(test::waitFor([&a, &b] { return a.finished && b.finished; }, jobTimeoutMs),
                 "a create did not finish");
        const QByteArray onServer =
            test::readFile(m_server->dataDirectory() + QLatin1Char('/') + path);
        if (a.ok() && b.ok()) {
            // Staged creates: both MOVEs with Overwrite: F may pass Apache's check; the stat
            // after each tells whose version the name holds, and only that one is proven.
            QVERIFY2(kind == WebDavServer::Kind::Apache && (a.unproven || b.unproven),
                     qPrintable(QStringLiteral("round %1: both creates taken as proven (A %2, "
                                               "B %3)")
                                    .arg(round)
                                    .arg(a.unproven)
                                    .arg(b.unproven)));
            if (a.unproven != b.unproven)
                QCOMPARE(onServer, a.unproven ? contentB : contentA);
            continue;
        }
        QVERIFY2(
            a.ok() != b.ok(),
            qPrintable(
                QStringLiteral("round %1: A %2, B %3").arg(round).arg(a.describe(), b.describe())));
        QCOMPARE(onServer, a.ok() ? contentA : contentB);
        // The loser was told, or waited too long for the winner's lock and tries again later
        // (as a sync does): then it finds the winner's file.
        JobResult loser = a.ok() ? b : a;
        if (loser.failedWith(ErrorKind::Transient))
            loser = run((a.ok() ? clientB : clientA)
                            ->upload(writeLocal(QStringLiteral("again%1").arg(round),
                                                a.ok() ? contentB : contentA),
                                     path, 0, Precondition::mustNotExist()));
        QVERIFY2(loser.failedWith(ErrorKind::PreconditionFailed), qPrintable(loser.describe()));
        QCOMPARE(test::readFile(m_server->dataDirectory() + QLatin1Char('/') + path), onServer);
    }
}

void TestWebDavApache::stagedCreatesAreProvenAndLeaveNothingBehind_data()
{
    QTest::addColumn<WebDavServer::Kind>("kind");
    QTest::newRow("apache") << WebDavServer::Kind::Apache;
}

// Creates on Apache go up under the client's staging name and are published by a MOVE with
// Overwrite: F (WebDavStagedCreate): each is proven (the ETag the staged file had, so no
// download checks it again), a create over an existing file is refused, and no staged file
// stays behind; one a kill left is removed by removeTemporaries().
void TestWebDavApache::stagedCreatesAreProvenAndLeaveNothingBehind()
{
    QVERIFY(startServer(WebDavServer::FileEtags::InodeMtimeSize));
    auto backend = makeBackend();
    QVERIFY(backend);
    QVERIFY(run(backend->stat(QString())).ok()); // what the server is: Apache
    QVERIFY(run(backend->makeDirectory(QStringLiteral("d"))).ok());
    QList<RemoteJob *> creates;
    for (int index = 0; index < 20; ++index) {
        const QString name = QStringLiteral("f %1 ü.txt").arg(index);
        QVERIFY(
            !backend->temporaryPathFor(QStringLiteral("d/") + name, Precondition::mustNotExist())
                 .isEmpty());
        creates.append(backend->upload(writeLocal(name, "content " + QByteArray::number(index)),
                                       QStringLiteral("d/") + name, 0,
                                       Precondition::mustNotExist()));
    }
    const QList<JobResult> created = test::runJobs(creates, jobTimeoutMs);
    const JobResult listing = run(backend->list(QStringLiteral("d")));
    QVERIFY2(listing.ok(), qPrintable(listing.describe()));
    QCOMPARE(listing.entries.size(), 20);
    for (const JobResult &create : created) {
        QVERIFY2(create.ok(), qPrintable(create.describe()));
        QVERIFY2(!create.unproven, qPrintable(create.entry.path));
        const std::optional<RemoteEntry> listed = listing.listed(create.entry.path);
        QVERIFY2(listed, qPrintable(create.entry.path));
        QCOMPARE(listed->signature(), create.entry.signature());
    }
    QCOMPARE(stagedFilesOnServer(), QStringList());

    const QString taken = QStringLiteral("d/f 3 ü.txt");
    const JobResult refused =
        run(backend->upload(writeLocal(QStringLiteral("other"), "another version"), taken, 0,
                            Precondition::mustNotExist()));
    QVERIFY2(refused.failedWith(ErrorKind::PreconditionFailed), qPrintable(refused.describe()));
    QCOMPARE(test::readFile(m_server->dataDirectory() + QStringLiteral("/") + taken),
             QByteArray("content 3"));
    QCOMPARE(stagedFilesOnServer(), QStringList());

    const QString leftover =
        backend->temporaryPathFor(QStringLiteral("d/new.txt"), Precondition::mustNotExist());
    test::writeFile(m_server->dataDirectory(), leftover, "staged before a kill");
    QCOMPARE(stagedFilesOnServer().size(), 1);
    const JobResult removed =
        run(backend->removeTemporaries({leftover, QStringLiteral("d/.steadysync-part-x-gone")}));
    QVERIFY2(removed.ok(), qPrintable(removed.describe()));
    QCOMPARE(stagedFilesOnServer(), QStringList());
}

QTEST_GUILESS_MAIN(TestWebDavApache)
#include "tst_webdavapache.moc"
