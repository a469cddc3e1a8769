#pragma once

#include "remote/nextcloudupload.h"
#include "remote/webdavjob.h"
#include "remote/webdavupload.h"

#include <QElapsedTimer>
#include <QObject>

namespace steadysync {

// One large file sent with Nextcloud's chunked upload v2 (DESIGN §4 "Chunked uploads"): MKCOL
// of an upload collection below /remote.php/dav/uploads/USER/ with the Destination, numbered
// chunk PUTs (1..10000, each with Destination and OC-Total-Length), then a MOVE of its
// ".file" onto the destination, where the server assembles the file: nothing is visible under
// the final name before that MOVE. The collection is named after the file's version (its
// destination, size and mtime), so an upload cut short resumes where the chunks on the server
// end, in this run or a later one. Chunks are sized within the server's limits
// (NextcloudUploadState: 10 MiB first, doubled while they go fast, halved after a timeout or a
// proxy's 413). Lives as a child of its job.
class WebDavChunkedUpload final : public QObject
{
public:
    using Done = std::function<void(Result<RemoteEntry>)>;
    // done: the outcome; the caller finishes the job (or its write sequence) with it.
    WebDavChunkedUpload(WebDavJob<EntryJob> *job, WebDavUpload::Request upload, Done done);
    void start();

    // The upload collection's name for a version of a file.
    static QString collectionName(const QUrl &destination, qint64 size, qint64 mtimeNs);

private:
    void createCollection();
    void listStoredChunks();
    void resumeFrom(const QByteArray &listing);
    void restartCollection();
    void sendNextChunk();
    void sendChunkDirectly(const WebDavSession::Request &request, qint64 length);
    void sendChunkThroughQt(WebDavSession::Request request, qint64 length);
    void onChunkAnswered(int status, const std::optional<Error> &error, bool timedOut,
                         qint64 length);
    void checkThenAssemble();
    void assemble(const std::optional<RemoteEntry> &current);
    void onAssembled(QNetworkReply *reply);
    void finish(RemoteEntry entry);
    void startHashing();
    WebDavSession::Request requestTo(const QByteArray &verb, const QUrl &url) const;
    Error failure(ErrorKind kind, const QString &what) const;

    WebDavJob<EntryJob> *m_job;
    WebDavUpload::Request m_upload;
    Done m_done;
    NextcloudUploadState *m_state;
    NextcloudEndpoints m_endpoints;
    QUrl m_collection;
    QUrl m_destination;
    qint64 m_size = 0;
    qint64 m_offset = 0; // bytes the server holds in chunks 1..m_nextChunk-1
    int m_nextChunk = 1;
    int m_chunkRetries = 0;
    bool m_restarted = false;
    bool m_createdNew = true; // the MOVE answered 201: nothing was at the destination
    QElapsedTimer m_chunkClock;
    QByteArray m_sha256;                 // of the file, where asked for (hashSent)
    bool m_hashing = false;              // the hash is being taken on another thread
    std::optional<RemoteEntry> m_stored; // waits for the hash
};

} // namespace steadysync
