#include "remote/webdavhttp.h"

#include <QLocale>
#include <QTimeZone>

#include <limits>

namespace steadysync::webdav {

namespace {

// Digits at text[from, from + length) as a number; -1 when any is not a digit or out of range.
int digitsAt(const QByteArray &text, qsizetype from, int length)
{
    if (from < 0 || from + length > text.size())
        return -1;
    int value = 0;
    for (qsizetype i = from; i < from + length; ++i) {
        const char c = text.at(i);
        if (c < '0' || c > '9')
            return -1;
        value = value * 10 + (c - '0');
    }
    return value;
}

// IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), by far the most common form, parsed by hand:
// QLocale's date parsing costs ~100 µs, too slow for listings of 100,000 entries.
std::optional<QDateTime> parseImfFixdate(const QByteArray &text)
{
    static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    if (text.size() != 29 || text.at(3) != ',' || !text.endsWith(" GMT"))
        return std::nullopt;
    const int day = digitsAt(text, 5, 2);
    const int year = digitsAt(text, 12, 4);
    const int hour = digitsAt(text, 17, 2);
    const int minute = digitsAt(text, 20, 2);
    const int second = digitsAt(text, 23, 2);
    const QByteArray monthName = text.mid(8, 3);
    const int monthIndex = int(QByteArray(months).indexOf(monthName));
    if (day < 0 || year < 0 || hour < 0 || minute < 0 || second < 0 || monthIndex < 0 ||
        monthIndex % 3 != 0)
        return std::nullopt;
    const QDate date(year, monthIndex / 3 + 1, day);
    const QTime time(hour, minute, std::min(second, 59));
    if (!date.isValid() || !time.isValid())
        return std::nullopt;
    return QDateTime(date, time, QTimeZone::utc());
}

// The zone designator that ends an ISO 8601 date-time, in seconds east of UTC: "" (read as
// UTC: servers that leave it out mean UTC), Z, ±HH, ±HHMM or ±HH:MM. nullopt if malformed.
std::optional<int> isoOffsetSeconds(const QByteArray &zone)
{
    if (zone.isEmpty() || zone == "Z" || zone == "z")
        return 0;
    const char sign = zone.at(0);
    if (sign != '+' && sign != '-')
        return std::nullopt;
    const QByteArray digits = QByteArray(zone.mid(1)).replace(':', "");
    if (digits.size() != 2 && digits.size() != 4)
        return std::nullopt;
    if (zone.size() == 6 && zone.at(3) != ':')
        return std::nullopt;
    const int hours = digitsAt(digits, 0, 2);
    const int minutes = digits.size() == 4 ? digitsAt(digits, 2, 2) : 0;
    if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59)
        return std::nullopt;
    return (sign == '-' ? -1 : 1) * (hours * 3600 + minutes * 60);
}

// ISO 8601 / RFC 3339 ("2026-12-06T10:37:35Z", "…T11:37:35.250+01:00"), which some servers put
// in getlastmodified instead of an HTTP-date. Fractions beyond milliseconds are dropped.
std::optional<QDateTime> parseIso8601(const QByteArray &text)
{
    if (text.size() < 19 || text.at(4) != '-' || text.at(7) != '-' || text.at(13) != ':' ||
        text.at(16) != ':')
        return std::nullopt;
    const char separator = text.at(10);
    if (separator != 'T' && separator != 't' && separator != ' ')
        return std::nullopt;
    const QDate date(digitsAt(text, 0, 4), digitsAt(text, 5, 2), digitsAt(text, 8, 2));
    const int hour = digitsAt(text, 11, 2);
    const int minute = digitsAt(text, 14, 2);
    const int second = digitsAt(text, 17, 2);
    if (!date.isValid() || hour < 0 || minute < 0 || second < 0)
        return std::nullopt;
    qsizetype at = 19;
    int milliseconds = 0;
    if (at < text.size() && (text.at(at) == '.' || text.at(at) == ',')) {
        qsizetype digits = 0;
        for (++at; at < text.size() && text.at(at) >= '0' && text.at(at) <= '9'; ++at, ++digits) {
            if (digits < 3)
                milliseconds = milliseconds * 10 + (text.at(at) - '0');
        }
        if (digits == 0)
            return std::nullopt;
        for (; digits < 3; ++digits)
            milliseconds *= 10;
    }
    const std::optional<int> offset = isoOffsetSeconds(text.mid(at));
    const QTime time(hour, minute, std::min(second, 59), milliseconds);
    if (!offset || !time.isValid())
        return std::nullopt;
    return QDateTime(date, time, QTimeZone::utc()).addSecs(-*offset);
}

// The obsolete and sloppy HTTP-date forms: RFC 850, asctime, a one-digit day, and a zone
// other than GMT (UTC, UT, Z or a numeric offset). Slow (QLocale), so tried last.
std::optional<QDateTime> parseLegacyHttpDate(const QByteArray &value)
{
    QString text = QString::fromLatin1(value).simplified();
    int offsetSeconds = 0;
    const qsizetype lastSpace = text.lastIndexOf(QLatin1Char(' '));
    const QString zone = lastSpace > 0 ? text.mid(lastSpace + 1) : QString();
    if (zone == QLatin1String("GMT") || zone == QLatin1String("UTC") ||
        zone == QLatin1String("UT") || zone == QLatin1String("Z")) {
        text.truncate(lastSpace);
    } else if (zone.size() == 5 &&
               (zone.startsWith(QLatin1Char('+')) || zone.startsWith(QLatin1Char('-')))) {
        const std::optional<int> offset = isoOffsetSeconds(zone.toLatin1());
        if (!offset)
            return std::nullopt;
        offsetSeconds = *offset;
        text.truncate(lastSpace);
    }
    // The weekday goes: QLocale refuses one that disagrees with its reading of a two-digit
    // year (RFC 850's "Sunday, 06-Dec-26" is 1926 to it, a Monday), and it says nothing.
    const qsizetype comma = text.indexOf(QLatin1Char(','));
    text = comma > 0 ? text.mid(comma + 1).trimmed() : text.section(QLatin1Char(' '), 1);
    if (text.isEmpty())
        return std::nullopt;
    static const char *const formats[] = {
        "d MMM yyyy HH:mm:ss", // IMF-fixdate in another zone, or with a one-digit day
        "dd-MMM-yy HH:mm:ss",  // RFC 850
        "MMM d HH:mm:ss yyyy", // asctime (simplified() merged the double space)
    };
    const QLocale c = QLocale::c();
    for (const char *format : formats) {
        QDateTime parsed = c.toDateTime(text, QLatin1String(format));
        if (!parsed.isValid())
            continue;
        parsed.setTimeZone(QTimeZone::utc());
        // RFC 9110 §5.6.7: a two-digit year is the closest one, which here means 19xx only
        // before the epoch.
        if (parsed.date().year() < 1970 && QLatin1String(format).contains(QLatin1String("-yy ")))
            parsed = parsed.addYears(100);
        return parsed.addSecs(-offsetSeconds);
    }
    return std::nullopt;
}

} // namespace

