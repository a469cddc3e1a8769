#include "local/qtfswatcher.h"

#include "entry.h"

#include <QFileInfo>

#include <algorithm>

namespace steadysync {

namespace {

QStringList sortedValues(const QSet<QString> &set)
{
    QStringList list(set.cbegin(), set.cend());
    list.sort();
    return list;
}

} // namespace

QtFsWatcher::QtFsWatcher(const QString &localRoot, const IgnoreRules &ignore, QObject *parent)
    : LocalWatcher(parent), m_configuredRoot(localRoot), m_ignore(ignore), m_batchTimer(this)
{
    m_batchTimer.setSingleShot(true);
    m_batchTimer.setInterval(0);
    connect(&m_batchTimer, &QTimer::timeout, this, &QtFsWatcher::processPending);
}

QtFsWatcher::~QtFsWatcher()
{
    stop();
}

Status QtFsWatcher::start()
{
    stop();
    Result<QString> canonical = canonicalRoot(m_configuredRoot);
    if (!canonical)
        return canonical.error();
    m_root = *canonical;
    m_watcher = new QFileSystemWatcher(this);
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, this,
            &QtFsWatcher::onDirectoryChanged);
    connect(m_watcher, &QFileSystemWatcher::fileChanged, this, &QtFsWatcher::onFileChanged);
    watchTree(QString(), false);
    if (!m_listings.contains(QString())) {
        const bool limit = m_failedWatches > 0;
        stop();
        return makeError(ErrorKind::Transient,
                         limit ? QStringLiteral("Cannot watch %1: the file watch limit is "
                                                "exhausted (fs.inotify.max_user_watches)")
                                     .arg(m_root)
                               : QStringLiteral("Cannot watch %1").arg(m_root));
    }
    reportWatchFailures();
    return success();
}

void QtFsWatcher::stop()
{
    m_batchTimer.stop();
    // Deleting the QFileSystemWatcher drops all its watches at once.
    delete m_watcher;
    m_watcher = nullptr;
    m_listings.clear();
    m_pendingDirectories.clear();
    m_pendingFiles.clear();
    m_failedWatches = 0;
}

void QtFsWatcher::onDirectoryChanged(const QString &absolutePath)
{
    if (const auto path = relativePath(absolutePath)) {
        m_pendingDirectories.insert(*path);
        if (!m_batchTimer.isActive())
            m_batchTimer.start();
    }
}

void QtFsWatcher::onFileChanged(const QString &absolutePath)
{
    if (const auto path = relativePath(absolutePath)) {
        m_pendingFiles.insert(*path);
        if (!m_batchTimer.isActive())
            m_batchTimer.start();
    }
}

void QtFsWatcher::processPending()
{
    // Parents sort before their children, so a directory already dropped with its parent's
    // subtree is skipped.
    const QStringList directories = sortedValues(m_pendingDirectories);
    const QStringList files = sortedValues(m_pendingFiles);
    m_pendingDirectories.clear();
    m_pendingFiles.clear();
    for (const QString &dir : directories) {
        if (!m_watcher)
            return; // stopped by a receiver
        rescanDirectory(dir);
    }
    if (!m_watcher)
        return;
    refreshFiles(files);
    if (m_watcher)
        reportWatchFailures();
}

void QtFsWatcher::rescanDirectory(const QString &relativeDir)
{
    const auto current = m_listings.constFind(relativeDir);
    if (current == m_listings.constEnd())
        return;
    const std::optional<Listing> fresh = readListing(relativeDir);
    // Gone or renamed: its parent's listing reports that. The root has no parent, and
    // QFileSystemWatcher drops it when it is deleted (even if a new one takes its place).
    if (relativeDir.isEmpty() && (!fresh || !m_watcher->directories().contains(m_root))) {
        Q_EMIT rescanNeeded(QStringLiteral("The local folder %1 was moved or deleted").arg(m_root));
        return;
    }
    if (!fresh)
        return;
    const ListingChanges changes = compareListings(relativeDir, current.value(), *fresh);
    const QSet<QString> &changed = changes.changed;
    const QStringList &removedDirectories = changes.removedDirectories;
    const QStringList &unwatchFiles = changes.unwatchFiles;
    const QStringList &watchFiles = changes.watchFiles;
    const QSet<QString> &newDirectories = changes.newDirectories;

    // Unwatch before watching: a file renamed over another shares its inode (and so the
    // inotify watch) with the name it had before.
    for (const QString &dir : std::as_const(removedDirectories))
        forgetTree(dir);
    if (!unwatchFiles.isEmpty())
        m_watcher->removePaths(unwatchFiles);
    m_listings.insert(relativeDir, *fresh);
    addWatches(watchFiles);

    for (const QString &name : sortedValues(changed)) {
        const QString path = joinPath(relativeDir, name);
        Q_EMIT pathChanged(path);
        if (!m_watcher)
            return;
        if (newDirectories.contains(name))
            watchTree(path, true);
    }
}

