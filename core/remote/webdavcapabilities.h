#pragma once

#include "remote/propfindparser.h"

#include <QByteArray>
#include <QDeadlineTimer>

namespace steadysync {

// What a WebDAV session has learnt about its server: a value, filled in as answers arrive
// (OPTIONS, the stat of the root, the first LOCK, the first create, the first 401).
struct ServerCapabilities
{
    enum class Support { Unknown, Yes, No };

    // WebDAV write locks (Apache, rclone: yes; nginx: no). Settled before the first LOCK by
    // WebDavSession::probeLockSupport(); No once WebDavSession::stopLocking() gave up on them.
    Support locks = Support::Unknown;
    // PROPFIND Depth: infinity, tried on every server but ownCloud/Nextcloud (where the walk
    // by propagated ETags is better) and learnt from the first try: Yes where the whole tree
    // came (rclone, Apache with DavDepthInfinity On), No once refused (Apache's default 403
    // <D:propfind-finite-depth/>, nginx) or distrusted (RemoteWalker's proof). Never asked
    // again in the session once No.
    Support treeListing = Support::Unknown;
    // After a tree listing failed without a refusal (5xx, a timeout): not asked again before
    // this expires, so that a server or proxy that gives up on the whole tree is not made to
    // try it on every walk. Expired (asked) by default.
    QDeadlineTimer treeListingPause;
    // Whether the server evaluates conditional headers on PUT (Apache, lighttpd: yes; nginx,
    // rclone: no), learnt from the first create: then If-None-Match: * alone guards creates.
    Support conditionalPut = Support::Unknown;
    // Whether direct PUTs work here (No: an authentication scheme other than Basic, a
    // redirect, an answer Qt Network understands and WebDavDirectPut does not).
    Support directPut = Support::Unknown;
    // Yes once the server challenged with Basic: from then on every request to the root's
    // origin carries the credentials up front (WebDavSession::send(), directPutRequest()).
    Support basicAuth = Support::Unknown;

    // Whether the last stat of the root was answered with oc:fileid: ownCloud and Nextcloud
    // change a collection's ETag whenever anything below it changes.
    bool propagatesDirectoryEtags = false;
    // Whether a collection's ETag changes with its direct members (Apache mod_dav_fs,
    // lighttpd: the directory's mtime), learnt from the last stat of the root and its Server
    // header.
    bool directoryEtagsFollowChildren = false;
    // lighttpd (ETag a hash of inode, size and mtime), or Apache with FileETag INode MTime
    // Size (an ETag of three parts); a MOVE keeps all three. Apache's default "SIZE-MTIME"
    // does not qualify: files written in one clock tick share it.
    bool etagsSurviveMoves = false;
    QByteArray serverSoftware; // the Server header of the last stat of the root

    // What the server says of itself in status.php and the OCS capabilities (ownCloud,
    // Nextcloud), read once per session before its first stat of the root
    // (webdav::probeServerOnce, nextcloudcapabilities.h). Features are gated on these; on a
    // plain WebDAV server (status.php answers 404) they all stay false.
    bool serverProbed = false;     // status.php was asked (whatever the answer)
    QString productName;           // status.php "productname": "Nextcloud"; empty elsewhere
    QString productVersion;        // status.php "versionstring": "32.0.1"
    bool capabilitiesRead = false; // the OCS capabilities were read with the user's credentials
    bool bulkUpload = false;       // dav.bulkupload "1.0": POST /remote.php/dav/bulk
    bool chunkingV2 = false;       // dav.chunking "1.0": /remote.php/dav/uploads/USER/...
    qint64 maxChunkSize = 0;       // files.chunked_upload.max_size in bytes; 0 = not said
    int maxParallelChunks = 0;     // files.chunked_upload.max_parallel_count; 0 = not said
    bool versions = false;         // files.versioning: /remote.php/dav/versions/USER/
    bool trashbin = false;         // files.undelete: /remote.php/dav/trashbin/USER/
    bool isNextcloudLike() const { return !productName.isEmpty(); }

    // Learns the ETag behaviour from a stat (Depth 0) of the root, after serverSoftware was
    // taken from the same answer.
    void learnFromRootStat(const PropfindListing &listing);
    bool isApache() const { return serverSoftware.startsWith("Apache"); }
    // Apache and lighttpd take tagged If lists (Apache needs them: see WriteGuard); others
    // untagged.
    bool tagsLockTokens() const;
};

} // namespace steadysync
