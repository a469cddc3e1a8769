#include "sync/pairlock.h"

#include "fs/reservednames.h"

#include <QCoreApplication>
#include <QFile>
#include <QStringList>

#include <cerrno>
#include <csignal>
#include <cstring>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

namespace steadysync {

namespace {

QString errnoText(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

int openRoot(const QString &localRoot)
{
    return ::open(QFile::encodeName(localRoot).constData(),
                  O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOCTTY);
}

// The pid that /proc/locks names for a flock on this directory: 0 when none is listed,
// nullopt when the kernel's list cannot be read.
std::optional<qint64> flockHolderFromKernel(int fd)
{
    struct stat info;
    QFile locks(QStringLiteral("/proc/locks"));
    if (::fstat(fd, &info) != 0 || !locks.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QString device = QStringLiteral("%1:%2:%3")
                               .arg(major(info.st_dev), 2, 16, QLatin1Char('0'))
                               .arg(minor(info.st_dev), 2, 16, QLatin1Char('0'))
                               .arg(quint64(info.st_ino));
    // "1: FLOCK  ADVISORY  WRITE 1234 08:01:5678 0 EOF"; waiters' lines carry "->" first.
    for (const QByteArray &line : locks.readAll().split('\n')) {
        const QStringList fields =
            QString::fromLatin1(line).split(QLatin1Char(' '), Qt::SkipEmptyParts);
        if (fields.size() >= 6 && fields.at(1) == QLatin1String("FLOCK") &&
            fields.at(5).compare(device, Qt::CaseInsensitive) == 0)
            return fields.at(4).toLongLong();
    }
    return 0;
}

// What the pid file says, when it holds a pid; 0 for an empty or garbage file.
qint64 pidFromFile(const QString &localRoot)
{
    QFile file(PairLock::pidFilePath(localRoot));
    if (!file.open(QIODevice::ReadOnly))
        return 0;
    bool ok = false;
    const qint64 pid = file.read(32).trimmed().toLongLong(&ok);
    return ok && pid > 0 ? pid : 0;
}

// Best effort: the pid is for people, so a read-only or full state folder does not matter.
void writePidFile(const QString &localRoot)
{
    const QByteArray stateDir = QFile::encodeName(ReservedNames::statePath(localRoot));
    ::mkdir(stateDir.constData(), 0700);
    const int fd = ::open(QFile::encodeName(PairLock::pidFilePath(localRoot)).constData(),
                          O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return;
    // Lets a test kill the process exactly between creating the file and writing the pid.
    if (qEnvironmentVariableIsSet("STEADYSYNC_TEST_STOP_BEFORE_PID"))
        ::raise(SIGSTOP);
    const QByteArray pid = QByteArray::number(qint64(::getpid())) + '\n';
    [[maybe_unused]] const ssize_t written = ::write(fd, pid.constData(), size_t(pid.size()));
    ::close(fd);
}

QString heldMessage(qint64 pid, const QString &localRoot)
{
    if (pid > 0)
        return QCoreApplication::translate("PairLock",
                                           "another Steadysync process (pid %1) is already "
                                           "syncing %2")
            .arg(pid)
            .arg(localRoot);
    return QCoreApplication::translate("PairLock",
                                       "another Steadysync process is already syncing %1")
        .arg(localRoot);
}

} // namespace

QString PairLock::pidFilePath(const QString &localRoot)
{
    return ReservedNames::statePath(localRoot, QStringLiteral("lock"));
}

Result<std::unique_ptr<PairLock>> PairLock::acquire(const QString &localRoot)
{
    const int fd = openRoot(localRoot);
    if (fd < 0) {
        const int error = errno;
        return makeError(error == ENOENT || error == ENOTDIR ? ErrorKind::RootMissing
                                                             : ErrorKind::Permanent,
                         QCoreApplication::translate("PairLock", "cannot open the local folder "
                                                                 "%1: %2")
                             .arg(localRoot, errnoText(error)));
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        const int error = errno;
        qint64 pid = error == EWOULDBLOCK ? flockHolderFromKernel(fd).value_or(0) : 0;
        ::close(fd);
        if (error != EWOULDBLOCK)
            return makeError(ErrorKind::Permanent,
                             QCoreApplication::translate("PairLock", "cannot lock the local "
                                                                     "folder %1: %2")
                                 .arg(localRoot, errnoText(error)));
        if (pid == 0)
            pid = pidFromFile(localRoot);
        return makeError(ErrorKind::Permanent, heldMessage(pid, localRoot));
    }
    writePidFile(localRoot);
    return std::unique_ptr<PairLock>(new PairLock(fd, localRoot));
}

std::optional<qint64> PairLock::holder(const QString &localRoot)
{
    const int fd = openRoot(localRoot);
    if (fd < 0)
        return std::nullopt;
    // Read from the kernel's list rather than by trying the lock: a try would hold it for an
    // instant, and a process starting then would be turned away.
    std::optional<qint64> pid = flockHolderFromKernel(fd);
    if (!pid) { // no /proc: try the lock after all
        if (::flock(fd, LOCK_SH | LOCK_NB) == 0)
            ::flock(fd, LOCK_UN);
        else if (errno == EWOULDBLOCK)
            pid = pidFromFile(localRoot);
    } else if (*pid == 0) {
        pid.reset();
    }
    ::close(fd);
    return pid;
}

PairLock::~PairLock()
{
    // Closing the descriptor releases the flock; the pid file is information only.
    ::unlink(QFile::encodeName(pidFilePath(m_localRoot)).constData());
    ::close(m_fd);
}

} // namespace steadysync
