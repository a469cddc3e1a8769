#pragma once

#include <QString>

// The names the client keeps for itself, on both sides of a pair. They are never synced,
// listed or offered for restore; spelled here once so that no layer forgets one.
namespace steadysync::ReservedNames {

// LOCAL_ROOT/.steadysync: the journal, lock, pair id, trash, temporaries and versions;
// REMOTE/.steadysync: the folder id of a file:// remote.
inline constexpr char stateDirectory[] = ".steadysync";
// LOCAL_ROOT/.steadysyncignore: the user's ignore patterns.
inline constexpr char ignoreFile[] = ".steadysyncignore";
// An upload's partial file beside its target (file:// remotes), hidden from listings.
inline constexpr char partialFilePrefix[] = ".steadysync-part-";
// A restored version's temporary beside its destination, until it is renamed into place.
inline constexpr char restoreTemporaryPrefix[] = ".steadysync-restore-";
// Partial downloads in LOCAL_ROOT/.steadysync/tmp, kept so the next attempt resumes them.
inline constexpr char partialDownloadPrefix[] = "download-";

inline QString stateDirectoryName()
{
    return QString::fromLatin1(stateDirectory);
}

// ROOT/.steadysync, or ROOT/.steadysync/SUBPATH when subpath is given.
inline QString statePath(const QString &root, const QString &subpath = QString())
{
    QString path = root + QLatin1Char('/') + QLatin1String(stateDirectory);
    if (!subpath.isEmpty())
        path += QLatin1Char('/') + subpath;
    return path;
}

} // namespace steadysync::ReservedNames
