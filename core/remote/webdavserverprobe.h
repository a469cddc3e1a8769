#pragma once

#include <functional>

namespace steadysync {

class WebDavRequests;

namespace webdav {

// Learns what the server says of itself before the session's first stat of the root, once
// per session (that is, per pair and run): GET status.php and, where it describes an
// installed ownCloud/Nextcloud, the OCS capabilities with the user's credentials (an anonymous
// caller is told nothing of the features). Fills ServerCapabilities (productName, bulkUpload,
// chunkingV2, maxChunkSize, versions, trashbin); then next() runs. Nothing here fails the job:
// an answer that is not an ownCloud/Nextcloud's leaves the features off. A transport failure leaves
// the session unprobed, to be asked again next time.
void probeServerOnce(WebDavRequests *job, std::function<void()> next);

} // namespace webdav
} // namespace steadysync