QtFsWatcher::ListingChanges QtFsWatcher::compareListings(const QString &relativeDir,
                                                         const Listing &old,
                                                         const Listing &fresh) const
{
    const auto sameItem = [](const EntryState &a, const EntryState &b) {
        return a.isDir == b.isDir && a.isSymlink == b.isSymlink && a.inode == b.inode;
    };
    ListingChanges changes;
    for (auto it = old.constBegin(); it != old.constEnd(); ++it) {
        const auto now = fresh.constFind(it.key());
        if (now != fresh.constEnd() && sameItem(it.value(), now.value())) {
            if (!it->isDir && (it->size != now->size || it->mtimeNs != now->mtimeNs))
                changes.changed.insert(it.key());
            continue;
        }
        changes.changed.insert(it.key());
        if (it->isDir)
            changes.removedDirectories.append(joinPath(relativeDir, it.key()));
        else if (isWatchableFile(it.value()))
            changes.unwatchFiles.append(absolutePath(joinPath(relativeDir, it.key())));
    }
    for (auto it = fresh.constBegin(); it != fresh.constEnd(); ++it) {
        const auto before = old.constFind(it.key());
        if (before != old.constEnd() && sameItem(before.value(), it.value()))
            continue;
        changes.changed.insert(it.key());
        if (it->isDir)
            changes.newDirectories.insert(it.key());
        else if (isWatchableFile(it.value()))
            changes.watchFiles.append(absolutePath(joinPath(relativeDir, it.key())));
    }
    return changes;
}

void QtFsWatcher::refreshFiles(const QStringList &relativePaths)
{
    QSet<QString> watched;
    bool watchedKnown = false;
    QStringList rewatch;
    for (const QString &path : relativePaths) {
        const auto listing = m_listings.find(parentPath(path));
        if (listing == m_listings.end())
            continue; // its directory went away; that was reported already
        const QString name = path.mid(path.lastIndexOf(QLatin1Char('/')) + 1);
        const auto known = listing->find(name);
        const QString absolute = absolutePath(path);
        const std::optional<DirectoryEntry> now = statPath(absolute);
        if (now && !now->isDir && !now->isSymlink && known != listing->end() &&
            isWatchableFile(known.value())) {
            // After an atomic save the name holds a new inode and QFileSystemWatcher has
            // dropped the path (or still watches the old, unlinked inode).
            if (!watchedKnown) {
                const QStringList files = m_watcher->files();
                watched = QSet<QString>(files.cbegin(), files.cend());
                watchedKnown = true;
            }
            if (known->inode != now->inode || !watched.contains(absolute))
                rewatch.append(absolute);
            known->size = now->size;
            known->mtimeNs = now->mtimeNs;
            known->inode = now->inode;
        }
    }
    if (!rewatch.isEmpty()) {
        m_watcher->removePaths(rewatch);
        addWatches(rewatch);
    }
    for (const QString &path : relativePaths) {
        Q_EMIT pathChanged(path);
        if (!m_watcher)
            return;
    }
}

void QtFsWatcher::watchTree(const QString &relativeDir, bool reportContents)
{
    QStringList pending{relativeDir};
    while (!pending.isEmpty() && m_watcher) {
        const QString dir = pending.takeLast();
        const std::optional<QStringList> names = watchDirectory(dir, &pending);
        if (names && reportContents && !reportNames(dir, *names))
            return;
    }
}

