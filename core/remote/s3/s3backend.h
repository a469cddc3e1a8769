#pragma once

#include "remote/remotebackend.h"
#include "remote/s3/s3endpoint.h"

namespace steadysync {

class S3Session;

// An S3 bucket (and prefix) as the remote (issue 22), spoken to with Qt Network and signed
// with SigV4 (sigv4.h). How S3's semantics map onto RemoteBackend:
// - Folders are key prefixes; an empty folder is a zero-byte "name/" marker, as most S3 tools
//   make them. list() is ListObjectsV2 with delimiter "/" per folder, listTree() one flat
//   listing of the whole prefix (paged by continuation token); names that cannot be paths
//   (empty segments, "." or "..") are refused by name.
// - Change detection by ETag; the content's SHA-256 is kept in x-amz-meta-sha256 (multipart
//   ETags are no MD5s) and given as RemoteEntry::sha256 by stat(), uploads and downloads.
// - Preconditions: creates carry If-None-Match: *, updates If-Match, when the store enforces
//   them; a probe at the first conditional write finds out (the quoted ETag first, then the
//   bare one, which Ceph RGW 16 wants). Stores that ignore them get a HEAD just before and after
//   each write, writes are marked unproven, and warning() says so once.
// - Uploads up to one part size are one PUT; larger files are multipart uploads (s3multipart.h)
//   with parallel parts, never visible before CompleteMultipartUpload, resumed from ListParts
//   after a crash; removeStalePartials() aborts abandoned ones.
// - Downloads resume with Range + If-Match from a partial target and its ".s3resume" note.
// - move() and copy() are CopyObject (+ DELETE), under the checks of a WebDAV MOVE: the
//   destination must not exist, the source must meet the precondition before the copy and be
//   unchanged before its deletion.
class S3Backend final : public RemoteBackend
{
    Q_OBJECT
public:
    S3Backend(const S3Endpoint &endpoint, const BackendOptions &options, QObject *parent = nullptr);
    ~S3Backend() override;

    QUrl url() const override;
    bool enforcesPreconditions() const override;
    EntryJob *stat(const QString &path) override;
    ListJob *list(const QString &directory) override;
    ListJob *listTree(const QString &directory) override;
    EntryJob *download(const QString &path, const QString &localTargetFile) override;
    EntryJob *upload(const QString &localFile, const QString &path, qint64 mtimeNs,
                     const Precondition &precondition, UploadHashing hashing = UploadHashing::None,
                     const QByteArray &contentSha256 = {}) override;
    bool hashesSentBytes() const override { return true; }
    bool statKnowsContentHash() const override { return true; }
    EntryJob *makeDirectory(const QString &path) override;
    RemoteJob *move(const QString &from, const QString &to,
                    const Precondition &precondition) override;
    RemoteJob *copy(const QString &from, const QString &to,
                    const Precondition &precondition) override;
    RemoteJob *remove(const QString &path, const Precondition &precondition) override;
    RemoteJob *removeStalePartials(qint64 maxAgeS) override;
    RemoteJob *removeTemporaries(const QStringList &paths) override;

    // Test hooks: the part PUTs sent so far; the part size of multipart uploads (0: adaptive,
    // 8-64 MiB) and the listing page size (0: the store's 1,000).
    int partRequestsSent() const;
    static void setPartSizeForTests(qint64 bytes);
    static void setListPageSizeForTests(int keys);

private:
    void probeConditionalWrites(std::function<void()> done);

    S3Session *m_session; // child
    bool m_warnedUnenforced = false;
};

} // namespace steadysync
