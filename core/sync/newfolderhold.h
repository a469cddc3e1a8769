#pragma once

#include "entry.h"

#include <QStringList>
#include <QVector>

namespace steadysync {

// A new remote folder large enough to ask about before downloading it (selective sync).
struct HeldFolder
{
    QString path;
    qint64 bytes = 0; // of the files below it, as listed
    friend bool operator==(const HeldFolder &, const HeldFolder &) = default;
};

// The new remote folders (nothing recorded, nothing local at their path, their parent not new
// itself) whose files add up to more than limitBytes, as Nextcloud's client asks before it
// downloads a large new folder. accepted names folders the user took (they and what is below
// them are never held). limitBytes <= 0 holds nothing. Pure; sorted by path.
[[nodiscard]] QVector<HeldFolder> foldersToHoldBack(const JournalSnapshot &journal,
                                                    const LocalSnapshot &local,
                                                    const RemoteSnapshot &remote, qint64 limitBytes,
                                                    const QStringList &accepted);

} // namespace steadysync
