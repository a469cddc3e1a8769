// The one pacer of --bwlimit-up/--bwlimit-down and the bandwidth timetable (core/remote/pacer.h),
// shared by the WebDAV session (bookings waited for with timers) and the file:// backend
// (acquire() in its worker threads). Bookings are checked, not waited for: no test sleeps.
#include "remote/pacer.h"

#include <QElapsedTimer>
#include <QTest>

using namespace steadysync;
using namespace std::chrono;

class TestPacer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void unlimitedNeverWaits();
    void chunkSizeKeepsThePaceSmooth();
    void bookingsQueueBehindEachOther();
    void newRateCarriesNoDebt();
    void acquireGivesUpWhenCancelled();
};

namespace {

// The time the calls between two bookings may take on a loaded machine.
constexpr auto slack = milliseconds(200);

bool near(nanoseconds actual, nanoseconds expected)
{
    return actual <= expected && actual >= expected - slack;
}

QByteArray describe(nanoseconds actual, nanoseconds expected)
{
    return QByteArray::number(qint64(actual.count() / 1'000'000)) + " ms, expected about " +
           QByteArray::number(qint64(expected.count() / 1'000'000)) + " ms";
}

} // namespace

void TestPacer::unlimitedNeverWaits()
{
    Pacer pacer;
    QVERIFY(!pacer.isLimited());
    QCOMPARE(pacer.chunkSize(1024 * 1024), 1024 * 1024);
    const Pacer::Booking booking = pacer.reserve(1024 * 1024 * 1024);
    QCOMPARE(booking.startsIn.count(), 0);
    QCOMPARE(booking.endsIn.count(), 0);
    const std::atomic<bool> cancelled = false;
    QVERIFY(pacer.acquire(1024 * 1024 * 1024, cancelled));
}

void TestPacer::chunkSizeKeepsThePaceSmooth()
{
    Pacer pacer(64); // an eighth of a second's worth: 8 KiB
    QVERIFY(pacer.isLimited());
    QCOMPARE(pacer.kibPerSecond(), 64);
    QCOMPARE(pacer.chunkSize(256 * 1024), 8 * 1024);
    pacer.setKibPerSecond(8); // never below 4 KiB
    QCOMPARE(pacer.chunkSize(256 * 1024), 4096);
    pacer.setKibPerSecond(100'000); // never above what the caller reads at once
    QCOMPARE(pacer.chunkSize(256 * 1024), 256 * 1024);
    pacer.setKibPerSecond(0);
    QVERIFY(!pacer.isLimited());
}

void TestPacer::bookingsQueueBehindEachOther()
{
    Pacer pacer(100);
    // One second's worth goes at once and is used up a second later.
    const Pacer::Booking first = pacer.reserve(100 * 1024);
    QVERIFY2(near(first.startsIn, nanoseconds(0)), describe(first.startsIn, {}));
    QVERIFY2(near(first.endsIn, seconds(1)), describe(first.endsIn, seconds(1)));
    // Another transfer's chunk waits its turn behind it: no bursts, whoever books.
    const Pacer::Booking second = pacer.reserve(50 * 1024);
    QVERIFY2(near(second.startsIn, seconds(1)), describe(second.startsIn, seconds(1)));
    QVERIFY2(near(second.endsIn, milliseconds(1500)), describe(second.endsIn, milliseconds(1500)));
}

void TestPacer::newRateCarriesNoDebt()
{
    Pacer pacer(10);
    const Pacer::Booking slow = pacer.reserve(100 * 1024); // ten seconds at 10 KiB/s
    QVERIFY2(near(slow.endsIn, seconds(10)), describe(slow.endsIn, seconds(10)));
    pacer.setKibPerSecond(1000); // a timetable's boundary: the new rate from the next chunk on
    const Pacer::Booking fast = pacer.reserve(100 * 1024);
    QVERIFY2(near(fast.startsIn, nanoseconds(0)), describe(fast.startsIn, {}));
    QVERIFY2(near(fast.endsIn, milliseconds(100)), describe(fast.endsIn, milliseconds(100)));
}

void TestPacer::acquireGivesUpWhenCancelled()
{
    Pacer pacer(1);
    (void)pacer.reserve(1024 * 1024); // about 17 minutes booked ahead
    const std::atomic<bool> cancelled = true;
    QElapsedTimer timer;
    timer.start();
    QVERIFY(!pacer.acquire(1024, cancelled));
    QVERIFY2(timer.elapsed() < 5000, QByteArray::number(timer.elapsed()) + " ms");
}

QTEST_GUILESS_MAIN(TestPacer)
#include "tst_pacer.moc"
