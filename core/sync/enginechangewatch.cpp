// The engine's cheap remote-change check while it watches (issue 21 item 3): see
// RemoteChangeWatch.
#include "sync/engine.h"
#include "sync/remotechangewatch.h"
#include "sync/remotewalker.h"

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

} // namespace steadysync
