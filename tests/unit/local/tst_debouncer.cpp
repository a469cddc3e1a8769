#include "local/debouncer.h"
#include "testutil.h"

#include <QSignalSpy>
#include <QTest>

using namespace steadysync;

class TestDebouncer : public QObject
{
    Q_OBJECT

private:
    // All paths reported by ready(), in order, one list per emission.
    static QList<QStringList> emissions(const QSignalSpy &spy)
    {
        QList<QStringList> result;
        for (const QList<QVariant> &arguments : spy)
            result.append(arguments.at(0).toStringList());
        return result;
    }

private Q_SLOTS:
    void eventsForOnePathMerge()
    {
        ManualClock clock;
        Debouncer debouncer(1000, &clock);
        QSignalSpy ready(&debouncer, &Debouncer::ready);
        debouncer.touch(QStringLiteral("a.txt"));
        debouncer.touch(QStringLiteral("a.txt"));
        debouncer.touch(QStringLiteral("a.txt"));
        QCOMPARE(debouncer.pendingCount(), 1);
        clock.advance(1000);
        debouncer.processDue();
        QCOMPARE(emissions(ready), QList<QStringList>{{QStringLiteral("a.txt")}});
        QCOMPARE(debouncer.pendingCount(), 0);
    }

    void nothingIsReadyBeforeTheQuietPeriod()
    {
        ManualClock clock;
        Debouncer debouncer(1000, &clock);
        QSignalSpy ready(&debouncer, &Debouncer::ready);
        debouncer.touch(QStringLiteral("a.txt"));
        clock.advance(999);
        debouncer.processDue();
        QCOMPARE(ready.count(), 0);
        QCOMPARE(debouncer.pendingCount(), 1);
    }

    void pathsAreIndependent()
    {
        ManualClock clock;
        Debouncer debouncer(1000, &clock);
        QSignalSpy ready(&debouncer, &Debouncer::ready);
        debouncer.touch(QStringLiteral("first"));
        clock.advance(400);
        debouncer.touch(QStringLiteral("second"));
        clock.advance(600);
        debouncer.processDue();
        QCOMPARE(emissions(ready), QList<QStringList>{{QStringLiteral("first")}});
        QCOMPARE(debouncer.pendingCount(), 1);
        clock.advance(400);
        debouncer.processDue();
        QCOMPARE(emissions(ready),
                 (QList<QStringList>{{QStringLiteral("first")}, {QStringLiteral("second")}}));
        QCOMPARE(debouncer.pendingCount(), 0);
    }

    void retouchPostponesThePath()
    {
        ManualClock clock;
        Debouncer debouncer(1000, &clock);
        QSignalSpy ready(&debouncer, &Debouncer::ready);
        debouncer.touch(QStringLiteral("log.txt"));
        clock.advance(800);
        debouncer.touch(QStringLiteral("log.txt"));
        clock.advance(800); // 1600 ms after the first event, 800 ms after the last
        debouncer.processDue();
        QCOMPARE(ready.count(), 0);
        QCOMPARE(debouncer.nextDeadlineMs(), clock.nowMs() + 200);
        clock.advance(200);
        debouncer.processDue();
        QCOMPARE(emissions(ready), QList<QStringList>{{QStringLiteral("log.txt")}});
    }

    void readyIsEmittedOncePerPath()
    {
        ManualClock clock;
        Debouncer debouncer(100, &clock);
        QSignalSpy ready(&debouncer, &Debouncer::ready);
        debouncer.touchAll({QStringLiteral("x"), QStringLiteral("y"), QStringLiteral("x")});
        clock.advance(100);
        debouncer.processDue();
        debouncer.processDue();
        clock.advance(10'000);
        debouncer.processDue();
        QCOMPARE(emissions(ready),
                 QList<QStringList>{(QStringList{QStringLiteral("x"), QStringLiteral("y")})});
    }

    void dueBatchIsSorted()
    {
        ManualClock clock;
        Debouncer debouncer(50, &clock);
        QSignalSpy ready(&debouncer, &Debouncer::ready);
        debouncer.touch(QStringLiteral("c/z"));
        clock.advance(10);
        debouncer.touch(QStringLiteral("a"));
        clock.advance(10);
        debouncer.touch(QStringLiteral("b/y"));
        clock.advance(50);
        debouncer.processDue();
        QCOMPARE(emissions(ready),
                 QList<QStringList>{(QStringList{QStringLiteral("a"), QStringLiteral("b/y"),
                                                 QStringLiteral("c/z")})});
    }

    void nextDeadlineAndPendingCount()
    {
        ManualClock clock;
        Debouncer debouncer(1000, &clock);
        QCOMPARE(debouncer.delayMs(), 1000);
        QCOMPARE(debouncer.nextDeadlineMs(), -1);
        QCOMPARE(debouncer.pendingCount(), 0);
        const qint64 start = clock.nowMs();
        debouncer.touch(QStringLiteral("a"));
        clock.advance(300);
        debouncer.touch(QStringLiteral("b"));
        QCOMPARE(debouncer.pendingCount(), 2);
        QCOMPARE(debouncer.nextDeadlineMs(), start + 1000);
        clock.advance(100);
        debouncer.touch(QStringLiteral("a")); // now due at start + 1400, after b
        QCOMPARE(debouncer.nextDeadlineMs(), start + 1300);
        clock.set(start + 1300);
        debouncer.processDue();
        QCOMPARE(debouncer.pendingCount(), 1);
        QCOMPARE(debouncer.nextDeadlineMs(), start + 1400);
        clock.set(start + 1400);
        debouncer.processDue();
        QCOMPARE(debouncer.pendingCount(), 0);
        QCOMPARE(debouncer.nextDeadlineMs(), -1);
    }

    void touchFromReadySlotIsKept()
    {
        ManualClock clock;
        Debouncer debouncer(100, &clock);
        QStringList seen;
        connect(&debouncer, &Debouncer::ready, this, [&](const QStringList &paths) {
            seen += paths;
            if (paths.contains(QStringLiteral("a")))
                debouncer.touch(QStringLiteral("again"));
        });
        debouncer.touch(QStringLiteral("a"));
        clock.advance(100);
        debouncer.processDue();
        QCOMPARE(seen, QStringList{QStringLiteral("a")});
        QCOMPARE(debouncer.pendingCount(), 1);
        clock.advance(100);
        debouncer.processDue();
        QCOMPARE(seen, (QStringList{QStringLiteral("a"), QStringLiteral("again")}));
    }

    void realTimerDeliversAfterTheDelay()
    {
        Debouncer debouncer(50, SystemClock::instance());
        QStringList seen;
        connect(&debouncer, &Debouncer::ready, this,
                [&](const QStringList &paths) { seen += paths; });
        const qint64 touchedAt = SystemClock::instance()->nowMs();
        debouncer.touch(QStringLiteral("a"));
        debouncer.touch(QStringLiteral("a"));
        QVERIFY(test::waitFor([&] { return !seen.isEmpty(); }, 10'000));
        QVERIFY(SystemClock::instance()->nowMs() - touchedAt >= 50);
        QCOMPARE(seen, QStringList{QStringLiteral("a")});
        QCOMPARE(debouncer.pendingCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestDebouncer)
#include "tst_debouncer.moc"
