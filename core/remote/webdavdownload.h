#pragma once

#include "remote/webdavjob.h"

namespace steadysync::webdav {

// A download job's work: a stat of `path` first (the entry reported must carry the signature a
// listing gives: nginx sends an ETag on GET but none in PROPFIND), then a GET streamed to
// localTargetFile and checked against that stat. An interrupted download is resumed with
// Range + If-Range (webdav::PartialDownload keeps the validator beside the target); a changed
// file comes whole (200) and replaces the partial bytes. Reads are paced by the session's
// download pacer.
void download(WebDavJob<EntryJob> *job, const QString &path, const QString &localTargetFile);

} // namespace steadysync::webdav
