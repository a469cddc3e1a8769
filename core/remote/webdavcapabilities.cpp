#include "remote/webdavcapabilities.h"

#include <QList>

namespace steadysync {

namespace {

// Apache's ETag is "SIZE-MTIME" by default (FileETag MTime Size, measured): files written in
// the same clock tick share one, so it names no file for sure. With FileETag INode MTime Size
// it is "INODE-SIZE-MTIME", unique while the files exist and kept by a MOVE. lighttpd hashes
// inode, size and mtime (etag.use-inode is on by default) into one number.
bool etagCarriesInode(const QByteArray &etag)
{
    QByteArray tag = etag.startsWith("W/") ? etag.mid(2) : etag;
    if (tag.size() < 2 || !tag.startsWith('"') || !tag.endsWith('"'))
        return false;
    const QList<QByteArray> parts = tag.mid(1, tag.size() - 2).split('-');
    bool allHex = parts.size() == 3;
    for (const QByteArray &part : parts) {
        bool ok = false;
        part.toULongLong(&ok, 16);
        allHex = allHex && ok;
    }
    return allHex;
}

} // namespace

void ServerCapabilities::learnFromRootStat(const PropfindListing &listing)
{
    propagatesDirectoryEtags = listing.ownCloudFileIdSeen;
    // Their collection ETags are the directory's mtime (ENVIRONMENT.md, measured).
    const QByteArray &server = serverSoftware;
    const bool statEtags = !listing.ownCloudFileIdSeen && listing.self &&
                           !listing.self->etag.isEmpty() &&
                           (server.startsWith("Apache") || server.startsWith("lighttpd"));
    directoryEtagsFollowChildren = statEtags;
    etagsSurviveMoves =
        statEtags && (server.startsWith("lighttpd") || etagCarriesInode(listing.self->etag));
}

bool ServerCapabilities::tagsLockTokens() const
{
    return serverSoftware.startsWith("Apache") || serverSoftware.startsWith("lighttpd");
}

} // namespace steadysync
