#pragma once

#include "journal/journal.h"
#include "result.h"

#include <optional>

namespace steadysync {

// Backoff and give-up rules of DESIGN §5. Pure: time comes in as an argument.
struct RetryPolicy
{
    qint64 backoffBaseMs = 5'000;
    qint64 backoffCapMs = 300'000;
    int maxRetries = 10;             // failed attempts before an item fails permanently
    qint64 retryMaxAgeS = 24 * 3600; // age of the first failure after which it fails permanently

    // Delay after the n-th failed attempt (n >= 1): base * 2^(n-1), capped.
    qint64 delayAfterAttempt(int attempts) const;

    // The queue entry after one more failure at nowMs. previous is the current entry, if any.
    // Permanent errors (and Auth) fail permanently at once; otherwise the next attempt is
    // scheduled with backoff, honouring error.retryAfterSeconds when it is longer; reaching
    // maxRetries attempts or retryMaxAgeS since the first failure fails permanently.
    RetryItem afterFailure(const std::optional<RetryItem> &previous, const QString &path,
                           const Error &error, qint64 nowMs) const;
};

} // namespace steadysync
