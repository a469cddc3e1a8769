#include "sync/retrypolicy.h"

#include <algorithm>

namespace steadysync {

qint64 RetryPolicy::delayAfterAttempt(int attempts) const
{
    // Doubling step by step stops at the cap, so a large attempt count cannot overflow.
    qint64 delay = std::max<qint64>(backoffBaseMs, 0);
    for (int n = 1; n < attempts && delay < backoffCapMs; ++n)
        delay *= 2;
    return std::min(delay, backoffCapMs);
}

RetryItem RetryPolicy::afterFailure(const std::optional<RetryItem> &previous, const QString &path,
                                    const Error &error, qint64 nowMs) const
{
    RetryItem item;
    item.path = path;
    item.attempts = previous ? previous->attempts + 1 : 1;
    item.firstFailureMs = previous ? previous->firstFailureMs : nowMs;
    item.lastError = error.message;
    item.lastErrorKind = error.kind;

    qint64 delay = delayAfterAttempt(item.attempts);
    if (error.retryAfterSeconds >= 0)
        delay = std::max(delay, qint64(error.retryAfterSeconds) * 1000);
    item.nextDueMs = nowMs + delay;

    const bool neverRetried = error.kind == ErrorKind::Permanent || error.kind == ErrorKind::Auth ||
                              error.kind == ErrorKind::InvalidName;
    const bool tooManyAttempts = item.attempts >= maxRetries;
    const bool tooOld = nowMs - item.firstFailureMs >= retryMaxAgeS * 1000;
    // A full disk fills up for as long as it takes to free space: its items wait at the
    // capped pace instead of giving up while the user is away.
    const bool waitsForSpace = error.kind == ErrorKind::DiskFull;
    item.failedPermanently = neverRetried || (!waitsForSpace && (tooManyAttempts || tooOld));
    return item;
}

} // namespace steadysync
