// Retention of the version store (DESIGN §10) as a pure function of the entries and "now": every
// version for an hour, one per hour for a day, one per day for 30 days, one per week up to the
// maximum age, then the size cap, oldest first, counting shared content once.
#include "versions/retention.h"

#include <QTest>

using namespace steadysync;

namespace {

constexpr qint64 Minute = 60 * 1000;
constexpr qint64 Hour = RetentionPolicy::HourMs;
constexpr qint64 Day = RetentionPolicy::DayMs;
// A "now" at a whole week of the epoch, so that bucket edges fall where the rows say.
constexpr qint64 Now = 2900 * 7 * Day;

struct Kept
{
    Kept(qint64 ageMs = 0, qint64 size = 1, QByteArray sha = {}, QString path = QStringLiteral("f"))
        : ageMs(ageMs), size(size), sha(std::move(sha)), path(std::move(path))
    {}
    qint64 ageMs;
    qint64 size;
    QByteArray sha; // empty: unique per entry
    QString path;
};

QList<VersionEntry> entriesOf(const QList<Kept> &rows)
{
    QList<VersionEntry> entries;
    for (int i = 0; i < rows.size(); ++i) {
        VersionEntry entry;
        entry.id = i + 1;
        entry.path = rows[i].path;
        entry.savedMs = Now - rows[i].ageMs;
        entry.size = rows[i].size;
        entry.sha256 = rows[i].sha.isEmpty() ? QByteArray::number(i) : rows[i].sha;
        entries.append(entry);
    }
    return entries;
}

} // namespace

Q_DECLARE_METATYPE(QList<Kept>)

class TestRetention : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void schedule_data();
    void schedule();
    void decisionsAreStable();
    void settingsOverrideTheDefaults();
};

void TestRetention::schedule_data()
{
    QTest::addColumn<QList<Kept>>("rows");
    QTest::addColumn<qint64>("maxBytes");
    QTest::addColumn<QList<qint64>>("pruned"); // ids (1-based row numbers)

    const qint64 big = RetentionPolicy::DefaultMaxBytes;
    QTest::newRow("nothing") << QList<Kept>{} << big << QList<qint64>{};
    QTest::newRow("all within the hour stay")
        << QList<Kept>{{1 * Minute}, {2 * Minute}, {30 * Minute}, {59 * Minute}} << big
        << QList<qint64>{};
    // 90 and 100 minutes old: the same hour of the epoch; the newer of them stays.
    QTest::newRow("one per hour for a day")
        << QList<Kept>{{90 * Minute}, {100 * Minute}, {3 * Hour + Minute}} << big
        << QList<qint64>{2};
    QTest::newRow("one per day for a month") << QList<Kept>{{2 * Day + Hour},
                                                            {2 * Day + 2 * Hour},
                                                            {5 * Day + Hour},
                                                            {5 * Day + 3 * Hour}}
                                             << big << QList<qint64>{2, 4};
    QTest::newRow("one per week up to the maximum age")
        << QList<Kept>{{40 * Day}, {41 * Day}, {60 * Day}, {364 * Day}} << big << QList<qint64>{2};
    QTest::newRow("older than the maximum age goes")
        << QList<Kept>{{366 * Day}, {400 * Day}, {10 * Minute}} << big << QList<qint64>{1, 2};
    QTest::newRow("paths are bucketed apart")
        << QList<Kept>{{90 * Minute, 1, {}, QStringLiteral("a")},
                       {100 * Minute, 1, {}, QStringLiteral("b")}}
        << big << QList<qint64>{};
    QTest::newRow("size cap drops the oldest first")
        << QList<Kept>{{Minute, 40}, {2 * Minute, 40}, {3 * Minute, 40}} << qint64(100)
        << QList<qint64>{3};
    // Rows 2 and 3 share content: dropping row 3 frees nothing, so row 2 must go as well.
    QTest::newRow("size cap counts shared content once")
        << QList<Kept>{{Minute, 60, "x"}, {2 * Minute, 60, "y"}, {3 * Minute, 60, "y"}}
        << qint64(100) << QList<qint64>{2, 3};
    QTest::newRow("a version from the future (clock skew) stays")
        << QList<Kept>{{-Hour}} << big << QList<qint64>{};
}

void TestRetention::schedule()
{
    QFETCH(QList<Kept>, rows);
    QFETCH(qint64, maxBytes);
    QFETCH(QList<qint64>, pruned);
    RetentionPolicy policy;
    policy.maxBytes = maxBytes;
    QCOMPARE(versionsToPrune(entriesOf(rows), Now, policy), pruned);
}

// A prune is idempotent (pruning again at the same time drops nothing more), and as the clock
// moves on, ten days of hourly versions thin out to about one a day.
void TestRetention::decisionsAreStable()
{
    QList<Kept> rows;
    for (int hour = 0; hour < 24 * 10; ++hour) // one version an hour for ten days
        rows.append(Kept(hour * Hour + 5 * Minute));
    QList<VersionEntry> entries = entriesOf(rows);
    const RetentionPolicy policy;
    for (qint64 later = 0; later < 3 * Day; later += 7 * Hour) {
        const QList<qint64> pruned = versionsToPrune(entries, Now + later, policy);
        entries.erase(std::remove_if(entries.begin(), entries.end(),
                                     [&](const VersionEntry &e) { return pruned.contains(e.id); }),
                      entries.end());
        QVERIFY(versionsToPrune(entries, Now + later, policy).isEmpty());
    }
    // After the last prune: one a day beyond the first day, one an hour within it.
    QVERIFY2(entries.size() >= 10 && entries.size() <= 10 + 24,
             qPrintable(QString::number(entries.size())));
}

void TestRetention::settingsOverrideTheDefaults()
{
    const QHash<QString, QString> settings{{QStringLiteral("versions_max_age_days"), "7"},
                                           {QStringLiteral("versions_max_mib"), "2"},
                                           {QStringLiteral("versions_keep_all_s"), "60"}};
    const RetentionPolicy policy =
        RetentionPolicy::fromSettings([&](const QString &key) { return settings.value(key); }, 0);
    QCOMPARE(policy.maxAgeMs, 7 * Day);
    QCOMPARE(policy.maxBytes, qint64(2) << 20);
    QCOMPARE(policy.keepAllMs, Minute);
    QCOMPARE(policy.hourlyUntilMs, Day);
    // Without a setting: 5 GiB, or 10% of a smaller disk.
    const RetentionPolicy small =
        RetentionPolicy::fromSettings([](const QString &) { return QString(); }, 10LL << 30);
    QCOMPARE(small.maxBytes, qint64(1) << 30);
}

QTEST_GUILESS_MAIN(TestRetention)
#include "tst_retention.moc"
