#include "local/inotifywatcher.h"

#include "entry.h"

#ifdef Q_OS_LINUX

#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <sys/inotify.h>
#include <unistd.h>

namespace steadysync {

namespace {

constexpr quint32 kWatchMask = IN_CLOSE_WRITE | IN_MODIFY | IN_ATTRIB | IN_CREATE | IN_DELETE |
                               IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF |
                               IN_DONT_FOLLOW | IN_EXCL_UNLINK | IN_ONLYDIR;

// Room for thousands of events per read() (each is 16 bytes plus its padded name).
constexpr int kReadBufferSize = 256 * 1024;

QString limitMessage()
{
    return QStringLiteral("The inotify watch limit is exhausted: some folders are not watched "
                          "and changes in them are only found by the periodic rescan. Raise "
                          "fs.inotify.max_user_watches (sysctl) to fix this.");
}

} // namespace

InotifyWatcher::InotifyWatcher(const QString &localRoot, const IgnoreRules &ignore, QObject *parent)
    : LocalWatcher(parent), m_configuredRoot(localRoot), m_ignore(ignore)
{}

InotifyWatcher::~InotifyWatcher()
{
    stop();
}

Status InotifyWatcher::start()
{
    stop();
    Result<QString> canonical = canonicalRoot(m_configuredRoot);
    if (!canonical)
        return canonical.error();
    m_root = *canonical;

    m_fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (m_fd < 0) {
        const int error = errno;
        return makeError(ErrorKind::Transient,
                         error == EMFILE
                             ? QStringLiteral("Cannot start watching %1: too many inotify "
                                              "instances (fs.inotify.max_user_instances)")
                                   .arg(m_root)
                             : QStringLiteral("Cannot start watching %1: %2")
                                   .arg(m_root, QString::fromLocal8Bit(std::strerror(error))));
    }
    m_buffer.resize(kReadBufferSize);
    m_notifier = new QSocketNotifier(m_fd, QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &InotifyWatcher::readEvents);

    if (!addWatch(QString())) {
        const int error = errno;
        const QString message =
            m_watchLimitHit ? limitMessage()
                            : QStringLiteral("Cannot watch %1: %2")
                                  .arg(m_root, QString::fromLocal8Bit(std::strerror(error)));
        stop();
        return makeError(ErrorKind::Transient, message);
    }
    watchTree(QString(), false);
    finishBatch();
    return success();
}

void InotifyWatcher::stop()
{
    if (m_notifier) {
        // stop() may run inside a slot called from readEvents(): don't delete it under its feet.
        m_notifier->setEnabled(false);
        m_notifier->deleteLater();
        m_notifier = nullptr;
    }
    if (m_fd >= 0) {
        ::close(m_fd);
        m_fd = -1;
    }
    m_pathByWd.clear();
    m_wdByPath.clear();
    m_pendingDirectoryMoves.clear();
    m_watchLimitHit = false;
    m_watchLimitReported = false;
    m_unwatched.clear();
    m_resyncNeeded = false;
    m_unmounted = false;
}

void InotifyWatcher::readEvents()
{
    while (m_fd >= 0) {
        const ssize_t length = ::read(m_fd, m_buffer.data(), size_t(m_buffer.size()));
        if (length < 0 && errno == EINTR)
            continue;
        if (length <= 0)
            break; // EAGAIN: drained
        qsizetype offset = 0;
        while (offset + qsizetype(sizeof(inotify_event)) <= length) {
            inotify_event event;
            std::memcpy(&event, m_buffer.constData() + offset, sizeof(inotify_event));
            const char *name = m_buffer.constData() + offset + sizeof(inotify_event);
            const QByteArray nameBytes(name, qsizetype(::strnlen(name, event.len)));
            offset += qsizetype(sizeof(inotify_event)) + event.len;
            const QString decoded = QString::fromUtf8(nameBytes);
            if (decoded.toUtf8() != nameBytes)
                continue; // not representable; the scanner reports it
            handleEvent(event.wd, event.mask, event.cookie, decoded);
            if (m_fd < 0)
                return; // stopped by a receiver
        }
    }
    finishBatch();
}

void InotifyWatcher::handleEvent(int wd, quint32 mask, quint32 cookie, const QString &name)
{
    if (mask & IN_Q_OVERFLOW) {
        m_resyncNeeded = true;
        Q_EMIT rescanNeeded(QStringLiteral("inotify event queue overflowed"));
        return;
    }
    if (mask & IN_IGNORED) {
        forgetWatch(wd);
        return;
    }
    const auto dirIt = m_pathByWd.constFind(wd);
    if (dirIt == m_pathByWd.constEnd())
        return; // a watch already dropped (deleted or moved away)
    // A copy: forgetting or detaching watches below may erase the entry.
    const QString dir = dirIt.value(); // NOLINT(performance-unnecessary-copy-initialization)

    if (name.isEmpty()) {
        // An event on the watched directory itself; its parent's watch reports the change.
        if (dir.isEmpty() && (mask & (IN_DELETE_SELF | IN_MOVE_SELF)))
            Q_EMIT rescanNeeded(
                QStringLiteral("The local folder %1 was moved or deleted").arg(m_root));
        else if (mask & IN_UNMOUNT)
            m_unmounted = true; // every watch on that file system reports it: say it once
        return;
    }

    const QString path = joinPath(dir, name);
    const bool isDir = mask & IN_ISDIR;
    const bool ignored = m_ignore.isIgnored(path, isDir);

    if (mask & IN_MOVED_FROM) {
        if (isDir)
            m_pendingDirectoryMoves.insert(cookie, detachTree(path));
        if (!ignored)
            report(path);
        return;
    }
    if (mask & IN_MOVED_TO) {
        if (isDir)
            directoryMovedTo(path, cookie, ignored);
        else if (!ignored)
            report(path);
        return;
    }
    if (ignored)
        return;
    if (mask & IN_CREATE) {
        report(path);
        if (isDir)
            watchTree(path, true);
        return;
    }
    if (mask & (IN_DELETE | IN_MODIFY | IN_CLOSE_WRITE | IN_ATTRIB))
        report(path);
}

// A directory moved to path: its watches move with it when it was renamed inside the tree.
void InotifyWatcher::directoryMovedTo(const QString &path, quint32 cookie, bool ignored)
{
    const auto pending = m_pendingDirectoryMoves.constFind(cookie);
    const bool renamedInside = pending != m_pendingDirectoryMoves.constEnd();
    const DetachedTree tree = renamedInside ? pending.value() : DetachedTree();
    if (renamedInside)
        m_pendingDirectoryMoves.erase(pending);
    if (ignored) {
        removeWatches(tree);
        return;
    }
    if (!tree.watches.isEmpty())
        attachTree(path, tree);
    report(path);
    if (tree.watches.isEmpty())
        watchTree(path, true); // moved in from outside the tree (or from an ignored place)
}

void InotifyWatcher::watchTree(const QString &relativeDir, bool reportContents)
{
    QStringList pending{relativeDir};
    while (!pending.isEmpty() && m_fd >= 0) {
        const QString dir = pending.takeLast();
        // Watch first, then list: whatever appears after the listing is seen by the watch.
        if (!addWatch(dir))
            continue;
        const auto entries = listDirectory(absolutePath(dir), false);
        if (!entries)
            continue;
        QVector<DirectoryEntry> sorted = *entries;
        std::sort(sorted.begin(), sorted.end(),
                  [](const DirectoryEntry &a, const DirectoryEntry &b) { return a.name < b.name; });
        QStringList subdirectories;
        for (const DirectoryEntry &entry : std::as_const(sorted)) {
            const QString path = joinPath(dir, entry.name);
            if (m_ignore.isIgnored(path, entry.isDir))
                continue;
            if (reportContents)
                report(path);
            if (entry.isDir)
                subdirectories.prepend(path); // taken from the back: walked in name order
        }
        pending += subdirectories;
    }
}

bool InotifyWatcher::addWatch(const QString &relativeDir)
{
    const int wd = ::inotify_add_watch(
        m_fd, QFile::encodeName(absolutePath(relativeDir)).constData(), kWatchMask);
    if (wd < 0) {
        if (errno == ENOSPC) {
            m_watchLimitHit = true;
            rememberUnwatched(relativeDir);
        }
        return false; // ENOENT, ENOTDIR, ELOOP: gone or replaced meanwhile; EACCES: unreadable
    }
    // The same directory may be known under an older path when events were lost.
    const auto known = m_pathByWd.constFind(wd);
    if (known != m_pathByWd.constEnd() && known.value() != relativeDir &&
        m_wdByPath.value(known.value(), -1) == wd)
        m_wdByPath.remove(known.value());
    const int previous = m_wdByPath.value(relativeDir, -1);
    if (previous >= 0 && previous != wd)
        m_pathByWd.remove(previous);
    m_pathByWd.insert(wd, relativeDir);
    m_wdByPath.insert(relativeDir, wd);
    return true;
}

InotifyWatcher::DetachedTree InotifyWatcher::detachTree(const QString &relativeDir)
{
    DetachedTree tree;
    const QString prefix = relativeDir + QLatin1Char('/');
    const auto take = [&](QMap<QString, int>::iterator it) {
        tree.watches.append({it.key().mid(relativeDir.size()), it.value()});
        m_pathByWd.remove(it.value());
        return m_wdByPath.erase(it);
    };
    auto self = m_wdByPath.find(relativeDir);
    if (self != m_wdByPath.end())
        take(self);
    auto it = m_wdByPath.lowerBound(prefix);
    while (it != m_wdByPath.end() && it.key().startsWith(prefix))
        it = take(it);
    return tree;
}

void InotifyWatcher::attachTree(const QString &relativeDir, const DetachedTree &tree)
{
    for (const auto &[suffix, wd] : tree.watches) {
        const QString path = relativeDir + suffix;
        m_pathByWd.insert(wd, path);
        m_wdByPath.insert(path, wd);
    }
}

void InotifyWatcher::removeWatches(const DetachedTree &tree)
{
    for (const auto &watch : tree.watches)
        ::inotify_rm_watch(m_fd, watch.second);
}

void InotifyWatcher::forgetWatch(int wd)
{
    const auto it = m_pathByWd.find(wd);
    if (it == m_pathByWd.end())
        return;
    if (m_wdByPath.value(it.value(), -1) == wd)
        m_wdByPath.remove(it.value());
    m_pathByWd.erase(it);
}

void InotifyWatcher::resyncWatches()
{
    const QHash<int, QString> before = m_pathByWd;
    m_pathByWd.clear();
    m_wdByPath.clear();
    m_unwatched.clear(); // collected again by the walk
    watchTree(QString(), false);
    for (auto it = before.constBegin(); it != before.constEnd(); ++it) {
        if (!m_pathByWd.contains(it.key()))
            ::inotify_rm_watch(m_fd, it.key());
    }
}

void InotifyWatcher::finishBatch()
{
    if (m_fd < 0)
        return;
    // A rename whose IN_MOVED_TO did not follow moved the directory out of the tree.
    for (const DetachedTree &tree : std::as_const(m_pendingDirectoryMoves))
        removeWatches(tree);
    m_pendingDirectoryMoves.clear();
    if (m_resyncNeeded) {
        m_resyncNeeded = false;
        resyncWatches();
    }
    if (m_unmounted) {
        m_unmounted = false;
        Q_EMIT rescanNeeded(QStringLiteral("A file system below %1 was unmounted").arg(m_root));
    }
    // Once is enough: later misses are rescanned through retryUnwatched(), not the whole tree.
    if (m_watchLimitHit && !m_watchLimitReported && m_fd >= 0) {
        m_watchLimitReported = true;
        Q_EMIT rescanNeeded(limitMessage());
    }
    m_watchLimitHit = false;
}

void InotifyWatcher::report(const QString &path)
{
    if (m_fd >= 0) // a receiver may have stopped the watcher
        Q_EMIT pathChanged(path);
}

QString InotifyWatcher::absolutePath(const QString &relativePath) const
{
    return relativePath.isEmpty() ? m_root : m_root + QLatin1Char('/') + relativePath;
}

} // namespace steadysync

#endif
