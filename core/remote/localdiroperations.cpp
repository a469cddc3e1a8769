#include "remote/localdiroperations.h"

#include "fs/errnokind.h"
#include "fs/posixfs.h"
#include "fs/reservednames.h"
#include "remote/localdirprimitives.h"

#include <QFile>
#include <QStringDecoder>

#include <algorithm>
#include <cerrno>
#include <ctime>
#include <utility>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace steadysync {

using namespace LocalDir;
using PosixFs::mtimeNsOf;
using PosixFs::nanosecondsPerSecond;

namespace {

QByteArray partialFilePrefix()
{
    return QByteArray(ReservedNames::partialFilePrefix);
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
        if (isRoot && name == ReservedNames::stateDirectory)
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

// An existing item, for the operations that act on one (stat, move): its parent opened and
// its lstat; NotFound when it is missing, a symbolic link or a special file (never synced).
struct ExistingItem
{
    ParentDirectory parent;
    struct stat status;
};

Result<ExistingItem> openExistingItem(const QString &root, const QString &path)
{
    auto parent = openParent(root, path, ErrorKind::NotFound);
    if (!parent.ok())
        return parent.error();
    ExistingItem item{std::move(parent).value(), {}};
    if (const int statError = statAt(item.parent.dir.get(), item.parent.leaf, &item.status))
        return LocalDirOperations::errnoError(statError, path, QStringLiteral("cannot stat"));
    if (!isRegularOrDirectory(item.status))
        return makeError(
            ErrorKind::NotFound,
            QStringLiteral("%1: is a symbolic link or a special file; not synced").arg(path));
    return item;
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
        if (component.startsWith(QLatin1String(ReservedNames::partialFilePrefix)))
            return invalid(QStringLiteral("the name is reserved for partial transfers"));
        if (i == 0 && component == QLatin1String(ReservedNames::stateDirectory))
            return invalid(QStringLiteral("the name is reserved for the client's state"));
    }
    return std::nullopt;
}

Error LocalDirOperations::errnoError(int errorNumber, const QString &subject, const QString &action)
{
    return steadysync::errnoError(
        errorNumber, QStringLiteral("%1: %2: %3")
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
    Result<ExistingItem> item = openExistingItem(m_root, path);
    if (!item)
        return failure(item.error());
    return withEntry(entryFromStat(path, item->status));
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
    // A root that cannot be read must never look like an empty one (DESIGN §4).
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

    const QByteArray partialPrefix = partialFilePrefix();
    const int fd = ::dirfd(stream.get());
    Outcome outcome;
    for (const QByteArray &rawName : names) {
        if (rawName.startsWith(partialPrefix) ||
            (isRoot && rawName == ReservedNames::stateDirectory))
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

LocalDirOperations::Outcome LocalDirOperations::makeDirectory(const QString &path) const
{
    auto parent = openValidParent(m_root, path, ErrorKind::ParentMissing);
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
    Result<ExistingItem> source = openExistingItem(m_root, from);
    if (!source)
        return failure(source.error());
    const ParentDirectory *sourceParent = &source->parent;
    const DirectoryLock lock(sourceParent->dir.get());
    if (precondition.kind == Precondition::Kind::MustMatch) {
        if (auto error =
                checkPrecondition(sourceParent->dir.get(), sourceParent->leaf, from, precondition))
            return failure(*error);
    }
    auto targetParent = openParent(m_root, to, ErrorKind::ParentMissing);
    if (!targetParent.ok())
        return failure(targetParent.error());
    if (const int renameError =
            PosixFs::renameNoReplace(sourceParent->dir.get(), sourceParent->leaf,
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
    auto parent = openValidParent(m_root, path, ErrorKind::NotFound);
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
    const QByteArray prefix = partialFilePrefix();
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
    sweepPartials(root->get(), true, cutoffNs, partialFilePrefix(), context);
    if (context.cancelled)
        return failure(cancelledError());
    return {};
}

} // namespace steadysync
