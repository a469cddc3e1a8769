#include "remote/webdavuploadroute.h"

#include "remote/webdavbulkupload.h"
#include "remote/webdavchunkedupload.h"

#include <QFileInfo>

namespace steadysync::webdav {

void startUpload(WebDavJob<EntryJob> *job, const WebDavUpload::Request &upload)
{
    WebDavSession *session = job->session();
    const QFileInfo file(upload.localFile);
    const qint64 size = file.isFile() ? file.size() : -1;
    NextcloudUploadState *state = NextcloudUploadState::of(session);
    // No request for what cannot fit: it waits for a listing that shows room.
    if (auto held = state->quotaHold(upload.path, size); held && size >= 0)
        return job->fail(*held);
    // What lands uses quota; a 507 says how little is left.
    QObject::connect(job, &RemoteJob::finished, state, [state, job, size] {
        if (job->succeeded())
            state->quotaUsed(size);
        else if (job->error() && job->error()->httpStatus == 507)
            state->quotaExceeded(size);
    });
    if (size >= 0 && state->wantsChunked(size)) {
        (new WebDavChunkedUpload(job, upload, [job](Result<RemoteEntry> outcome) {
            if (outcome.ok())
                job->succeed(std::move(outcome.value()));
            else
                job->fail(outcome.error());
        }))->start();
        return;
    }
    if (size >= 0 && WebDavBulkUpload::suits(session, upload, size))
        return WebDavBulkUpload::of(session)->add(job, upload);
    (new WebDavUpload(job, upload))->start();
}

} // namespace steadysync::webdav
