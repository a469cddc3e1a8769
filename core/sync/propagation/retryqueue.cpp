// Propagator::queueForRetry: a failed action goes to the retry queue (DESIGN §5) with the count
// of its failures so far, read from the journal.
#include "sync/propagation/actiontally.h"
#include "sync/propagator.h"

#include <tuple>

namespace steadysync {

Status Propagator::queueForRetry(const SyncAction &action, const Error &error)
{
    const Result<std::optional<RetryItem>> previous = m_journal->readRetryItem(action.path);
    if (!previous)
        return previous.error();
    RetryItem item =
        m_settings.retry.afterFailure(*previous, action.path, error, m_clock->nowMs());
    item.sidesAtFailure = sidesFingerprint(action.local ? &*action.local : nullptr,
                                           action.remote ? &*action.remote : nullptr);
    Journal::Transaction transaction(*m_journal);
    // A retry item that cannot be written is kept in memory by the journal (putRetryItem), and
    // the failure counter is only statistics: neither failure changes what is synced.
    std::ignore = m_journal->putRetryItem(item);
    std::ignore = commitCounted(transaction, ActionTally::failure());
    return success();
}

} // namespace steadysync
