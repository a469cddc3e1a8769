#pragma once

#include "remote/webdavjob.h"
#include "remote/webdavwritelock.h"

#include <QObject>

namespace steadysync {

class WebDavWriteSequence;

// One upload job's work, step by step: where the precondition asks for it, the write sequence
// (LOCK → stat → check → PUT → UNLOCK, WebDavWriteSequence); the PUT itself, by Qt Network or,
// for a large file, by WebDavDirectPut; then what the server stored (the PUT answer's ETag or
// a stat right after it). Lives as a child of its job.
class WebDavUpload final : public QObject
{
public:
    struct Request
    {
        QString localFile;
        QString path;
        qint64 mtimeNs = 0;
        Precondition precondition;
        bool hashSent = false;    // UploadHashing::SentBytes
        QByteArray contentSha256; // lowercase hex, where known: sent as OC-Checksum
        // Non-empty: a create that goes up under this name first (WebDavStagedCreate).
        QString stagingPath;
    };

    WebDavUpload(WebDavJob<EntryJob> *job, Request upload);
    void start();

private:
    // What a PUT came back with, whichever way it was sent (Qt Network or WebDavDirectPut).
    struct PutAnswer
    {
        int status = 0;
        QByteArray etag;
        QByteArray lastModified;
        std::optional<Error> error;
        QByteArray sentSha256; // when asked for and the whole file was read
    };
    using EntryDone = std::function<void(Result<RemoteEntry>)>;

    void startStaged();
    // Where the PUT goes: the staging name of a staged create, else the path.
    const QString &putPath() const;
    void writeUnder(const webdav::WriteLock &lock);
    void checkThenPut(const webdav::WriteLock &lock, int youngRetriesLeft);
    void sendPut(const webdav::WriteGuard &guard, int youngRetriesLeft);
    WebDavSession::Request putRequest(qint64 size) const;
    void addConditionHeaders(WebDavSession::Request *request, const webdav::WriteGuard &guard,
                             qint64 size, bool *probe) const;
    void sendDirectPut(const webdav::WriteGuard &guard, int youngRetriesLeft,
                       const WebDavSession::Request &request, qint64 size);
    void onDirectPutFinished(WebDavDirectPut *put, const webdav::WriteGuard &guard,
                             int youngRetriesLeft, const WebDavSession::Request &request,
                             qint64 size, bool withCredentials);
    Error directPutFailure(const WebDavDirectPut &put, const QUrl &url) const;
    void onPutAnswered(qint64 size, const webdav::WriteGuard &guard, int youngRetriesLeft,
                       bool probe, const PutAnswer &answer);
    void reportUploaded(qint64 size, const PutAnswer &answer, const webdav::WriteGuard &guard);
    // A proxy refused the PUT with 413: the file goes up chunked where the server can
    // (NextcloudUploadState::learnRequestLimit), and later large ones too.
    bool sentChunkedAfter413(int status, qint64 size);

    WebDavJob<EntryJob> *m_job;
    Request m_upload;
    bool m_viaQtNetwork = false; // its direct PUT lost the connection: Qt Network only
    EntryDone m_done;            // the PUT's outcome, to the write sequence or the job
    WebDavWriteSequence *m_sequence = nullptr;
    RemoteEntry m_stored; // what the PUT stored, once it did
};

} // namespace steadysync