std::optional<QStringList> QtFsWatcher::watchDirectory(const QString &dir, QStringList *pending)
{
    const QString absoluteDir = absolutePath(dir);
    // Watch first, then list: whatever appears after the listing is seen by the watch.
    if (!m_watcher->addPath(absoluteDir) && !m_watcher->directories().contains(absoluteDir)) {
        const QFileInfo info(absoluteDir);
        if (info.exists() && info.isReadable())
            ++m_failedWatches;
        return std::nullopt;
    }
    const std::optional<Listing> listing = readListing(dir);
    if (!listing) {
        m_watcher->removePath(absoluteDir);
        return std::nullopt;
    }
    m_listings.insert(dir, *listing);
    QStringList names = listing->keys();
    names.sort();
    QStringList files;
    for (const QString &name : std::as_const(names)) {
        if (isWatchableFile(listing->value(name)))
            files.append(absolutePath(joinPath(dir, name)));
    }
    addWatches(files);
    for (auto it = names.crbegin(); it != names.crend(); ++it) {
        if (listing->value(*it).isDir)
            pending->append(joinPath(dir, *it));
    }
    return names;
}

bool QtFsWatcher::reportNames(const QString &dir, const QStringList &names)
{
    for (const QString &name : names) {
        Q_EMIT pathChanged(joinPath(dir, name));
        if (!m_watcher)
            return false; // stopped by a receiver
    }
    return true;
}

void QtFsWatcher::forgetTree(const QString &relativeDir)
{
    QStringList unwatch;
    const auto take = [&](QMap<QString, Listing>::iterator it) {
        unwatch.append(absolutePath(it.key()));
        for (auto entry = it->constBegin(); entry != it->constEnd(); ++entry) {
            if (isWatchableFile(entry.value()))
                unwatch.append(absolutePath(joinPath(it.key(), entry.key())));
        }
        return m_listings.erase(it);
    };
    const auto self = m_listings.find(relativeDir);
    if (self != m_listings.end())
        take(self);
    const QString prefix = relativeDir + QLatin1Char('/');
    auto it = m_listings.lowerBound(prefix);
    while (it != m_listings.end() && it.key().startsWith(prefix))
        it = take(it);
    if (!unwatch.isEmpty())
        m_watcher->removePaths(unwatch);
}

void QtFsWatcher::addWatches(const QStringList &absolutePaths)
{
    if (absolutePaths.isEmpty())
        return;
    const QStringList failed = m_watcher->addPaths(absolutePaths);
    if (failed.isEmpty())
        return;
    const QStringList files = m_watcher->files();
    const QSet<QString> watched(files.cbegin(), files.cend());
    for (const QString &path : failed) {
        // Already watched, vanished meanwhile or unreadable (the scanner reports that) is
        // fine; anything else is the watch limit.
        const QFileInfo info(path);
        if (!watched.contains(path) && info.exists() && info.isReadable())
            ++m_failedWatches;
    }
}

std::optional<QtFsWatcher::Listing> QtFsWatcher::readListing(const QString &relativeDir) const
{
    const auto entries = listDirectory(absolutePath(relativeDir), true);
    if (!entries)
        return std::nullopt;
    Listing listing;
    for (const DirectoryEntry &entry : *entries) {
        if (m_ignore.isIgnored(joinPath(relativeDir, entry.name), entry.isDir))
            continue;
        listing.insert(entry.name, EntryState{entry.isDir, entry.isSymlink, entry.size,
                                              entry.mtimeNs, entry.inode});
    }
    return listing;
}

void QtFsWatcher::reportWatchFailures()
{
    if (m_failedWatches == 0)
        return;
    const int failed = m_failedWatches;
    m_failedWatches = 0;
    Q_EMIT rescanNeeded(
        QStringLiteral("%1 item(s) could not be watched: the file watch limit is probably "
                       "exhausted (on Linux raise fs.inotify.max_user_watches). Changes there "
                       "are only found by the periodic rescan.")
            .arg(failed));
}

std::optional<QString> QtFsWatcher::relativePath(const QString &absolutePath) const
{
    if (absolutePath == m_root)
        return QString();
    if (absolutePath.size() > m_root.size() + 1 && absolutePath.startsWith(m_root) &&
        absolutePath.at(m_root.size()) == QLatin1Char('/'))
        return absolutePath.mid(m_root.size() + 1);
    return std::nullopt;
}

QString QtFsWatcher::absolutePath(const QString &relativePath) const
{
    return relativePath.isEmpty() ? m_root : m_root + QLatin1Char('/') + relativePath;
}

} // namespace steadysync
