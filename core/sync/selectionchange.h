#pragma once

#include "journal/journal.h"
#include "result.h"
#include "sync/unselectedfolder.h"

#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QVector>

namespace steadysync {

// One change of a pair's folder selection (selective sync), as `steadysync-cli select` and
// the app's "Choose folders" tree make it. Folders are relative to the remote root.
struct SelectionChange
{
    QStringList include; // taken again (and, when held back as new, accepted however large)
    QStringList exclude; // left out from now on: their synced local copy goes to the trash
    bool isEmpty() const { return include.isEmpty() && exclude.isEmpty(); }
};

// What became of the local copy of each newly excluded folder that existed here.
struct SelectionOutcome
{
    struct Removed
    {
        QString folder;
        LocalCopyRemoval removal;
    };
    QVector<Removed> removed;
    // Files kept (not synced as they are now) or not moved, over all folders.
    bool keptAnything() const;
};

// Normalizes the folders ("Photos/2019/" -> "Photos/2019"); an error names one that is not a
// folder below the remote root.
[[nodiscard]] Result<QStringList> normalizedFolders(const QStringList &given);

// Writes the change to the journal (excluded_folders, held_back_folders,
// accepted_new_folders), includes first, then removes the synced local copy of every newly
// excluded folder that exists below localRoot (removeLocalCopy: never a version the server
// lacks). The caller holds the pair (its lock, or is the engine that holds it); the engine
// applies the selection from its next cycle.
[[nodiscard]] Result<SelectionOutcome>
applySelectionChange(const QString &localRoot, Journal &journal, const SelectionChange &change);

} // namespace steadysync

Q_DECLARE_METATYPE(steadysync::SelectionChange)
Q_DECLARE_METATYPE(steadysync::SelectionOutcome)
