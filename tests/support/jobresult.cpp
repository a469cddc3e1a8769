#include "jobresult.h"

#include "testutil.h"

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

JobResult runJob(RemoteJob *job, int timeoutMs)
{
    JobResult result;
    const QMetaObject::Connection connection =
        QObject::connect(job, &RemoteJob::finished, job, [&result](RemoteJob *finishedJob) {
            result.finished = true;
            result.error = finishedJob->error();
            result.bytes = finishedJob->bytesTransferred();
            if (auto *entryJob = qobject_cast<EntryJob *>(finishedJob))
                result.entry = entryJob->entry();
            if (auto *listJob = qobject_cast<ListJob *>(finishedJob)) {
                result.entries = listJob->entries();
                result.rejected = listJob->rejectedNames();
            }
        });
    if (!waitFor([&result] { return result.finished; }, timeoutMs))
        QObject::disconnect(connection);
    return result;
}

} // namespace steadysync::test
