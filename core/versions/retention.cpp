#include "versions/retention.h"

#include <QHash>
#include <QSet>

#include <algorithm>

namespace steadysync {

namespace {

constexpr qint64 WeekMs = 7 * RetentionPolicy::DayMs;
constexpr qint64 MiB = 1LL << 20;

// The bucket width for a version of this age; 0 = keep it whatever, -1 = too old.
qint64 bucketWidth(qint64 ageMs, const RetentionPolicy &policy)
{
    if (ageMs <= policy.keepAllMs)
        return 0;
    if (ageMs > policy.maxAgeMs)
        return -1;
    if (ageMs <= policy.hourlyUntilMs)
        return RetentionPolicy::HourMs;
    if (ageMs <= policy.dailyUntilMs)
        return RetentionPolicy::DayMs;
    return WeekMs;
}

bool newerFirst(const VersionEntry &a, const VersionEntry &b)
{
    return a.savedMs != b.savedMs ? a.savedMs > b.savedMs : a.id > b.id;
}

// The schedule alone: per path, one entry per bucket.
QList<VersionEntry> keptBySchedule(QList<VersionEntry> entries, qint64 nowMs,
                                   const RetentionPolicy &policy, QList<qint64> &pruned)
{
    std::sort(entries.begin(), entries.end(), newerFirst);
    QSet<QString> usedBuckets; // path + width + bucket number
    QList<VersionEntry> kept;
    for (const VersionEntry &entry : std::as_const(entries)) {
        const qint64 width = bucketWidth(qMax<qint64>(0, nowMs - entry.savedMs), policy);
        if (width < 0) {
            pruned.append(entry.id);
            continue;
        }
        if (width > 0) {
            const QString bucket =
                QStringLiteral("%1\n%2\n%3").arg(entry.path).arg(width).arg(entry.savedMs / width);
            if (usedBuckets.contains(bucket)) {
                pruned.append(entry.id);
                continue;
            }
            usedBuckets.insert(bucket);
        }
        kept.append(entry);
    }
    return kept;
}

// The size cap: distinct content counts once (a blob shared by several entries is freed with
// the last of them); the oldest entries go first.
void applySizeCap(QList<VersionEntry> kept, qint64 maxBytes, QList<qint64> &pruned)
{
    QHash<QByteArray, int> references;
    QHash<QByteArray, qint64> sizes;
    qint64 total = 0;
    for (const VersionEntry &entry : std::as_const(kept)) {
        if (references[entry.sha256]++ == 0)
            total += entry.size;
        sizes.insert(entry.sha256, entry.size);
    }
    std::sort(kept.begin(), kept.end(),
              [](const VersionEntry &a, const VersionEntry &b) { return newerFirst(b, a); });
    for (const VersionEntry &entry : std::as_const(kept)) {
        if (total <= maxBytes)
            break;
        pruned.append(entry.id);
        if (--references[entry.sha256] == 0)
            total -= sizes.value(entry.sha256);
    }
}

qint64 numberSetting(const std::function<QString(const QString &)> &setting, const char *key,
                     qint64 unit, qint64 fallback)
{
    bool ok = false;
    const qint64 value = setting(QString::fromLatin1(key)).toLongLong(&ok);
    return ok && value >= 0 ? value * unit : fallback;
}

} // namespace

RetentionPolicy
RetentionPolicy::fromSettings(const std::function<QString(const QString &)> &setting,
                              qint64 fileSystemBytes)
{
    RetentionPolicy policy;
    if (fileSystemBytes > 0)
        policy.maxBytes = qMin(DefaultMaxBytes, fileSystemBytes / 10);
    policy.keepAllMs = numberSetting(setting, "versions_keep_all_s", 1000, policy.keepAllMs);
    policy.hourlyUntilMs =
        numberSetting(setting, "versions_hourly_until_s", 1000, policy.hourlyUntilMs);
    policy.dailyUntilMs =
        numberSetting(setting, "versions_daily_until_s", 1000, policy.dailyUntilMs);
    policy.maxAgeMs = numberSetting(setting, "versions_max_age_days", DayMs, policy.maxAgeMs);
    policy.maxBytes = numberSetting(setting, "versions_max_mib", MiB, policy.maxBytes);
    return policy;
}

QList<qint64> versionsToPrune(const QList<VersionEntry> &entries, qint64 nowMs,
                              const RetentionPolicy &policy)
{
    QList<qint64> pruned;
    const QList<VersionEntry> kept = keptBySchedule(entries, nowMs, policy, pruned);
    applySizeCap(kept, policy.maxBytes, pruned);
    std::sort(pruned.begin(), pruned.end());
    return pruned;
}

} // namespace steadysync
