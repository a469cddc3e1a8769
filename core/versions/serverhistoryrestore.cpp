#include "versions/serverhistoryrestore.h"

#include "fs/hasher.h"
#include "versions/versionrestorer.h"
#include "versions/versionstore.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QUuid>

namespace steadysync::ServerHistoryRestore {

namespace {

using Kind = ServerHistoryEntry::Kind;

// Downloads the entry's content into the store's tmp/ and makes it a blob: a VersionEntry
// VersionRestorer can restore.
Result<VersionEntry> fetchAsBlob(NextcloudHistory &history, VersionStore &store,
                                 const QString &localRoot, const ServerHistoryEntry &entry)
{
    const QString temporary = VersionStore::directory(localRoot) + QStringLiteral("/tmp");
    QDir().mkpath(temporary);
    const QString fetched =
        temporary + QStringLiteral("/server-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    if (Status downloaded = history.download(entry, fetched); !downloaded)
        return downloaded.error();
    const Result<QByteArray> hash = Hasher::sha256OfFile(fetched);
    const qint64 size = QFileInfo(fetched).size();
    if (!hash) {
        QFile::remove(fetched);
        return hash.error();
    }
    if (entry.size >= 0 && size != entry.size) {
        QFile::remove(fetched);
        return makeError(ErrorKind::Corrupt,
                         QStringLiteral("the server sent %1 bytes of %2 (%3), which it listed "
                                        "with %4")
                             .arg(size)
                             .arg(entry.path, entry.id())
                             .arg(entry.size));
    }
    if (Status adopted = store.adopt(fetched, *hash); !adopted)
        return adopted.error();
    VersionEntry version;
    version.path = entry.path;
    version.savedMs = entry.timeMs;
    version.size = size;
    version.sha256 = *hash;
    version.origin = QStringLiteral("server");
    version.mtimeNs = entry.timeMs * 1'000'000;
    return version;
}

Result<Outcome> restoreFetched(NextcloudHistory &history, VersionStore &store,
                               const QString &localRoot, const ServerHistoryEntry &entry,
                               const QString &destination)
{
    const Result<VersionEntry> version = fetchAsBlob(history, store, localRoot, entry);
    if (!version)
        return version.error();
    const Result<VersionRestorer::Outcome> restored =
        VersionRestorer::restore(store, localRoot, *version, destination);
    if (!restored)
        return restored.error();
    return Outcome{*restored == VersionRestorer::Outcome::AlreadyThere ? Outcome::Kind::AlreadyThere
                                                                       : Outcome::Kind::Restored,
                   destination};
}

// Whether path is free on the server (nothing there, its folder there) and here.
Result<bool> placeIsFree(NextcloudHistory &history, const QString &localRoot, const QString &path)
{
    const QFileInfo local(localRoot + QLatin1Char('/') + path);
    if (local.exists() || local.isSymLink())
        return false;
    const Result<std::optional<NextcloudHistory::Item>> there = history.stat(path);
    if (!there)
        return there.error();
    if (*there)
        return false;
    const QString parent = QFileInfo(path).path();
    if (parent.isEmpty() || parent == QStringLiteral("."))
        return true;
    const Result<std::optional<NextcloudHistory::Item>> folder = history.stat(parent);
    if (!folder)
        return folder.error();
    return folder->has_value() && (*folder)->directory;
}

Result<QString> freeRestoredName(NextcloudHistory &history, const QString &localRoot,
                                 const QString &path)
{
    for (int attempt = 1; attempt <= 100; ++attempt) {
        const QString candidate = restoredName(path, attempt);
        const QFileInfo local(localRoot + QLatin1Char('/') + candidate);
        if (local.exists() || local.isSymLink())
            continue;
        const Result<std::optional<NextcloudHistory::Item>> there = history.stat(candidate);
        if (!there)
            return there.error();
        if (!*there)
            return candidate;
    }
    return makeError(ErrorKind::InvalidName,
                     QStringLiteral("no free name to restore %1 beside it").arg(path));
}

Result<Outcome> restoreTrashed(NextcloudHistory &history, VersionStore &store,
                               const QString &localRoot, const ServerHistoryEntry &entry)
{
    const Result<bool> free = placeIsFree(history, localRoot, entry.path);
    if (!free)
        return free.error();
    const QString place = localRoot + QLatin1Char('/') + entry.path;
    if (*free) {
        if (Status moved = history.restoreFromTrash(entry); !moved)
            return moved.error();
        return Outcome{Outcome::Kind::RestoredOnServer, place};
    }
    if (entry.directory)
        return makeError(ErrorKind::InvalidName,
                         QStringLiteral("%1 is taken (or its folder is gone); a trashed folder is "
                                        "restored only to its place: move what is there away "
                                        "first")
                             .arg(entry.path));
    const Result<QString> name = freeRestoredName(history, localRoot, entry.path);
    if (!name)
        return name.error();
    return restoreFetched(history, store, localRoot, entry, localRoot + QLatin1Char('/') + *name);
}

} // namespace

QString restoredName(const QString &path, int attempt)
{
    const qsizetype slash = path.lastIndexOf(QLatin1Char('/'));
    const QString folder = slash < 0 ? QString() : path.left(slash + 1);
    const QString name = path.mid(slash + 1);
    qsizetype dot = name.lastIndexOf(QLatin1Char('.'));
    if (dot <= 0)
        dot = name.size();
    const QString mark = attempt <= 1 ? QStringLiteral(" (restored)")
                                      : QStringLiteral(" (restored %1)").arg(attempt);
    return folder + name.left(dot) + mark + name.mid(dot);
}

Result<Outcome> restore(NextcloudHistory &history, VersionStore &store, const QString &localRoot,
                        const ServerHistoryEntry &entry, const QString &destination)
{
    const QString root = QDir(localRoot).absolutePath();
    if (!destination.isEmpty()) {
        if (entry.directory)
            return makeError(ErrorKind::InvalidName,
                             QStringLiteral("%1 is a trashed folder; it is restored only to its "
                                            "place")
                                 .arg(entry.path));
        return restoreFetched(history, store, root, entry,
                              QFileInfo(destination).absoluteFilePath());
    }
    if (entry.kind == Kind::Trash)
        return restoreTrashed(history, store, root, entry);
    return restoreFetched(history, store, root, entry, root + QLatin1Char('/') + entry.path);
}

} // namespace steadysync::ServerHistoryRestore
