#include "result.h"

namespace steadysync {

QString errorKindName(ErrorKind kind)
{
    switch (kind) {
    case ErrorKind::Transient:
        return QStringLiteral("transient");
    case ErrorKind::Permanent:
        return QStringLiteral("permanent");
    case ErrorKind::Auth:
        return QStringLiteral("auth");
    case ErrorKind::Offline:
        return QStringLiteral("offline");
    case ErrorKind::PreconditionFailed:
        return QStringLiteral("precondition-failed");
    case ErrorKind::NotFound:
        return QStringLiteral("not-found");
    case ErrorKind::ParentMissing:
        return QStringLiteral("parent-missing");
    case ErrorKind::DiskFull:
        return QStringLiteral("disk-full");
    case ErrorKind::RootMissing:
        return QStringLiteral("root-missing");
    case ErrorKind::Cancelled:
        return QStringLiteral("cancelled");
    case ErrorKind::InvalidName:
        return QStringLiteral("invalid-name");
    case ErrorKind::Corrupt:
        return QStringLiteral("corrupt");
    }
    return QStringLiteral("unknown");
}

} // namespace steadysync
