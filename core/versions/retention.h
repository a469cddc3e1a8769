#pragma once

#include "versions/versionentry.h"

#include <QList>
#include <QString>

#include <functional>

namespace steadysync {

// How long kept versions stay (DESIGN §10), staggered like the best versioners: every version
// for keepAllMs, then one per hour until hourlyUntilMs, one per day until dailyUntilMs, one per
// week until maxAgeMs; older ones go. Then, oldest first, until the distinct content fits
// maxBytes. Ages are counted from when the version was kept.
struct RetentionPolicy
{
    static constexpr qint64 HourMs = 3600LL * 1000;
    static constexpr qint64 DayMs = 24 * HourMs;
    static constexpr qint64 DefaultMaxBytes = 5LL << 30;

    qint64 keepAllMs = HourMs;
    qint64 hourlyUntilMs = DayMs;
    qint64 dailyUntilMs = 30 * DayMs;
    qint64 maxAgeMs = 365 * DayMs;
    qint64 maxBytes = DefaultMaxBytes;

    // The per-pair values of the journal's settings table, where set (read through setting:
    // key -> value or empty). Keys: versions_keep_all_s, versions_hourly_until_s,
    // versions_daily_until_s, versions_max_age_days, versions_max_mib. Without
    // versions_max_mib, the cap is the smaller of 5 GiB and 10% of fileSystemBytes (when > 0).
    static RetentionPolicy fromSettings(const std::function<QString(const QString &)> &setting,
                                        qint64 fileSystemBytes);
};

// Pure: the ids of the entries the policy drops at nowMs. The newest version of each hour
// (day, week) is the one kept in that bucket; buckets are aligned to the epoch so that a
// decision does not change from one prune to the next.
QList<qint64> versionsToPrune(const QList<VersionEntry> &entries, qint64 nowMs,
                              const RetentionPolicy &policy);

} // namespace steadysync
