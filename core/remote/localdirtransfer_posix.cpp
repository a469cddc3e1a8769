#include "remote/localdirprimitives.h"

#include "fs/posixfs.h"
#include "fs/reservednames.h"

#include <QFile>
#include <QRandomGenerator>

#include <cerrno>
#include <chrono>
#include <optional>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace steadysync {

using namespace LocalDir;

namespace {

ssize_t readSome(int fd, char *buffer, size_t size)
{
    for (;;) {
        const ssize_t n = ::read(fd, buffer, size);
        if (n >= 0 || errno != EINTR)
            return n;
    }
}

// 0 or errno.
int writeAll(int fd, const char *data, size_t size)
{
    while (size > 0) {
        const ssize_t n = ::write(fd, data, size);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return errno;
        }
        data += n;
        size -= size_t(n);
    }
    return 0;
}

struct CopyResult
{
    qint64 copied = 0;
    std::optional<Error> error;
};

// Streams `in` to `out` in chunks, paced by the limiter; checks the cancel flag between
// chunks and reports progress at most every progressInterval.
CopyResult copyStream(int in, int out, Pacer &limiter, const JobContext &context,
                      const QString &source, const QString &target)
{
    using Clock = std::chrono::steady_clock;
    const qint64 chunkSize = limiter.chunkSize(preferredChunkSize);
    std::vector<char> buffer(static_cast<size_t>(chunkSize));
    auto lastProgress = Clock::now();
    CopyResult result;
    for (;;) {
        if (context.cancelled) {
            result.error = cancelledError();
            return result;
        }
        const ssize_t n = readSome(in, buffer.data(), buffer.size());
        if (n < 0) {
            result.error =
                LocalDirOperations::errnoError(errno, source, QStringLiteral("cannot read"));
            return result;
        }
        if (n == 0)
            return result;
        if (!limiter.acquire(n, context.cancelled)) {
            result.error = cancelledError();
            return result;
        }
        if (const int writeError = writeAll(out, buffer.data(), size_t(n))) {
            result.error =
                LocalDirOperations::errnoError(writeError, target, QStringLiteral("cannot write"));
            return result;
        }
        result.copied += n;
        const auto now = Clock::now();
        if (context.progress && now - lastProgress >= progressInterval) {
            context.progress(result.copied);
            lastProgress = now;
        }
    }
}

