#pragma once

#include "remote/propfindparser.h"
#include "result.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QUrl>

#include <optional>

namespace steadysync::webdav {

// A date as servers send it, in UTC: an HTTP-date (RFC 9110: IMF-fixdate, obsolete RFC 850
// and asctime forms, also with UTC or a numeric zone) or ISO 8601 (Z, offsets, fractional
// seconds), which some servers put in getlastmodified. nullopt for anything else: a caller
// then has no date, never the epoch. The one date reader for listings and headers alike.
std::optional<QDateTime> parseHttpDate(const QByteArray &value);

// Retry-After as delta-seconds or HTTP-date, relative to now; -1 when absent or unreadable.
int parseRetryAfter(const QByteArray &value, const QDateTime &now);

// The HTTP method an error arose from decides what some statuses mean (DESIGN §5).
enum class Method { Propfind, Get, Put, Mkcol, Move, Copy, Delete, Lock, Unlock, Options };

// The ErrorKind of an HTTP status per DESIGN §5; std::nullopt for 2xx.
// A parsed HTTP date in nanoseconds since the epoch; nullopt where that does not fit in 64
// bits (years after 2262 or before 1678, which hostile servers send).
std::optional<qint64> nanosecondsSinceEpoch(const QDateTime &date);

std::optional<ErrorKind> errorKindForStatus(int status, Method method);

// A Last-Modified header's date in nanoseconds since the epoch; fallback where it has none
// that is readable.
qint64 mtimeNsFromHttpDate(const QByteArray &value, qint64 fallback);

// Appends the percent-encoded segments of a relative core path to a collection URL that
// ends in '/'. A directory URL gets a trailing '/'.
QUrl urlForPath(const QUrl &collectionRoot, const QString &path, bool directory);

// The error for a stat of path (not the root) whose answer does not describe it. Where the
// answer named it in a way that cannot be read back (an ambiguous raw href), the item is
// refused by name (InvalidName: left alone and reported, like a refused member of a listing);
// otherwise the answer is Corrupt.
Error undescribedItem(const QString &path, const PropfindListing &listing);

// The body of a PROPFIND for the properties entries are made of; withOwnCloudProperties also
// asks for oc:fileid, oc:permissions and oc:checksums (ownCloud, Nextcloud), which other servers
// answer with a 404 propstat.
QByteArray propfindBody(bool withOwnCloudProperties = false);

// A strong entity tag ("..."): usable in If-Match / If-Range.
bool isStrongEtag(const QByteArray &etag);

// Weak comparison (RFC 9110 §8.8.3.2): equal opaque tags, ignoring W/.
bool etagsMatchWeakly(const QByteArray &a, const QByteArray &b);

} // namespace steadysync::webdav
