// DESIGN §5: a 401 in the middle of a `watch` run pauses the pair, with no request storm
// (requests counted over a window while local changes keep coming); once the credentials
// work again a restarted client converges without losing anything.
#include "reliabilityfixture.h"
#include "scenariorecord.h"
#include "testutil.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QSet>
#include <QTest>

using namespace steadysync::test;

namespace {

constexpr int Deadline = 120'000;
constexpr int WindowMs = 10'000;
constexpr int MaxRequestsInWindow = 3;

} // namespace

class TestAuthPause : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void unauthorizedPausesWithoutStorm();
};

void TestAuthPause::unauthorizedPausesWithoutStorm()
{
    ScenarioRecord record(QStringLiteral("c-401"),
                          QStringLiteral("401 in the middle of a run (watch)"));
    QString error;
    auto fixture = ReliabilityFixture::start(&error);
    QVERIFY2(fixture, qPrintable(error));
    QTemporaryDir local;
    QSet<QByteArray> written;
    for (int i = 0; i < 20; ++i) {
        writeFile(local.path(), QStringLiteral("before/%1.txt").arg(i),
                  "before " + QByteArray::number(i));
        written.insert("before " + QByteArray::number(i));
    }
    const QStringList arguments = fixture->syncArguments(QStringLiteral("watch"), local.path());
    std::unique_ptr<QProcess> watch(fixture->cli().start(arguments, nullptr));
    record.addRun();
    const auto inSync = [&] {
        return readTree(local.path()) == readTree(fixture->serverDirectory());
    };
    QVERIFY(waitServing(atMostEvery(300, inSync), Deadline));

    // The password is changed on the server: every request is refused from now on.
    fixture->proxy().failRequests(1'000'000, 401,
                                  "WWW-Authenticate: Basic realm=\"steadysync test\"");
    for (int i = 0; i < 5; ++i) {
        writeFile(local.path(), QStringLiteral("during/%1.txt").arg(i),
                  "during " + QByteArray::number(i));
        written.insert("during " + QByteArray::number(i));
    }
    QVERIFY2(waitServing([&] { return fixture->proxy().faultsInjected() > 0; }, Deadline),
             "no request after the change");
    QVERIFY2(
        waitServing(
            [&] {
                return fixture->status(local.path()).value(QStringLiteral("state")).toString() ==
                       QStringLiteral("paused");
            },
            Deadline),
        "the pair did not pause on 401");

    // A window of local activity while paused: the refused credentials are not retried.
    const qint64 requestsBefore = fixture->proxy().requestCount();
    QElapsedTimer window;
    window.start();
    int edit = 0;
    waitServing(
        [&] {
            if (window.elapsed() > (edit + 1) * 1'000 && edit < 9) {
                writeFile(local.path(), QStringLiteral("paused/%1.txt").arg(edit),
                          "paused " + QByteArray::number(edit));
                written.insert("paused " + QByteArray::number(edit));
                ++edit;
            }
            return window.elapsed() >= WindowMs;
        },
        WindowMs + 5'000);
    const qint64 requestsInWindow = fixture->proxy().requestCount() - requestsBefore;
    record.addFaults(fixture->proxy().faultsInjected());
    QVERIFY2(watch->state() == QProcess::Running, "watch exited on 401 instead of pausing");

    // The user fixes the credentials and restarts: everything written meanwhile arrives.
    watch->terminate();
    QVERIFY(waitServing([&] { return watch->state() == QProcess::NotRunning; }, 30'000));
    fixture->proxy().clearFaults();
    QElapsedTimer recovery;
    recovery.start();
    watch.reset(fixture->cli().start(arguments, nullptr));
    record.addRun();
    QVERIFY2(waitServing(atMostEvery(300, inSync), Deadline),
             "did not converge after the credentials were fixed");
    record.noteRecoveryMs(recovery.elapsed());
    record.addOperations(written.size());
    const QSet<QByteArray> lost = versionsMissing(written, {fixture->serverDirectory()});
    record.addVersionsLost(lost.size());
    record.setNotes(
        QStringLiteral(
            "%1 requests in a %2 s window while paused (limit %3); recovery = restart with "
            "working credentials to in sync")
            .arg(requestsInWindow)
            .arg(WindowMs / 1000)
            .arg(MaxRequestsInWindow));
    watch->terminate();
    waitServing([&] { return watch->state() == QProcess::NotRunning; }, 30'000);
    QVERIFY(lost.isEmpty());
    QVERIFY2(requestsInWindow <= MaxRequestsInWindow,
             qPrintable(QStringLiteral("%1 requests while paused").arg(requestsInWindow)));
    record.complete();
}

QTEST_GUILESS_MAIN(TestAuthPause)
#include "tst_authpause.moc"
