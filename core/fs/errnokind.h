#pragma once

#include "result.h"

#include <QString>

namespace steadysync {

// The one errno → ErrorKind table of the client (DESIGN §5), for every layer that calls the
// operating system: the same errno means the same thing whether a scan, a download, the
// file:// backend or the version store met it.
//   NotFound           ENOENT, ENOTDIR
//   DiskFull           ENOSPC, EDQUOT (retried, never failed permanently: space comes back)
//   PreconditionFailed EEXIST, ENOTEMPTY (something appeared meanwhile: reconcile again)
//   InvalidName        ENAMETOOLONG, EILSEQ
//   Permanent          EACCES, EPERM, EROFS, EISDIR, ELOOP, EINVAL, EXDEV, EFBIG, EMLINK,
//                      EOPNOTSUPP (no retry can change them; shown with the reason)
//   Transient          EIO, EBUSY, ETXTBSY, EAGAIN, EINTR, ETIMEDOUT, ESTALE, ENOTCONN,
//                      ENOMEM, EMFILE, ENFILE, and every errno not named here: a retry is
//                      bounded by the retry limits, while a wrong "permanent" would leave a
//                      file unsynced until it changes again.
ErrorKind errorKindForErrno(int errorNumber);

// An Error with the kind of errorNumber and the given message (which should name the file
// and say the system's reason).
Error errnoError(int errorNumber, QString message);

} // namespace steadysync
