// Propagator::queueForRetry: a failed action goes to the retry queue (DESIGN §5) with the count
// of its failures so far, read from the journal.
#include "sync/propagation/actiontally.h"
#include "sync/propagator.h"
#include "sync/retryqueue.h"

#include <tuple>

namespace steadysync {

Status Propagator::queueForRetry(const SyncAction &action, const Error &error)
{
    const QByteArray sides = sidesFingerprint(action.local ? &*action.local : nullptr,
                                              action.remote ? &*action.remote : nullptr);
    Journal::Transaction transaction(*m_journal);
    if (Status queued =
            queueRetry(*m_journal, m_settings.retry, action.path, error, m_clock->nowMs(), sides);
        !queued)
        return queued;
    // The failure counter is only statistics: a failed count changes nothing that is synced.
    std::ignore = commitCounted(transaction, ActionTally::failure());
    return success();
}

} // namespace steadysync
