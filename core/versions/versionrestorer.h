#pragma once

#include "result.h"
#include "versions/versionentry.h"

#include <QString>

namespace steadysync {

class VersionStore;

// Restoring a kept version (DESIGN §10), shared by `steadysync-cli versions restore` and the
// app's Versions view, so that both keep what a restore replaces in the same way.
namespace VersionRestorer {

// PATH as the store lists it: relative, '/'-separated, without "./" or a trailing '/'; empty
// when it would leave the root.
QString normalizedPath(const QString &given);

// The version asked for: id > 0, else the newest kept under exactly path. NotFound when none.
[[nodiscard]] Result<VersionEntry> choose(const VersionStore &store, const QString &path,
                                          qint64 id);

enum class Outcome { Restored, AlreadyThere };

// Writes entry's content to destination (absolute; inside or outside localRoot). A file
// already at a destination inside the folder is kept as a version first (reason
// "overwritten"), unless it holds this very content (AlreadyThere). InvalidName when the
// destination exists and is no regular file, or is outside the folder and exists (never
// replaced: the store could not keep it).
[[nodiscard]] Result<Outcome> restore(VersionStore &store, const QString &localRoot,
                                      const VersionEntry &entry, const QString &destination);

} // namespace VersionRestorer

} // namespace steadysync
