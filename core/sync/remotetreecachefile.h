#pragma once

#include "result.h"
#include "sync/remotetreecache.h"

#include <QString>

namespace steadysync {

// The RemoteTreeCache kept between runs (LOCAL/.steadysync/remote-tree.cache), so that a
// pair whose remote propagates ETags to the root (verified) finds a no-change remote with one
// request from its first cycle on, not only while it watches. The file is written whole and
// renamed into place (QSaveFile); it names the remote and the ignore rules it was filtered
// with, and is of no use for others. A file that cannot be read is an empty cache: the walk
// lists everything, nothing is concluded from a cache that is not there.
namespace RemoteTreeCacheFile {

struct Key
{
    QString remoteUrl;
    QString ignoreDefinition; // IgnoreRules::definition()
};

[[nodiscard]] Status save(const QString &filePath, const Key &key, const RemoteTreeCache &cache);
// Fills *cache from the file when it was written for key; else leaves *cache as it is.
bool load(const QString &filePath, const Key &key, RemoteTreeCache *cache);
void remove(const QString &filePath);

} // namespace RemoteTreeCacheFile
} // namespace steadysync
