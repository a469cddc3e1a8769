// Schedules (issue 20): the sync window and the bandwidth timetable, parsed and evaluated for
// a local time. Times are in a fixed-offset zone (UTC+1), so no daylight-saving change and no
// machine setting moves them. 2026-12-07 is a Monday.
#include "sync/schedule.h"

#include <QTest>
#include <QTimeZone>

using namespace steadysync;

namespace {

QDateTime at(const QString &text)
{
    if (text.isEmpty())
        return {};
    const QDateTime parsed = QDateTime::fromString(text, QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    return QDateTime(parsed.date(), parsed.time(), QTimeZone(3600));
}

} // namespace

class TestSchedule : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void window_data();
    void window();
    void badWindow_data();
    void badWindow();
    void timetable_data();
    void timetable();
    void badTimetable_data();
    void badTimetable();
};

void TestSchedule::window_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("when");
    QTest::addColumn<bool>("open");
    QTest::addColumn<QString>("nextChange"); // empty: never
    const QString night = QStringLiteral("22:00-06:00");
    const QString week = QStringLiteral("Mon-Fri 19:00-07:00,Sat-Sun 00:00-24:00");
    auto row = [](const char *name, const QString &spec, const char *when, bool open,
                  const char *next) {
        QTest::newRow(name) << spec << QString::fromLatin1(when) << open
                            << QString::fromLatin1(next);
    };
    row("night: before it", night, "2026-12-07 21:59:59", false, "2026-12-07 22:00:00");
    row("night: its start counts", night, "2026-12-07 22:00:00", true, "2026-12-08 06:00:00");
    row("night: past midnight", night, "2026-12-08 05:59:59", true, "2026-12-08 06:00:00");
    row("night: its end does not", night, "2026-12-08 06:00:00", false, "2026-12-08 22:00:00");
    row("week: Friday noon", week, "2026-12-11 12:00:00", false, "2026-12-11 19:00:00");
    row("week: Friday night into Saturday", week, "2026-12-12 06:00:00", true,
        "2026-12-12 07:00:00");
    row("week: Sunday's last minute", week, "2026-12-13 23:59:00", true, "2026-12-14 00:00:00");
    // Sunday's window ends at midnight; Sunday is not one of the evenings that run into Monday.
    row("week: Monday small hours", week, "2026-12-14 03:00:00", false, "2026-12-14 19:00:00");
    row("week: Monday evening", week, "2026-12-14 19:30:00", true, "2026-12-15 07:00:00");
    row("days wrap: Tuesday", QStringLiteral("Fri-Mon 09:00-17:00"), "2026-12-08 10:00:00", false,
        "2026-12-11 09:00:00");
    row("days wrap: Monday", QStringLiteral("fri-mon 09:00-17:00"), "2026-12-07 10:00:00", true,
        "2026-12-07 17:00:00");
    row("all day", QStringLiteral("00:00-24:00"), "2026-12-07 12:00:00", true,
        "2026-12-08 00:00:00");
    row("empty: always", QString(), "2026-12-07 12:00:00", true, "");
}

void TestSchedule::window()
{
    QFETCH(QString, spec);
    QFETCH(QString, when);
    QFETCH(bool, open);
    QFETCH(QString, nextChange);
    const Result<SyncWindow> parsed = SyncWindow::parse(spec);
    QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().message));
    QCOMPARE(parsed->isOpenAt(at(when)), open);
    QCOMPARE(parsed->nextChangeAfter(at(when)), at(nextChange));
}

void TestSchedule::badWindow_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("says"); // part of the message
    QTest::newRow("hour 25") << "25:00-06:00"
                             << "a time is not HH:MM";
    QTest::newRow("minute 60") << "10:60-11:00"
                               << "a time is not HH:MM";
    QTest::newRow("24:00 as a start") << "24:00-06:00"
                                      << "24:00 only as an end";
    QTest::newRow("no end") << "22:00"
                            << "expected [DAYS ]HH:MM-HH:MM";
    QTest::newRow("no colon") << "Mon 1000-1100"
                              << "a time is not HH:MM";
    QTest::newRow("unknown day") << "Mon-Fry 10:00-11:00"
                                 << "unknown day in \"Mon-Fry\"";
    QTest::newRow("empty window") << "10:00-10:00"
                                  << "starts and ends at the same time";
    QTest::newRow("trailing comma") << "22:00-06:00,"
                                    << "expected [DAYS ]HH:MM-HH:MM";
}

