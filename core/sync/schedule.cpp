#include "sync/schedule.h"

#include <QRegularExpression>

#include <algorithm>
#include <cmath>
#include <optional>

namespace steadysync {

namespace {

constexpr int MinutesPerDay = 24 * 60;
constexpr qint64 MsPerMinute = 60'000;

Error specError(QString message)
{
    return makeError(ErrorKind::Permanent, std::move(message));
}

// "HH:MM" -> minutes since midnight; 24:00 only where allowEndOfDay.
std::optional<int> parseClock(const QString &text, bool allowEndOfDay)
{
    static const QRegularExpression clock(QStringLiteral("^(\\d{1,2}):(\\d{2})$"));
    const QRegularExpressionMatch match = clock.match(text);
    if (!match.hasMatch())
        return std::nullopt;
    const int hours = match.captured(1).toInt();
    const int minutes = match.captured(2).toInt();
    if (minutes > 59 || hours > 24 || (hours == 24 && (minutes != 0 || !allowEndOfDay)))
        return std::nullopt;
    return hours * 60 + minutes;
}

std::optional<int> parseDay(const QString &text)
{
    static const QStringList days{
        QStringLiteral("mon"), QStringLiteral("tue"), QStringLiteral("wed"), QStringLiteral("thu"),
        QStringLiteral("fri"), QStringLiteral("sat"), QStringLiteral("sun")};
    const qsizetype index = days.indexOf(text.toLower());
    return index < 0 ? std::nullopt : std::optional<int>(int(index) + 1);
}

// "Mon" or "Fri-Mon" -> a mask of bits (dayOfWeek - 1).
std::optional<int> parseDays(const QString &text)
{
    const QStringList ends = text.split(QLatin1Char('-'));
    const std::optional<int> first = parseDay(ends.value(0));
    const std::optional<int> last = ends.size() == 2 ? parseDay(ends.at(1)) : first;
    if (ends.size() > 2 || !first || !last)
        return std::nullopt;
    int mask = 0;
    for (int day = *first;; day = day % 7 + 1) {
        mask |= 1 << (day - 1);
        if (day == *last)
            return mask;
    }
}

// Milliseconds of wall-clock time since the start of `when`'s day.
qint64 msOfDay(const QDateTime &when)
{
    return when.time().msecsSinceStartOfDay();
}

// `when`'s day plus dayOffset at `minute` (1440: the next midnight), in `when`'s zone.
QDateTime atMinute(const QDateTime &when, int dayOffset, int minute)
{
    QDateTime result = when;
    result.setDate(when.date().addDays(dayOffset + minute / MinutesPerDay));
    result.setTime(QTime(0, 0).addSecs((minute % MinutesPerDay) * 60));
    return result;
}

// An amount of KiB/s: "512k", "1.5M", "100000B", "off" (0).
std::optional<qint64> parseRate(const QString &text)
{
    if (text.compare(QStringLiteral("off"), Qt::CaseInsensitive) == 0)
        return 0;
    static const QRegularExpression amount(QStringLiteral("^(\\d+(?:\\.\\d+)?)([bkmg]?)$"),
                                           QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch match = amount.match(text);
    if (!match.hasMatch())
        return std::nullopt;
    const QString unit = match.captured(2).toLower();
    const double scale = unit == QStringLiteral("b")   ? 1.0 / 1024
                         : unit == QStringLiteral("m") ? 1024
                         : unit == QStringLiteral("g") ? 1024.0 * 1024
                                                       : 1;
    const double kib = match.captured(1).toDouble() * scale;
    if (kib < 1 || kib > 1e12)
        return std::nullopt; // below 1 KiB/s the pacer cannot go; "off" says unlimited
    return qint64(std::llround(kib));
}

std::optional<BandwidthLimits> parseLimits(const QString &text)
{
    const QStringList sides = text.split(QLatin1Char(':'));
    const std::optional<qint64> up = parseRate(sides.value(0));
    const std::optional<qint64> down = sides.size() == 2 ? parseRate(sides.at(1)) : up;
    if (sides.size() > 2 || !up || !down)
        return std::nullopt;
    return BandwidthLimits{*up, *down};
}

} // namespace

Result<SyncWindow> SyncWindow::parse(const QString &spec)
{
    SyncWindow result;
    result.m_spec = spec.trimmed();
    if (result.m_spec.isEmpty())
        return result;
    static const QRegularExpression window(
        QStringLiteral("^(?:([A-Za-z]{3}(?:-[A-Za-z]{3})?)\\s+)?([0-9:]+)-([0-9:]+)$"));
    for (const QString &part : result.m_spec.split(QLatin1Char(','))) {
        const QString text = part.trimmed();
        const QRegularExpressionMatch match = window.match(text);
        if (!match.hasMatch())
            return specError(QStringLiteral("sync window \"%1\": expected [DAYS ]HH:MM-HH:MM, as "
                                            "in \"Mon-Fri 19:00-07:00\"")
                                 .arg(text));
        Window parsed;
        if (!match.captured(1).isEmpty()) {
            const std::optional<int> days = parseDays(match.captured(1));
            if (!days)
                return specError(QStringLiteral("sync window \"%1\": unknown day in \"%2\" (use "
                                                "Mon Tue Wed Thu Fri Sat Sun)")
                                     .arg(text, match.captured(1)));
            parsed.dayMask = *days;
        }
        const std::optional<int> start = parseClock(match.captured(2), false);
        const std::optional<int> end = parseClock(match.captured(3), true);
        if (!start || !end)
            return specError(QStringLiteral("sync window \"%1\": a time is not HH:MM between "
                                            "00:00 and 23:59 (24:00 only as an end)")
                                 .arg(text));
        if (*start == *end)
            return specError(
                QStringLiteral("sync window \"%1\": it starts and ends at the same time")
                    .arg(text));
        parsed.startMinute = *start;
        parsed.endMinute = *end;
        result.m_windows.append(parsed);
    }
    return result;
}

bool SyncWindow::isOpenAt(const QDateTime &when) const
{
    if (isAlways())
        return true;
    const qint64 now = msOfDay(when);
    for (const Window &window : m_windows) {
        const int length = (window.endMinute - window.startMinute + MinutesPerDay) % MinutesPerDay;
        const qint64 lengthMs = (length == 0 ? MinutesPerDay : length) * MsPerMinute;
        // Started today, or yesterday and running past midnight.
        for (int daysAgo : {0, 1}) {
            const int dayOfWeek = when.date().addDays(-daysAgo).dayOfWeek();
            if (!(window.dayMask & (1 << (dayOfWeek - 1))))
                continue;
            const qint64 sinceStart =
                now + daysAgo * MinutesPerDay * MsPerMinute - window.startMinute * MsPerMinute;
            if (sinceStart >= 0 && sinceStart < lengthMs)
                return true;
        }
    }
    return false;
}

QDateTime SyncWindow::nextChangeAfter(const QDateTime &when) const
{
    QDateTime next;
    for (const Window &window : m_windows) {
        const int endMinute = window.endMinute > window.startMinute
                                  ? window.endMinute
                                  : window.endMinute + MinutesPerDay;
        for (int dayOffset = -1; dayOffset <= 7; ++dayOffset) {
            const int dayOfWeek = when.date().addDays(dayOffset).dayOfWeek();
            if (!(window.dayMask & (1 << (dayOfWeek - 1))))
                continue;
            for (int minute : {window.startMinute, endMinute}) {
                const QDateTime candidate = atMinute(when, dayOffset, minute);
                if (candidate > when && (!next.isValid() || candidate < next))
                    next = candidate;
            }
        }
    }
    return next;
}

Result<BandwidthTimetable> BandwidthTimetable::parse(const QString &spec)
{
    BandwidthTimetable result;
    result.m_spec = spec.simplified();
    if (result.m_spec.isEmpty())
        return result;
    const QStringList parts = result.m_spec.split(QLatin1Char(' '));
    for (const QString &part : parts) {
        const QStringList fields = part.split(QLatin1Char(','));
        const bool timed = fields.size() == 2;
        if (fields.size() > 2 || (!timed && parts.size() > 1))
            return specError(QStringLiteral("bandwidth timetable \"%1\": expected HH:MM,RATE "
                                            "entries, as in \"08:00,512k 19:00,off\"")
                                 .arg(part));
        const std::optional<int> minute =
            timed ? parseClock(fields.at(0), false) : std::optional<int>(0);
        if (!minute)
            return specError(QStringLiteral("bandwidth timetable \"%1\": \"%2\" is not a time "
                                            "HH:MM between 00:00 and 23:59")
                                 .arg(part, fields.at(0)));
        const std::optional<BandwidthLimits> limits = parseLimits(fields.last());
        if (!limits)
            return specError(QStringLiteral("bandwidth timetable \"%1\": \"%2\" is not a rate "
                                            "(off, or at least 1K: 512k, 1.5M, UP:DOWN)")
                                 .arg(part, fields.last()));
        const bool taken = std::any_of(result.m_entries.cbegin(), result.m_entries.cend(),
                                       [&](const Entry &entry) { return entry.minute == *minute; });
        if (taken)
            return specError(
                QStringLiteral("bandwidth timetable: %1 is given twice").arg(fields.at(0)));
        result.m_entries.append({*minute, *limits});
    }
    std::sort(result.m_entries.begin(), result.m_entries.end(),
              [](const Entry &a, const Entry &b) { return a.minute < b.minute; });
    return result;
}

BandwidthLimits BandwidthTimetable::limitsAt(const QDateTime &when) const
{
    if (isEmpty())
        return {};
    const qint64 now = msOfDay(when);
    BandwidthLimits limits = m_entries.last().limits; // before the first entry: yesterday's last
    for (const Entry &entry : m_entries) {
        if (entry.minute * MsPerMinute <= now)
            limits = entry.limits;
    }
    return limits;
}

QDateTime BandwidthTimetable::nextChangeAfter(const QDateTime &when) const
{
    if (m_entries.size() < 2)
        return {};
    for (const Entry &entry : m_entries) {
        QDateTime candidate = atMinute(when, 0, entry.minute);
        if (candidate > when)
            return candidate;
    }
    return atMinute(when, 1, m_entries.first().minute);
}

} // namespace steadysync
