#pragma once

#include "commandline.h"

#include <QJsonObject>

#include <optional>

namespace steadysync::cli {

// pause, resume, sync-now, wait: addressed to the process that runs the pair (the tray app or
// `watch`), over D-Bus (DESIGN §12). Exit 2 when no process serves the pair.
int runInstanceCommand(const Invocation &invocation);

// The live status of the running instance that serves localRoot (the Pair.Status object),
// or nullopt when none does.
std::optional<QJsonObject> instanceStatus(const QString &localRoot);

// `sync` on a pair a running instance holds: it syncs now, and this waits until it is idle
// and exits as sync would. nullopt when no instance serves the pair on D-Bus (the sync then
// goes ahead itself, and meets the lock if a process without D-Bus holds the pair).
std::optional<int> runDelegatedSync(const Invocation &invocation);

} // namespace steadysync::cli
