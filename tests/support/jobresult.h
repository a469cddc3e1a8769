#pragma once

#include "remote/remotejob.h"

#include <QStringList>

#include <optional>

namespace steadysync::test {

// What a RemoteJob reported, captured in its finished() slot (the job deletes itself after).
struct JobResult
{
    bool finished = false;
    std::optional<Error> error;
    RemoteEntry entry;            // EntryJob
    QByteArray sentSha256;        // EntryJob::sentSha256()
    bool unproven = false;        // EntryJob::writeUnproven()
    QVector<RemoteEntry> entries; // ListJob
    QStringList rejected;         // ListJob::rejectedNames()
    qint64 bytes = 0;

    bool ok() const { return finished && !error; }
    // The error's kind; Corrupt when there is none (a test comparing kinds then fails).
    ErrorKind kind() const { return error ? error->kind : ErrorKind::Corrupt; }
    bool failedWith(ErrorKind kind) const { return finished && error && error->kind == kind; }
    // "succeeded", "job did not finish" or "<kind>: <message>", for test failure messages.
    QString describe() const;
    // The listed entry at path, if the listing has it.
    std::optional<RemoteEntry> listed(const QString &path) const;
};

// Fills *result when job finishes; *result must outlive the job's finishing or the connection.
QMetaObject::Connection captureJob(RemoteJob *job, JobResult *result);
// Waits (processing events, never a fixed sleep) until job finishes or timeoutMs passes,
// connecting after the call that created it returned, as real callers do.
JobResult runJob(RemoteJob *job, int timeoutMs = 120'000);
// Runs jobs side by side, as the engine does; results in the order given.
QList<JobResult> runJobs(const QList<RemoteJob *> &jobs, int timeoutMs = 120'000);

} // namespace steadysync::test
