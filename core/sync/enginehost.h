#pragma once

#include "sync/engine.h"

#include <QThread>

namespace steadysync {

// Runs one Engine in its own worker thread (DESIGN §1: the engine never runs on the thread
// that talks to the user). The engine is created in and deleted by that thread.
class EngineHost
{
public:
    explicit EngineHost(const EngineOptions &options);
    ~EngineHost();

    EngineHost(const EngineHost &) = delete;
    EngineHost &operator=(const EngineHost &) = delete;

    Engine *engine() const { return m_engine; }

private:
    QThread m_thread;
    Engine *m_engine;
};

} // namespace steadysync
