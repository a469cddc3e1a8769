#pragma once

#include "remote/webdavjob.h"

#include <QObject>

namespace steadysync {

// A create proven without a lock, for a server that can make it conditional only before it
// reads the body (Apache checks If-None-Match first: two creates at once both get 201) and
// whose creates under a lock are unsafe (its lock-null state, see WebDavUpload::start). Instead
// of checking the content afterwards (DESIGN §4 "Two writers": a download per file), the file
// goes up under the client's own staging name (stagingPathFor: nobody else writes there, so
// its stat names this client's version), then
//  1. MOVE to the name with Overwrite: F publishes it; 412 (the name exists) fails the create
//     as PreconditionFailed and the staged copy is deleted;
//  2. a stat of the name must show the staged version's ETag: proof. Another ETag there is
//     another client's rename landing in the instant between the server's check and its own
//     rename: the create is then reported unproven and its content checked, as before.
// The staged PUT itself is WebDavUpload's; this object takes over once it stored a version.
// Lives as a child of its job.
class WebDavStagedCreate final : public QObject
{
public:
    WebDavStagedCreate(WebDavJob<EntryJob> *job, QString stagingPath, QString path);

    // The staged PUT stored `staged` (its stat): publish it.
    void publish(const RemoteEntry &staged);
    // The staged PUT failed: remove whatever it may have left, then fail with `error`.
    void discard(const Error &error);

private:
    void sendMove();
    void onMoved(QNetworkReply *reply);
    void onPublishedStat(const Result<std::optional<RemoteEntry>> &published);
    void removeStagedThenFail(const Error &error);

    WebDavJob<EntryJob> *m_job;
    QString m_stagingPath;
    QString m_path;
    RemoteEntry m_staged;
};

} // namespace steadysync