std::optional<QDateTime> parseHttpDate(const QByteArray &value)
{
    const QByteArray trimmed = value.trimmed();
    if (auto fast = parseImfFixdate(trimmed))
        return fast;
    if (trimmed.isEmpty())
        return std::nullopt;
    if (trimmed.at(0) >= '0' && trimmed.at(0) <= '9')
        return parseIso8601(trimmed);
    return parseLegacyHttpDate(trimmed);
}

int parseRetryAfter(const QByteArray &value, const QDateTime &now)
{
    const QByteArray trimmed = value.trimmed();
    if (trimmed.isEmpty())
        return -1;
    bool isNumber = false;
    const qint64 seconds = trimmed.toLongLong(&isNumber);
    if (isNumber)
        return seconds < 0 ? -1 : int(std::min<qint64>(seconds, 24 * 3600));
    if (const auto date = parseHttpDate(trimmed))
        return int(std::clamp<qint64>(now.secsTo(*date), 0, 24 * 3600));
    return -1;
}

std::optional<qint64> nanosecondsSinceEpoch(const QDateTime &date)
{
    constexpr qint64 limitMs = std::numeric_limits<qint64>::max() / 1'000'000;
    const qint64 ms = date.toMSecsSinceEpoch();
    if (ms > limitMs || ms < -limitMs)
        return std::nullopt;
    return ms * 1'000'000;
}

