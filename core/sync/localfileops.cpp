#include "sync/localfileops.h"

#include "local/scanner.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStorageInfo>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef Q_OS_LINUX
#include <linux/fs.h>
#include <sys/syscall.h>
#endif

namespace steadysync::LocalFileOps {

Error errorFromErrno(int errnoValue, const QString &what)
{
    const QString message =
        what + QStringLiteral(": ") + QString::fromLocal8Bit(strerror(errnoValue));
    switch (errnoValue) {
    case ENOENT:
        return makeError(ErrorKind::NotFound, message);
    case EACCES:
    case EPERM:
    case EROFS:
        return makeError(ErrorKind::Permanent, message);
    case ENOSPC:
    case EDQUOT:
        return makeError(ErrorKind::DiskFull, message);
    case EEXIST:
    case ENOTEMPTY:
        return makeError(ErrorKind::PreconditionFailed, message);
    case ENAMETOOLONG:
    case EILSEQ:
        return makeError(ErrorKind::InvalidName, message);
    default:
        return makeError(ErrorKind::Transient, message);
    }
}

QString temporaryDirectory(const QString &localRoot)
{
    return localRoot + QStringLiteral("/.steadysync/tmp");
}

void removeStaleTemporaries(const QString &localRoot, qint64 maxPartialAgeS)
{
    const QDir directory(temporaryDirectory(localRoot));
    const QDateTime staleBefore = QDateTime::currentDateTimeUtc().addSecs(-maxPartialAgeS);
    const QFileInfoList entries = directory.entryInfoList(QDir::AllEntries | QDir::NoDotAndDotDot |
                                                          QDir::Hidden | QDir::System);
    for (const QFileInfo &entry : entries) {
        const bool partial = entry.isFile() && !entry.isSymLink() &&
                             entry.fileName().startsWith(QLatin1String(partialDownloadPrefix)) &&
                             entry.lastModified() >= staleBefore;
        if (partial)
            continue;
        if (entry.isDir() && !entry.isSymLink())
            QDir(entry.absoluteFilePath()).removeRecursively();
        else
            QFile::remove(entry.absoluteFilePath());
    }
}

Status moveToTrash(const QString &localRoot, const QString &relativePath)
{
    const QString absolute = localRoot + QLatin1Char('/') + relativePath;
    if (!QFileInfo::exists(absolute) && !QFileInfo(absolute).isSymLink())
        return success();
    if (QFile::moveToTrash(absolute))
        return success();
    // No usable system trash (e.g. a different file system without a .Trash directory).
    const QString stamp =
        QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss-zzz"));
    const QString target =
        localRoot + QStringLiteral("/.steadysync/trash/") + stamp + QLatin1Char('/') + relativePath;
    if (!QDir().mkpath(QFileInfo(target).absolutePath()))
        return makeError(ErrorKind::Permanent,
                         QStringLiteral("%1: cannot create the trash folder").arg(relativePath));
    if (::rename(QFile::encodeName(absolute).constData(), QFile::encodeName(target).constData()) !=
        0)
        return errorFromErrno(errno, relativePath);
    return success();
}

Status setModificationTime(const QString &path, qint64 mtimeNs)
{
    struct timespec times[2];
    times[0].tv_sec = 0;
    times[0].tv_nsec = UTIME_OMIT;
    times[1].tv_sec = mtimeNs / 1'000'000'000;
    times[1].tv_nsec = mtimeNs % 1'000'000'000;
    if (times[1].tv_nsec < 0) {
        times[1].tv_nsec += 1'000'000'000;
        times[1].tv_sec -= 1;
    }
    if (::utimensat(AT_FDCWD, QFile::encodeName(path).constData(), times, AT_SYMLINK_NOFOLLOW) != 0)
        return errorFromErrno(errno, path);
    return success();
}

Status renameReplacing(const QString &from, const QString &to)
{
    if (::rename(QFile::encodeName(from).constData(), QFile::encodeName(to).constData()) != 0)
        return errorFromErrno(errno, to);
    return success();
}

Status renameNoReplace(const QString &from, const QString &to)
{
    const QByteArray source = QFile::encodeName(from);
    const QByteArray target = QFile::encodeName(to);
#if defined(Q_OS_LINUX) && defined(SYS_renameat2) && defined(RENAME_NOREPLACE)
    if (::syscall(SYS_renameat2, AT_FDCWD, source.constData(), AT_FDCWD, target.constData(),
                  RENAME_NOREPLACE) == 0)
        return success();
    if (errno != EINVAL && errno != ENOSYS)
        return errorFromErrno(errno, to);
#endif
    struct stat st;
    if (::lstat(target.constData(), &st) == 0)
        return makeError(ErrorKind::PreconditionFailed, to + QStringLiteral(": already exists"));
    if (::rename(source.constData(), target.constData()) != 0)
        return errorFromErrno(errno, to);
    return success();
}

qint64 freeBytes(const QString &path)
{
    QStorageInfo storage(path);
    if (!storage.isValid())
        return -1;
    return storage.bytesAvailable();
}

bool unchangedSince(const QString &localRoot, const QString &relativePath,
                    const std::optional<LocalEntry> &examined)
{
    const std::optional<LocalEntry> now = Scanner::stat(localRoot, relativePath);
    if (!now || !examined)
        return now.has_value() == examined.has_value();
    if (now->type != examined->type)
        return false;
    if (now->isDir())
        return true;
    return now->size == examined->size && now->mtimeNs == examined->mtimeNs &&
           now->inode == examined->inode;
}

} // namespace steadysync::LocalFileOps
