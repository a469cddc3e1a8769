#pragma once

#include "remote/remotebackend.h"
#include "remote/webdavcapabilities.h"

#include <QSslCertificate>

namespace steadysync {

class WebDavSession;

// A WebDAV collection as the remote (http:// or https://), spoken to with Qt Network.
// - Listing: PROPFIND Depth 1 per collection, or Depth: infinity where the server allows it
//   (listTree; rclone, Apache with DavDepthInfinity On; never on ownCloud/Nextcloud); stat:
//   PROPFIND Depth 0, which also tells whether the server propagates directory ETags
//   (oc:fileid answered). Hostile replies are handled by PropfindParser (names escaping the
//   root end up in rejectedNames()).
// - Downloads stream to the target file; an interrupted download is resumed with Range +
//   If-Range (a strong ETag, else the Last-Modified date) when the same target is downloaded
//   again, by this process or a later one (webdav::PartialDownload keeps the validator beside
//   the target); a changed file comes whole (200) and replaces the partial bytes.
// - Creates on Apache (mod_dav) go up under the client's staging name and are published by a
//   MOVE (WebDavStagedCreate, DESIGN §4 "What the server holds after the write").
// - Other uploads PUT straight to the final name (servers write PUT bodies to a temporary file and
//   rename, so readers never see a partial file); removeStalePartials() has nothing to do.
// - Preconditions: many servers ignore If-Match/If-None-Match (rclone, nginx) and Apache's
//   fresh ETags are weak, so enforcesPreconditions() is false and this backend checks every
//   MustMatch itself under an exclusive LOCK where the server has locks (Apache, rclone),
//   with a PROPFIND Depth 0 just before the write (ETags compared weakly, else size+mtime),
//   and sends the conditional headers on top where they are meaningful. LOCK is used only
//   where OPTIONS advertises DAV class 2; a LOCK failing with 400, 405, 500, 501, no token, or
//   a 423 that never clears (no lock listed on the file, or none released within ~10 s)
//   switches the session to writes without locks, said once through warning(). MustNotExist is
//   checked the same way (without a lock) until the first create has shown that the server
//   evaluates conditional PUTs (If-Match probe, see WebDavUpload::addConditionHeaders); then
//   If-None-Match: * alone guards creates. A small race window remains on servers that ignore the
//   headers and have no locks.
// - What a PUT stored is stat'ed afterwards where the answer has no ETag (Apache); stats of
//   files written to one directory close together share one PROPFIND Depth 1.
// - At most options.parallel jobs run at once; every request fails as Transient after
//   options.requestTimeoutMs without traffic. TLS errors are never ignored.
// The protocol by concern: WebDavSession (connection, credentials, slots, errors) with its
// ServerCapabilities, WebDavStatBatcher and Pacers; WebDavJob (webdavjob.h); one PROPFIND and
// stat path (webdavpropfind.h); downloads (webdavdownload.h); LOCK and the write sequence
// (webdavwritelock.h); uploads (webdavupload.h). This file: the operations and their checks.
class WebDavBackend final : public RemoteBackend
{
    Q_OBJECT
public:
    // collectionRoot: http(s) URL of the collection; a missing trailing '/' is added and any
    // user info dropped (credentials come from options only).
    WebDavBackend(const QUrl &collectionRoot, const BackendOptions &options,
                  const QList<QSslCertificate> &extraCaCertificates = {},
                  QObject *parent = nullptr);
    ~WebDavBackend() override;

    QUrl url() const override;
    bool enforcesPreconditions() const override { return false; }
    // Learnt from the last stat(): true when it answered oc:fileid (ownCloud, Nextcloud).
    bool propagatesDirectoryEtags() const override;
    // Learnt from the last stat() of the root: Server Apache or lighttpd, the root with an ETag.
    bool directoryEtagsFollowChildren() const override;
    // Learnt from the last stat() of the root: lighttpd (ETag a hash of inode, size and mtime),
    // or Apache with FileETag INode MTime Size (an ETag of three parts); a MOVE keeps all three.
    // Apache's default "SIZE-MTIME" does not qualify: files written in one clock tick share it.
    bool etagsSurviveMoves() const override;
    EntryJob *stat(const QString &path) override;
    ListJob *list(const QString &directory) override;
    ListJob *listTree(const QString &directory) override;
    void distrustTreeListing() override;
    EntryJob *download(const QString &path, const QString &localTargetFile) override;
    EntryJob *upload(const QString &localFile, const QString &path, qint64 mtimeNs,
                     const Precondition &precondition, UploadHashing hashing = UploadHashing::None,
                     const QByteArray &contentSha256 = {}) override;
    bool hashesSentBytes() const override { return true; }
    // Nextcloud: from the root listing; bulk upload: several batches in flight
    // (webdavbackendnextcloud.cpp).
    std::optional<ServerSpace> serverSpace() const override;
    int uploadsInFlightWanted() const override;
    EntryJob *makeDirectory(const QString &path) override;
    RemoteJob *move(const QString &from, const QString &to,
                    const Precondition &precondition) override;
    RemoteJob *remove(const QString &path, const Precondition &precondition) override;
    // Remote-side versions: COPY (Depth 0, Overwrite: F) after a stat checks the precondition
    // (no If-Match: the PUT that follows carries the condition; a version a moment newer than
    // expected is still a version); removeKeeping() is remove()'s checks and lock with a MOVE for
    // the DELETE.
    RemoteJob *copy(const QString &from, const QString &to,
                    const Precondition &precondition) override;
    RemoteJob *removeKeeping(const QString &path, const QString &keepAt,
                             const Precondition &precondition) override;
    RemoteJob *removeStalePartials(qint64 maxAgeS) override;
    void setClientId(const QString &clientId) override { m_clientId = clientId; }
    // A create on Apache (mod_dav) whose ETags name one file (etagsSurviveMoves: FileETag
    // INode MTime Size) goes up under a staging name and is published by a MOVE
    // (WebDavStagedCreate); other uploads PUT to the final name.
    QString temporaryPathFor(const QString &path, const Precondition &precondition) const override;
    // DELETE of each (a staged create a kill left behind); 404 is no error.
    RemoteJob *removeTemporaries(const QStringList &paths) override;
    void setBandwidthLimits(qint64 upKiB, qint64 downKiB) override;
    std::pair<qint64, qint64> bandwidthLimits() const override;
    // What is known of the server: status.php and the OCS capabilities once the root was
    // stat'ed (bulkUpload, chunkingV2, maxChunkSize, versions, trashbin), ETag behaviour.
    const ServerCapabilities &capabilities() const;

private:
    WebDavSession *m_session; // child
    QString m_clientId;
};

} // namespace steadysync
