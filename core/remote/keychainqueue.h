#pragma once

#include <QObject>
#include <QString>

#include <functional>

namespace steadysync {

// One keychain operation for QtKeychain (service and key as QtKeychain names them).
struct KeychainRequest
{
    enum class Operation { Read, Write, Delete };
    Operation operation = Operation::Read;
    QString service;
    QString key;
    QString text; // what Write stores
};

struct KeychainAnswer
{
    bool finished = false; // false: no answer within the request's time limit
    int error = 0;         // QKeychain::Error (0 = NoError)
    QString message;
    QString text; // what Read found
};

// Every QtKeychain job of the process runs here, on one owner thread, one job at a time.
//
// Why: QtKeychain is not thread-safe. Its jobs go through a process-wide JobExecutor
// singleton (a QObject that connects and disconnects each job's signals) and libsecret
// callbacks arrive on the thread that started the job. Jobs started from several pool threads
// raced on that singleton and crashed the app (SIGSEGV in QObject::disconnect, issue 15).
//
// Lifetime rules:
// - The owner thread starts with the first request and lives until QCoreApplication is
//   destroyed; it is never restarted (QtKeychain's singleton stays bound to it).
// - Jobs are created, started and deleted on the owner thread only (autoDelete after
//   finished). A job that outlives its caller's time limit keeps running there and its late
//   answer is dropped; the next request starts when it finishes.
// - Every request gets exactly one answer: the job's, or finished = false at its time limit
//   (counted from the job's start, so a burst waits its turn). While a job overruns its limit
//   (a keychain waiting for an invisible prompt), QtKeychain's own queue is blocked behind
//   it: every request is answered finished = false at once until that job ends.
class KeychainQueue
{
public:
    using Callback = std::function<void(const KeychainAnswer &)>;

    // Calls done(answer) in the application's main thread, where context must live; nothing is
    // called if context is gone by then.
    static void submit(const KeychainRequest &request, int timeoutMs, QObject *context,
                       Callback done);
    // Blocks the calling thread (any but the owner thread) until the answer or the time limit.
    static KeychainAnswer run(const KeychainRequest &request, int timeoutMs);

    // Requests answered so far and jobs still alive on the owner thread, for tests.
    static int jobsAlive();
};

} // namespace steadysync