void TestSchedule::badWindow()
{
    QFETCH(QString, spec);
    QFETCH(QString, says);
    const Result<SyncWindow> parsed = SyncWindow::parse(spec);
    QVERIFY(!parsed.ok());
    QVERIFY2(parsed.error().message.contains(says), qPrintable(parsed.error().message));
}

void TestSchedule::timetable_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("when");
    QTest::addColumn<qint64>("up");
    QTest::addColumn<qint64>("down");
    QTest::addColumn<QString>("nextChange");
    const QString day = QStringLiteral("08:00,512k 19:00,off");
    const QString split = QStringLiteral("08:00,512k:1M 23:00,10M:off");
    auto row = [](const char *name, const QString &spec, const char *when, qint64 up, qint64 down,
                  const char *next) {
        QTest::newRow(name) << spec << QString::fromLatin1(when) << up << down
                            << QString::fromLatin1(next);
    };
    row("before the first entry: the last one's", day, "2026-12-07 07:59:59", 0, 0,
        "2026-12-07 08:00:00");
    row("at an entry", day, "2026-12-07 08:00:00", 512, 512, "2026-12-07 19:00:00");
    row("the last entry runs into the night", day, "2026-12-07 19:00:00", 0, 0,
        "2026-12-08 08:00:00");
    row("up:down", split, "2026-12-07 12:00:00", 512, 1024, "2026-12-07 23:00:00");
    row("up:down past midnight", split, "2026-12-08 01:00:00", 10240, 0, "2026-12-08 08:00:00");
    row("entries out of order", QStringLiteral("19:00,off 08:00,1.5M"), "2026-12-07 09:00:00", 1536,
        1536, "2026-12-07 19:00:00");
    row("one rate all day", QStringLiteral("10M"), "2026-12-07 09:00:00", 10240, 10240, "");
    row("bytes round to KiB", QStringLiteral("100000B"), "2026-12-07 09:00:00", 98, 98, "");
    row("gigabytes", QStringLiteral("1g:off"), "2026-12-07 09:00:00", 1024 * 1024, 0, "");
    row("empty: unlimited", QString(), "2026-12-07 09:00:00", 0, 0, "");
}

void TestSchedule::timetable()
{
    QFETCH(QString, spec);
    QFETCH(QString, when);
    QFETCH(qint64, up);
    QFETCH(qint64, down);
    QFETCH(QString, nextChange);
    const Result<BandwidthTimetable> parsed = BandwidthTimetable::parse(spec);
    QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().message));
    const BandwidthLimits limits = parsed->limitsAt(at(when));
    QCOMPARE(limits.upKiB, up);
    QCOMPARE(limits.downKiB, down);
    QCOMPARE(parsed->nextChangeAfter(at(when)), at(nextChange));
}

void TestSchedule::badTimetable_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("says");
    QTest::newRow("unknown unit") << "08:00,512x"
                                  << "\"512x\" is not a rate";
    QTest::newRow("zero") << "08:00,0"
                          << "\"0\" is not a rate";
    QTest::newRow("three sides") << "08:00,1M:2M:3M"
                                 << "is not a rate";
    QTest::newRow("no rate") << "8:00"
                             << "\"8:00\" is not a rate";
    QTest::newRow("hour 25") << "25:00,1M"
                             << "\"25:00\" is not a time";
    QTest::newRow("a time twice") << "08:00,512k 08:00,off"
                                  << "08:00 is given twice";
    QTest::newRow("untimed among entries") << "512k 19:00,off"
                                           << "expected HH:MM,RATE";
    QTest::newRow("semicolon") << "08:00;512k"
                               << "is not a rate";
}

void TestSchedule::badTimetable()
{
    QFETCH(QString, spec);
    QFETCH(QString, says);
    const Result<BandwidthTimetable> parsed = BandwidthTimetable::parse(spec);
    QVERIFY(!parsed.ok());
    QVERIFY2(parsed.error().message.contains(says), qPrintable(parsed.error().message));
}

QTEST_GUILESS_MAIN(TestSchedule)
#include "tst_schedule.moc"
