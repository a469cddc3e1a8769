#pragma once

#include <QString>

namespace steadysync {

// Where an upload of `path` by the client `clientId` (the pair's id) writes before a rename
// publishes it (DESIGN §5): in the same folder, under a hidden name every client ignores
// (IgnoreRules::partialFilePrefix()), the same for a client and path every time, so a leftover
// of a killed upload is written over or swept (Journal::putRemoteTemporary), and nobody else's.
QString stagingPathFor(const QString &clientId, const QString &path);

} // namespace steadysync
