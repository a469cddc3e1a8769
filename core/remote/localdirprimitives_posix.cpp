#include "remote/localdirprimitives.h"

#include "fs/posixfs.h"
#include "remote/localdiroperations.h"

#include <QFile>

#include <cerrno>
#include <utility>

#include <fcntl.h>
#include <sys/stat.h>

namespace steadysync::LocalDir {

Outcome failure(Error error)
{
    Outcome outcome;
    outcome.error = std::move(error);
    return outcome;
}

Outcome withEntry(RemoteEntry entry, qint64 bytesTransferred)
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

bool sameVersion(const struct stat &a, const struct stat &b)
{
    return a.st_dev == b.st_dev && a.st_ino == b.st_ino && a.st_size == b.st_size &&
           PosixFs::mtimeNsOf(a) == PosixFs::mtimeNsOf(b);
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

Result<ParentDirectory> openValidParent(const QString &root, const QString &path,
                                        ErrorKind missingKind)
{
    if (std::optional<Error> invalid = LocalDirOperations::validatePath(path, false))
        return *invalid;
    return openParent(root, path, missingKind);
}

Result<ParentDirectory> openParent(const QString &root, const QString &path, ErrorKind missingKind)
{
    const QStringList components = path.split(QLatin1Char('/'));
    auto dir = openDirectoryChain(root, components, components.size() - 1, missingKind, path);
    if (!dir.ok())
        return dir.error();
    return ParentDirectory{std::move(dir).value(), encodeName(components.last())};
}

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

QString printablePath(const QString &path)
{
    return QString(path).replace(QChar(u'\0'), QStringLiteral("\\0"));
}

} // namespace steadysync::LocalDir
