#pragma once

#include "sync/engine.h"

namespace steadysync {

// Holds engine (Engine::setMeteredHold) while the system says the connection is metered
// (QNetworkInformation; NetworkManager on Linux), from now until context goes, which must go
// before the engine. Without a backend that knows (no NetworkManager) nothing is held.
void holdWhileMetered(Engine *engine, QObject *context);

} // namespace steadysync
