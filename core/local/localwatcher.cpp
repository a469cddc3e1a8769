#include "local/localwatcher.h"

#include "fs/posixfs.h"
#include "local/qtfswatcher.h"
#ifdef Q_OS_LINUX
#include "local/inotifywatcher.h"
#endif

#include <QFile>
#include <QFileInfo>

#ifdef Q_OS_UNIX
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#else
#include <QDirIterator>
#endif

namespace steadysync {

Result<QString> LocalWatcher::canonicalRoot(const QString &configuredRoot)
{
    const QString canonical = QFileInfo(configuredRoot).canonicalFilePath();
    if (canonical.isEmpty() || !QFileInfo(canonical).isDir())
        return makeError(ErrorKind::RootMissing,
                         QStringLiteral("The local folder %1 does not exist or is not a folder")
                             .arg(configuredRoot));
    return canonical;
}

std::unique_ptr<LocalWatcher> LocalWatcher::create(Backend backend, const QString &localRoot,
                                                   const IgnoreRules &ignore)
{
#ifdef Q_OS_LINUX
    if (backend == Backend::Auto || backend == Backend::Inotify)
        return std::make_unique<InotifyWatcher>(localRoot, ignore);
#else
    Q_UNUSED(backend);
#endif
    return std::make_unique<QtFsWatcher>(localRoot, ignore);
}

#ifdef Q_OS_UNIX

namespace {

std::optional<QString> decodeUtf8Name(const char *name)
{
    const QByteArray bytes(name);
    QString decoded = QString::fromUtf8(bytes);
    if (decoded.toUtf8() != bytes)
        return std::nullopt;
    return decoded;
}

} // namespace

std::optional<QVector<LocalWatcher::DirectoryEntry>>
LocalWatcher::listDirectory(const QString &absoluteDir, bool statEntries)
{
    const int dirFd = ::open(QFile::encodeName(absoluteDir).constData(),
                             O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dirFd < 0)
        return std::nullopt;
    DIR *dir = ::fdopendir(dirFd);
    if (!dir) {
        ::close(dirFd);
        return std::nullopt;
    }
    QVector<DirectoryEntry> entries;
    while (const dirent *item = ::readdir(dir)) {
        if (qstrcmp(item->d_name, ".") == 0 || qstrcmp(item->d_name, "..") == 0)
            continue;
        std::optional<QString> name = decodeUtf8Name(item->d_name);
        if (!name)
            continue;
        DirectoryEntry entry;
        entry.name = *name;
        entry.isDir = item->d_type == DT_DIR;
        entry.isSymlink = item->d_type == DT_LNK;
        entry.inode = item->d_ino;
        if (statEntries || item->d_type == DT_UNKNOWN) {
            struct stat st;
            if (::fstatat(dirFd, item->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
                continue; // vanished meanwhile
            entry.isDir = S_ISDIR(st.st_mode);
            entry.isSymlink = S_ISLNK(st.st_mode);
            entry.size = st.st_size;
            entry.mtimeNs = PosixFs::mtimeNsOf(st);
            entry.inode = st.st_ino;
        }
        entries.append(entry);
    }
    ::closedir(dir);
    return entries;
}

std::optional<LocalWatcher::DirectoryEntry> LocalWatcher::statPath(const QString &absolutePath)
{
    struct stat st;
    if (::lstat(QFile::encodeName(absolutePath).constData(), &st) != 0)
        return std::nullopt;
    DirectoryEntry entry;
    entry.name = absolutePath.mid(absolutePath.lastIndexOf(QLatin1Char('/')) + 1);
    entry.isDir = S_ISDIR(st.st_mode);
    entry.isSymlink = S_ISLNK(st.st_mode);
    entry.size = st.st_size;
    entry.mtimeNs = PosixFs::mtimeNsOf(st);
    entry.inode = st.st_ino;
    return entry;
}

#else

std::optional<QVector<LocalWatcher::DirectoryEntry>>
LocalWatcher::listDirectory(const QString &absoluteDir, bool statEntries)
{
    Q_UNUSED(statEntries);
    const QFileInfo dirInfo(absoluteDir);
    if (!dirInfo.isDir() || dirInfo.isSymLink() || !dirInfo.isReadable())
        return std::nullopt;
    QVector<DirectoryEntry> entries;
    QDirIterator it(absoluteDir,
                    QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot);
    while (it.hasNext()) {
        // One stat per entry, as on POSIX; one gone since the listing is not listed.
        if (const std::optional<DirectoryEntry> entry = statPath(it.next()))
            entries.append(*entry);
    }
    return entries;
}

std::optional<LocalWatcher::DirectoryEntry> LocalWatcher::statPath(const QString &absolutePath)
{
    const QFileInfo info(absolutePath);
    if (!info.exists() && !info.isSymLink())
        return std::nullopt;
    DirectoryEntry entry;
    entry.name = info.fileName();
    entry.isSymlink = info.isSymLink();
    entry.isDir = !entry.isSymlink && info.isDir();
    entry.size = info.size();
    entry.mtimeNs = info.lastModified().toMSecsSinceEpoch() * 1'000'000;
    return entry;
}

#endif

} // namespace steadysync
