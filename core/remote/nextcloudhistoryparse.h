#pragma once

#include "remote/nextcloudhistory.h"
#include "result.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

// Reading Nextcloud's answers for NextcloudHistory: multistatus listings of the versions,
// trashbin and files collections. Pure functions, so that hostile
// answers are tested without a server.
namespace steadysync::nextcloudhistory {

// One <response> of a multistatus: its href as a decoded path (no trailing '/'), the
// properties of its 2xx propstats by local name, and whether it is a collection.
struct DavResponse
{
    QString path;
    QHash<QString, QString> properties;
    bool collection = false;
};

// Larger answers are refused (a trash of some ten thousand items fits).
constexpr qsizetype maxAnswerBytes = 32 * 1024 * 1024;

// Corrupt (naming `what`) for anything but a well-formed multistatus.
[[nodiscard]] Result<QList<DavResponse>> parseMultistatus(const QByteArray &xml,
                                                          const QString &what);

// The members of a versions collection (collectionPath without trailing '/') as entries of
// path, the current version (modified at currentMtimeMs, to the second) left out. Corrupt
// for a member outside the collection or without a readable date.
[[nodiscard]] Result<QList<ServerHistoryEntry>>
versionsFromListing(const QList<DavResponse> &responses, const QString &collectionPath,
                    const QString &path, const QString &fileId, qint64 currentMtimeMs);

// The members of a trash collection deleted from inside rootInHome ("" = the whole home),
// with paths relative to it. Corrupt for a member outside the collection or without its
// original location; an original location that would leave the home is left out.
[[nodiscard]] Result<QList<ServerHistoryEntry>>
trashFromListing(const QList<DavResponse> &responses, const QString &collectionPath,
                 const QString &rootInHome);

// A path Nextcloud gives (an original location) as a clean relative path; empty when it would
// leave the home or is empty.
QString cleanRelativePath(const QString &given);

} // namespace steadysync::nextcloudhistory
