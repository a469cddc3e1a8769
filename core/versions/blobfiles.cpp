#include "versions/blobfiles.h"

#include "fs/errnokind.h"

#include <QByteArray>
#include <QFile>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef Q_OS_LINUX
#include <linux/fs.h>
#include <sys/ioctl.h>
#endif

namespace steadysync::BlobFiles {

namespace {

constexpr size_t CopyChunk = 1 << 20;

Error fromErrno(int errnoValue, const QString &what)
{
    return errnoError(errnoValue, what + QStringLiteral(": ") +
                                      QString::fromLocal8Bit(std::strerror(errnoValue)));
}

bool writeAll(int fd, const char *data, ssize_t size)
{
    while (size > 0) {
        const ssize_t written = ::write(fd, data, size_t(size));
        if (written < 0 && errno == EINTR)
            continue;
        if (written <= 0)
            return false;
        data += written;
        size -= written;
    }
    return true;
}

// Byte copy; holes stay holes where the source reads as zeros (a sparse file costs no blocks).
bool copyBytes(int from, int to)
{
    QByteArray buffer(CopyChunk, Qt::Uninitialized);
    const QByteArray zeros(CopyChunk, '\0');
    qint64 length = 0;
    for (;;) {
        const ssize_t got = ::read(from, buffer.data(), CopyChunk);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return false;
        if (got == 0)
            break;
        if (got == ssize_t(CopyChunk) && buffer == zeros) {
            if (::lseek(to, got, SEEK_CUR) < 0)
                return false;
        } else if (!writeAll(to, buffer.constData(), got)) {
            return false;
        }
        length += got;
        crashPoint("mid-copy");
    }
    return ::ftruncate(to, length) == 0; // a trailing hole needs the size set
}

bool cloneInto(int from, int to)
{
#if defined(Q_OS_LINUX) && defined(FICLONE)
    return ::ioctl(to, FICLONE, from) == 0;
#else
    Q_UNUSED(from);
    Q_UNUSED(to);
    return false;
#endif
}

} // namespace

Result<Placement> cloneOrCopy(const QString &source, const QString &target)
{
    const QByteArray targetName = QFile::encodeName(target);
    const int from = ::open(QFile::encodeName(source).constData(), O_RDONLY | O_CLOEXEC);
    if (from < 0)
        return fromErrno(errno, source);
    const int to = ::open(targetName.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (to < 0) {
        const int saved = errno;
        ::close(from);
        return fromErrno(saved, target);
    }
    Placement placement = Placement::Reflink;
    bool ok = cloneInto(from, to);
    if (ok)
        crashPoint("mid-copy"); // the same step as a byte copy's, so a kill test runs anywhere
    if (!ok) {
        placement = Placement::Copy;
        ok = copyBytes(from, to);
    }
    const int savedErrno = errno;
    ok = ok && ::fsync(to) == 0;
    ::close(from);
    ok = ::close(to) == 0 && ok;
    if (!ok) {
        ::unlink(targetName.constData());
        return fromErrno(savedErrno ? savedErrno : EIO, target);
    }
    return placement;
}

Status link(const QString &source, const QString &target)
{
    if (::link(QFile::encodeName(source).constData(), QFile::encodeName(target).constData()) != 0)
        return fromErrno(errno, target);
    return success();
}

void syncDirectory(const QString &directory)
{
    const int fd =
        ::open(QFile::encodeName(directory).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return;
    ::fsync(fd);
    ::close(fd);
}

void crashPoint(const char *step)
{
    static const QByteArray wanted = qgetenv("STEADYSYNC_TEST_VERSIONS_KILL_AT");
    if (!wanted.isEmpty() && wanted == step)
        ::raise(SIGKILL);
}

} // namespace steadysync::BlobFiles
