#pragma once

#include "result.h"

#include <QString>

#include <memory>
#include <optional>

namespace steadysync {

// Holds a folder pair for one process (DESIGN §5): an exclusive flock(2) on the local root
// directory itself. The kernel drops it when the process ends, however it ends (SIGKILL, a
// power cut), so no crash can leave a pair locked; and it lives on the root, not in
// `.steadysync/`, so deleting that folder under a running process lets no second one in.
// `.steadysync/lock` holds the holder's pid for people to read; nothing trusts it.
class PairLock
{
public:
    // Fails with a message that says why: another live process (named by its pid), a missing
    // root (RootMissing), or a root that cannot be opened.
    [[nodiscard]] static Result<std::unique_ptr<PairLock>> acquire(const QString &localRoot);
    // The pid of the process that holds the pair (0 when the kernel does not say), or nullopt
    // when no process holds it.
    static std::optional<qint64> holder(const QString &localRoot);
    // Where the informational pid is written.
    static QString pidFilePath(const QString &localRoot);

    ~PairLock();
    PairLock(const PairLock &) = delete;
    PairLock &operator=(const PairLock &) = delete;

private:
    PairLock(int fd, QString localRoot) : m_fd(fd), m_localRoot(std::move(localRoot)) {}
    int m_fd = -1;
    QString m_localRoot;
};

} // namespace steadysync
