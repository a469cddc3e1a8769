#include "sync/localfileops.h"

#include "fs/errnokind.h"
#include "fs/posixfs.h"
#include "fs/reservednames.h"
#include "local/scanner.h"
#include "sync/conflictnaming.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStorageInfo>
#include <QUrl>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <optional>
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
    return errnoError(errnoValue,
                      what + QStringLiteral(": ") + QString::fromLocal8Bit(strerror(errnoValue)));
}

int maxNameBytes(const QString &directory)
{
    constexpr long UsualLimit = 255;
    const long limit = ::pathconf(QFile::encodeName(directory).constData(), _PC_NAME_MAX);
    return int(limit > 0 ? qMin(limit, UsualLimit) : UsualLimit);
}

QString temporaryDirectory(const QString &localRoot)
{
    return ReservedNames::statePath(localRoot, QStringLiteral("tmp"));
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

namespace {

// The XDG base directory spec asks for 0700 on directories it has to create; the trash spec's
// files/ and info/ hold other people's deleted files on shared volumes.
constexpr mode_t PrivateDirectoryMode = 0700;
// name, name.2, name.3, ...: how many names a trash is tried with before it counts as unusable.
constexpr int TrashNameAttempts = 1000;

QByteArray encoded(const QString &path)
{
    return QFile::encodeName(path);
}

// mkdir -p, creating each missing directory with mode 0700. Fails when a component is not a
// directory or the result is not a directory of ours (a symlink planted by someone else).
bool makePrivateDirectory(const QString &path)
{
    const QByteArray target = encoded(QDir::cleanPath(path));
    for (qsizetype slash = target.indexOf('/', 1);; slash = target.indexOf('/', slash + 1)) {
        const QByteArray prefix = slash < 0 ? target : target.left(slash);
        if (::mkdir(prefix.constData(), PrivateDirectoryMode) != 0 && errno != EEXIST)
            return false;
        if (slash < 0)
            break;
    }
    struct stat st;
    return ::lstat(target.constData(), &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == ::getuid();
}

// The device of path, or of its nearest existing ancestor (the trash may not exist yet).
std::optional<dev_t> deviceOf(QString path)
{
    for (;;) {
        struct stat st;
        if (::stat(encoded(path).constData(), &st) == 0)
            return st.st_dev;
        const QString parent = QFileInfo(path).path();
        if (parent == path)
            return std::nullopt;
        path = parent;
    }
}

// $XDG_DATA_HOME/Trash, by default ~/.local/share/Trash; empty when neither variable gives an
// absolute path (the spec says to ignore relative ones, and Qt 6.4 resolved them against the
// current directory: trash in ./files and ./info).
QString homeTrash()
{
    QString dataHome = qEnvironmentVariable("XDG_DATA_HOME");
    if (!QDir::isAbsolutePath(dataHome)) {
        const QString home = qEnvironmentVariable("HOME");
        if (!QDir::isAbsolutePath(home))
            return {};
        dataHome = home + QStringLiteral("/.local/share");
    }
    return QDir::cleanPath(dataHome + QStringLiteral("/Trash"));
}

struct TrashCandidate
{
    QString directory; // absolute: holds files/ and info/
    QString topdir;    // for a volume trash: info/ records paths relative to it; else empty
};

// Where the freedesktop trash spec puts a file: the home trash when it is on the file's device
// (a rename, never a copy), else the volume's $topdir/.Trash/$uid (only when the administrator
// made $topdir/.Trash a sticky directory) or $topdir/.Trash-$uid.
QList<TrashCandidate> trashCandidates(const QString &absolute, dev_t device)
{
    const QString home = homeTrash();
    if (!home.isEmpty() && deviceOf(home) == device)
        return {{home, {}}};
    const QString topdir = QStorageInfo(QFileInfo(absolute).absolutePath()).rootPath();
    if (!QDir::isAbsolutePath(topdir))
        return {};
    const QString uid = QString::number(::getuid());
    const QString prefix = topdir == QStringLiteral("/") ? QString() : topdir;
    QList<TrashCandidate> candidates;
    struct stat shared;
    if (::lstat(encoded(prefix + QStringLiteral("/.Trash")).constData(), &shared) == 0 &&
        S_ISDIR(shared.st_mode) && (shared.st_mode & S_ISVTX))
        candidates.append({prefix + QStringLiteral("/.Trash/") + uid, topdir});
    candidates.append({prefix + QStringLiteral("/.Trash-") + uid, topdir});
    return candidates;
}

QByteArray trashInfo(const QString &absolute, const QString &topdir)
{
    const QString recorded = topdir.isEmpty() ? absolute : QDir(topdir).relativeFilePath(absolute);
    return "[Trash Info]\nPath=" + QUrl::toPercentEncoding(recorded, "/") + "\nDeletionDate=" +
           QDateTime::currentDateTime().toString(QStringLiteral("yyyy-MM-dd'T'HH:mm:ss")).toUtf8() +
           '\n';
}

// Writes info/NAME.trashinfo exclusively (it reserves NAME, as the spec requires), then moves
// the item to files/NAME, which it returns. The item is where the info file says, or untouched.
Result<QString> moveIntoTrash(const QString &absolute, const TrashCandidate &trash)
{
    const QString files = trash.directory + QStringLiteral("/files/");
    const QString info = trash.directory + QStringLiteral("/info/");
    if (!makePrivateDirectory(trash.directory) || !makePrivateDirectory(files) ||
        !makePrivateDirectory(info))
        return makeError(ErrorKind::Permanent, trash.directory + QStringLiteral(": unusable"));
    // info/NAME.trashinfo and files/NAME.N must fit the name limit; the info file keeps the
    // real path, so a shortened NAME loses nothing.
    const int room = maxNameBytes(info) - int(qstrlen(".trashinfo")) - int(qstrlen(".1000"));
    const QString baseName = fitNameToLimit(QFileInfo(absolute).fileName(), room);
    const QByteArray content = trashInfo(absolute, trash.topdir);
    for (int attempt = 1; attempt <= TrashNameAttempts; ++attempt) {
        const QString name =
            attempt == 1 ? baseName : QStringLiteral("%1.%2").arg(baseName).arg(attempt);
        const QByteArray infoFile = encoded(info + name + QStringLiteral(".trashinfo"));
        const int fd = ::open(infoFile.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0 && errno == EEXIST)
            continue;
        if (fd < 0)
            return errorFromErrno(errno, QString::fromLocal8Bit(infoFile));
        const bool written =
            ::write(fd, content.constData(), size_t(content.size())) == ssize_t(content.size());
        const bool closed = ::close(fd) == 0;
        Status moved = written && closed
                           ? renameNoReplace(absolute, files + name)
                           : makeError(ErrorKind::Transient, QStringLiteral("cannot write ") +
                                                                 QString::fromLocal8Bit(infoFile));
        if (moved)
            return files + name;
        ::unlink(infoFile.constData());
        if (moved.error().kind != ErrorKind::PreconditionFailed) // else a stray file of that name
            return moved.error();
    }
    return makeError(ErrorKind::Permanent, files + baseName + QStringLiteral(": no free name"));
}

// Whether the very item that was at its place is now at target: checked, because Qt 6.4's
// QFile::moveToTrash reported success while writing to ./files of the current directory.
bool isSameItem(const QString &target, const struct stat &original)
{
    struct stat st;
    return ::lstat(encoded(target).constData(), &st) == 0 && st.st_dev == original.st_dev &&
           st.st_ino == original.st_ino;
}

// LOCAL_ROOT/.steadysync/trash/<timestamp>/<relativePath>: the pair's own trash, used where
// no system trash is usable (no home, another device without a writable volume trash).
Status moveIntoPairTrash(const QString &localRoot, const QString &relativePath)
{
    const QString absolute = localRoot + QLatin1Char('/') + relativePath;
    const QString stamp =
        QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss-zzz"));
    const QString target = ReservedNames::statePath(localRoot, QStringLiteral("trash/")) + stamp +
                           QLatin1Char('/') + relativePath;
    if (!QDir().mkpath(QFileInfo(target).absolutePath()))
        return makeError(ErrorKind::Permanent,
                         QStringLiteral("%1: cannot create the trash folder").arg(relativePath));
    if (::rename(encoded(absolute).constData(), encoded(target).constData()) != 0)
        return errorFromErrno(errno, relativePath);
    return success();
}

} // namespace

Status moveToTrash(const QString &localRoot, const QString &relativePath)
{
    const QString root = QDir(localRoot).absolutePath(); // never relative to the current directory
    const QString absolute = root + QLatin1Char('/') + relativePath;
    struct stat original;
    if (::lstat(encoded(absolute).constData(), &original) != 0)
        return success();
    for (const TrashCandidate &trash : trashCandidates(absolute, original.st_dev)) {
        const Result<QString> target = moveIntoTrash(absolute, trash);
        if (!target)
            continue; // this trash is unusable: the next one, at last the pair's own
        if (isSameItem(*target, original))
            return success();
        return makeError(ErrorKind::Permanent,
                         QStringLiteral("%1: moved to the trash but not found at %2")
                             .arg(relativePath, *target));
    }
    return moveIntoPairTrash(root, relativePath);
}

Status setModificationTime(const QString &path, qint64 mtimeNs)
{
    const struct timespec times[2] = {{0, UTIME_OMIT}, PosixFs::timespecFromNs(mtimeNs)};
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
    const int error = PosixFs::renameNoReplace(AT_FDCWD, QFile::encodeName(from), AT_FDCWD,
                                               QFile::encodeName(to));
    if (error == EEXIST)
        return makeError(ErrorKind::PreconditionFailed, to + QStringLiteral(": already exists"));
    if (error != 0)
        return errorFromErrno(error, to);
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
    // The ctime too: an edit in place with its old mtime put back is a change (issue 14).
    return now->size == examined->size && now->mtimeNs == examined->mtimeNs &&
           now->inode == examined->inode &&
           (examined->ctimeNs == 0 || now->ctimeNs == examined->ctimeNs);
}

} // namespace steadysync::LocalFileOps
