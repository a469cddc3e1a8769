// The real steadysync-cli against servers that misbehave at the HTTP level (issue 13, the
// library in davbehaviours.h): throttling with 429 and Retry-After, listings sent chunked or
// gzipped (asked for or not, garbled), huge listings, case-only name clashes, listings cut
// short or sent as HTML, 200 in place of 207, and a collection that moved (a redirect).
// Whatever the server does, nothing is deleted or downloaded on the strength of a listing
// the client could not read, and a later run converges.
#include "clirunner.h"
#include "davbehaviours.h"
#include "quirkydavserver.h"
#include "sanitizers.h"
#include "testutil.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonObject>
#include <QProcess>
#include <QScopeGuard>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <sys/resource.h>
#include <unistd.h>

#include <csignal>

using namespace steadysync::test;
namespace b = steadysync::test::behaviours;

namespace {

CliRunner::Outcome sync(const CliRunner &cli, const QuirkyDavServer &server, const QString &local,
                        const QString &url = QString(), const QStringList &options = {})
{
    return cli.runServing(QStringList{QStringLiteral("sync"), local,
                                      url.isEmpty() ? server.url().toString() : url,
                                      QStringLiteral("--json"), QStringLiteral("--backoff-base-ms"),
                                      QStringLiteral("200"), QStringLiteral("--backoff-cap-ms"),
                                      QStringLiteral("500")} +
                          options);
}

bool mentions(const CliRunner::Outcome &outcome, const QByteArray &text)
{
    return outcome.out.contains(text) || outcome.err.contains(text);
}

int requestsBetween(const b::ArrivalLog &log, qint64 fromMs, qint64 toMs)
{
    return int(std::count_if(log.arrivalsMs.cbegin(), log.arrivalsMs.cend(),
                             [&](qint64 at) { return at >= fromMs && at < toMs; }));
}

// readTree without the directories, as QuirkyDavServer::files() lists them.
QMap<QString, QByteArray> filesBelow(const QString &root)
{
    QMap<QString, QByteArray> files = readTree(root);
    files.removeIf([](const auto &entry) { return entry.key().endsWith(QLatin1Char('/')); });
    return files;
}

// The largest resident set of any child process waited for so far, in MiB.
long largestChildMiB()
{
    rusage usage{};
    getrusage(RUSAGE_CHILDREN, &usage);
    return usage.ru_maxrss / 1024;
}

} // namespace

class TestWebDavBehaviours : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void throttledDownloadWaitsRetryAfter_data();
    void throttledDownloadWaitsRetryAfter();
    void throttledRunQueuesTheItemAndALaterRunConverges();
    void throttledListingChangesNothing();
    void chunkedListingsSync();
    void gzippedListingsDecode();
    void garbledGzipListingIsAnErrorNotAnEmptyFolder();
    void twentyThousandMembersListAndConverge();
    void namesNear255BytesListAndRoundTrip();
    void caseOnlyClashBothArriveOnACaseSensitiveDisk();
    void caseOnlyClashIsReportedWhereTheDiskIgnoresCase();
    void caseOnlyClashOnVfat();
    void truncatedListingDeletesAndDownloadsNothing();
    void htmlListingDeletesAndDownloadsNothing();
    void okInsteadOfMultistatusIsReadAsAListing();
    void okWithAWebPageIsAnError();
    void movedCollectionIsFollowedOnTheSameHost_data();
    void movedCollectionIsFollowedOnTheSameHost();
    void redirectedUploadIsNeverTakenAsDone();
    void credentialsGoUpFrontAfterTheFirstChallenge();

private:
    // Two files synced down, then the server's behaviour switched on: the state every
    // "changes nothing" test starts from.
    void syncTwoFilesThen(const QTemporaryDir &local, QuirkyDavServer::Behaviour behaviour);
    void verifyNothingChanged(const QTemporaryDir &local, const CliRunner::Outcome &outcome);

    std::unique_ptr<QTemporaryDir> m_home;
    std::unique_ptr<CliRunner> m_cli;
    std::unique_ptr<QuirkyDavServer> m_server;
};

