#pragma once

#include "remote/propfindparser.h"
#include "remote/webdavsession.h"

#include <functional>
#include <optional>

class QNetworkReply;

namespace steadysync {

class WebDavRequests;

// The one PROPFIND and stat path of the WebDAV backend: the request, the body as it arrives,
// and what the answer means. Jobs send it through their own reply (webdav::propfind,
// webdav::statItem); the session's stats after writes (WebDavStatBatcher) through a slot of
// their own, with the same request and the same reading of the answer.
namespace webdav {

// PROPFIND depth: 0, the item; 1, a collection and its members; infinity, everything below.
constexpr int depthInfinity = -1;

using ListingDone = std::function<void(Result<PropfindListing>)>;
using StatDone = std::function<void(Result<std::optional<RemoteEntry>>)>;

WebDavSession::Request propfindRequest(const WebDavSession &session, const QString &path,
                                       bool directory, int depth);

// A PROPFIND answer's body as it arrives; refused past PropfindParser::defaultMaxBytes.
class ListingBody
{
public:
    // Takes what the reply has; false once the body is over the limit.
    [[nodiscard]] bool take(QNetworkReply *reply);
    const QByteArray &bytes() const { return m_bytes; }
    static Error tooLargeError();

private:
    QByteArray m_bytes;
};

// What a finished PROPFIND of `path` (relative to the root; "" is the root) at `depth` says.
// nullopt: the root moved (WebDavSession::followRootMove) and the PROPFIND is to be sent again.
[[nodiscard]] std::optional<Result<PropfindListing>> listingOf(WebDavSession *session,
                                                               QNetworkReply *reply,
                                                               const QByteArray &body,
                                                               const QString &path, int depth);

// What a Depth 0 listing of `path` says of it: nullopt where nothing is there (404).
[[nodiscard]] Result<std::optional<RemoteEntry>> statEntryOf(Result<PropfindListing> listing,
                                                             const QString &path);

// A PROPFIND sent as one of job's requests.
void propfind(WebDavRequests *job, const QString &path, bool directory, int depth,
              ListingDone done);
// stat for internal use: nullopt when nothing is at path.
void statItem(WebDavRequests *job, const QString &path, bool directory, StatDone done);

} // namespace webdav
} // namespace steadysync
