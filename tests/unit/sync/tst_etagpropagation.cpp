// Verifying ETag propagation to the root once per pair (issue 19 item 2): a change two levels
// below the root changes the root's ETag on (scripted) Nextcloud, not on Apache, whose
// collection ETags follow their direct members only; a remote that refuses the probe's write
// gives no verdict at all (nothing is trusted then).
#include "quirkydavserver.h"
#include "remote/remotebackend.h"
#include "sync/etagpropagation.h"
#include "testutil.h"
#include "webdavserver.h"

#include <QTemporaryDir>
#include <QTest>

using namespace steadysync;
using namespace steadysync::test;

namespace {

struct Outcome
{
    bool finished = false;
    std::optional<EtagPropagationVerdict> verdict;
    std::optional<Error> error;
};

Outcome probe(const QUrl &url, const BackendOptions &options = {})
{
    QString problem;
    std::unique_ptr<RemoteBackend> backend = RemoteBackend::create(url, options, &problem);
    Outcome outcome;
    if (!backend)
        return outcome;
    QTemporaryDir scratch;
    EtagPropagationProbe check(backend.get(), scratch.path(), 1'000);
    QObject::connect(&check, &EtagPropagationProbe::finished, &check, [&] {
        outcome.finished = true;
        outcome.verdict = check.verdict();
        outcome.error = check.error();
    });
    check.start();
    waitFor([&] { return outcome.finished; }, 60'000);
    return outcome;
}

} // namespace

class TestEtagPropagation : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void nextcloudPropagates();
    void apacheDoesNot();
    void refusedWriteGivesNoVerdict();
    void verdictSurvivesTheJournal();
};

void TestEtagPropagation::nextcloudPropagates()
{
    QuirkyDavServer server;
    server.quirks().ownCloudProperties = true;
    server.putFile(QStringLiteral("a/b/c.txt"), "c");
    QVERIFY(server.start());
    const Outcome outcome = probe(server.url());
    QVERIFY(outcome.finished);
    QVERIFY2(outcome.verdict, outcome.error ? qPrintable(outcome.error->message) : "");
    QVERIFY2(outcome.verdict->propagates, qPrintable(outcome.verdict->evidence));
    QVERIFY(outcome.verdict->evidence.contains(QLatin1String("changed")));
    QVERIFY(server.files().keys() == QStringList{QStringLiteral("a/b/c.txt")}); // probe hidden
}

void TestEtagPropagation::apacheDoesNot()
{
    QString error;
    const std::unique_ptr<WebDavServer> server =
        WebDavServer::start(WebDavServer::Kind::Apache, &error);
    QVERIFY2(server, qPrintable(error));
    BackendOptions options;
    options.user = server->user();
    options.password = server->password();
    const Outcome outcome = probe(server->url(), options);
    QVERIFY(outcome.finished);
    QVERIFY2(outcome.verdict, outcome.error ? qPrintable(outcome.error->message) : "");
    QVERIFY2(!outcome.verdict->propagates, qPrintable(outcome.verdict->evidence));
    QVERIFY(outcome.verdict->evidence.contains(QLatin1String("stayed")));
}

void TestEtagPropagation::refusedWriteGivesNoVerdict()
{
    QuirkyDavServer server;
    server.quirks().ownCloudProperties = true;
    server.quirks().readOnlyFolders = {QStringLiteral(".steadysync")};
    QVERIFY(server.start());
    const Outcome outcome = probe(server.url());
    QVERIFY(outcome.finished);
    QVERIFY(!outcome.verdict);
    QVERIFY(outcome.error);
}

void TestEtagPropagation::verdictSurvivesTheJournal()
{
    const EtagPropagationVerdict verdict{true, QStringLiteral("root \"a\" -> \"b\""),
                                         QStringLiteral("https://h/remote.php/dav/files/u/"), 1234};
    const std::optional<EtagPropagationVerdict> read =
        EtagPropagationVerdict::fromSetting(verdict.toSetting());
    QVERIFY(read);
    QCOMPARE(read->propagates, true);
    QCOMPARE(read->evidence, verdict.evidence);
    QCOMPARE(read->remoteUrl, verdict.remoteUrl);
    QCOMPARE(read->checkedAtMs, qint64(1234));
    QVERIFY(!EtagPropagationVerdict::fromSetting(QString()));
}

QTEST_GUILESS_MAIN(TestEtagPropagation)
#include "tst_etagpropagation.moc"
