#pragma once

#include <QString>

namespace steadysync {

// What a pair's engine is doing: the one state it publishes (DESIGN §6). Other processes see it
// as a string (the journal's live status, `status --json`, D-Bus), and these two functions are
// the only conversions between the two.
enum class EngineState { Idle, Syncing, Paused, Offline, Error };

// "idle", "syncing", "paused", "offline", "error".
QString engineStateName(EngineState state);
// A name none of the above reads as Idle, the state of a pair no engine has run.
EngineState engineStateFromName(const QString &name);

} // namespace steadysync
