#pragma once

#include "remote/webdavpropfind.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>

namespace steadysync {

class WebDavSession;

// Stats of files just written, for writers whose PUT answer named no ETag (Apache). Writes to
// one directory that finish close together share one PROPFIND Depth 1 of it, sent once
// batchSize of them wait or batchDelayMs after the first (and never while one is in flight);
// at once when the session runs no other job. A directory much larger than the batch is
// stat'ed file by file. Each PROPFIND takes a concurrency slot of the session, ahead of the
// jobs waiting for one: a write holding a lock keeps it until this answer.
class WebDavStatBatcher final : public QObject
{
    Q_OBJECT
public:
    explicit WebDavStatBatcher(WebDavSession *session);
    ~WebDavStatBatcher() override;

    // The entry at `path` (nullopt: nothing there) as a PROPFIND sent after this call sees it.
    // done() is not called once `context` is gone.
    void statAfterWrite(const QString &path, QObject *context, webdav::StatDone done);
    static constexpr int batchDelayMs = 20;
    static constexpr qsizetype batchSize = 16; // sent at once when this many wait

private:
    struct PendingStat
    {
        QPointer<QObject> context;
        QString name;
        webdav::StatDone done;
    };
    struct Batch
    {
        QList<PendingStat> waiting;
        int inFlight = 0;
        bool timerRunning = false;
        qsizetype lastListed = 0; // entries in the directory's last listing
    };
    void sendSoon(const QString &directory);
    void send(const QString &directory);
    void onListed(const QString &directory, const QList<PendingStat> &waiting,
                  const Result<PropfindListing> &listing);
    void statOne(const QString &directory, const PendingStat &stat);
    void finish(const QString &directory);
    void propfind(const QString &path, bool directory, int depth, webdav::ListingDone done);
    void propfindInSlot(const QString &path, bool directory, int depth, webdav::ListingDone done);

    WebDavSession *m_session;
    QHash<QString, Batch> m_batches; // by parent directory
    QList<QPointer<QNetworkReply>> m_replies;
};

} // namespace steadysync