void TestWebDavBehaviours::init()
{
    m_home = std::make_unique<QTemporaryDir>();
    m_cli = std::make_unique<CliRunner>(m_home->path());
    m_server = std::make_unique<QuirkyDavServer>();
    QVERIFY(m_server->start());
}

void TestWebDavBehaviours::cleanup()
{
    qunsetenv("STEADYSYNC_TEST_CASE_INSENSITIVE");
}

void TestWebDavBehaviours::throttledDownloadWaitsRetryAfter_data()
{
    QTest::addColumn<b::RetryAfterForm>("form");
    QTest::addColumn<int>("seconds");
    QTest::addColumn<qint64>("minimumGapMs");
    QTest::newRow("delta-seconds") << b::RetryAfterForm::Seconds << 2 << qint64(1900);
    // An HTTP-date has whole seconds: "3 s from now" may be read as 2 s.
    QTest::newRow("http-date") << b::RetryAfterForm::HttpDate << 3 << qint64(1900);
}

// A running client (watch, with a 100 ms backoff of its own) whose downloads get "429 Too
// Many Requests" twice: it asks again only after Retry-After, sends the server nothing else
// meanwhile, and the file arrives.
void TestWebDavBehaviours::throttledDownloadWaitsRetryAfter()
{
    QFETCH(b::RetryAfterForm, form);
    QFETCH(int, seconds);
    QFETCH(qint64, minimumGapMs);
    m_server->putFile(QStringLiteral("a.txt"), "alpha");
    m_server->putFile(QStringLiteral("b.txt"), "beta");
    auto all = std::make_shared<b::ArrivalLog>();
    auto gets = std::make_shared<b::ArrivalLog>();
    m_server->addBehaviour(b::record(all));
    m_server->addBehaviour(b::throttle(b::methodAndPath("GET", "/b.txt"), 2, seconds, form, gets));
    QTemporaryDir local;
    QProcess *watch =
        m_cli->start({QStringLiteral("watch"), local.path(), m_server->url().toString(),
                      QStringLiteral("--backoff-base-ms"), QStringLiteral("100"),
                      QStringLiteral("--backoff-cap-ms"), QStringLiteral("200"),
                      QStringLiteral("--poll-interval"), QStringLiteral("600")},
                     this);
    const bool arrived = waitFor(
        [&] { return readFile(local.filePath(QStringLiteral("b.txt"))) == "beta"; }, 60'000);
    ::kill(pid_t(watch->processId()), SIGTERM);
    QVERIFY(waitFor([&] { return watch->state() == QProcess::NotRunning; }, 30'000));
    QVERIFY2(arrived, watch->readAllStandardError().constData());
    QCOMPARE(readFile(local.filePath(QStringLiteral("a.txt"))), QByteArray("alpha"));
    QVERIFY2(gets->arrivalsMs.size() == 3, qPrintable(QString::number(gets->arrivalsMs.size())));
    for (int i = 1; i < 3; ++i) {
        const qint64 gap = gets->arrivalsMs.at(i) - gets->arrivalsMs.at(i - 1);
        QVERIFY2(gap >= minimumGapMs,
                 qPrintable(QStringLiteral("retry %1 after %2 ms").arg(i).arg(gap)));
        // The whole window after a 429: no storm, only the listings of a cycle or two that
        // local events start (they leave the waiting file alone).
        const qint64 refusedAt = gets->arrivalsMs.at(i - 1);
        const int during = requestsBetween(*all, refusedAt + 1, refusedAt + minimumGapMs);
        QVERIFY2(during <= 6,
                 qPrintable(QStringLiteral("%1 requests while told to wait").arg(during)));
    }
}

// One `sync` run: the throttled file is asked for once, reported and queued (exit 1), the
// rest arrives; the next run, after the server recovered, converges.
void TestWebDavBehaviours::throttledRunQueuesTheItemAndALaterRunConverges()
{
    m_server->putFile(QStringLiteral("a.txt"), "alpha");
    m_server->putFile(QStringLiteral("b.txt"), "beta");
    auto gets = std::make_shared<b::ArrivalLog>();
    m_server->addBehaviour(
        b::throttle(b::methodAndPath("GET", "/b.txt"), 1000, 30, b::RetryAfterForm::Seconds, gets));
    QTemporaryDir local;
    const CliRunner::Outcome throttled = sync(*m_cli, *m_server, local.path());
    QVERIFY2(throttled.exitCode == 1, qPrintable(throttled.describe()));
    QVERIFY2(mentions(throttled, "b.txt"), qPrintable(throttled.describe()));
    QCOMPARE(gets->arrivalsMs.size(), 1);
    QCOMPARE(readTree(local.path()),
             (QMap<QString, QByteArray>{{QStringLiteral("a.txt"), "alpha"}}));

    m_server->clearBehaviours();
    const CliRunner::Outcome later = sync(*m_cli, *m_server, local.path());
    QVERIFY2(later.exitCode == 0, qPrintable(later.describe()));
    QCOMPARE(filesBelow(local.path()), m_server->files());
}

// 429 on the listing itself: the run ends with exit 3 ("the server answered unusably")
// having changed nothing, and says when to come back.
void TestWebDavBehaviours::throttledListingChangesNothing()
{
    QTemporaryDir local;
    auto listings = std::make_shared<b::ArrivalLog>();
    syncTwoFilesThen(local,
                     b::throttle(b::propfinds(), 1000, 30, b::RetryAfterForm::Seconds, listings));
    writeFile(local.path(), QStringLiteral("new.txt"), "new");
    const CliRunner::Outcome outcome = sync(*m_cli, *m_server, local.path());
    QVERIFY2(outcome.exitCode == 3, qPrintable(outcome.describe()));
    QVERIFY2(listings->arrivalsMs.size() <= 2, qPrintable(outcome.describe()));
    QVERIFY2(mentions(outcome, "429"), qPrintable(outcome.describe()));
    QCOMPARE(m_server->files().size(), 3);
    QVERIFY(!m_server->files().contains(QStringLiteral("new.txt")));
    QVERIFY(!QFileInfo::exists(local.filePath(QStringLiteral("c.txt"))));

    m_server->clearBehaviours();
    const CliRunner::Outcome later = sync(*m_cli, *m_server, local.path());
    QVERIFY2(later.exitCode == 0, qPrintable(later.describe()));
    QCOMPARE(filesBelow(local.path()), m_server->files());
}

void TestWebDavBehaviours::chunkedListingsSync()
{
    m_server->addBehaviour(b::chunkedListings(7));
    m_server->putFile(QStringLiteral("a.txt"), "alpha");
    m_server->putFile(QStringLiteral("sub/b.txt"), "beta");
    QTemporaryDir local;
    for (int run = 1; run <= 2; ++run) {
        const CliRunner::Outcome outcome = sync(*m_cli, *m_server, local.path());
        QVERIFY2(outcome.exitCode == 0, qPrintable(outcome.describe()));
    }
    writeFile(local.path(), QStringLiteral("sub/up.txt"), "up");
    const CliRunner::Outcome up = sync(*m_cli, *m_server, local.path());
    QVERIFY2(up.exitCode == 0, qPrintable(up.describe()));
    QCOMPARE(m_server->files().value(QStringLiteral("sub/up.txt")), QByteArray("up"));
    QCOMPARE(readTree(local.path()),
             (QMap<QString, QByteArray>{{QStringLiteral("a.txt"), "alpha"},
                                        {QStringLiteral("sub/"), QByteArray()},
                                        {QStringLiteral("sub/b.txt"), "beta"},
                                        {QStringLiteral("sub/up.txt"), "up"}}));
}

// Servers that gzip whatever the client asked for: the listing is decoded, never parsed as
// XML while compressed.
void TestWebDavBehaviours::gzippedListingsDecode()
{
    m_server->addBehaviour(b::gzippedListings());
    m_server->putFile(QStringLiteral("a.txt"), "alpha");
    m_server->putFile(QStringLiteral("sub/b.txt"), "beta");
    QTemporaryDir local;
    for (int run = 1; run <= 2; ++run) {
        const CliRunner::Outcome outcome = sync(*m_cli, *m_server, local.path());
        QVERIFY2(outcome.exitCode == 0, qPrintable(outcome.describe()));
    }
    QCOMPARE(readTree(local.path()),
             (QMap<QString, QByteArray>{{QStringLiteral("a.txt"), "alpha"},
                                        {QStringLiteral("sub/"), QByteArray()},
                                        {QStringLiteral("sub/b.txt"), "beta"}}));
    // What the client says it accepts (Qt Network asks for gzip itself and decodes it).
    const QList<HostileWebDavServer::Request> &requests = m_server->http().requests();
    const auto propfind = std::find_if(requests.cbegin(), requests.cend(), [](const auto &request) {
        return request.method == "PROPFIND";
    });
    QVERIFY(propfind != requests.cend());
    qInfo("PROPFIND Accept-Encoding: \"%s\"", propfind->header("Accept-Encoding").constData());
    QVERIFY(propfind->header("Accept-Encoding").contains("gzip"));
}

// A gzip answer that does not decode is an unusable answer (exit 3), not an empty folder:
// nothing local goes to the trash.
void TestWebDavBehaviours::garbledGzipListingIsAnErrorNotAnEmptyFolder()
{
    QTemporaryDir local;
    syncTwoFilesThen(local, b::gzippedListings(true));
    const CliRunner::Outcome outcome = sync(*m_cli, *m_server, local.path());
    verifyNothingChanged(local, outcome);
}

// One folder of 20,000 members in one multistatus (about 6 MB): every run reads all of it
// within seconds and a bounded memory, and the pair converges. Downloading 20,000 files
// would take minutes here and tell nothing about the listing, so all but 100 are left out
// by the user's --exclude, which applies after the listing is read.
void TestWebDavBehaviours::twentyThousandMembersListAndConverge()
{
    const int count = 20'000;
    const int synced = 100;
    for (int i = 0; i < count; ++i)
        m_server->putFile(QStringLiteral("big/f%1.%2")
                              .arg(i, 5, 10, QLatin1Char('0'))
                              .arg(i < synced ? QStringLiteral("txt") : QStringLiteral("skip")),
                          QByteArray::number(i));
    const QStringList exclude{QStringLiteral("--exclude"), QStringLiteral("*.skip")};
    QTemporaryDir local;
    for (int run = 1; run <= 2; ++run) {
        QElapsedTimer clock;
        clock.start();
        const CliRunner::Outcome outcome = sync(*m_cli, *m_server, local.path(), {}, exclude);
        qInfo("run %d with %d members listed: %lld ms, largest child so far %ld MiB", run, count,
              clock.elapsed(), largestChildMiB());
        QVERIFY2(outcome.exitCode == 0, qPrintable(outcome.describe()));
        QCOMPARE(outcome.json().value(QStringLiteral("downloaded")).toInt(), run == 1 ? synced : 0);
        // Generous for a shared 2-core machine; about 1 s here.
        QVERIFY2(clock.elapsed() < 30'000, qPrintable(QString::number(clock.elapsed())));
    }
    if (!kUnderAddressSanitizer) // its RSS is no measure (sanitizers.h)
        QVERIFY2(largestChildMiB() < 400, qPrintable(QString::number(largestChildMiB())));
    QCOMPARE(readTree(local.path()).size(), synced + 1);
    QCOMPARE(readFile(local.filePath(QStringLiteral("big/f00042.txt"))), QByteArray("42"));
}

// Names of 250 to 255 bytes (two-byte UTF-8 characters, so about 750 in a percent-encoded
// href) list, download and upload.
void TestWebDavBehaviours::namesNear255BytesListAndRoundTrip()
{
    QStringList names;
    for (int i = 0; i < 200; ++i) {
        const QString tail = QStringLiteral("-%1.txt").arg(i, 3, 10, QLatin1Char('0'));
        QString name = QString(QChar(0xE9)).repeated((255 - tail.size()) / 2) + tail;
        if (i % 2)
            name = QStringLiteral("x").repeated(255 - tail.size()) + tail;
        names.append(name);
        QVERIFY(name.toUtf8().size() <= 255 && name.toUtf8().size() >= 250);
        m_server->putFile(QStringLiteral("long/") + name, name.toUtf8().left(20));
    }
    QTemporaryDir local, other;
    const CliRunner::Outcome first = sync(*m_cli, *m_server, local.path());
    QVERIFY2(first.exitCode == 0, qPrintable(first.describe()));
    for (const QString &name : std::as_const(names))
        writeFile(local.path(), QStringLiteral("long/") + name, "edited " + name.toUtf8());
    const CliRunner::Outcome up = sync(*m_cli, *m_server, local.path());
    QVERIFY2(up.exitCode == 0, qPrintable(up.describe()));
    const CliRunner::Outcome down = sync(*m_cli, *m_server, other.path());
    QVERIFY2(down.exitCode == 0, qPrintable(down.describe()));
    QCOMPARE(readTree(other.path()), readTree(local.path()));
    QCOMPARE(m_server->files().value(QStringLiteral("long/") + names.first()),
             "edited " + names.first().toUtf8());
}

// "Readme.md" and "README.md" in one folder, on a case-sensitive disk: two files, each
// round-trips on its own.
void TestWebDavBehaviours::caseOnlyClashBothArriveOnACaseSensitiveDisk()
{
    m_server->putFile(QStringLiteral("docs/Readme.md"), "mixed");
    m_server->putFile(QStringLiteral("docs/README.md"), "upper");
    QTemporaryDir local, other;
    const CliRunner::Outcome first = sync(*m_cli, *m_server, local.path());
    QVERIFY2(first.exitCode == 0, qPrintable(first.describe()));
    QCOMPARE(readFile(local.filePath(QStringLiteral("docs/Readme.md"))), QByteArray("mixed"));
    QCOMPARE(readFile(local.filePath(QStringLiteral("docs/README.md"))), QByteArray("upper"));
    writeFile(local.path(), QStringLiteral("docs/README.md"), "upper, edited");
    writeFile(local.path(), QStringLiteral("docs/readme.md"), "lower, new");
    const CliRunner::Outcome up = sync(*m_cli, *m_server, local.path());
    QVERIFY2(up.exitCode == 0, qPrintable(up.describe()));
    QCOMPARE(m_server->files(),
             (QMap<QString, QByteArray>{{QStringLiteral("docs/README.md"), "upper, edited"},
                                        {QStringLiteral("docs/Readme.md"), "mixed"},
                                        {QStringLiteral("docs/readme.md"), "lower, new"}}));
    const CliRunner::Outcome down = sync(*m_cli, *m_server, other.path());
    QVERIFY2(down.exitCode == 0, qPrintable(down.describe()));
    QCOMPARE(readTree(other.path()), readTree(local.path()));
}

// The same clash where the local disk ignores letter case (said so by the test switch, as
// this disk does not): one of the two arrives, the other is reported on every run (exit 1),
// never downloaded over the first, and nothing on the server is touched.
void TestWebDavBehaviours::caseOnlyClashIsReportedWhereTheDiskIgnoresCase()
{
    qputenv("STEADYSYNC_TEST_CASE_INSENSITIVE", "1");
    m_cli = std::make_unique<CliRunner>(m_home->path());
    m_server->putFile(QStringLiteral("docs/Readme.md"), "mixed");
    m_server->putFile(QStringLiteral("docs/README.md"), "upper");
    m_server->putFile(QStringLiteral("other.txt"), "other");
    QTemporaryDir local;
    for (int run = 1; run <= 2; ++run) {
        const CliRunner::Outcome outcome = sync(*m_cli, *m_server, local.path());
        QVERIFY2(outcome.exitCode == 1, qPrintable(outcome.describe()));
        QVERIFY2(mentions(outcome, "docs/Readme.md"), qPrintable(outcome.describe()));
        QCOMPARE(readTree(local.path()),
                 (QMap<QString, QByteArray>{{QStringLiteral("docs/"), QByteArray()},
                                            {QStringLiteral("docs/README.md"), "upper"},
                                            {QStringLiteral("other.txt"), "other"}}));
    }
    QCOMPARE(m_server->files().size(), 3);
    QCOMPARE(m_server->files().value(QStringLiteral("docs/Readme.md")), QByteArray("mixed"));
}

// On a real vfat disk (a loop mount: needs root and mkfs.vfat, as in CI).
void TestWebDavBehaviours::caseOnlyClashOnVfat()
{
    if (::geteuid() != 0 || QStandardPaths::findExecutable(QStringLiteral("mkfs.vfat")).isEmpty())
        QSKIP("needs root and mkfs.vfat to mount a case-insensitive disk");
    QTemporaryDir work;
    const QString image = work.filePath(QStringLiteral("fat.img"));
    const QString mountPoint = work.filePath(QStringLiteral("mnt"));
    QVERIFY(QDir().mkpath(mountPoint));
    QFile file(image);
    QVERIFY(file.open(QIODevice::WriteOnly) && file.resize(16 * 1024 * 1024));
    file.close();
    QCOMPARE(QProcess::execute(QStringLiteral("mkfs.vfat"), {image}), 0);
    if (QProcess::execute(QStringLiteral("mount"),
                          {QStringLiteral("-o"), QStringLiteral("loop"), image, mountPoint}) != 0)
        QSKIP("this kernel cannot loop-mount vfat here");
    const auto unmount =
        qScopeGuard([&] { QProcess::execute(QStringLiteral("umount"), {mountPoint}); });
    m_server->putFile(QStringLiteral("docs/Readme.md"), "mixed");
    m_server->putFile(QStringLiteral("docs/README.md"), "upper");
    for (int run = 1; run <= 2; ++run) {
        const CliRunner::Outcome outcome = sync(*m_cli, *m_server, mountPoint);
        QVERIFY2(outcome.exitCode == 1, qPrintable(outcome.describe()));
        QVERIFY2(mentions(outcome, "docs/Readme.md"), qPrintable(outcome.describe()));
        QCOMPARE(readFile(mountPoint + QStringLiteral("/docs/README.md")), QByteArray("upper"));
    }
    QCOMPARE(m_server->files().value(QStringLiteral("docs/Readme.md")), QByteArray("mixed"));
    QCOMPARE(m_server->files().value(QStringLiteral("docs/README.md")), QByteArray("upper"));
}

void TestWebDavBehaviours::truncatedListingDeletesAndDownloadsNothing()
{
    QTemporaryDir local;
    syncTwoFilesThen(local, b::truncatedListings(0.6));
    const CliRunner::Outcome outcome = sync(*m_cli, *m_server, local.path());
    verifyNothingChanged(local, outcome);
    // A first sync into an empty folder downloads nothing from half a listing either.
    QTemporaryDir fresh;
    const CliRunner::Outcome first = sync(*m_cli, *m_server, fresh.path());
    QVERIFY2(first.exitCode == 3, qPrintable(first.describe()));
    QVERIFY(readTree(fresh.path()).isEmpty());
}

void TestWebDavBehaviours::htmlListingDeletesAndDownloadsNothing()
{
    QTemporaryDir local;
    syncTwoFilesThen(local, b::htmlListings());
    const CliRunner::Outcome outcome = sync(*m_cli, *m_server, local.path());
    verifyNothingChanged(local, outcome);
}

// Some servers answer PROPFIND with "200 OK" and the multistatus body: it is read as one.
void TestWebDavBehaviours::okInsteadOfMultistatusIsReadAsAListing()
{
    m_server->addBehaviour(b::okInsteadOfMultistatus());
    m_server->putFile(QStringLiteral("a.txt"), "alpha");
    m_server->putFile(QStringLiteral("sub/b.txt"), "beta");
    QTemporaryDir local;
    for (int run = 1; run <= 2; ++run) {
        const CliRunner::Outcome outcome = sync(*m_cli, *m_server, local.path());
        QVERIFY2(outcome.exitCode == 0, qPrintable(outcome.describe()));
    }
    writeFile(local.path(), QStringLiteral("up.txt"), "up");
    QFile::remove(local.filePath(QStringLiteral("a.txt")));
    const CliRunner::Outcome changes = sync(*m_cli, *m_server, local.path());
    QVERIFY2(changes.exitCode == 0, qPrintable(changes.describe()));
    QCOMPARE(m_server->files(), (QMap<QString, QByteArray>{{QStringLiteral("sub/b.txt"), "beta"},
                                                           {QStringLiteral("up.txt"), "up"}}));
}

// "200 OK" with a web page (a login portal) is no listing: exit 3, nothing changed.
void TestWebDavBehaviours::okWithAWebPageIsAnError()
{
    QTemporaryDir local;
    syncTwoFilesThen(local, b::htmlListings());
    m_server->addBehaviour(b::okInsteadOfMultistatus());
    const CliRunner::Outcome outcome = sync(*m_cli, *m_server, local.path());
    verifyNothingChanged(local, outcome);
}

void TestWebDavBehaviours::movedCollectionIsFollowedOnTheSameHost_data()
{
    QTest::addColumn<int>("status");
    QTest::newRow("301") << 301;
    QTest::newRow("302") << 302;
}

// The pair's URL is /old/, which the server redirects to /dav/ on the same host: listings,
// downloads and uploads all reach /dav/.
void TestWebDavBehaviours::movedCollectionIsFollowedOnTheSameHost()
{
    QFETCH(int, status);
    m_server->addBehaviour(b::redirectPrefix("/old/", status));
    m_server->putFile(QStringLiteral("a.txt"), "alpha");
    m_server->putFile(QStringLiteral("sub/b.txt"), "beta");
    QUrl old = m_server->url();
    old.setPath(QStringLiteral("/old/"));
    QTemporaryDir local;
    const CliRunner::Outcome first = sync(*m_cli, *m_server, local.path(), old.toString());
    QVERIFY2(first.exitCode == 0, qPrintable(first.describe()));
    QCOMPARE(readFile(local.filePath(QStringLiteral("sub/b.txt"))), QByteArray("beta"));
    writeFile(local.path(), QStringLiteral("sub/up.txt"), "up");
    writeFile(local.path(), QStringLiteral("a.txt"), "alpha, edited");
    const CliRunner::Outcome up = sync(*m_cli, *m_server, local.path(), old.toString());
    QVERIFY2(up.exitCode == 0, qPrintable(up.describe()));
    QCOMPARE(m_server->files(),
             (QMap<QString, QByteArray>{{QStringLiteral("a.txt"), "alpha, edited"},
                                        {QStringLiteral("sub/b.txt"), "beta"},
                                        {QStringLiteral("sub/up.txt"), "up"}}));
}

// A PUT answered with a redirect: Qt Network would repeat it as a GET of the new place,
// and the 200 of that GET made the upload look done (exit 0, the file on one side only).
void TestWebDavBehaviours::redirectedUploadIsNeverTakenAsDone()
{
    m_server->putFile(QStringLiteral("a.txt"), "alpha");
    m_server->addBehaviour(b::redirect(b::methodAndPath("PUT", "/new.txt"), "/dav/a.txt", 301));
    QTemporaryDir local;
    writeFile(local.path(), QStringLiteral("new.txt"), "new");
    const CliRunner::Outcome outcome = sync(*m_cli, *m_server, local.path());
    QVERIFY2(outcome.exitCode == 1, qPrintable(outcome.describe()));
    QVERIFY2(mentions(outcome, "new.txt"), qPrintable(outcome.describe()));
    QCOMPARE(readFile(local.filePath(QStringLiteral("new.txt"))), QByteArray("new"));
    QCOMPARE(readFile(local.filePath(QStringLiteral("a.txt"))), QByteArray("alpha"));

    // A redirect is the server's set-up, not a passing state: it waits for `retry`.
    m_server->clearBehaviours();
    const CliRunner::Outcome retry = m_cli->run({QStringLiteral("retry"), local.path()});
    QVERIFY2(retry.exitCode == 0, qPrintable(retry.describe()));
    const CliRunner::Outcome later = sync(*m_cli, *m_server, local.path());
    QVERIFY2(later.exitCode == 0, qPrintable(later.describe()));
    QCOMPARE(m_server->files().value(QStringLiteral("new.txt")), QByteArray("new"));
}

void TestWebDavBehaviours::syncTwoFilesThen(const QTemporaryDir &local,
                                            QuirkyDavServer::Behaviour behaviour)
{
    m_server->putFile(QStringLiteral("a.txt"), "alpha");
    m_server->putFile(QStringLiteral("sub/b.txt"), "beta");
    const CliRunner::Outcome first = sync(*m_cli, *m_server, local.path());
    QVERIFY2(first.exitCode == 0, qPrintable(first.describe()));
    m_server->addBehaviour(std::move(behaviour));
    // What a sync on a readable listing would fetch.
    m_server->putFile(QStringLiteral("c.txt"), "gamma");
}

// Exit 3 with a reason, every local file still there, nothing fetched or sent.
void TestWebDavBehaviours::verifyNothingChanged(const QTemporaryDir &local,
                                                const CliRunner::Outcome &outcome)
{
    QVERIFY2(outcome.exitCode == 3, qPrintable(outcome.describe()));
    QVERIFY2(!outcome.err.trimmed().isEmpty(), qPrintable(outcome.describe()));
    QCOMPARE(readTree(local.path()),
             (QMap<QString, QByteArray>{{QStringLiteral("a.txt"), "alpha"},
                                        {QStringLiteral("sub/"), QByteArray()},
                                        {QStringLiteral("sub/b.txt"), "beta"}}));
    QCOMPARE(m_server->files().size(), 3);
}

// Issue 19, deliverable 1: once the server asked for Basic credentials, every request of the
// run carries them, so no upload is answered 401 and sent twice. Was: every Qt Network
// request met its own 401 first where Qt's cache did not cover it, and each large file's
// direct PUT was refused once.
void TestWebDavBehaviours::credentialsGoUpFrontAfterTheFirstChallenge()
{
    auto log = std::make_shared<b::AuthLog>();
    m_server->addBehaviour(b::basicAuth("anna", "s3cret", log));
    QTemporaryDir local;
    for (int i = 0; i < 20; ++i)
        writeFile(local.path(), QStringLiteral("small/f%1.txt").arg(i),
                  "small " + QByteArray::number(i));
    const QByteArray large(12 * 1024 * 1024, 'L');
    writeFile(local.path(), QStringLiteral("large.bin"), large);
    m_cli->setPassword(QStringLiteral("s3cret"));

    const CliRunner::Outcome up = m_cli->runServing(
        {QStringLiteral("sync"), local.path(), m_server->url().toString(), QStringLiteral("--user"),
         QStringLiteral("anna"), QStringLiteral("--json")});
    QVERIFY2(up.exitCode == 0, qPrintable(up.describe()));
    QCOMPARE(m_server->files().value(QStringLiteral("large.bin")).size(), large.size());
    QCOMPARE(m_server->files().size(), 21);
    QVERIFY2(log->challenges <= 1, (log->refused.join(", ") + up.err).constData());
    QVERIFY2(log->refusedBodyBytes < 1024 * 1024,
             qPrintable(QString::number(log->refusedBodyBytes)));

    const int before = log->challenges;
    writeFile(local.path(), QStringLiteral("large.bin"), large + "more");
    const CliRunner::Outcome again = m_cli->runServing(
        {QStringLiteral("sync"), local.path(), m_server->url().toString(), QStringLiteral("--user"),
         QStringLiteral("anna"), QStringLiteral("--json")});
    QVERIFY2(again.exitCode == 0, qPrintable(again.describe()));
    QVERIFY2(log->challenges - before <= 1, log->refused.join(", ").constData());
    QVERIFY2(log->refusedBodyBytes < 1024 * 1024,
             qPrintable(QString::number(log->refusedBodyBytes)));
}

QTEST_GUILESS_MAIN(TestWebDavBehaviours)
#include "tst_webdavbehaviours.moc"
