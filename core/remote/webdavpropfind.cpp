#include "remote/webdavpropfind.h"

#include "remote/nextcloudupload.h"
#include "remote/webdavhttp.h"
#include "remote/webdavjob.h"

#include <QNetworkReply>

#include <memory>

namespace steadysync::webdav {

namespace {

QString subjectOf(const QString &path)
{
    return path.isEmpty() ? QStringLiteral("the remote root") : path;
}

} // namespace

WebDavSession::Request propfindRequest(const WebDavSession &session, const QString &path,
                                       bool directory, int depth)
{
    WebDavSession::Request request;
    request.verb = "PROPFIND";
    request.url = session.urlFor(path, directory);
    request.headers = {
        {"Depth", depth == depthInfinity ? QByteArray("infinity") : QByteArray::number(depth)},
        {"Content-Type", "application/xml; charset=utf-8"}};
    // A stat of the root asks for oc:fileid, which tells ownCloud and Nextcloud (see
    // WebDavBackend::propagatesDirectoryEtags); every request there asks for it and for
    // oc:permissions. Other servers are not asked, or each member would carry a 404 propstat.
    request.body = propfindBody((depth == 0 && path.isEmpty()) ||
                                session.capabilities().propagatesDirectoryEtags);
    return request;
}

bool ListingBody::take(QNetworkReply *reply)
{
    if (reply->isOpen())
        m_bytes.append(reply->readAll());
    return m_bytes.size() <= PropfindParser::defaultMaxBytes;
}

Error ListingBody::tooLargeError()
{
    return makeError(ErrorKind::Corrupt,
                     QStringLiteral("the server's listing is larger than %1 MiB; refused")
                         .arg(PropfindParser::defaultMaxBytes / (1024 * 1024)));
}

std::optional<Result<PropfindListing>> listingOf(WebDavSession *session, QNetworkReply *reply,
                                                 const QByteArray &body, const QString &path,
                                                 int depth)
{
    if (path.isEmpty() && session->followRootMove(reply))
        return std::nullopt;
    if (auto error = session->errorOf(reply, Method::Propfind, path)) {
        // Apache answers 405 where the served directory is gone.
        if (path.isEmpty() && (error->kind == ErrorKind::NotFound || statusOf(reply) == 405 ||
                               statusOf(reply) == 409))
            error->kind = ErrorKind::RootMissing;
        return Result<PropfindListing>(*error);
    }
    // Qt may report an answer cut by a closed connection as complete: a listing shorter than
    // its Content-Length is a network failure, not a malformed reply.
    const QVariant promised = reply->header(QNetworkRequest::ContentLengthHeader);
    if (promised.isValid() && body.size() < promised.toLongLong())
        return Result<PropfindListing>(makeError(
            ErrorKind::Transient, QStringLiteral("%1: the listing was cut short (%2 of %3 bytes)")
                                      .arg(subjectOf(path))
                                      .arg(body.size())
                                      .arg(promised.toLongLong())));
    if (depth == 0 && path.isEmpty())
        session->capabilities().serverSoftware = reply->rawHeader("Server");
    const int status = statusOf(reply);
    Result<PropfindListing> listing =
        WebDavSession::isListingStatus(status)
            ? PropfindParser::parse(body, reply->url(), PropfindParser::defaultMaxEntries,
                                    depth == depthInfinity ? PropfindParser::Members::All
                                                           : PropfindParser::Members::Direct)
            : makeError(ErrorKind::Corrupt, QString());
    // The space left, for uploads (Nextcloud, ownCloud). Not from a tree listing (never asked
    // there): QXmlStreamReader would decode all of its ~40 MB to find the root's quota.
    if (path.isEmpty() && listing.ok() && depth != depthInfinity)
        NextcloudUploadState::of(session)->learnQuota(body);
    // A 200 counts only with a readable multistatus in it (not a web page).
    if (!listing.ok() && status != 207)
        return Result<PropfindListing>(
            makeError(ErrorKind::Permanent,
                      QStringLiteral("%1: the server answered PROPFIND with HTTP %2, not a "
                                     "WebDAV listing; is the URL a WebDAV collection?")
                          .arg(subjectOf(path))
                          .arg(status)));
    return listing;
}

Result<std::optional<RemoteEntry>> statEntryOf(Result<PropfindListing> listing, const QString &path)
{
    if (!listing.ok()) {
        if (listing.error().kind == ErrorKind::NotFound)
            return std::optional<RemoteEntry>();
        return listing.error();
    }
    if (!listing->self)
        return undescribedItem(path, *listing);
    RemoteEntry entry = *listing->self;
    entry.path = path;
    return std::optional<RemoteEntry>(std::move(entry));
}

void propfind(WebDavRequests *job, const QString &path, bool directory, int depth, ListingDone done)
{
    const WebDavSession::Request request = propfindRequest(*job->session(), path, directory, depth);
    auto body = std::make_shared<ListingBody>();
    job->send(
        request,
        [job, path, directory, depth, body, done](QNetworkReply *reply) {
            if (!body->take(reply))
                return done(ListingBody::tooLargeError());
            auto listing = listingOf(job->session(), reply, body->bytes(), path, depth);
            if (!listing)
                return propfind(job, path, directory, depth, done);
            done(std::move(*listing));
        },
        [job, body](QNetworkReply *reply) {
            if (!body->take(reply))
                job->fail(ListingBody::tooLargeError());
        });
}

void statItem(WebDavRequests *job, const QString &path, bool directory, StatDone done)
{
    propfind(job, path, directory || path.isEmpty(), 0,
             [path, done](Result<PropfindListing> listing) {
                 done(statEntryOf(std::move(listing), path));
             });
}

} // namespace steadysync::webdav
