#include "fs/errnokind.h"

#include <cerrno>

namespace steadysync {

ErrorKind errorKindForErrno(int errorNumber)
{
    switch (errorNumber) {
    case ENOENT:
    case ENOTDIR:
        return ErrorKind::NotFound;
    case ENOSPC:
    case EDQUOT:
        return ErrorKind::DiskFull;
    case EEXIST:
    case ENOTEMPTY:
        return ErrorKind::PreconditionFailed;
    case ENAMETOOLONG:
    case EILSEQ:
        return ErrorKind::InvalidName;
    case EACCES:
    case EPERM:
    case EROFS:
    case EISDIR:
    case ELOOP:
    case EINVAL:
    case EXDEV:
    case EFBIG:
    case EMLINK:
    case EOPNOTSUPP:
        return ErrorKind::Permanent;
    default: // EIO, EBUSY, ETXTBSY, EAGAIN, EINTR, ETIMEDOUT, ESTALE, ENOTCONN, ENOMEM, ...
        return ErrorKind::Transient;
    }
}

Error errnoError(int errorNumber, QString message)
{
    return makeError(errorKindForErrno(errorNumber), std::move(message));
}

} // namespace steadysync
