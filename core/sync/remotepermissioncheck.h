#pragma once

#include "entry.h"
#include "result.h"
#include "sync/syncplan.h"

#include <QHash>
#include <QStringList>

#include <optional>

namespace steadysync {

// What the server lets this user do in each folder it listed (oc:permissions), by path; ""
// is the remote root. Folders the server said nothing about are absent.
using FolderPermissions = QHash<QString, RemotePermissions>;

// Where the server says what this user may do (oc:permissions, ownCloud and Nextcloud), a
// change it does not allow is never sent: it is refused here exactly as the server would
// refuse it (a 403, ReadOnlyFolder::refusedWrite), so a read-only share is handled as such
// from the first run, without a request that is bound to fail. Pure.
//
// - an edit needs W on the file; a new file C, a new folder K on the folder it goes into (a
//   folder that is not on the server yet needs K on the nearest one that is);
// - a deletion needs D on the item;
// - a rename needs N on the item (V when it changes folder) and C or K on the new folder.
// Where the server gave no permissions (every other server), nothing is refused here.
[[nodiscard]] std::optional<Error> refusalByPermissions(const SyncAction &action,
                                                        const FolderPermissions &folders);

// Keeps folders up to date with a listing of scopes (the remote root is "") taken from
// remote: what was known below each scope is replaced by what the listing says.
void updateFolderPermissions(FolderPermissions *folders, const QStringList &scopes,
                             const RemoteSnapshot &remote);

} // namespace steadysync
