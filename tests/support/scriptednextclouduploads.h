#pragma once

#include "quirkydavserver.h"

#include <QElapsedTimer>
#include <QHash>
#include <QMap>
#include <QSet>
#include <QString>
#include <QUrl>

namespace steadysync::test {

// A Nextcloud 32 as the uploads see it, answering as the real one did (its answers are kept
// in tests/data/nextcloud32/): the files below /remote.php/dav/files/u/ (a QuirkyDavServer
// with oc:fileid, propagated collection ETags and Nextcloud's file ETags), status.php and the
// OCS capabilities, bulk upload (POST /remote.php/dav/bulk: multipart/related, JSON answer
// with a per-file error), chunked upload v2 (/remote.php/dav/uploads/u/<id>/<n>, MOVE of
// .file with OC-Total-Length and a tagged If list), DAV: quota-available-bytes with the user's
// quota (507 for a write that does not fit), and a proxy's request limit in front (413 before
// the body, as Apache's LimitRequestBody with Expect: 100-continue). Serve it from the
// test's thread (CliRunner::runServing).
class ScriptedNextcloudUploads
{
public:
    ScriptedNextcloudUploads();

    bool start();
    QUrl url() const; // http://127.0.0.1:PORT/remote.php/dav/files/u/
    QuirkyDavServer &dav() { return m_dav; }
    QMap<QString, QByteArray> files() const { return m_dav.files(); }

    void setRequestLimit(qint64 bytes) { m_requestLimit = bytes; } // 0: none
    void setMaxChunkSize(qint64 bytes) { m_maxChunkSize = bytes; } // OCS max_size
    void setBulkUpload(bool offered) { m_bulk = offered; }         // false: /bulk answers 404
    void setQuota(qint64 bytes) { m_quota = bytes; }               // < 0: unlimited (-3)
    // The next bulk POST that carries path answers it with an error (once).
    void failInNextBulk(const QString &path) { m_bulkFailures.insert(path); }
    // Chunk PUT number n (counted over all uploads, from 1) is answered 503 (once).
    void failChunkPut(int n) { m_failedChunkPut = n; }
    // Holds each bulk POST's answer this long (ms), so that POSTs sent together overlap.
    void setBulkDelayMs(int ms) { m_bulkDelayMs = ms; }

    struct Counts
    {
        int bulkPosts = 0;
        int bulkParts = 0;
        int chunkPuts = 0;
        qint64 chunkBytes = 0; // bodies of chunk PUTs stored
        int moves = 0;         // assemblies
        int plainPuts = 0;     // PUT below files/ (but .steadysync/)
        int refused413 = 0;
        int refused507 = 0;
        // As Nextcloud's session: its cookie is set on the first answers, and a request that
        // carries it skips the password check. A POST with the cookie but without a request
        // token or OCS-APIRequest fails the CSRF check: Nextcloud logs the session out and
        // checks the password again (apps/dav/lib/Connector/Sabre/Auth.php).
        int withSessionCookie = 0;
        int csrfLogouts = 0;
        int maxBulkPostsAtOnce = 0; // bulk POSTs whose held answers overlapped
    };
    const Counts &counts() const { return m_counts; }
    QList<int> chunkNumbersPut() const { return m_chunkNumbers; }
    QSet<QString> plainPutPaths() const { return m_plainPutPaths; }

private:
    using Request = HostileWebDavServer::Request;
    std::optional<QByteArray> instead(const Request &request);
    void followSession(const Request &request);
    QByteArray withSessionCookie(const Request &request, const QByteArray &answer) const;
    void countOverlap();
    std::optional<QByteArray> overLimit(const Request &request, qint64 bodyBytes);
    QByteArray capabilities() const;
    QByteArray bulk(const Request &request);
    std::optional<QByteArray> uploads(const Request &request, const QString &rest);
    QByteArray chunkListing(const QString &id) const;
    QByteArray assemble(const Request &request, const QString &id);
    QByteArray withQuota(const Request &request, const QByteArray &answer) const;
    std::optional<QString> filesPathOf(const QByteArray &target) const;
    qint64 usedBytes() const;

    struct Upload
    {
        QMap<int, QByteArray> chunks;
    };

    QuirkyDavServer m_dav;
    qint64 m_requestLimit = 0;
    qint64 m_maxChunkSize = 100 * 1024 * 1024;
    bool m_bulk = true;
    qint64 m_quota = -3;
    QSet<QString> m_bulkFailures;
    int m_failedChunkPut = 0;
    QHash<QString, Upload> m_uploads;
    Counts m_counts;
    QList<int> m_chunkNumbers;
    QSet<QString> m_plainPutPaths;
    int m_bulkDelayMs = 0;
    QElapsedTimer m_clock;
    QList<qint64> m_bulkArrivalsMs;
};

} // namespace steadysync::test
