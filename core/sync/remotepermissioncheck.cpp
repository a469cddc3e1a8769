#include "sync/remotepermissioncheck.h"

#include <algorithm>

namespace steadysync {
namespace {

// Said without the path: the reason is shown beside it (ReadOnlyFolder::keptHereReason).
Error refusal(const char *what)
{
    Error error = makeError(
        ErrorKind::Permanent,
        QStringLiteral("the server's permissions do not allow %1").arg(QLatin1String(what)));
    error.httpStatus = 403; // what the server would answer
    return error;
}

// May an item of this type be created in folder? A folder the server has not listed is to be
// created in the nearest one it has.
bool mayCreateIn(const QString &folder, ItemType type, const FolderPermissions &folders)
{
    for (QString existing = folder;; existing = parentPath(existing)) {
        const auto permissions = folders.constFind(existing);
        if (permissions != folders.cend() && permissions->known) {
            if (existing != folder || type == ItemType::Directory)
                return permissions->canAddFolder;
            return permissions->canAddFile;
        }
        if (existing.isEmpty())
            return true;
    }
}

std::optional<Error> checkMove(const SyncAction &action, const FolderPermissions &folders)
{
    const bool sameFolder = parentPath(action.sourcePath) == parentPath(action.path);
    const RemotePermissions source =
        action.remote ? action.remote->permissions : folders.value(action.sourcePath);
    if (source.known && !(sameFolder ? source.canRename : source.canMove))
        return refusal("moving it");
    if (!mayCreateIn(parentPath(action.path), action.type, folders))
        return refusal("adding here");
    return std::nullopt;
}

} // namespace

std::optional<Error> refusalByPermissions(const SyncAction &action,
                                          const FolderPermissions &folders)
{
    switch (action.kind) {
    case ActionKind::Upload:
        if (action.remote && !action.remote->isDir() && action.type == ItemType::File) {
            if (action.remote->permissions.known && !action.remote->permissions.canWrite)
                return refusal("changing it");
            return std::nullopt;
        }
        [[fallthrough]];
    case ActionKind::MakeRemoteDir:
        if (!mayCreateIn(parentPath(action.path), action.type, folders))
            return refusal("adding here");
        return std::nullopt;
    case ActionKind::DeleteRemote:
        if (action.remote && action.remote->permissions.known &&
            !action.remote->permissions.canDelete)
            return refusal("deleting it");
        return std::nullopt;
    case ActionKind::MoveRemote:
        return checkMove(action, folders);
    default:
        return std::nullopt;
    }
}

void updateFolderPermissions(FolderPermissions *folders, const QStringList &scopes,
                             const RemoteSnapshot &remote)
{
    for (auto it = folders->begin(); it != folders->end();) {
        const bool listed =
            std::any_of(scopes.cbegin(), scopes.cend(),
                        [&it](const QString &scope) { return isSameOrBelow(it.key(), scope); });
        it = listed ? folders->erase(it) : std::next(it);
    }
    for (auto it = remote.cbegin(); it != remote.cend(); ++it) {
        if (it->isDir() && it->permissions.known)
            folders->insert(it.key(), it->permissions);
    }
}

} // namespace steadysync