// The remote file of a download, opened and checked to be a regular file.
Result<FileDescriptor> openDownloadSource(const ParentDirectory &parent, const QString &path,
                                          struct stat *before)
{
    // O_NONBLOCK: opening a FIFO planted in the remote must not hang the worker.
    FileDescriptor source(::openat(parent.dir.get(), parent.leaf.constData(),
                                   O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
    if (source.get() < 0) {
        if (errno == ELOOP)
            return makeError(ErrorKind::NotFound,
                             QStringLiteral("%1: is a symbolic link; not synced").arg(path));
        return LocalDirOperations::errnoError(errno, path, QStringLiteral("cannot open"));
    }
    if (::fstat(source.get(), before) != 0)
        return LocalDirOperations::errnoError(errno, path, QStringLiteral("cannot stat"));
    if (S_ISDIR(before->st_mode))
        return makeError(ErrorKind::Permanent,
                         QStringLiteral("%1: is a directory, not a file").arg(path));
    if (!S_ISREG(before->st_mode))
        return makeError(ErrorKind::NotFound,
                         QStringLiteral("%1: is a special file; not synced").arg(path));
    return source;
}

// The local target of a download, created (or truncated) and checked to be a regular file.
Result<FileDescriptor> createDownloadTarget(const QString &localTargetFile)
{
    FileDescriptor target(::open(QFile::encodeName(localTargetFile).constData(),
                                 O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOCTTY, 0666));
    if (target.get() < 0)
        return LocalDirOperations::errnoError(errno, localTargetFile,
                                              QStringLiteral("cannot create"));
    struct stat targetStatus;
    if (::fstat(target.get(), &targetStatus) != 0)
        return LocalDirOperations::errnoError(errno, localTargetFile,
                                              QStringLiteral("cannot stat"));
    if (!S_ISREG(targetStatus.st_mode))
        return makeError(ErrorKind::Permanent,
                         QStringLiteral("%1: is not a regular file").arg(localTargetFile));
    return target;
}

// Flushes and closes a written file; write errors of network file systems surface here.
std::optional<Error> flushAndClose(FileDescriptor &file, const QString &subject)
{
    if (::fsync(file.get()) != 0)
        return LocalDirOperations::errnoError(errno, subject, QStringLiteral("cannot flush"));
    if (const int closeError = file.close())
        return LocalDirOperations::errnoError(closeError, subject, QStringLiteral("cannot write"));
    return std::nullopt;
}

// The local file of an upload, opened and checked to be a regular file.
Result<FileDescriptor> openUploadSource(const QString &localFile, const QString &path,
                                        struct stat *before)
{
    FileDescriptor source(::open(QFile::encodeName(localFile).constData(),
                                 O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
    if (source.get() < 0) {
        const int openError = errno;
        if (openError == ENOENT)
            return makeError(ErrorKind::NotFound,
                             QStringLiteral("%1: the local file %2 vanished").arg(path, localFile));
        if (openError == EACCES || openError == EPERM)
            return makeError(ErrorKind::Permanent,
                             QStringLiteral("%1: cannot read the local file %2: %3")
                                 .arg(path, localFile, qt_error_string(openError)));
        return LocalDirOperations::errnoError(openError, localFile, QStringLiteral("cannot open"));
    }
    if (::fstat(source.get(), before) != 0)
        return LocalDirOperations::errnoError(errno, localFile, QStringLiteral("cannot stat"));
    if (!S_ISREG(before->st_mode))
        return makeError(
            ErrorKind::Permanent,
            QStringLiteral("%1: the local %2 is not a regular file").arg(path, localFile));
    return source;
}

Error directoryInTheWay(const QString &path)
{
    return makeError(ErrorKind::PreconditionFailed,
                     QStringLiteral("%1: a directory exists there on the remote").arg(path));
}

bool isDirectoryAt(int dirFd, const QByteArray &leaf)
{
    struct stat status;
    return statAt(dirFd, leaf, &status) == 0 && S_ISDIR(status.st_mode);
}

// An upload's partial file, open for writing, and its name in the target's directory.
struct PartialFile
{
    FileDescriptor file;
    QByteArray name;
};

// Same directory as the target, so the final rename is atomic.
Result<PartialFile> createPartialFile(int dirFd, const QString &path, const QString &temporaryPath)
{
    PartialFile partial;
    partial.name = encodeName(temporaryPath.mid(temporaryPath.lastIndexOf(u'/') + 1));
    // A name of this client's own (recorded in its journal before use): what a killed run
    // left under it is this client's, so it is overwritten.
    if (!partial.name.isEmpty())
        partial.file =
            FileDescriptor(::openat(dirFd, partial.name.constData(),
                                    O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0666));
    for (int attempt = 0; temporaryPath.isEmpty() && attempt < 4 && partial.file.get() < 0;
         ++attempt) {
        partial.name = QByteArray(ReservedNames::partialFilePrefix) +
                       QByteArray::number(QRandomGenerator::global()->generate64(), 16);
        partial.file = FileDescriptor(::openat(dirFd, partial.name.constData(),
                                               O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666));
        if (partial.file.get() < 0 && errno != EEXIST)
            break;
    }
    if (partial.file.get() < 0)
        return LocalDirOperations::errnoError(errno, path,
                                              QStringLiteral("cannot create a partial file"));
    return partial;
}

// Renames the partial file onto the target. A plain directory has no compare-and-swap:
// RENAME_NOREPLACE gives one for MustNotExist, the directory lock for MustMatch (against
// other Steadysync clients).
std::optional<Error> publishPartialFile(int dirFd, const QByteArray &partialName,
                                        const QByteArray &leaf, const QString &path,
                                        const Precondition &precondition)
{
    if (precondition.kind == Precondition::Kind::MustNotExist) {
        if (const int renameError = PosixFs::renameNoReplace(dirFd, partialName, dirFd, leaf)) {
            if (renameError == EEXIST)
                return makeError(ErrorKind::PreconditionFailed,
                                 QStringLiteral("%1: already exists on the remote").arg(path));
            return LocalDirOperations::errnoError(renameError, path,
                                                  QStringLiteral("cannot rename into place"));
        }
        return std::nullopt;
    }
    const DirectoryLock lock(dirFd);
    if (auto error = checkPrecondition(dirFd, leaf, path, precondition))
        return error;
    if (::renameat(dirFd, partialName.constData(), dirFd, leaf.constData()) != 0) {
        if (errno == EISDIR || errno == ENOTEMPTY || errno == EEXIST)
            return directoryInTheWay(path);
        return LocalDirOperations::errnoError(errno, path,
                                              QStringLiteral("cannot rename into place"));
    }
    return std::nullopt;
}

} // namespace

LocalDirOperations::Outcome LocalDirOperations::download(const QString &path,
                                                         const QString &localTargetFile,
                                                         const JobContext &context) const
{
    auto parent = openValidParent(m_root, path, ErrorKind::NotFound);
    if (!parent.ok())
        return failure(parent.error());
    struct stat before;
    Result<FileDescriptor> source = openDownloadSource(*parent, path, &before);
    if (!source)
        return failure(source.error());
    Result<FileDescriptor> target = createDownloadTarget(localTargetFile);
    if (!target)
        return failure(target.error());
    // An incomplete download is worthless: whatever fails below removes it.
    const auto discard = [&](Error error) {
        target->reset();
        ::unlink(QFile::encodeName(localTargetFile).constData());
        return failure(std::move(error));
    };

    const CopyResult copy =
        copyStream(source->get(), target->get(), m_downLimiter, context, path, localTargetFile);
    if (copy.error)
        return discard(*copy.error);
    if (auto error = flushAndClose(*target, localTargetFile))
        return discard(*error);

    struct stat afterOpen;
    struct stat afterPath;
    const bool unchanged = ::fstat(source->get(), &afterOpen) == 0 &&
                           sameVersion(before, afterOpen) &&
                           statAt(parent->dir.get(), parent->leaf, &afterPath) == 0 &&
                           sameVersion(before, afterPath) && copy.copied == qint64(before.st_size);
    if (!unchanged)
        return discard(makeError(ErrorKind::Transient,
                                 QStringLiteral("%1: changed while downloading").arg(path)));
    return withEntry(entryFromStat(path, before), copy.copied);
}

LocalDirOperations::Outcome LocalDirOperations::upload(const QString &localFile,
                                                       const QString &path, qint64 mtimeNs,
                                                       const Precondition &precondition,
                                                       const QString &temporaryPath,
                                                       const JobContext &context) const
{
    if (auto error = validatePath(path, false))
        return failure(*error);
    struct stat sourceBefore;
    Result<FileDescriptor> source = openUploadSource(localFile, path, &sourceBefore);
    if (!source)
        return failure(source.error());
    auto parent = openParent(m_root, path, ErrorKind::ParentMissing);
    if (!parent.ok())
        return failure(parent.error());
    const int dirFd = parent->dir.get();
    const QByteArray &leaf = parent->leaf;
    // Checked now to skip a doomed transfer, and again just before the rename.
    if (auto error = checkPrecondition(dirFd, leaf, path, precondition))
        return failure(*error);
    if (isDirectoryAt(dirFd, leaf))
        return failure(directoryInTheWay(path));

    Result<PartialFile> partial = createPartialFile(dirFd, path, temporaryPath);
    if (!partial)
        return failure(partial.error());
    PartialFileGuard partialGuard(dirFd, partial->name);
    const CopyResult copy =
        copyStream(source->get(), partial->file.get(), m_upLimiter, context, localFile, path);
    if (copy.error)
        return failure(*copy.error);
    const timespec times[2] = {{0, UTIME_OMIT}, PosixFs::timespecFromNs(mtimeNs)};
    // Best effort: some file systems (FAT, foreign-owned mounts) refuse or round it.
    ::futimens(partial->file.get(), times);
    if (auto error = flushAndClose(partial->file, path))
        return failure(*error);

    struct stat sourceAfter;
    if (::fstat(source->get(), &sourceAfter) != 0 || !sameVersion(sourceBefore, sourceAfter) ||
        copy.copied != qint64(sourceBefore.st_size))
        return failure(
            makeError(ErrorKind::Transient,
                      QStringLiteral("%1: the local file changed while uploading").arg(path)));
    if (context.cancelled)
        return failure(cancelledError());
    if (auto error = publishPartialFile(dirFd, partial->name, leaf, path, precondition))
        return failure(*error);
    partialGuard.disarm();
    ::fsync(dirFd);

    struct stat finalStatus;
    if (const int statError = statAt(dirFd, leaf, &finalStatus))
        return failure(errnoError(statError, path, QStringLiteral("cannot stat after upload")));
    return withEntry(entryFromStat(path, finalStatus), copy.copied);
}

} // namespace steadysync
