#include "jobresult.h"

#include "testutil.h"

#include <algorithm>

namespace steadysync::test {

QString JobResult::describe() const
{
    if (!finished)
        return QStringLiteral("job did not finish");
    if (!error)
        return QStringLiteral("succeeded");
    return errorKindName(error->kind) + QStringLiteral(": ") + error->message;
}

std::optional<RemoteEntry> JobResult::listed(const QString &path) const
{
    for (const RemoteEntry &candidate : entries)
        if (candidate.path == path)
            return candidate;
    return std::nullopt;
}

QMetaObject::Connection captureJob(RemoteJob *job, JobResult *result)
{
    return QObject::connect(job, &RemoteJob::finished, job, [result](RemoteJob *finishedJob) {
        result->finished = true;
        result->error = finishedJob->error();
        result->bytes = finishedJob->bytesTransferred();
        if (auto *entryJob = qobject_cast<EntryJob *>(finishedJob)) {
            result->entry = entryJob->entry();
            result->sentSha256 = entryJob->sentSha256();
            result->unproven = entryJob->writeUnproven();
        }
        if (auto *listJob = qobject_cast<ListJob *>(finishedJob)) {
            result->entries = listJob->entries();
            result->rejected = listJob->rejectedNames();
        }
    });
}

JobResult runJob(RemoteJob *job, int timeoutMs)
{
    JobResult result;
    const QMetaObject::Connection connection = captureJob(job, &result);
    if (!waitFor([&result] { return result.finished; }, timeoutMs))
        QObject::disconnect(connection);
    return result;
}

QList<JobResult> runJobs(const QList<RemoteJob *> &jobs, int timeoutMs)
{
    QList<JobResult> results(jobs.size());
    QList<QMetaObject::Connection> connections;
    for (qsizetype i = 0; i < jobs.size(); ++i)
        connections.append(captureJob(jobs[i], &results[i]));
    const bool allFinished = waitFor(
        [&results] {
            return std::all_of(results.cbegin(), results.cend(),
                               [](const JobResult &result) { return result.finished; });
        },
        timeoutMs);
    if (!allFinished)
        for (const QMetaObject::Connection &connection : std::as_const(connections))
            QObject::disconnect(connection);
    return results;
}

} // namespace steadysync::test
