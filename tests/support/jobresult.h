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
    QVector<RemoteEntry> entries; // ListJob
    QStringList rejected;         // ListJob::rejectedNames()
    qint64 bytes = 0;

    bool ok() const { return finished && !error; }
    bool failedWith(ErrorKind kind) const { return finished && error && error->kind == kind; }
    // "succeeded", "job did not finish" or "<kind>: <message>", for test failure messages.
    QString describe() const;
    // The listed entry at path, if the listing has it.
    std::optional<RemoteEntry> listed(const QString &path) const;
};

// Waits (processing events, never a fixed sleep) until job finishes or timeoutMs passes,
// connecting after the call that created it returned, as real callers do.
JobResult runJob(RemoteJob *job, int timeoutMs = 120'000);

} // namespace steadysync::test
