// LocalDirOperations::copy (remote-side versions, core/versions/remoteversionkeeper.h): a file
// of the local-directory remote copied inside it, a reflink where the file system allows.

#include "remote/localdiroperations.h"

#include <QFile>

#include <cerrno>
#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace steadysync {

namespace {

// Closes a descriptor when it goes out of scope.
struct Fd
{
    int fd = -1;
    ~Fd()
    {
        if (fd >= 0)
            ::close(fd);
    }
};

// Opens path's parent below root one component at a time, never following a symbolic link;
// leaf gets the last component. -1 with errno set when it fails.
int openParentBelow(const QString &root, const QString &path, QByteArray *leaf)
{
    QStringList components = path.split(QLatin1Char('/'));
    *leaf = QFile::encodeName(components.takeLast());
    int dir = ::open(QFile::encodeName(root).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    for (const QString &component : std::as_const(components)) {
        if (dir < 0)
            return -1;
        const int child = ::openat(dir, QFile::encodeName(component).constData(),
                                   O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        const int saved = errno;
        ::close(dir);
        errno = saved;
        dir = child;
    }
    return dir;
}

// A reflink where the file system shares blocks (Btrfs, XFS), else a byte copy.
int copyContent(int from, int to, qint64 size)
{
    if (::ioctl(to, FICLONE, from) == 0)
        return 0;
    for (qint64 left = size; left > 0;) {
        const ssize_t copied = ::copy_file_range(from, nullptr, to, nullptr, size_t(left), 0);
        if (copied < 0)
            return errno;
        if (copied == 0)
            break; // the source shrank meanwhile: what was there is kept
        left -= copied;
    }
    return 0;
}

LocalDirOperations::Outcome failed(Error error)
{
    LocalDirOperations::Outcome outcome;
    outcome.error = std::move(error);
    return outcome;
}

Error missingParent(const QString &to)
{
    return makeError(ErrorKind::ParentMissing,
                     QStringLiteral("%1: its folder does not exist on the remote").arg(to));
}

} // namespace

LocalDirOperations::Outcome LocalDirOperations::copy(const QString &from, const QString &to,
                                                     const Precondition &precondition) const
{
    if (auto error = validatePath(from, false); error || (error = validatePath(to, false)))
        return failed(*error);
    QByteArray fromLeaf, toLeaf;
    const Fd fromDir{openParentBelow(m_root, from, &fromLeaf)};
    if (fromDir.fd < 0)
        return failed(errnoError(errno, from, QStringLiteral("cannot open its folder")));
    const Fd source{::openat(fromDir.fd, fromLeaf.constData(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC)};
    struct stat status;
    if (source.fd < 0 || ::fstat(source.fd, &status) != 0)
        return failed(errnoError(errno, from, QStringLiteral("cannot open")));
    if (!S_ISREG(status.st_mode))
        return failed(makeError(ErrorKind::NotFound, QStringLiteral("%1: not a file").arg(from)));
    if (precondition.kind == Precondition::Kind::MustMatch &&
        entryFromStat(from, status).signature() != precondition.signature)
        return failed(makeError(ErrorKind::PreconditionFailed,
                                QStringLiteral("%1: changed on the remote meanwhile").arg(from)));
    const Fd toDir{openParentBelow(m_root, to, &toLeaf)};
    if (toDir.fd < 0)
        return failed(errno == ENOENT
                          ? missingParent(to)
                          : errnoError(errno, to, QStringLiteral("cannot open its folder")));
    const Fd target{::openat(toDir.fd, toLeaf.constData(),
                             O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644)};
    if (target.fd < 0)
        return failed(
            errno == EEXIST
                ? makeError(ErrorKind::PreconditionFailed,
                            QStringLiteral("cannot copy %1: %2 already exists").arg(from, to))
                : errnoError(errno, to, QStringLiteral("cannot create")));
    const struct timespec times[2] = {status.st_atim, status.st_mtim};
    if (const int copyError = copyContent(source.fd, target.fd, status.st_size);
        copyError != 0 || ::futimens(target.fd, times) != 0 || ::fsync(target.fd) != 0) {
        const int saved = copyError != 0 ? copyError : errno;
        ::unlinkat(toDir.fd, toLeaf.constData(), 0);
        return failed(errnoError(saved, to, QStringLiteral("cannot copy %1 there").arg(from)));
    }
    ::fsync(toDir.fd);
    return {};
}

} // namespace steadysync
