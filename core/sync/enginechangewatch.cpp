// The engine's look at the remote while it watches: the poll (a walk compared with what the
// last cycle saw) and the cheap remote-change check between polls (issue 21 item 3; see
// RemoteChangeWatch).
#include "sync/engine.h"
#include "sync/pollpacing.h"
#include "sync/remotechangewatch.h"
#include "sync/remotewalker.h"
#include "sync/rootidentity.h"

#include <limits>

namespace steadysync {

void Engine::startRemoteChangeWatch()
{
    // A poll as frequent as the check leaves it nothing to hasten.
    if (!m_backend || !RemoteChangeWatch::supports(*m_backend) ||
        m_options.pollIntervalS * 1000 <= RemoteChangeWatch::IntervalMs)
        return;
    delete m_changeWatch;
    m_changeWatch = new RemoteChangeWatch(m_backend.get(), this);
    // Only an idle, unpaused, online pair that knows what the remote looked like asks: a
    // running cycle or poll walks the remote itself, and a held pair sends nothing.
    m_changeWatch->setMayCheck([this] {
        return m_mode == Mode::Watching && !isPaused() && m_state != EngineState::Offline &&
               !m_runner->isRunning() && !m_pollWalker && m_lastRemoteView.has_value();
    });
    m_changeWatch->setRootTellsChanges([this] { return m_runner->remotePropagationVerified(); });
    connect(m_changeWatch, &RemoteChangeWatch::changed, this, &Engine::pollRemote);
    m_changeWatch->start();
}

void Engine::pollRemote()
{
    if (m_mode != Mode::Watching || isPaused() || !m_journal || m_pollWalker ||
        m_runner->isRunning() || m_state == EngineState::Offline)
        return; // a running cycle walks the remote itself; the probe brings an offline one back
    if (!m_lastRemoteView)
        return requestCycle({}, true);
    RemoteWalker *walker = m_runner->newRemoteWalker();
    m_pollWalker = walker;
    m_pollWalkClock.start();
    m_pollWalkJournalChanges = m_journal->recordChanges();
    m_pollWalkIgnoreRules = m_ignore.definition();
    m_pollWalkRootChecked = m_identity->checkRemote(*m_journal).ok();
    connect(walker, &RemoteWalker::finished, this, [this, walker] { onPollWalked(walker); });
    walker->start({QString()});
}

void Engine::onPollWalked(RemoteWalker *walker)
{
    m_pollWalker = nullptr;
    pacePollsAfterWalk(m_pollWalkClock.elapsed());
    if (m_mode != Mode::Watching) {
        walker->deleteLater();
        return;
    }
    // A selection changed during the walk: it was made with the previous ignore rules.
    const bool sameRules = m_ignore.definition() == m_pollWalkIgnoreRules;
    bool changed = true;
    if (!walker->error() && sameRules) {
        const RemoteFingerprint now =
            RemoteFingerprint::of(walker->snapshot(), walker->rejectedNames());
        changed = !now.signaturesTellChanges() || now != m_lastRemoteView;
        // Unchanged, the cache holds this walk already; a full walk still renews its age.
        if (changed || walker->fullWalkStartedMs())
            m_runner->updateTreeCache({QString()}, *walker);
    }
    Q_EMIT remotePolled(changed);
    if (changed && sameRules && mayOfferPollWalk(*walker))
        m_runner->offerFreshWalk(walker, m_pollWalkJournalChanges); // its cycle lists nothing
    else
        walker->deleteLater();
    if (changed) {
        requestCycle({}, true); // a failed walk too: the cycle reports it, or goes offline
        return;
    }
    maybeStartCycle(); // watcher paths that arrived during the walk
    releaseMemoryOnceIdle();
}

void Engine::pacePollsAfterWalk(qint64 walkMs)
{
    m_lastPollWalkMs = walkMs;
    const qint64 intervalMs = pollIntervalMsAfterWalk(m_options.pollIntervalS, walkMs);
    if (intervalMs != m_pollTimer.interval())
        m_pollTimer.setInterval(int(qMin<qint64>(intervalMs, std::numeric_limits<int>::max())));
}

// Whether the cycle a changed poll starts may plan with the poll's walk (FreshWalkOffer), as
// far as the engine can tell: where the root's ETag tells (verified propagation) the cycle's
// own walk is the cheap one and keeps the root's ETag with the cache; a mounted remote root
// must have been ours before and after the walk, as a cycle checks around its own walk.
bool Engine::mayOfferPollWalk(const RemoteWalker &walker) const
{
    return !walker.error() && !m_runner->remotePropagationVerified() && m_pollWalkRootChecked &&
           m_identity->checkRemote(*m_journal).ok();
}

} // namespace steadysync
