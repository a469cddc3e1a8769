#pragma once

#include "remote/webdavjob.h"
#include "remote/webdavupload.h"

namespace steadysync::webdav {

// Starts an upload job's work the way that suits the file and the server: chunked (Nextcloud's
// chunking v2, a file larger than one request may carry), in a bulk batch (Nextcloud, a small
// file created), else a PUT (WebDavUpload).
void startUpload(WebDavJob<EntryJob> *job, const WebDavUpload::Request &upload);

} // namespace steadysync::webdav
