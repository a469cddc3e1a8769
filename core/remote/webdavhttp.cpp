#include "remote/webdavhttp.h"

#include <QLocale>
#include <QTimeZone>

#include <limits>

namespace steadysync::webdav {

namespace {

// IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), by far the most common form, parsed by hand:
// QLocale's date parsing costs ~100 µs, too slow for listings of 100,000 entries.
std::optional<QDateTime> parseImfFixdate(const QByteArray &text)
{
    static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    if (text.size() != 29 || text.at(3) != ',' || !text.endsWith(" GMT"))
        return std::nullopt;
    const auto number = [&text](int from, int length) {
        int value = 0;
        for (int i = from; i < from + length; ++i) {
            const char c = text.at(i);
            if (c < '0' || c > '9')
                return -1;
            value = value * 10 + (c - '0');
        }
        return value;
    };
    const int day = number(5, 2);
    const int year = number(12, 4);
    const int hour = number(17, 2);
    const int minute = number(20, 2);
    const int second = number(23, 2);
    const QByteArray monthName = text.mid(8, 3);
    const int monthIndex = QByteArray(months).indexOf(monthName);
    if (day < 0 || year < 0 || hour < 0 || minute < 0 || second < 0 || monthIndex < 0 ||
        monthIndex % 3 != 0)
        return std::nullopt;
    const QDate date(year, monthIndex / 3 + 1, day);
    const QTime time(hour, minute, std::min(second, 59));
    if (!date.isValid() || !time.isValid())
        return std::nullopt;
    return QDateTime(date, time, QTimeZone::utc());
}

} // namespace

std::optional<QDateTime> parseHttpDate(const QByteArray &value)
{
    if (auto fast = parseImfFixdate(value.trimmed()))
        return fast;
    const QString text = QString::fromLatin1(value).simplified();
    if (text.isEmpty())
        return std::nullopt;
    static const char *const formats[] = {
        "ddd, dd MMM yyyy HH:mm:ss 'GMT'", // IMF-fixdate
        "dddd, dd-MMM-yy HH:mm:ss 'GMT'",  // RFC 850
        "ddd MMM d HH:mm:ss yyyy",         // asctime (simplified() merged the double space)
        "ddd, d MMM yyyy HH:mm:ss 'GMT'",  // sloppy servers: one-digit day
        "ddd, dd MMM yyyy HH:mm:ss '+0000'",
    };
    const QLocale c = QLocale::c();
    for (const char *format : formats) {
        QDateTime parsed = c.toDateTime(text, QLatin1String(format));
        if (!parsed.isValid())
            continue;
        parsed.setTimeZone(QTimeZone::utc());
        if (parsed.date().year() < 1970 && QLatin1String(format).contains(QLatin1String("yy HH")))
            parsed = parsed.addYears(100);
        return parsed;
    }
    return std::nullopt;
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
        return method == Method::Put || method == Method::Mkcol || method == Method::Move
                   ? ErrorKind::ParentMissing
                   : ErrorKind::Permanent;
    case 412:
        return ErrorKind::PreconditionFailed;
    case 507:
        return ErrorKind::DiskFull;
    case 408:
    case 423:
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

QByteArray propfindBody(bool withFileId)
{
    if (withFileId)
        return "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
               "<d:propfind xmlns:d=\"DAV:\" xmlns:oc=\"http://owncloud.org/ns\"><d:prop>"
               "<d:resourcetype/><d:getcontentlength/><d:getlastmodified/><d:getetag/>"
               "<oc:fileid/></d:prop></d:propfind>\n";
    return "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
           "<d:propfind xmlns:d=\"DAV:\"><d:prop><d:resourcetype/><d:getcontentlength/>"
           "<d:getlastmodified/><d:getetag/></d:prop></d:propfind>\n";
}

} // namespace steadysync::webdav
