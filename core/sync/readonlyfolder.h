#pragma once

#include "entry.h"
#include "journal/journal.h"
#include "result.h"

#include <QString>

#include <functional>

namespace steadysync::ReadOnlyFolder {

// A server folder the user may only read (a read-only share; DESIGN §4 "Servers differ") answers
// a write in it (PUT, DELETE, MKCOL, MOVE) with 403. Such a refusal is permanent, but it is
// not the end of the item: a local delete is undone from the server, a local edit is kept
// beside the server's version (propagation/readonly.cpp).
[[nodiscard]] bool refusedWrite(const Error &error);

// "NAME (not uploaded: read-only folder).EXT": where a local edit the server refused is kept.
QString keptEditPath(const QString &path, const std::function<bool(const QString &)> &isTaken);

// True for an item kept here because a read-only server folder refused it (keptHereReason)
// whose local side is as it was when it failed (same size, mtime and inode): a watcher event
// for it (the rename that made a kept copy) is then no new change and must not send it to the
// server again. Other failures keep reviving on any event (a chmod may have fixed them).
[[nodiscard]] bool keptHereAndUnchanged(const RetryItem &item,
                                        const std::optional<LocalEntry> &now);

// The reason shown for an item that stays on this side only.
QString keptHereReason(const QString &path, const Error &refusal);

} // namespace steadysync::ReadOnlyFolder
