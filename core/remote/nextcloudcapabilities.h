#pragma once

#include "remote/webdavcapabilities.h"
#include "result.h"

#include <QByteArray>
#include <QUrl>

namespace steadysync::nextcloud {

// Where an ownCloud or Nextcloud server describes itself, for the WebDAV collection at
// collectionRoot: the installation's base is the path before "/remote.php/" (a server
// installed under a sub-path keeps it); for any other URL the origin's root, where a plain
// WebDAV server answers 404.
QUrl statusUrl(const QUrl &collectionRoot);
// Whether the URL is an ownCloud/Nextcloud WebDAV path (".../remote.php/...").
bool namesNextcloud(const QUrl &collectionRoot);
QUrl capabilitiesUrl(const QUrl &collectionRoot);

// Reads status.php's JSON into capabilities (productName, productVersion). Corrupt when it
// is not the JSON of an installed ownCloud/Nextcloud: then nothing is changed.
[[nodiscard]] Status readStatus(const QByteArray &json, ServerCapabilities *capabilities);

// Reads the OCS capabilities (format=json) into capabilities: bulkUpload, chunkingV2,
// maxChunkSize, maxParallelChunks, versions, trashbin. Corrupt when it is not an OCS answer
// with status "ok": then nothing is changed. An anonymous answer (no "dav" section) reads as
// a server without those features.
[[nodiscard]] Status readCapabilities(const QByteArray &json, ServerCapabilities *capabilities);

} // namespace steadysync::nextcloud
