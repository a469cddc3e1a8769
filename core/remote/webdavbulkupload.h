#pragma once

#include "remote/nextcloudupload.h"
#include "remote/webdavjob.h"
#include "remote/webdavupload.h"

#include <QList>
#include <QObject>
#include <QPointer>

namespace steadysync {

// Nextcloud's bulk upload (POST /remote.php/dav/bulk, multipart/related, one part per file
// with X-File-Path, X-File-MD5, X-File-Mtime and Content-Length; OCS-APIRequest: see post()),
// for small files created where nothing is (DESIGN §4 "Bulk uploads"). Upload jobs hand their file
// to the session's batcher and give up their slot; a batch goes out when it is full (maxFiles or
// maxBytes) or batchDelayMs after its first file, in a slot of its own. The answer (JSON, path ->
// etag or error) finishes each job: a file the server refused is sent again alone at once (a PUT,
// with every check of WebDavUpload); a batch answered 404, 405 or 501 turns bulk upload off
// for the session and its files go alone.
//
// Nextcloud writes a bulk part whether or not a file is there (measured on NC 32): it cannot
// be a create-only write. So a batch is sent only for files the plan saw absent, just after a
// listing of their folders shows them still absent (one PROPFIND Depth 1 per folder); a file
// found there meanwhile fails with PreconditionFailed and is reconciled again. The window
// left (another client's create between that listing and the POST) is that of a checked PUT
// on a server without conditional writes, and the overwritten version stays in the server's
// versions.
class WebDavBulkUpload final : public QObject
{
    Q_OBJECT
public:
    static WebDavBulkUpload *of(WebDavSession *session);

    // Whether this upload can go in a batch: a create of a small file, bulk available, no
    // bandwidth limit.
    static bool suits(WebDavSession *session, const WebDavUpload::Request &upload, qint64 size);
    void add(WebDavJob<EntryJob> *job, const WebDavUpload::Request &upload);

    static constexpr qint64 maxFileBytes = 1024 * 1024;
    static constexpr int maxFiles = 100;
    static constexpr qint64 maxBytes = 8 * 1024 * 1024;
    static constexpr int batchDelayMs = 10;
    // Batches that may be in flight at once (each in a slot of the session): the propagator
    // keeps this many batches' worth of uploads going (WebDavBackend::uploadsInFlightWanted),
    // so that the next batch fills while the server writes one, as nextcloudcmd does.
    static constexpr int batchesInFlight = 3;

private:
    struct Part
    {
        QPointer<WebDavJob<EntryJob>> job;
        WebDavUpload::Request upload;
        QByteArray content; // read just before the POST: a waiting file holds no memory
        qint64 size = 0;
        QString userPath; // X-File-Path
    };
    using Batch = QList<Part>;

    explicit WebDavBulkUpload(WebDavSession *session);
    void sendSoon();
    void sendWaiting();
    void checkAbsence(Batch batch, QObject *slot);
    static Batch readContents(const Batch &batch);
    void post(Batch batch, QObject *slot);
    void onPosted(const Batch &batch, QNetworkReply *reply);
    void settle(const Part &part, const QJsonObject &answer);
    static void sendAlone(const Part &part);
    static QByteArray bodyOf(const Batch &batch, const QByteArray &boundary);

    WebDavSession *m_session;
    NextcloudUploadState *m_state;
    Batch m_waiting;
    qint64 m_waitingBytes = 0;
    bool m_timerRunning = false;
};

} // namespace steadysync
