#pragma once

#include <QPointer>

#include <utility>

namespace steadysync {

// Runs start(job) once session has a concurrency slot free for job (the WebDAV and the S3
// session queue jobs alike); a job that ended meanwhile, cancelled or failed at once, is never
// started. Returns job.
template<typename Job, typename Session, typename Start>
Job *startWhenSlotFree(Job *job, Session *session, Start start)
{
    const QPointer<Job> guard(job);
    session->whenSlotFree(job, [guard, start = std::move(start)] {
        if (guard && !guard->done())
            start(guard.data());
    });
    return job;
}

} // namespace steadysync
