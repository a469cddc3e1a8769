#include "fs/posixfs.h"

#include <cerrno>
#include <cstdio>

#include <fcntl.h>
#include <sys/stat.h>

namespace steadysync::PosixFs {

namespace {

const struct timespec &modificationTime(const struct stat &status)
{
#ifdef Q_OS_DARWIN
    return status.st_mtimespec;
#else
    return status.st_mtim;
#endif
}

const struct timespec &changeTime(const struct stat &status)
{
#ifdef Q_OS_DARWIN
    return status.st_ctimespec;
#else
    return status.st_ctim;
#endif
}

qint64 nanoseconds(const struct timespec &time)
{
    return qint64(time.tv_sec) * nanosecondsPerSecond + qint64(time.tv_nsec);
}

} // namespace

qint64 mtimeNsOf(const struct stat &status)
{
    return nanoseconds(modificationTime(status));
}

qint64 ctimeNsOf(const struct stat &status)
{
    return nanoseconds(changeTime(status));
}

timespec timespecFromNs(qint64 ns)
{
    qint64 seconds = ns / nanosecondsPerSecond;
    qint64 rest = ns % nanosecondsPerSecond;
    if (rest < 0) {
        rest += nanosecondsPerSecond;
        --seconds;
    }
    timespec result{};
    result.tv_sec = time_t(seconds);
    result.tv_nsec = long(rest);
    return result;
}

int renameNoReplace(int fromDir, const QByteArray &from, int toDir, const QByteArray &to)
{
#ifdef RENAME_NOREPLACE
    if (::renameat2(fromDir, from.constData(), toDir, to.constData(), RENAME_NOREPLACE) == 0)
        return 0;
    if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
        return errno;
#endif
    // The file system cannot refuse atomically: check, then rename. Something created at the
    // target between the two calls would be replaced; a plain directory offers no better.
    struct stat status;
    if (::fstatat(toDir, to.constData(), &status, AT_SYMLINK_NOFOLLOW) == 0)
        return EEXIST;
    if (errno != ENOENT)
        return errno;
    return ::renameat(fromDir, from.constData(), toDir, to.constData()) == 0 ? 0 : errno;
}

} // namespace steadysync::PosixFs
