#pragma once

// Queuing a failed path for retry (DESIGN §5) with the count of its earlier failures, read from
// the journal: a failed read must not restart the backoff as if it never failed.
#include "journal/journal.h"
#include "sync/retrypolicy.h"

namespace steadysync {

// The retry item for path after error; sidesAtFailure as given. Fails only when the journal
// cannot say how often the path failed before; the item is then not queued (the next cycle
// looks at the path again). A write the journal cannot make now is kept in its memory
// (Journal::putRetryItem) and is no failure here.
[[nodiscard]] Status queueRetry(Journal &journal, const RetryPolicy &policy, const QString &path,
                                const Error &error, qint64 nowMs,
                                const QByteArray &sidesAtFailure = {});

// For a journal write of the retry queue whose failure loses nothing that is synced (an item
// left queued or not made due now is only tried at its time): logged, not reported.
void warnIfFailed(const Status &status);

} // namespace steadysync
