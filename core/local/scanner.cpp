#include "local/scanner.h"

#include "fs/filedescriptor.h"
#include "fs/hasher.h"
#include "fs/posixfs.h"

#include <QFile>
#include <QSet>

#include <algorithm>
#include <cstring>

#ifdef Q_OS_UNIX
#include <cerrno>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#else
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#endif

namespace steadysync {

namespace {

QString reasonLine(const QString &path, const QString &reason)
{
    return (path.isEmpty() ? QStringLiteral(".") : path) + QLatin1String(": ") + reason;
}

// A file is "unchanged since the last sync" when its record has the same size, mtime, inode
// and ctime: then the recorded hash is trusted instead of reading the content again. The
// ctime catches an edit whose old mtime was put back (`touch -d`, `touch -r`, container
// tools), which no one can set back. A record without a ctime (from before schema 5) is
// hashed once; the refreshed record then has it.
const JournalRecord *matchingFileRecord(const JournalSnapshot &journal, const LocalEntry &entry)
{
    const auto record = journal.constFind(entry.path);
    if (record == journal.cend() || record->isDir() || record->sha256.isEmpty() ||
        !record->hasLocalStatOf(entry) || record->localCtimeNs != entry.ctimeNs)
        return nullptr;
    return &*record;
}

void sortReports(ScanResult &result)
{
    result.skippedSymlinks.sort();
    result.skippedSpecial.sort();
    result.unreadable.sort();
    result.unrepresentable.sort();
    result.unreadableDirectories.sort();
}

#ifdef Q_OS_UNIX

using PosixFs::ctimeNsOf;
using PosixFs::mtimeNsOf;

LocalEntry entryFromStat(const QString &path, const struct stat &info)
{
    LocalEntry entry;
    entry.path = path;
    entry.type = S_ISDIR(info.st_mode) ? ItemType::Directory : ItemType::File;
    // A directory's st_size depends on the filesystem and its history: not worth syncing.
    entry.size = entry.isDir() ? 0 : qint64(info.st_size);
    entry.mtimeNs = mtimeNsOf(info);
    entry.inode = quint64(info.st_ino);
    entry.ctimeNs = entry.isDir() ? 0 : ctimeNsOf(info);
    return entry;
}

bool sameFileState(const struct stat &a, const struct stat &b)
{
    return a.st_ino == b.st_ino && a.st_size == b.st_size && mtimeNsOf(a) == mtimeNsOf(b) &&
           ctimeNsOf(a) == ctimeNsOf(b);
}

// directory + '/' + name, or nullopt when the name is not valid UTF-8: such a name cannot
// become a QString and back, so it cannot be synced by name. Most names are ASCII: those are
// copied straight into one allocation, which matters at 100,000 names per scan.
std::optional<QString> childPath(const QString &directory, const char *name, size_t length)
{
    const bool ascii = std::all_of(name, name + length,
                                   [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    if (!ascii) {
        const QByteArray bytes(name, qsizetype(length));
        const QString decoded = QFile::decodeName(bytes);
        if (QFile::encodeName(decoded) != bytes)
            return std::nullopt;
        return joinPath(directory, decoded);
    }
    const qsizetype prefixLength = directory.isEmpty() ? 0 : directory.size() + 1;
    QString path(prefixLength + qsizetype(length), Qt::Uninitialized);
    QChar *out = path.data();
    if (prefixLength > 0) {
        std::copy(directory.cbegin(), directory.cend(), out);
        out[directory.size()] = QLatin1Char('/');
    }
    std::transform(name, name + length, out + prefixLength, [](char c) { return QLatin1Char(c); });
    return path;
}

class Walker
{
public:
    Walker(const QString &localRoot, int rootFd, const IgnoreRules &ignore,
           const JournalSnapshot &journal, qint64 deferHashFromBytes, ScanResult &result)
        : m_localRoot(localRoot), m_rootFd(rootFd), m_ignore(ignore), m_journal(journal),
          m_deferHashFromBytes(deferHashFromBytes), m_result(result)
    {}

    void scanWholeRoot()
    {
        m_pending.push_back({QString(), QByteArray()});
        drainPending();
    }

    void scanSubtree(const QString &subPath)
    {
        const QByteArray nativePath = QFile::encodeName(subPath);
        // Every ancestor must be a real directory: a scope reached through a symlink is
        // outside what is synced.
        for (qsizetype slash = nativePath.indexOf('/'); slash >= 0;
             slash = nativePath.indexOf('/', slash + 1)) {
            struct stat info;
            if (::fstatat(m_rootFd, nativePath.left(slash).constData(), &info,
                          AT_SYMLINK_NOFOLLOW) != 0 ||
                !S_ISDIR(info.st_mode))
                return;
        }
        Listing listing;
        struct stat info;
        if (::fstatat(m_rootFd, nativePath.constData(), &info, AT_SYMLINK_NOFOLLOW) != 0)
            return;
        if (m_ignore.isIgnored(subPath, S_ISDIR(info.st_mode)))
            return;
        addInspected(m_rootFd, nativePath.constData(), subPath, nativePath, info, listing);
        commit(listing);
        drainPending();
    }

private:
    struct Directory
    {
        QString path;
        QByteArray nativePath; // relative to the root, as the filesystem spells it
    };
    // One directory's children, kept apart until the whole directory could be read.
    struct Listing
    {
        QVector<LocalEntry> entries;
        QVector<Directory> subdirectories;
        QStringList skippedSymlinks;
        QStringList skippedSpecial;
        QStringList unreadable;
        QStringList unrepresentable;
    };

    void drainPending()
    {
        while (!m_pending.empty()) {
            const Directory directory = std::move(m_pending.back());
            m_pending.pop_back();
            listDirectory(directory);
        }
    }

    void markUnreadableDirectory(const Directory &directory, int error)
    {
        m_result.unreadable.append(reasonLine(directory.path, qt_error_string(error)));
        m_result.unreadableDirectories.append(directory.path);
    }

    void listDirectory(const Directory &directory)
    {
        FileDescriptor fd(::openat(
            m_rootFd, directory.nativePath.isEmpty() ? "." : directory.nativePath.constData(),
            O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (fd.get() < 0) {
            // A directory removed since it was listed really is gone; anything else is
            // unknown content.
            if (errno != ENOENT)
                markUnreadableDirectory(directory, errno);
            return;
        }
        DIR *stream = ::fdopendir(fd.get());
        if (!stream) {
            markUnreadableDirectory(directory, errno);
            return;
        }
        fd.release();
        const int dirFd = ::dirfd(stream);

        Listing listing;
        int error = 0;
        while (true) {
            errno = 0;
            const dirent *child = ::readdir(stream);
            if (!child) {
                error = errno;
                break;
            }
            const char *name = child->d_name;
            if (name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0')))
                continue;
            error = inspectChild(dirFd, directory, *child, listing);
            if (error != 0)
                break;
        }
        ::closedir(stream);
        if (error != 0) {
            markUnreadableDirectory(directory, error);
            return;
        }
        commit(listing);
    }

    // Returns 0, or the errno that makes the whole directory unreadable.
    int inspectChild(int dirFd, const Directory &directory, const dirent &child, Listing &listing)
    {
        const size_t nameLength = std::strlen(child.d_name);
        const std::optional<QString> decodedPath =
            childPath(directory.path, child.d_name, nameLength);
        if (!decodedPath) {
            listing.unrepresentable.append(
                joinPath(directory.path, QString::fromUtf8(child.d_name, qsizetype(nameLength))));
            return 0;
        }
        const QString &path = *decodedPath;

        // d_type lets ignored names skip the stat; DT_UNKNOWN (some filesystems) waits for it.
        const bool typeKnown = child.d_type == DT_DIR || child.d_type == DT_REG;
        if (child.d_type == DT_LNK) {
            if (!m_ignore.isIgnoredAssumingParentsIncluded(path, false))
                listing.skippedSymlinks.append(path);
            return 0;
        }
        if (typeKnown && m_ignore.isIgnoredAssumingParentsIncluded(path, child.d_type == DT_DIR))
            return 0;

        struct stat info;
        if (::fstatat(dirFd, child.d_name, &info, AT_SYMLINK_NOFOLLOW) != 0) {
            // Vanished since readdir: it is gone, which the engine may see as a deletion.
            // Any other failure means the directory cannot be searched.
            return errno == ENOENT ? 0 : errno;
        }
        const bool isDir = S_ISDIR(info.st_mode);
        const bool typeConfirmed = typeKnown && isDir == (child.d_type == DT_DIR);
        if (!typeConfirmed && m_ignore.isIgnoredAssumingParentsIncluded(path, isDir))
            return 0;

        QByteArray nativePath;
        if (isDir) {
            if (!directory.nativePath.isEmpty())
                nativePath = directory.nativePath + '/';
            nativePath.append(child.d_name, qsizetype(nameLength));
        }
        addInspected(dirFd, child.d_name, path, nativePath, info, listing);
        return 0;
    }

    // name is relative to dirFd; info is its lstat.
    void addInspected(int dirFd, const char *name, const QString &path,
                      const QByteArray &nativePath, const struct stat &info, Listing &listing)
    {
        if (S_ISLNK(info.st_mode)) {
            listing.skippedSymlinks.append(path);
        } else if (S_ISDIR(info.st_mode)) {
            listing.entries.append(entryFromStat(path, info));
            listing.subdirectories.append({path, nativePath});
        } else if (S_ISREG(info.st_mode)) {
            listing.entries.append(fileEntry(dirFd, name, path, info, listing));
        } else {
            listing.skippedSpecial.append(path);
        }
    }

    LocalEntry fileEntry(int dirFd, const char *name, const QString &path, const struct stat &info,
                         Listing &listing)
    {
        LocalEntry entry = entryFromStat(path, info);
        if (const JournalRecord *record = matchingFileRecord(m_journal, entry)) {
            entry.sha256 = record->sha256;
            return entry;
        }
        if (mayDeferHash(entry)) {
            // Readable now, or it would be reported like any unreadable file.
            const int fd = ::openat(dirFd, name, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
            if (fd >= 0) {
                ::close(fd);
                entry.hashPending = true;
                return entry;
            }
        }
        const QString absolutePath = m_localRoot + QLatin1Char('/') + path;
        const Result<QByteArray> hash = Hasher::sha256OfFile(absolutePath);
        if (!hash) {
            QString reason = hash.error().message;
            if (reason.startsWith(absolutePath + QLatin1String(": ")))
                reason.remove(0, absolutePath.size() + 2);
            listing.unreadable.append(reasonLine(path, reason));
            return entry;
        }
        // The hash belongs to the stat only if the file did not change meanwhile.
        struct stat after;
        if (::fstatat(dirFd, name, &after, AT_SYMLINK_NOFOLLOW) != 0 ||
            !sameFileState(info, after)) {
            listing.unreadable.append(reasonLine(path, QStringLiteral("changed while being read")));
            return entry;
        }
        entry.sha256 = *hash;
        ++m_result.hashedFiles;
        m_result.hashedBytes += entry.size;
        return entry;
    }

    // A large file never synced under this name, whose inode no record names either (a file
    // moved here is matched by inode and content, so it needs its hash now).
    bool mayDeferHash(const LocalEntry &entry)
    {
        if (m_deferHashFromBytes <= 0 || entry.size < m_deferHashFromBytes ||
            m_journal.contains(entry.path))
            return false;
        if (!m_recordInodes) {
            m_recordInodes.emplace();
            m_recordInodes->reserve(m_journal.size());
            for (const JournalRecord &record : m_journal)
                if (record.localInode != 0)
                    m_recordInodes->insert(record.localInode);
        }
        return !m_recordInodes->contains(entry.inode);
    }

    void commit(Listing &listing)
    {
        for (LocalEntry &entry : listing.entries) {
            QString key = entry.path;
            m_result.entries.emplace(std::move(key), std::move(entry));
        }
        for (Directory &subdirectory : listing.subdirectories)
            m_pending.push_back(std::move(subdirectory));
        m_result.skippedSymlinks += listing.skippedSymlinks;
        m_result.skippedSpecial += listing.skippedSpecial;
        m_result.unreadable += listing.unreadable;
        m_result.unrepresentable += listing.unrepresentable;
    }

    const QString &m_localRoot;
    const int m_rootFd;
    const IgnoreRules &m_ignore;
    const JournalSnapshot &m_journal;
    const qint64 m_deferHashFromBytes;
    std::optional<QSet<quint64>> m_recordInodes; // built on first need
    ScanResult &m_result;
    std::vector<Directory> m_pending;
};

#endif // Q_OS_UNIX

} // namespace

#ifdef Q_OS_UNIX

Result<ScanResult> Scanner::scan(const QString &localRoot, const QString &subPath,
                                 const IgnoreRules &ignore, const JournalSnapshot &journal,
                                 qint64 deferHashFromBytes)
{
    const auto rootMissing = [&](int error) {
        return makeError(
            ErrorKind::RootMissing,
            QStringLiteral("Local folder %1: %2").arg(localRoot, qt_error_string(error)));
    };
    if (localRoot.isEmpty())
        return rootMissing(ENOENT);
    // The root itself may be a symlink (users move folders and link them back): followed.
    const FileDescriptor rootFd(
        ::open(QFile::encodeName(localRoot).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (rootFd.get() < 0)
        return rootMissing(errno);
    if (::faccessat(rootFd.get(), ".", R_OK | X_OK, AT_EACCESS) != 0)
        return rootMissing(errno);

    ScanResult result;
    result.entries.reserve(journal.size() + 64);
    Walker walker(localRoot, rootFd.get(), ignore, journal, deferHashFromBytes, result);
    if (subPath.isEmpty())
        walker.scanWholeRoot();
    else
        walker.scanSubtree(subPath);
    sortReports(result);
    return result;
}

std::optional<LocalEntry> Scanner::stat(const QString &localRoot, const QString &path)
{
    const QString absolutePath = path.isEmpty() ? localRoot : localRoot + QLatin1Char('/') + path;
    struct stat info;
    if (::lstat(QFile::encodeName(absolutePath).constData(), &info) != 0)
        return std::nullopt;
    if (!S_ISDIR(info.st_mode) && !S_ISREG(info.st_mode))
        return std::nullopt;
    return entryFromStat(path, info);
}

#else

namespace {

// Portable walk for systems without POSIX directory calls; no inodes there.
std::optional<LocalEntry> entryFromInfo(const QString &path, const QFileInfo &info)
{
    if (info.isSymLink() || !info.exists() || (!info.isDir() && !info.isFile()))
        return std::nullopt;
    LocalEntry entry;
    entry.path = path;
    entry.type = info.isDir() ? ItemType::Directory : ItemType::File;
    entry.size = info.isDir() ? 0 : info.size();
    entry.mtimeNs = info.lastModified().toMSecsSinceEpoch() * 1'000'000;
    return entry;
}

void visitPortable(const QString &path, const QFileInfo &info, const IgnoreRules &ignore,
                   const JournalSnapshot &journal, ScanResult &result);

void listPortable(const QString &directory, const QDir &dir, const IgnoreRules &ignore,
                  const JournalSnapshot &journal, ScanResult &result)
{
    if (!dir.isReadable()) {
        result.unreadable.append(reasonLine(directory, QStringLiteral("permission denied")));
        result.unreadableDirectories.append(directory);
        return;
    }
    const QFileInfoList children =
        dir.entryInfoList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System);
    for (const QFileInfo &child : children) {
        const QString path = joinPath(directory, child.fileName());
        if (!ignore.isIgnoredAssumingParentsIncluded(path, child.isDir() && !child.isSymLink()))
            visitPortable(path, child, ignore, journal, result);
    }
}

void visitPortable(const QString &path, const QFileInfo &info, const IgnoreRules &ignore,
                   const JournalSnapshot &journal, ScanResult &result)
{
    if (info.isSymLink()) {
        result.skippedSymlinks.append(path);
        return;
    }
    std::optional<LocalEntry> entry = entryFromInfo(path, info);
    if (!entry) {
        if (info.exists())
            result.skippedSpecial.append(path);
        return;
    }
    if (entry->isDir()) {
        result.entries.insert(path, *entry);
        listPortable(path, QDir(info.filePath()), ignore, journal, result);
        return;
    }
    if (const JournalRecord *record = matchingFileRecord(journal, *entry)) {
        entry->sha256 = record->sha256;
    } else if (const Result<QByteArray> hash = Hasher::sha256OfFile(info.filePath())) {
        entry->sha256 = *hash;
        ++result.hashedFiles;
        result.hashedBytes += entry->size;
    } else {
        result.unreadable.append(reasonLine(path, hash.error().message));
    }
    result.entries.insert(path, *entry);
}

} // namespace

Result<ScanResult> Scanner::scan(const QString &localRoot, const QString &subPath,
                                 const IgnoreRules &ignore, const JournalSnapshot &journal,
                                 qint64 deferHashFromBytes)
{
    Q_UNUSED(deferHashFromBytes); // without inodes, a moved file could not be told apart
    const QFileInfo rootInfo(localRoot);
    if (localRoot.isEmpty() || !rootInfo.isDir() || !QDir(localRoot).isReadable())
        return makeError(ErrorKind::RootMissing,
                         QStringLiteral("Local folder %1 is missing or unreadable").arg(localRoot));
    ScanResult result;
    if (subPath.isEmpty()) {
        listPortable(subPath, QDir(localRoot), ignore, journal, result);
    } else {
        const QFileInfo scope(localRoot + QLatin1Char('/') + subPath);
        if (scope.exists() && !ignore.isIgnored(subPath, scope.isDir() && !scope.isSymLink()))
            visitPortable(subPath, scope, ignore, journal, result);
    }
    sortReports(result);
    return result;
}

std::optional<LocalEntry> Scanner::stat(const QString &localRoot, const QString &path)
{
    return entryFromInfo(
        path, QFileInfo(path.isEmpty() ? localRoot : localRoot + QLatin1Char('/') + path));
}

#endif

} // namespace steadysync