std::optional<ErrorKind> errorKindForStatus(int status, Method method)
{
    if (status >= 200 && status < 300)
        return std::nullopt;
    switch (status) {
    case 401:
        return ErrorKind::Auth;
    case 404:
        // rclone answers a PUT into a missing collection with 404, not 409.
        return method == Method::Put ? ErrorKind::ParentMissing : ErrorKind::NotFound;
    case 409:
        return method == Method::Put || method == Method::Mkcol || method == Method::Move ||
                       method == Method::Copy
                   ? ErrorKind::ParentMissing
                   : ErrorKind::Permanent;
    case 412:
        return ErrorKind::PreconditionFailed;
    case 507:
        return ErrorKind::DiskFull;
    case 408:
    case 423:
    case 424: // Apache: a member of a folder another client holds locked
    case 429:
        return ErrorKind::Transient;
    default:
        break;
    }
    if (status >= 500)
        return ErrorKind::Transient;
    return ErrorKind::Permanent;
}

QUrl urlForPath(const QUrl &collectionRoot, const QString &path, bool directory)
{
    QByteArray encoded = collectionRoot.toEncoded();
    if (!encoded.endsWith('/'))
        encoded += '/';
    if (!path.isEmpty()) {
        const QStringList segments = path.split(QLatin1Char('/'));
        for (qsizetype i = 0; i < segments.size(); ++i) {
            if (i > 0)
                encoded += '/';
            encoded += QUrl::toPercentEncoding(segments.at(i));
        }
        if (directory)
            encoded += '/';
    }
    return QUrl::fromEncoded(encoded, QUrl::StrictMode);
}

bool isStrongEtag(const QByteArray &etag)
{
    return etag.size() >= 2 && etag.startsWith('"') && etag.endsWith('"');
}

bool etagsMatchWeakly(const QByteArray &a, const QByteArray &b)
{
    const auto opaque = [](const QByteArray &tag) {
        return tag.startsWith("W/") ? tag.mid(2) : tag;
    };
    return !a.isEmpty() && opaque(a) == opaque(b);
}

Error undescribedItem(const QString &path, const PropfindListing &listing)
{
    if (!path.isEmpty() && !listing.rejectedNames.isEmpty())
        return makeError(ErrorKind::InvalidName,
                         QStringLiteral("%1: the server names it in a way that cannot be read "
                                        "back (%2)")
                             .arg(path, listing.rejectedNames.first()));
    return makeError(
        ErrorKind::Corrupt,
        QStringLiteral("%1: the server's reply does not describe the item asked for").arg(path));
}

QByteArray propfindBody(bool withOwnCloudProperties)
{
    if (withOwnCloudProperties)
        return "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
               "<d:propfind xmlns:d=\"DAV:\" xmlns:oc=\"http://owncloud.org/ns\"><d:prop>"
               "<d:resourcetype/><d:getcontentlength/><d:getlastmodified/><d:getetag/>"
               "<oc:fileid/><oc:permissions/><oc:checksums/><d:quota-used-bytes/>"
               "<d:quota-available-bytes/></d:prop>"
               "</d:propfind>\n";
    return "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
           "<d:propfind xmlns:d=\"DAV:\"><d:prop><d:resourcetype/><d:getcontentlength/>"
           "<d:getlastmodified/><d:getetag/></d:prop></d:propfind>\n";
}

qint64 mtimeNsFromHttpDate(const QByteArray &value, qint64 fallback)
{
    if (const auto date = parseHttpDate(value))
        return nanosecondsSinceEpoch(*date).value_or(fallback);
    return fallback;
}

} // namespace steadysync::webdav
