#pragma once

#include "remote/serverspace.h"
#include "result.h"

#include <QByteArray>
#include <QObject>
#include <QString>
#include <QUrl>

#include <optional>

namespace steadysync {

class WebDavSession;

// Where Nextcloud's upload endpoints are for a pair whose root is below
// /remote.php/dav/files/USER/ (or the old /remote.php/webdav/, the user then from the
// credentials): the bulk endpoint, the user's upload collections (chunking v2) and the URL of
// a path below the pair's root inside the dav/files tree (the Destination of a chunked
// upload). Empty for any other root layout.
struct NextcloudEndpoints
{
    QUrl bulk;          // .../remote.php/dav/bulk
    QUrl uploadsHome;   // .../remote.php/dav/uploads/USER/
    QUrl filesRoot;     // .../remote.php/dav/files/USER/<the pair's folder>/
    QString pairFolder; // the pair's root below the user's files ("" or "a/b"), decoded

    static std::optional<NextcloudEndpoints> of(const QUrl &root, const QString &user);
    // "/" + the path below the user's files: X-File-Path of a bulk upload.
    QString userPath(const QString &path) const;
};

// What this client learnt about a server's uploads during one session (one sync run or one
// watch), kept beside the session (a child of it): whether bulk upload was refused, the
// request size a proxy refused with 413, the chunk size that worked, the quota last listed.
class NextcloudUploadState final : public QObject
{
    Q_OBJECT
public:
    static NextcloudUploadState *of(WebDavSession *session);

    // Nextcloud's endpoints for this session, where bulk upload or chunking v2 is offered:
    // what status.php and the OCS capabilities said where they were read; else a server with
    // oc:fileid (ownCloud, Nextcloud) at a /remote.php/ root is tried (a refusal turns the
    // feature off for the session).
    std::optional<NextcloudEndpoints> endpoints() const;
    bool bulkAvailable() const;
    bool chunkingAvailable() const;
    void refuseBulk() { m_bulkRefused = true; }

    // Whether a file of `size` bytes goes up chunked: above what one request may carry (a
    // proxy's limit learnt from a 413, the server's max chunk size, or 100 MiB).
    bool wantsChunked(qint64 size) const;
    // A plain request of `size` bytes was refused with 413: larger ones go chunked from now
    // on; true where chunking is available (the file is sent chunked at once).
    bool learnRequestLimit(qint64 size);
    qint64 requestLimit() const { return m_requestLimit; }

    // The size of the next chunk; adapted to how the last one went.
    qint64 chunkSize() const { return m_chunkSize; }
    void chunkSent(qint64 bytes, qint64 elapsedMs);
    void chunkTimedOut();
    void chunkRefused(qint64 bytes); // 413 for a chunk: the limit is below it

    // DAV: quota-available-bytes of the root, from a listing of it (RFC 4331); -1 where
    // unknown or unlimited (Nextcloud says -3, -2 or -1 then). Lowered by what is uploaded
    // meanwhile and by a 507.
    void learnQuota(const QByteArray &listing);
    qint64 quotaAvailable() const { return m_quotaAvailable; }
    void quotaUsed(qint64 bytes);
    void quotaExceeded(qint64 bytes);
    // The error that holds an upload of `size` bytes that cannot fit; nullopt where it may.
    std::optional<Error> quotaHold(const QString &path, qint64 size) const;
    // The space as the root listing told it (with quota-used-bytes), followed by what was
    // uploaded since; nullopt where the server told neither.
    std::optional<ServerSpace> serverSpace() const;

    static constexpr qint64 firstChunkBytes = 10 * 1024 * 1024;
    static constexpr qint64 maxChunkBytes = 100 * 1024 * 1024;
    static constexpr qint64 minChunkBytes = 1024 * 1024;

private:
    explicit NextcloudUploadState(WebDavSession *session);
    qint64 chunkCeiling() const;

    WebDavSession *m_session;
    bool m_bulkRefused = false;
    qint64 m_requestLimit = 0; // 0: none learnt
    qint64 m_chunkSize = firstChunkBytes;
    bool m_chunkSizeFrozen = false; // a chunk was refused with 413: it grows no more
    qint64 m_quotaAvailable = -1;
    std::optional<qint64> m_quotaUsedBytes;       // quota-used-bytes of the root
    std::optional<qint64> m_quotaAvailableAnswer; // as told, with -3 for unlimited
};

} // namespace steadysync
