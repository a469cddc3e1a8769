#include "sync/retryqueue.h"

#include <tuple>

namespace steadysync {

Status queueRetry(Journal &journal, const RetryPolicy &policy, const QString &path,
                  const Error &error, qint64 nowMs, const QByteArray &sidesAtFailure)
{
    const Result<std::optional<RetryItem>> previous = journal.readRetryItem(path);
    if (!previous)
        return previous.error();
    RetryItem item = policy.afterFailure(*previous, path, error, nowMs);
    item.sidesAtFailure = sidesAtFailure;
    // Kept in the journal's memory when it cannot be written (putRetryItem): nothing is lost.
    std::ignore = journal.putRetryItem(item);
    return success();
}

void warnIfFailed(const Status &status)
{
    if (!status)
        qWarning("%s", qPrintable(status.error().message));
}

} // namespace steadysync
