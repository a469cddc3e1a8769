#pragma once

#include "journal/journal.h"
#include "result.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace steadysync::FolderSelection {

// Selective sync: the remote folders a pair leaves out, relative to the remote root, kept in
// the pair's journal (setting "excluded_folders"). An excluded folder is neither listed,
// downloaded nor uploaded to, and is never taken for a deletion on either side: its records
// are forgotten and whatever lies in it on each side stays where it is (the engine adds it to
// the ignore rules, IgnoreRules::addExcludedFolder).

// The excluded folders, sorted; none when the setting is absent or unreadable.
[[nodiscard]] QStringList excludedFolders(const Journal &journal);
[[nodiscard]] Status setExcludedFolders(Journal &journal, const QStringList &folders);

// New remote folders held back until the user chooses (foldersToHoldBack), as the last full
// cycle found them; and the ones the user took ("select include"), never held again.
[[nodiscard]] QStringList heldBackFolders(const Journal &journal);
[[nodiscard]] Status setHeldBackFolders(Journal &journal, const QStringList &folders);
[[nodiscard]] QStringList acceptedFolders(const Journal &journal);
[[nodiscard]] Status setAcceptedFolders(Journal &journal, const QStringList &folders);

// "Photos/2019/" -> "Photos/2019"; nullopt for the root, ".", ".." or empty segments.
[[nodiscard]] std::optional<QString> normalizedFolder(const QString &input);

// current plus folders, without folders below an excluded one (they are excluded already).
[[nodiscard]] QStringList withExcluded(QStringList current, const QStringList &folders);

// current without folders; an error names a folder that lies inside another excluded folder
// (a selection is a list of excluded folders: include the outer one first).
[[nodiscard]] Result<QStringList> withIncluded(const QStringList &current,
                                               const QStringList &folders);

} // namespace steadysync::FolderSelection
