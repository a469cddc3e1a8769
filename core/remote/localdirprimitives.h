#pragma once

#include "fs/filedescriptor.h"
#include "remote/localdiroperations.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <chrono>
#include <memory>
#include <optional>

#include <dirent.h>
#include <sys/file.h>
#include <unistd.h>

struct stat;

// The POSIX building blocks of LocalDirOperations: every path is opened from the root one
// component at a time with O_NOFOLLOW. Internal to core/remote.
namespace steadysync::LocalDir {

using Outcome = LocalDirOperations::Outcome;
using JobContext = LocalDirOperations::JobContext;

constexpr qint64 preferredChunkSize = 1024 * 1024;
constexpr auto progressInterval = std::chrono::milliseconds(100);

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

Outcome failure(Error error);
Outcome withEntry(RemoteEntry entry, qint64 bytesTransferred = 0);
Error cancelledError();
QByteArray encodeName(const QString &name);
// The same file in the same version (device, inode, size and mtime).
bool sameVersion(const struct stat &a, const struct stat &b);
bool isRegularOrDirectory(const struct stat &status);
// 0 on success, else errno.
int statAt(int dirFd, const QByteArray &name, struct stat *status);
Error rootError(const QString &root, int errorNumber);
Result<FileDescriptor> openRoot(const QString &root);
// Opens root/components[0..count) one level at a time without following symbolic links.
// A missing or non-directory level gives missingKind; subject names the item in messages.
Result<FileDescriptor> openDirectoryChain(const QString &root, const QStringList &components,
                                          qsizetype count, ErrorKind missingKind,
                                          const QString &subject);
Result<ParentDirectory> openParent(const QString &root, const QString &path, ErrorKind missingKind);
// openParent() of a path that LocalDirOperations::validatePath() accepts (never the root).
Result<ParentDirectory> openValidParent(const QString &root, const QString &path,
                                        ErrorKind missingKind);
// nullopt when the item `leaf` in dirFd satisfies the precondition.
std::optional<Error> checkPrecondition(int dirFd, const QByteArray &leaf, const QString &path,
                                       const Precondition &precondition);
// The names in a directory stream but "." and ".."; errorNumber is readdir's errno or 0.
QList<QByteArray> readNames(DIR *stream, int *errorNumber);
// Opens dirFd/name as a directory stream without following a symbolic link.
DirStream openDirStream(int dirFd, const QByteArray &name, int *errorNumber);
// The path with NUL characters spelled "\\0", for messages.
QString printablePath(const QString &path);

} // namespace steadysync::LocalDir
