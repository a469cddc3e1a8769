// What the propagator does when a read-only server folder refuses a write (DESIGN §4 "Servers
// differ", issue 13 case 7), as Nextcloud's client does: the server's version is the truth
// there, and nothing the user made here is lost.
#include "sync/propagator.h"

#include "local/scanner.h"
#include "sync/localfileops.h"
#include "sync/readonlyfolder.h"

#include <QFileInfo>

namespace steadysync {

Propagator::Done Propagator::keepingReadOnlyRefusals(const SyncAction &action, Done done)
{
    return [this, action, done = std::move(done)](Outcome outcome) {
        if (!outcome.error || !ReadOnlyFolder::refusedWrite(*outcome.error))
            return done(outcome);
        const Error refusal = *outcome.error;
        if (action.kind == ActionKind::DeleteRemote && action.remote)
            return restoreRefusedDelete(action, done);
        if (action.kind == ActionKind::MoveRemote && action.type == ItemType::File && action.remote)
            return restoreRefusedMove(action, done);
        const bool editedFile = action.kind == ActionKind::Upload && action.local &&
                                !action.local->isDir() && action.remote && !action.remote->isDir();
        if (editedFile)
            return keepRefusedEdit(action, refusal, done);
        // New here (a file or folder): it stays here, one failed item with the reason, left
        // alone until it changes (Engine::excludedPaths), so no run sends it again.
        outcome.error->message = ReadOnlyFolder::keptHereReason(action.path, refusal);
        done(outcome);
    };
}

// The deletion cannot happen on the server, so it is undone here: the server's version comes
// back (a download that counts as one), and the user is told why.
void Propagator::restoreRefusedDelete(const SyncAction &action, Done done)
{
    m_report.warnings.append(
        tr("%1: restored from the server: its folder there is read-only, so the deletion made "
           "here cannot be carried out")
            .arg(action.path));
    SyncAction restore = action;
    restore.kind = ActionKind::Download;
    restore.local.reset();
    if (action.type == ItemType::Directory)
        return makeLocalDirectory(restore, std::move(done));
    download(restore, std::move(done));
}

// A rename made here that the server refuses (out of, into or within a read-only folder): the
// file comes back under its old name from the server, and the new name is looked at again as
// a new file, which goes up where its folder allows and otherwise stays here, one failed item.
void Propagator::restoreRefusedMove(const SyncAction &action, Done done)
{
    m_report.warnings.append(tr("%1: not renamed on the server: the folder there is read-only; "
                                "\"%2\" is restored from the server, and \"%1\" is kept here as "
                                "a new file")
                                 .arg(action.path, action.sourcePath));
    m_redo.append(action.path);
    SyncAction restore = action;
    restore.kind = ActionKind::Download;
    restore.path = action.sourcePath;
    restore.sourcePath.clear();
    restore.local.reset();
    download(restore, std::move(done));
}

// The edit moves aside under a clear name and stays here; the server's version takes the name
// again. The kept copy is one failed item (exit 1, DESIGN §7: it exists on this side only),
// recorded with its sides so that later runs leave it alone until the user touches it.
void Propagator::keepRefusedEdit(const SyncAction &action, const Error &refusal, Done done)
{
    if (!LocalFileOps::unchangedSince(m_settings.localRoot, action.path, action.local))
        return done(Outcome::redo());
    const QString kept = ReadOnlyFolder::keptEditPath(action.path, [this](const QString &name) {
        return m_reservedNames.contains(name) || m_remote.contains(name) ||
               QFileInfo::exists(absolute(name)) || QFileInfo(absolute(name)).isSymLink();
    });
    m_reservedNames.insert(kept);
    if (Status moved = LocalFileOps::renameNoReplace(absolute(action.path), absolute(kept)); !moved)
        return done(Outcome::failed(moved.error()));
    const std::optional<LocalEntry> keptEntry = Scanner::stat(m_settings.localRoot, kept);
    RetryItem item = m_settings.retry.afterFailure(
        std::nullopt, kept,
        makeError(ErrorKind::Permanent, ReadOnlyFolder::keptHereReason(kept, refusal)),
        m_clock->nowMs());
    item.sidesAtFailure = sidesFingerprint(keptEntry ? &*keptEntry : nullptr, nullptr);
    if (Status queued = m_journal->putRetryItem(item); !queued)
        return done(Outcome::failed(queued.error()));
    m_report.warnings.append(tr("%1: not uploaded: its folder on the server is read-only; the "
                                "edit made here is kept as \"%2\" and the server's version "
                                "is restored")
                                 .arg(action.path, kept));
    SyncAction restore = action;
    restore.kind = ActionKind::Download;
    restore.local.reset();
    download(restore, std::move(done));
}

} // namespace steadysync
