#include "remote/localdiroperations.h"

#include "local/ignorerules.h"

#include <QFile>
#include <QRandomGenerator>
#include <QStringDecoder>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <memory>
#include <utility>
#include <vector>

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace steadysync {

namespace {

using Outcome = LocalDirOperations::Outcome;
using JobContext = LocalDirOperations::JobContext;

constexpr qint64 preferredChunkSize = 1024 * 1024;
constexpr auto progressInterval = std::chrono::milliseconds(100);
constexpr qint64 nanosecondsPerSecond = 1'000'000'000;
constexpr char stateDirectoryName[] = ".steadysync";

class FileDescriptor
{
public:
    FileDescriptor() = default;
    explicit FileDescriptor(int fd) : m_fd(fd) {}
    FileDescriptor(FileDescriptor &&other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}
    FileDescriptor &operator=(FileDescriptor &&other) noexcept
    {
        if (this != &other) {
            reset();
            m_fd = std::exchange(other.m_fd, -1);
        }
        return *this;
    }
    FileDescriptor(const FileDescriptor &) = delete;
    FileDescriptor &operator=(const FileDescriptor &) = delete;
    ~FileDescriptor() { reset(); }

    int get() const { return m_fd; }
    int release() { return std::exchange(m_fd, -1); }
    void reset()
    {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = -1;
    }
    // Closes and returns close()'s errno (network file systems report write errors here).
    int close()
    {
        const int fd = std::exchange(m_fd, -1);
        return fd >= 0 && ::close(fd) != 0 ? errno : 0;
    }

private:
    int m_fd = -1;
};

struct DirCloser
{
    void operator()(DIR *stream) const { ::closedir(stream); }
};
using DirStream = std::unique_ptr<DIR, DirCloser>;

// An open directory and the name of one item in it.
struct ParentDirectory
{
    FileDescriptor dir;
    QByteArray leaf;
};

// Removes the partial file of an upload unless it was published.
class PartialFileGuard
{
public:
    PartialFileGuard(int dirFd, QByteArray name) : m_dirFd(dirFd), m_name(std::move(name)) {}
    PartialFileGuard(const PartialFileGuard &) = delete;
    PartialFileGuard &operator=(const PartialFileGuard &) = delete;
    ~PartialFileGuard()
    {
        if (m_armed)
            ::unlinkat(m_dirFd, m_name.constData(), 0);
    }
    void disarm() { m_armed = false; }

private:
    int m_dirFd;
    QByteArray m_name;
    bool m_armed = true;
};

Outcome failure(Error error)
{
    Outcome outcome;
    outcome.error = std::move(error);
    return outcome;
}

Outcome withEntry(RemoteEntry entry, qint64 bytesTransferred = 0)
{
    Outcome outcome;
    outcome.entry = std::move(entry);
    outcome.bytesTransferred = bytesTransferred;
    return outcome;
}

Error cancelledError()
{
    return makeError(ErrorKind::Cancelled, QStringLiteral("cancelled"));
}

QByteArray encodeName(const QString &name)
{
    return name.toUtf8();
}

qint64 mtimeNsOf(const struct stat &status)
{
    return qint64(status.st_mtim.tv_sec) * nanosecondsPerSecond + status.st_mtim.tv_nsec;
}

bool sameVersion(const struct stat &a, const struct stat &b)
{
    return a.st_dev == b.st_dev && a.st_ino == b.st_ino && a.st_size == b.st_size &&
           mtimeNsOf(a) == mtimeNsOf(b);
}

bool isRegularOrDirectory(const struct stat &status)
{
    return S_ISREG(status.st_mode) || S_ISDIR(status.st_mode);
}

// 0 on success, else errno.
int statAt(int dirFd, const QByteArray &name, struct stat *status)
{
    return ::fstatat(dirFd, name.constData(), status, AT_SYMLINK_NOFOLLOW) == 0 ? 0 : errno;
}

Error rootError(const QString &root, int errorNumber)
{
    return makeError(ErrorKind::RootMissing,
                     QStringLiteral("remote root %1 is missing or not accessible: %2")
                         .arg(root, qt_error_string(errorNumber)));
}

Result<FileDescriptor> openRoot(const QString &root)
{
    const int fd = ::open(QFile::encodeName(root).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return rootError(root, errno);
    return FileDescriptor(fd);
}

// Opens root/components[0..count) one level at a time without following symbolic links.
// A missing or non-directory level gives missingKind; subject names the item in messages.
Result<FileDescriptor> openDirectoryChain(const QString &root, const QStringList &components,
                                          qsizetype count, ErrorKind missingKind,
                                          const QString &subject)
{
    auto opened = openRoot(root);
    if (!opened.ok())
        return opened.error();
    FileDescriptor current = std::move(opened).value();
    QString walked;
    for (qsizetype i = 0; i < count; ++i) {
        walked = joinPath(walked, components.at(i));
        const QByteArray name = encodeName(components.at(i));
        const int fd = ::openat(current.get(), name.constData(),
                                O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd >= 0) {
            current = FileDescriptor(fd);
            continue;
        }
        const int openError = errno;
        if (openError == ENOENT || openError == ENOTDIR || openError == ELOOP) {
            struct stat status;
            if (statAt(current.get(), name, &status) == 0 && S_ISLNK(status.st_mode))
                return makeError(ErrorKind::InvalidName,
                                 QStringLiteral("%1: %2 is a symbolic link on the remote; it is "
                                                "not followed")
                                     .arg(subject, walked));
            return makeError(
                missingKind,
                QStringLiteral("%1: directory %2 does not exist").arg(subject, walked));
        }
        return LocalDirOperations::errnoError(
            openError, subject, QStringLiteral("cannot open directory %1").arg(walked));
    }
    return current;
}

Result<ParentDirectory> openParent(const QString &root, const QString &path, ErrorKind missingKind)
{
    const QStringList components = path.split(QLatin1Char('/'));
    auto dir = openDirectoryChain(root, components, components.size() - 1, missingKind, path);
    if (!dir.ok())
        return dir.error();
    return ParentDirectory{std::move(dir).value(), encodeName(components.last())};
}

// nullopt when the item `leaf` in dirFd satisfies the precondition.
// Serialises "check the precondition, then replace" between processes sharing the remote
// (two clients on one NAS folder): an exclusive flock on the parent directory for the few
// syscalls in between. Advisory, so only our own writers are held back, which is the point.
class DirectoryLock
{
public:
    explicit DirectoryLock(int dirFd) : m_fd(::flock(dirFd, LOCK_EX) == 0 ? dirFd : -1) {}
    ~DirectoryLock()
    {
        if (m_fd >= 0)
            ::flock(m_fd, LOCK_UN);
    }
    DirectoryLock(const DirectoryLock &) = delete;
    DirectoryLock &operator=(const DirectoryLock &) = delete;

private:
    int m_fd;
};

std::optional<Error> checkPrecondition(int dirFd, const QByteArray &leaf, const QString &path,
                                       const Precondition &precondition)
{
    if (precondition.kind == Precondition::Kind::None)
        return std::nullopt;
    struct stat status;
    const int statError = statAt(dirFd, leaf, &status);
    if (statError != 0 && statError != ENOENT)
        return LocalDirOperations::errnoError(statError, path, QStringLiteral("cannot stat"));
    const bool exists = statError == 0;
    if (precondition.kind == Precondition::Kind::MustNotExist) {
        if (exists)
            return makeError(ErrorKind::PreconditionFailed,
                             QStringLiteral("%1: already exists on the remote").arg(path));
        return std::nullopt;
    }
    if (!exists)
        return makeError(ErrorKind::PreconditionFailed,
                         QStringLiteral("%1: no longer exists on the remote").arg(path));
    const QByteArray current = LocalDirOperations::entryFromStat(path, status).signature();
    if (current != precondition.signature)
        return makeError(ErrorKind::PreconditionFailed,
                         QStringLiteral("%1: changed on the remote (expected %2, found %3)")
                             .arg(path, QString::fromLatin1(precondition.signature),
                                  QString::fromLatin1(current)));
    return std::nullopt;
}

// rename(2) that never replaces an existing target; 0 or errno (EEXIST when the target exists).
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
    const int statError = statAt(toDir, to, &status);
    if (statError == 0)
        return EEXIST;
    if (statError != ENOENT)
        return statError;
    return ::renameat(fromDir, from.constData(), toDir, to.constData()) == 0 ? 0 : errno;
}

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

QList<QByteArray> readNames(DIR *stream, int *errorNumber)
{
    QList<QByteArray> names;
    errno = 0;
    while (const dirent *entry = ::readdir(stream)) {
        const QByteArray name(entry->d_name);
        if (name != "." && name != "..")
            names.append(name);
        errno = 0;
    }
    *errorNumber = errno;
    return names;
}

// Opens dirFd/name as a directory stream without following a symbolic link.
DirStream openDirStream(int dirFd, const QByteArray &name, int *errorNumber)
{
    const int fd =
        ::openat(dirFd, name.constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        *errorNumber = errno;
        return nullptr;
    }
    DIR *stream = ::fdopendir(fd);
    if (!stream) {
        *errorNumber = errno;
        ::close(fd);
        return nullptr;
    }
    *errorNumber = 0;
    return DirStream(stream);
}

std::optional<Error> removeTree(int parentFd, const QByteArray &name, const QString &path,
                                const JobContext &context)
{
    int openError = 0;
    const DirStream stream = openDirStream(parentFd, name, &openError);
    if (!stream)
        return LocalDirOperations::errnoError(openError, path,
                                              QStringLiteral("cannot open directory"));
    int readError = 0;
    const QList<QByteArray> children = readNames(stream.get(), &readError);
    if (readError != 0)
        return LocalDirOperations::errnoError(readError, path,
                                              QStringLiteral("cannot read directory"));
    const int fd = ::dirfd(stream.get());
    for (const QByteArray &child : children) {
        if (context.cancelled)
            return cancelledError();
        const QString childPath = joinPath(path, QString::fromUtf8(child));
        struct stat status;
        const int statError = statAt(fd, child, &status);
        if (statError == ENOENT)
            continue;
        if (statError != 0)
            return LocalDirOperations::errnoError(statError, childPath,
                                                  QStringLiteral("cannot stat"));
        if (S_ISDIR(status.st_mode)) {
            if (auto error = removeTree(fd, child, childPath, context))
                return error;
        } else if (::unlinkat(fd, child.constData(), 0) != 0 && errno != ENOENT) {
            return LocalDirOperations::errnoError(errno, childPath,
                                                  QStringLiteral("cannot remove"));
        }
    }
    if (::unlinkat(parentFd, name.constData(), AT_REMOVEDIR) != 0 && errno != ENOENT)
        return LocalDirOperations::errnoError(errno, path,
                                              QStringLiteral("cannot remove directory"));
    return std::nullopt;
}

// Best effort: an unreadable corner only keeps its stale partial files a little longer.
void sweepPartials(int dirFd, bool isRoot, qint64 cutoffNs, const QByteArray &prefix,
                   const JobContext &context)
{
    const int ownFd = ::dup(dirFd);
    if (ownFd < 0)
        return;
    DIR *rawStream = ::fdopendir(ownFd);
    if (!rawStream) {
        ::close(ownFd);
        return;
    }
    const DirStream stream(rawStream);
    int readError = 0;
    const QList<QByteArray> names = readNames(stream.get(), &readError);
    for (const QByteArray &name : names) {
        if (context.cancelled)
            return;
        if (isRoot && name == stateDirectoryName)
            continue;
        struct stat status;
        if (statAt(dirFd, name, &status) != 0)
            continue;
        if (S_ISDIR(status.st_mode)) {
            const int child =
                ::openat(dirFd, name.constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (child < 0)
                continue;
            const FileDescriptor childFd(child);
            sweepPartials(childFd.get(), false, cutoffNs, prefix, context);
        } else if (S_ISREG(status.st_mode) && name.startsWith(prefix) &&
                   mtimeNsOf(status) < cutoffNs) {
            ::unlinkat(dirFd, name.constData(), 0);
        }
    }
}

QString printablePath(const QString &path)
{
    return QString(path).replace(QChar(u'\0'), QStringLiteral("\\0"));
}

} // namespace

LocalDirOperations::LocalDirOperations(QString rootDirectory, qint64 bwLimitUpKiB,
                                       qint64 bwLimitDownKiB)
    : m_root(std::move(rootDirectory)), m_upLimiter(bwLimitUpKiB), m_downLimiter(bwLimitDownKiB)
{}

std::optional<Error> LocalDirOperations::validatePath(const QString &path, bool allowRoot)
{
    const auto invalid = [&path](const QString &why) {
        return makeError(
            ErrorKind::InvalidName,
            QStringLiteral("invalid remote path '%1': %2").arg(printablePath(path), why));
    };
    if (path.isEmpty()) {
        if (allowRoot)
            return std::nullopt;
        return invalid(QStringLiteral("the root itself cannot be the target"));
    }
    if (path.contains(QChar(u'\0')))
        return invalid(QStringLiteral("contains a NUL character"));
    if (path.startsWith(QLatin1Char('/')))
        return invalid(QStringLiteral("absolute paths are not allowed"));
    if (QString::fromUtf8(path.toUtf8()) != path)
        return invalid(QStringLiteral("not valid Unicode"));
    const QStringList components = path.split(QLatin1Char('/'));
    for (qsizetype i = 0; i < components.size(); ++i) {
        const QString &component = components.at(i);
        if (component.isEmpty())
            return invalid(QStringLiteral("empty path component"));
        if (component == QLatin1String(".") || component == QLatin1String(".."))
            return invalid(QStringLiteral("'.' and '..' are not allowed"));
        if (component.startsWith(IgnoreRules::partialFilePrefix()))
            return invalid(QStringLiteral("the name is reserved for partial transfers"));
        if (i == 0 && component == QLatin1String(stateDirectoryName))
            return invalid(QStringLiteral("the name is reserved for the client's state"));
    }
    return std::nullopt;
}

ErrorKind LocalDirOperations::errorKindForErrno(int errorNumber)
{
    switch (errorNumber) {
    case ENOENT:
    case ENOTDIR:
        return ErrorKind::NotFound;
    case ENOSPC:
    case EDQUOT:
        return ErrorKind::DiskFull;
    case EIO:
    case EBUSY:
    case ETXTBSY:
    case EAGAIN:
    case EINTR:
    case ETIMEDOUT:
    case ESTALE:
    case ENOTCONN:
    case ENOMEM:
    case EMFILE:
    case ENFILE:
        return ErrorKind::Transient;
    case ENAMETOOLONG:
    case EILSEQ:
        return ErrorKind::InvalidName;
    case EEXIST:
    case ENOTEMPTY:
        return ErrorKind::PreconditionFailed;
    case EACCES:
    case EPERM:
    case EROFS:
    default:
        return ErrorKind::Permanent;
    }
}

Error LocalDirOperations::errnoError(int errorNumber, const QString &subject, const QString &action)
{
    return makeError(errorKindForErrno(errorNumber),
                     QStringLiteral("%1: %2: %3")
                         .arg(printablePath(subject), action, qt_error_string(errorNumber)));
}

RemoteEntry LocalDirOperations::entryFromStat(const QString &path, const struct stat &status)
{
    RemoteEntry entry;
    entry.path = path;
    entry.type = S_ISDIR(status.st_mode) ? ItemType::Directory : ItemType::File;
    entry.size = entry.isDir() ? 0 : qint64(status.st_size);
    entry.mtimeNs = mtimeNsOf(status);
    entry.etag = '"' + QByteArray::number(qulonglong(status.st_ino), 16) + '-' +
                 QByteArray::number(entry.size, 16) + '-' + QByteArray::number(entry.mtimeNs, 16) +
                 '"';
    return entry;
}

LocalDirOperations::Outcome LocalDirOperations::stat(const QString &path) const
{
    if (auto error = validatePath(path, true))
        return failure(*error);
    if (path.isEmpty()) {
        auto root = openRoot(m_root);
        if (!root.ok())
            return failure(root.error());
        struct stat status;
        if (::fstat(root->get(), &status) != 0)
            return failure(rootError(m_root, errno));
        if (::access(QFile::encodeName(m_root).constData(), R_OK | X_OK) != 0)
            return failure(rootError(m_root, errno));
        return withEntry(entryFromStat(QString(), status));
    }
    auto parent = openParent(m_root, path, ErrorKind::NotFound);
    if (!parent.ok())
        return failure(parent.error());
    struct stat status;
    if (const int statError = statAt(parent->dir.get(), parent->leaf, &status))
        return failure(errnoError(statError, path, QStringLiteral("cannot stat")));
    if (!isRegularOrDirectory(status))
        return failure(makeError(ErrorKind::NotFound,
                                 QStringLiteral("%1: is a symbolic link or a special file; not "
                                                "synced")
                                     .arg(path)));
    return withEntry(entryFromStat(path, status));
}

LocalDirOperations::Outcome LocalDirOperations::list(const QString &directory) const
{
    if (auto error = validatePath(directory, true))
        return failure(*error);
    const bool isRoot = directory.isEmpty();
    const QStringList components = isRoot ? QStringList() : directory.split(QLatin1Char('/'));
    auto opened =
        openDirectoryChain(m_root, components, components.size(), ErrorKind::NotFound, directory);
    if (!opened.ok())
        return failure(opened.error());
    // A root that cannot be read must never look like an empty one (SPEC §4).
    const auto readFailure = [&](int errorNumber, const QString &subject, const QString &action) {
        if (isRoot)
            return failure(rootError(m_root, errorNumber));
        return failure(errnoError(errorNumber, subject, action));
    };
    int openError = 0;
    const DirStream stream = openDirStream(opened->get(), QByteArrayLiteral("."), &openError);
    if (!stream)
        return readFailure(openError, directory, QStringLiteral("cannot list"));
    int readError = 0;
    const QList<QByteArray> names = readNames(stream.get(), &readError);
    if (readError != 0)
        return readFailure(readError, directory, QStringLiteral("cannot list"));

    const QByteArray partialPrefix = encodeName(IgnoreRules::partialFilePrefix());
    const int fd = ::dirfd(stream.get());
    Outcome outcome;
    for (const QByteArray &rawName : names) {
        if (rawName.startsWith(partialPrefix) || (isRoot && rawName == stateDirectoryName))
            continue;
        QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
        const QString name = decoder(rawName);
        if (decoder.hasError() || name.toUtf8() != rawName) {
            const QString lossyPath = joinPath(directory, QString::fromUtf8(rawName));
            outcome.rejectedNames.append(
                QStringLiteral("%1: the name is not valid UTF-8").arg(lossyPath));
            outcome.rejectedPaths.append(lossyPath);
            continue;
        }
        const QString childPath = joinPath(directory, name);
        struct stat status;
        const int statError = statAt(fd, rawName, &status);
        if (statError == ENOENT)
            continue;
        // Leaving out an entry we could not examine would read as a deletion.
        if (statError != 0)
            return readFailure(statError, childPath, QStringLiteral("cannot stat"));
        if (!isRegularOrDirectory(status))
            continue;
        outcome.entries.append(entryFromStat(childPath, status));
    }
    std::sort(outcome.entries.begin(), outcome.entries.end(),
              [](const RemoteEntry &a, const RemoteEntry &b) { return a.path < b.path; });
    return outcome;
}

LocalDirOperations::Outcome LocalDirOperations::download(const QString &path,
                                                         const QString &localTargetFile,
                                                         const JobContext &context) const
{
    if (auto error = validatePath(path, false))
        return failure(*error);
    auto parent = openParent(m_root, path, ErrorKind::NotFound);
    if (!parent.ok())
        return failure(parent.error());
    // O_NONBLOCK: opening a FIFO planted in the remote must not hang the worker.
    FileDescriptor source(::openat(parent->dir.get(), parent->leaf.constData(),
                                   O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
    if (source.get() < 0) {
        if (errno == ELOOP)
            return failure(
                makeError(ErrorKind::NotFound,
                          QStringLiteral("%1: is a symbolic link; not synced").arg(path)));
        return failure(errnoError(errno, path, QStringLiteral("cannot open")));
    }
    struct stat before;
    if (::fstat(source.get(), &before) != 0)
        return failure(errnoError(errno, path, QStringLiteral("cannot stat")));
    if (S_ISDIR(before.st_mode))
        return failure(makeError(ErrorKind::Permanent,
                                 QStringLiteral("%1: is a directory, not a file").arg(path)));
    if (!S_ISREG(before.st_mode))
        return failure(makeError(ErrorKind::NotFound,
                                 QStringLiteral("%1: is a special file; not synced").arg(path)));

    const QByteArray targetName = QFile::encodeName(localTargetFile);
    FileDescriptor target(
        ::open(targetName.constData(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOCTTY, 0666));
    if (target.get() < 0)
        return failure(errnoError(errno, localTargetFile, QStringLiteral("cannot create")));
    struct stat targetStatus;
    if (::fstat(target.get(), &targetStatus) != 0)
        return failure(errnoError(errno, localTargetFile, QStringLiteral("cannot stat")));
    if (!S_ISREG(targetStatus.st_mode))
        return failure(makeError(ErrorKind::Permanent,
                                 QStringLiteral("%1: is not a regular file").arg(localTargetFile)));
    // An incomplete download is worthless: whatever fails below removes it.
    const auto discard = [&](Error error) {
        target.reset();
        ::unlink(targetName.constData());
        return failure(std::move(error));
    };

    const CopyResult copy =
        copyStream(source.get(), target.get(), m_downLimiter, context, path, localTargetFile);
    if (copy.error)
        return discard(*copy.error);
    if (::fsync(target.get()) != 0)
        return discard(errnoError(errno, localTargetFile, QStringLiteral("cannot flush")));
    if (const int closeError = target.close())
        return discard(errnoError(closeError, localTargetFile, QStringLiteral("cannot write")));

    struct stat afterOpen;
    struct stat afterPath;
    const bool unchanged = ::fstat(source.get(), &afterOpen) == 0 &&
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
    FileDescriptor source(::open(QFile::encodeName(localFile).constData(),
                                 O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
    if (source.get() < 0) {
        const int openError = errno;
        if (openError == ENOENT)
            return failure(
                makeError(ErrorKind::NotFound,
                          QStringLiteral("%1: the local file %2 vanished").arg(path, localFile)));
        if (openError == EACCES || openError == EPERM)
            return failure(makeError(ErrorKind::Permanent,
                                     QStringLiteral("%1: cannot read the local file %2: %3")
                                         .arg(path, localFile, qt_error_string(openError))));
        return failure(errnoError(openError, localFile, QStringLiteral("cannot open")));
    }
    struct stat sourceBefore;
    if (::fstat(source.get(), &sourceBefore) != 0)
        return failure(errnoError(errno, localFile, QStringLiteral("cannot stat")));
    if (!S_ISREG(sourceBefore.st_mode))
        return failure(makeError(
            ErrorKind::Permanent,
            QStringLiteral("%1: the local %2 is not a regular file").arg(path, localFile)));

    auto parent = openParent(m_root, path, ErrorKind::ParentMissing);
    if (!parent.ok())
        return failure(parent.error());
    const int dirFd = parent->dir.get();
    const QByteArray &leaf = parent->leaf;

    const auto targetIsDirectory = [&]() {
        struct stat status;
        return statAt(dirFd, leaf, &status) == 0 && S_ISDIR(status.st_mode);
    };
    const auto directoryInTheWay = [&]() {
        return failure(
            makeError(ErrorKind::PreconditionFailed,
                      QStringLiteral("%1: a directory exists there on the remote").arg(path)));
    };
    // Checked now to skip a doomed transfer, and again just before the rename.
    if (auto error = checkPrecondition(dirFd, leaf, path, precondition))
        return failure(*error);
    if (targetIsDirectory())
        return directoryInTheWay();

    // Same directory as the target, so the final rename is atomic.
    QByteArray partialName = encodeName(temporaryPath.mid(temporaryPath.lastIndexOf(u'/') + 1));
    FileDescriptor partial;
    // A name of this client's own (recorded in its journal before use): what a killed run
    // left under it is this client's, so it is overwritten.
    if (!partialName.isEmpty())
        partial = FileDescriptor(::openat(dirFd, partialName.constData(),
                                          O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
                                          0666));
    for (int attempt = 0; temporaryPath.isEmpty() && attempt < 4 && partial.get() < 0;
         ++attempt) {
        partialName = encodeName(IgnoreRules::partialFilePrefix()) +
                      QByteArray::number(QRandomGenerator::global()->generate64(), 16);
        partial = FileDescriptor(::openat(dirFd, partialName.constData(),
                                          O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666));
        if (partial.get() < 0 && errno != EEXIST)
            break;
    }
    if (partial.get() < 0)
        return failure(errnoError(errno, path, QStringLiteral("cannot create a partial file")));
    PartialFileGuard partialGuard(dirFd, partialName);

    const CopyResult copy =
        copyStream(source.get(), partial.get(), m_upLimiter, context, localFile, path);
    if (copy.error)
        return failure(*copy.error);
    const timespec times[2] = {{0, UTIME_OMIT}, timespecFromNs(mtimeNs)};
    // Best effort: some file systems (FAT, foreign-owned mounts) refuse or round it.
    ::futimens(partial.get(), times);
    if (::fsync(partial.get()) != 0)
        return failure(errnoError(errno, path, QStringLiteral("cannot flush")));
    if (const int closeError = partial.close())
        return failure(errnoError(closeError, path, QStringLiteral("cannot write")));

    struct stat sourceAfter;
    if (::fstat(source.get(), &sourceAfter) != 0 || !sameVersion(sourceBefore, sourceAfter) ||
        copy.copied != qint64(sourceBefore.st_size))
        return failure(
            makeError(ErrorKind::Transient,
                      QStringLiteral("%1: the local file changed while uploading").arg(path)));
    if (context.cancelled)
        return failure(cancelledError());

    // A plain directory has no compare-and-swap: RENAME_NOREPLACE gives one for MustNotExist,
    // the directory lock for MustMatch (against other Steadysync clients).
    if (precondition.kind == Precondition::Kind::MustNotExist) {
        if (const int renameError = renameNoReplace(dirFd, partialName, dirFd, leaf)) {
            if (renameError == EEXIST)
                return failure(
                    makeError(ErrorKind::PreconditionFailed,
                              QStringLiteral("%1: already exists on the remote").arg(path)));
            return failure(
                errnoError(renameError, path, QStringLiteral("cannot rename into place")));
        }
    } else {
        const DirectoryLock lock(dirFd);
        if (auto error = checkPrecondition(dirFd, leaf, path, precondition))
            return failure(*error);
        if (::renameat(dirFd, partialName.constData(), dirFd, leaf.constData()) != 0) {
            if (errno == EISDIR || errno == ENOTEMPTY || errno == EEXIST)
                return directoryInTheWay();
            return failure(errnoError(errno, path, QStringLiteral("cannot rename into place")));
        }
    }
    partialGuard.disarm();
    ::fsync(dirFd);

    struct stat finalStatus;
    if (const int statError = statAt(dirFd, leaf, &finalStatus))
        return failure(errnoError(statError, path, QStringLiteral("cannot stat after upload")));
    return withEntry(entryFromStat(path, finalStatus), copy.copied);
}

LocalDirOperations::Outcome LocalDirOperations::makeDirectory(const QString &path) const
{
    if (auto error = validatePath(path, false))
        return failure(*error);
    auto parent = openParent(m_root, path, ErrorKind::ParentMissing);
    if (!parent.ok())
        return failure(parent.error());
    if (::mkdirat(parent->dir.get(), parent->leaf.constData(), 0777) != 0 && errno != EEXIST)
        return failure(errnoError(errno, path, QStringLiteral("cannot create directory")));
    struct stat status;
    if (const int statError = statAt(parent->dir.get(), parent->leaf, &status))
        return failure(errnoError(statError, path, QStringLiteral("cannot stat")));
    if (!S_ISDIR(status.st_mode))
        return failure(makeError(ErrorKind::PreconditionFailed,
                                 QStringLiteral("%1: something other than a directory exists there "
                                                "on the remote")
                                     .arg(path)));
    ::fsync(parent->dir.get());
    return withEntry(entryFromStat(path, status));
}

LocalDirOperations::Outcome LocalDirOperations::move(const QString &from, const QString &to,
                                                     const Precondition &precondition) const
{
    if (auto error = validatePath(from, false))
        return failure(*error);
    if (auto error = validatePath(to, false))
        return failure(*error);
    if (isSameOrBelow(to, from))
        return failure(
            makeError(ErrorKind::InvalidName,
                      QStringLiteral("cannot move %1 to %2: the target lies inside the source")
                          .arg(from, to)));
    auto sourceParent = openParent(m_root, from, ErrorKind::NotFound);
    if (!sourceParent.ok())
        return failure(sourceParent.error());
    struct stat status;
    if (const int statError = statAt(sourceParent->dir.get(), sourceParent->leaf, &status))
        return failure(errnoError(statError, from, QStringLiteral("cannot stat")));
    if (!isRegularOrDirectory(status))
        return failure(makeError(ErrorKind::NotFound,
                                 QStringLiteral("%1: is a symbolic link or a special file; not "
                                                "synced")
                                     .arg(from)));
    const DirectoryLock lock(sourceParent->dir.get());
    if (precondition.kind == Precondition::Kind::MustMatch) {
        if (auto error =
                checkPrecondition(sourceParent->dir.get(), sourceParent->leaf, from, precondition))
            return failure(*error);
    }
    auto targetParent = openParent(m_root, to, ErrorKind::ParentMissing);
    if (!targetParent.ok())
        return failure(targetParent.error());
    if (const int renameError = renameNoReplace(sourceParent->dir.get(), sourceParent->leaf,
                                                targetParent->dir.get(), targetParent->leaf)) {
        if (renameError == EEXIST || renameError == ENOTEMPTY)
            return failure(makeError(
                ErrorKind::PreconditionFailed,
                QStringLiteral("cannot move %1: %2 already exists on the remote").arg(from, to)));
        return failure(errnoError(renameError, from, QStringLiteral("cannot move to %1").arg(to)));
    }
    ::fsync(sourceParent->dir.get());
    ::fsync(targetParent->dir.get());
    return {};
}

LocalDirOperations::Outcome LocalDirOperations::remove(const QString &path,
                                                       const Precondition &precondition,
                                                       const JobContext &context) const
{
    if (auto error = validatePath(path, false))
        return failure(*error);
    auto parent = openParent(m_root, path, ErrorKind::NotFound);
    if (!parent.ok())
        return failure(parent.error());
    struct stat status;
    if (const int statError = statAt(parent->dir.get(), parent->leaf, &status))
        return failure(errnoError(statError, path, QStringLiteral("cannot stat")));
    if (S_ISDIR(status.st_mode)) {
        if (auto error = removeTree(parent->dir.get(), parent->leaf, path, context))
            return failure(*error);
    } else {
        if (!S_ISREG(status.st_mode))
            return failure(makeError(ErrorKind::NotFound,
                                     QStringLiteral("%1: is a symbolic link or a special file; "
                                                    "left alone")
                                         .arg(path)));
        const DirectoryLock lock(parent->dir.get());
        if (precondition.kind == Precondition::Kind::MustMatch) {
            if (auto error = checkPrecondition(parent->dir.get(), parent->leaf, path, precondition))
                return failure(*error);
        }
        if (::unlinkat(parent->dir.get(), parent->leaf.constData(), 0) != 0)
            return failure(errnoError(errno, path, QStringLiteral("cannot remove")));
    }
    ::fsync(parent->dir.get());
    return {};
}

LocalDirOperations::Outcome LocalDirOperations::removeTemporaries(const QStringList &paths) const
{
    const QByteArray prefix = encodeName(IgnoreRules::partialFilePrefix());
    for (const QString &path : paths) {
        auto parent = openParent(m_root, path, ErrorKind::NotFound);
        if (!parent.ok()) {
            if (parent.error().kind == ErrorKind::NotFound)
                continue; // its folder went, and the file with it
            return failure(parent.error());
        }
        if (!parent->leaf.startsWith(prefix))
            continue;
        if (::unlinkat(parent->dir.get(), parent->leaf.constData(), 0) != 0 && errno != ENOENT)
            return failure(errnoError(errno, path, QStringLiteral("cannot remove")));
    }
    return {};
}

LocalDirOperations::Outcome LocalDirOperations::removeStalePartials(qint64 maxAgeS,
                                                                    const JobContext &context) const
{
    auto root = openRoot(m_root);
    if (!root.ok())
        return failure(root.error());
    timespec now{};
    ::clock_gettime(CLOCK_REALTIME, &now);
    const qint64 cutoffNs =
        qint64(now.tv_sec) * nanosecondsPerSecond + now.tv_nsec - maxAgeS * nanosecondsPerSecond;
    sweepPartials(root->get(), true, cutoffNs, encodeName(IgnoreRules::partialFilePrefix()),
                  context);
    if (context.cancelled)
        return failure(cancelledError());
    return {};
}

} // namespace steadysync
