#pragma once

#include "entry.h"
#include "result.h"

#include <QByteArray>
#include <QStringList>
#include <QUrl>
#include <QVector>

#include <optional>

namespace steadysync {

// What a PROPFIND multistatus said about a collection (Depth 1 or infinity) or a single
// resource (Depth 0).
struct PropfindListing
{
    std::optional<RemoteEntry> self; // the requested resource itself; path ""
    QVector<RemoteEntry> children;   // members; path relative to the requested collection
    QStringList rejectedNames;       // "href: why" for hrefs that were refused
    // Where refused hrefs would lie, relative to the requested collection (those that name
    // something inside it): the sync leaves these paths and everything below them alone.
    QStringList rejectedPaths;
    // A member came without any usable name (an empty href and no displayname): the listing
    // cannot show that anything is absent from the collection, since it may be that member.
    bool unnamedMembers = false;
    // An oc:fileid property (http://owncloud.org/ns) came with a 2xx status: the server is
    // ownCloud or Nextcloud, which change a collection's ETag whenever anything below it does.
    bool ownCloudFileIdSeen = false;
};

// Turns a PROPFIND 207 body into entries. Pure: no I/O. Hostile input is expected: anything
// malformed, truncated, oversized or carrying a DOCTYPE (entity expansion) is Corrupt; hrefs
// that are not the requested resource or one of its members (other origins, "..", encoded
// '/', NUL, and deeper paths unless a Depth: infinity listing is read) are rejected, never
// turned into entries. hrefs are resolved per RFC 3986 against the request URL; a raw '#',
// '?' or ';' is part of a name. A member that cannot be understood (an empty href, a name
// whose escapes are ambiguous, no type, listed twice differently) is rejected by name and
// never taken for another item; one listed twice alike is one entry. An entry's mtimeNs is 0
// where the server gave no readable date.
class PropfindParser
{
public:
    static constexpr qsizetype defaultMaxBytes = 64 * 1024 * 1024;
    static constexpr qsizetype defaultMaxEntries = 1'000'000;

    enum class Members { Direct, All };

    // requestUrl: the URL the PROPFIND went to (after redirects); hrefs are read relative to it.
    // Members::All accepts members at any depth (a Depth: infinity listing).
    static Result<PropfindListing> parse(const QByteArray &body, const QUrl &requestUrl,
                                         qsizetype maxEntries = defaultMaxEntries,
                                         Members members = Members::Direct);
};

} // namespace steadysync
