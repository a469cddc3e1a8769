#include "sync/retrypolicy.h"

#include <QTest>

using namespace steadysync;

namespace {

constexpr qint64 StartMs = 1'700'000'000'000;
constexpr qint64 HourMs = 3'600'000;

Error transient(int retryAfterSeconds = -1)
{
    Error error = makeError(ErrorKind::Transient, QStringLiteral("HTTP 503"));
    error.retryAfterSeconds = retryAfterSeconds;
    return error;
}

} // namespace

class TestRetryPolicy : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaultDelays()
    {
        const RetryPolicy policy;
        QCOMPARE(policy.delayAfterAttempt(1), 5'000);
        QCOMPARE(policy.delayAfterAttempt(2), 10'000);
        QCOMPARE(policy.delayAfterAttempt(3), 20'000);
        QCOMPARE(policy.delayAfterAttempt(4), 40'000);
        QCOMPARE(policy.delayAfterAttempt(5), 80'000);
        QCOMPARE(policy.delayAfterAttempt(6), 160'000);
        QCOMPARE(policy.delayAfterAttempt(7), 300'000);
        QCOMPARE(policy.delayAfterAttempt(8), 300'000);
        QCOMPARE(policy.delayAfterAttempt(64), 300'000);
        QCOMPARE(policy.delayAfterAttempt(1000), 300'000);
        QCOMPARE(policy.delayAfterAttempt(std::numeric_limits<int>::max()), 300'000);
    }

    // Each failure happens when the item falls due: 5, 10, 20, 40, 80, 160, 300, 300, 300 s,
    // and the 10th failed attempt is the last.
    void fullScheduleUntilPermanent()
    {
        const RetryPolicy policy;
        const QList<qint64> expectedDelaysS = {5, 10, 20, 40, 80, 160, 300, 300, 300};
        std::optional<RetryItem> item;
        qint64 now = StartMs;
        for (int attempt = 1; attempt <= 9; ++attempt) {
            item = policy.afterFailure(item, QStringLiteral("a.txt"), transient(), now);
            QCOMPARE(item->attempts, attempt);
            QCOMPARE(item->firstFailureMs, StartMs);
            QCOMPARE(item->nextDueMs - now, expectedDelaysS.at(attempt - 1) * 1000);
            QVERIFY2(!item->failedPermanently, qPrintable(QString::number(attempt)));
            now = item->nextDueMs;
        }
        item = policy.afterFailure(item, QStringLiteral("a.txt"), transient(), now);
        QCOMPARE(item->attempts, 10);
        QVERIFY(item->failedPermanently);
    }

    void firstFailureStartsTheEntry()
    {
        const RetryPolicy policy;
        Error error = makeError(ErrorKind::Offline, QStringLiteral("connection refused"));
        const RetryItem item =
            policy.afterFailure(std::nullopt, QStringLiteral("d/a.txt"), error, StartMs);
        QCOMPARE(item.path, QStringLiteral("d/a.txt"));
        QCOMPARE(item.attempts, 1);
        QCOMPARE(item.firstFailureMs, StartMs);
        QCOMPARE(item.nextDueMs, StartMs + 5'000);
        QCOMPARE(item.lastError, QStringLiteral("connection refused"));
        QCOMPARE(item.lastErrorKind, ErrorKind::Offline);
        QVERIFY(!item.failedPermanently);
    }

    void lastErrorFollowsTheLatestFailure()
    {
        const RetryPolicy policy;
        const RetryItem first =
            policy.afterFailure(std::nullopt, QStringLiteral("a"), transient(), StartMs);
        const RetryItem second = policy.afterFailure(
            first, QStringLiteral("a"), makeError(ErrorKind::DiskFull, QStringLiteral("full")),
            StartMs + 7'000);
        QCOMPARE(second.attempts, 2);
        QCOMPARE(second.firstFailureMs, StartMs);
        QCOMPARE(second.nextDueMs, StartMs + 7'000 + 10'000);
        QCOMPARE(second.lastError, QStringLiteral("full"));
        QCOMPARE(second.lastErrorKind, ErrorKind::DiskFull);
        QVERIFY(!second.failedPermanently);
    }

    void maxAge()
    {
        RetryPolicy policy;
        policy.maxRetries = 1000;
        RetryItem previous;
        previous.path = QStringLiteral("a");
        previous.attempts = 20;
        previous.firstFailureMs = StartMs;

        const RetryItem young = policy.afterFailure(previous, QStringLiteral("a"), transient(),
                                                    StartMs + 24 * HourMs - 1);
        QVERIFY(!young.failedPermanently);
        QCOMPARE(young.attempts, 21);
        QCOMPARE(young.firstFailureMs, StartMs);

        const RetryItem old =
            policy.afterFailure(previous, QStringLiteral("a"), transient(), StartMs + 24 * HourMs);
        QVERIFY(old.failedPermanently);
    }

    void retryAfter_data()
    {
        QTest::addColumn<int>("retryAfterSeconds");
        QTest::addColumn<qint64>("expectedDelayMs");

        QTest::newRow("absent: backoff") << -1 << qint64(5'000);
        QTest::newRow("zero: backoff") << 0 << qint64(5'000);
        QTest::newRow("shorter than backoff: backoff") << 2 << qint64(5'000);
        QTest::newRow("longer than backoff: honoured") << 120 << qint64(120'000);
        QTest::newRow("longer than the cap: honoured") << 3600 << qint64(3'600'000);
    }

    void retryAfter()
    {
        QFETCH(int, retryAfterSeconds);
        QFETCH(qint64, expectedDelayMs);
        const RetryItem item = RetryPolicy().afterFailure(std::nullopt, QStringLiteral("a"),
                                                          transient(retryAfterSeconds), StartMs);
        QCOMPARE(item.nextDueMs - StartMs, expectedDelayMs);
        QVERIFY(!item.failedPermanently);
    }

    void errorKinds_data()
    {
        QTest::addColumn<ErrorKind>("kind");
        QTest::addColumn<bool>("permanentAtOnce");

        QTest::newRow("transient") << ErrorKind::Transient << false;
        QTest::newRow("offline") << ErrorKind::Offline << false;
        QTest::newRow("disk full") << ErrorKind::DiskFull << false;
        QTest::newRow("precondition failed") << ErrorKind::PreconditionFailed << false;
        QTest::newRow("permanent") << ErrorKind::Permanent << true;
        QTest::newRow("auth") << ErrorKind::Auth << true;
        QTest::newRow("invalid name") << ErrorKind::InvalidName << true;
    }

    void errorKinds()
    {
        QFETCH(ErrorKind, kind);
        QFETCH(bool, permanentAtOnce);
        const RetryItem item = RetryPolicy().afterFailure(
            std::nullopt, QStringLiteral("a"), makeError(kind, QStringLiteral("why")), StartMs);
        QCOMPARE(item.failedPermanently, permanentAtOnce);
        QCOMPARE(item.attempts, 1);
        QCOMPARE(item.lastErrorKind, kind);
        QCOMPARE(item.lastError, QStringLiteral("why"));
    }

    void customNumbers()
    {
        RetryPolicy policy;
        policy.backoffBaseMs = 100;
        policy.backoffCapMs = 1'000;
        policy.maxRetries = 3;
        policy.retryMaxAgeS = 60;

        QCOMPARE(policy.delayAfterAttempt(1), 100);
        QCOMPARE(policy.delayAfterAttempt(2), 200);
        QCOMPARE(policy.delayAfterAttempt(3), 400);
        QCOMPARE(policy.delayAfterAttempt(4), 800);
        QCOMPARE(policy.delayAfterAttempt(5), 1'000);
        QCOMPARE(policy.delayAfterAttempt(500), 1'000);

        RetryItem item =
            policy.afterFailure(std::nullopt, QStringLiteral("a"), transient(), StartMs);
        QCOMPARE(item.nextDueMs, StartMs + 100);
        item = policy.afterFailure(item, QStringLiteral("a"), transient(), item.nextDueMs);
        QCOMPARE(item.nextDueMs, StartMs + 100 + 200);
        QVERIFY(!item.failedPermanently);
        item = policy.afterFailure(item, QStringLiteral("a"), transient(), item.nextDueMs);
        QCOMPARE(item.attempts, 3);
        QVERIFY(item.failedPermanently);

        policy.maxRetries = 1000;
        RetryItem aged =
            policy.afterFailure(std::nullopt, QStringLiteral("b"), transient(), StartMs);
        aged = policy.afterFailure(aged, QStringLiteral("b"), transient(), StartMs + 59'999);
        QVERIFY(!aged.failedPermanently);
        aged = policy.afterFailure(aged, QStringLiteral("b"), transient(), StartMs + 60'000);
        QVERIFY(aged.failedPermanently);
    }

    void capBelowBase()
    {
        RetryPolicy policy;
        policy.backoffBaseMs = 10'000;
        policy.backoffCapMs = 3'000;
        QCOMPARE(policy.delayAfterAttempt(1), 3'000);
        QCOMPARE(policy.delayAfterAttempt(5), 3'000);
    }
};

QTEST_GUILESS_MAIN(TestRetryPolicy)
#include "tst_retrypolicy.moc"
