#include "versionscommand.h"

#include "clioutput.h"
#include "progressline.h"

#include "journal/journal.h"
#include "local/hasher.h"
#include "versions/versionstore.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStorageInfo>

namespace steadysync::cli {

namespace {

int failWith(const QString &message, int exitCode = UsageError)
{
    printLine(stderr, QStringLiteral("steadysync-cli: %1").arg(message));
    return exitCode;
}

QString isoTime(qint64 epochMs)
{
    return QDateTime::fromMSecsSinceEpoch(epochMs, Qt::UTC).toString(Qt::ISODateWithMs);
}

// PATH as the store lists it: relative, '/'-separated, without "./" or a trailing '/'; empty
// when it would leave the root.
QString normalizedPath(const QString &given)
{
    const QString clean = QDir::cleanPath(QDir::fromNativeSeparators(given));
    if (clean.isEmpty() || clean == QStringLiteral(".") || QDir::isAbsolutePath(clean) ||
        clean == QStringLiteral("..") || clean.startsWith(QStringLiteral("../")))
        return {};
    return clean;
}

QJsonObject toJson(const VersionEntry &entry)
{
    return QJsonObject{{QStringLiteral("id"), entry.id},
                       {QStringLiteral("path"), entry.path},
                       {QStringLiteral("reason"), versionReasonName(entry.reason)},
                       {QStringLiteral("saved"), isoTime(entry.savedMs)},
                       {QStringLiteral("size"), entry.size},
                       {QStringLiteral("sha256"), QString::fromLatin1(entry.sha256)},
                       {QStringLiteral("origin"), entry.origin}};
}

int list(VersionStore &store, const Invocation &invocation)
{
    const QString path =
        invocation.versionPath.isEmpty() ? QString() : normalizedPath(invocation.versionPath);
    if (!invocation.versionPath.isEmpty() && path.isEmpty())
        return failWith(
            QStringLiteral("%1 is not a path inside the folder").arg(invocation.versionPath));
    const Result<QList<VersionEntry>> entries = store.list(path);
    if (!entries)
        return failWith(entries.error().message, Incomplete);
    if (invocation.json) {
        QJsonArray array;
        for (const VersionEntry &entry : *entries)
            array.append(toJson(entry));
        printLine(stdout, QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Compact)));
        return InSync;
    }
    for (const VersionEntry &entry : *entries)
        printLine(stdout, QStringLiteral("%1\t%2\t%3\t%4\t%5")
                              .arg(entry.id)
                              .arg(isoTime(entry.savedMs), versionReasonName(entry.reason),
                                   ProgressLine::formatBytes(entry.size), entry.path));
    if (const Result<VersionStore::Usage> usage = store.usage(); usage)
        printLine(stderr, QStringLiteral("%1 version(s) of %2; the store takes %3 on disk")
                              .arg(usage->entries)
                              .arg(ProgressLine::formatBytes(usage->listedBytes),
                                   ProgressLine::formatBytes(usage->diskBytes)));
    return InSync;
}

// The version asked for: --id, else the newest kept under exactly PATH.
Result<VersionEntry> chosenVersion(const VersionStore &store, const QString &path, qint64 id)
{
    if (id > 0) {
        const Result<std::optional<VersionEntry>> found = store.find(id);
        if (!found)
            return found.error();
        if (!*found || (*found)->path != path)
            return makeError(ErrorKind::NotFound,
                             QStringLiteral("%1 has no version %2").arg(path).arg(id));
        return **found;
    }
    const Result<QList<VersionEntry>> entries = store.list(path);
    if (!entries)
        return entries.error();
    for (const VersionEntry &entry : *entries)
        if (entry.path == path)
            return entry; // newest first
    return makeError(ErrorKind::NotFound, QStringLiteral("%1 has no kept version").arg(path));
}

// Where the restored file goes and, inside the folder, the path it has there (else empty).
struct Destination
{
    QString absolute;
    QString relative;
};

Destination destinationFor(const QString &root, const QString &path, const QString &to)
{
    if (to.isEmpty())
        return {root + QLatin1Char('/') + path, path};
    const QString absolute = QDir::cleanPath(QFileInfo(to).absoluteFilePath());
    const QString relative = QDir(root).relativeFilePath(absolute);
    if (normalizedPath(relative).isEmpty() || relative.startsWith(QStringLiteral(".steadysync")))
        return {absolute, {}};
    return {absolute, relative};
}

int restore(VersionStore &store, const Invocation &invocation)
{
    const QString root = invocation.engine.localRoot;
    const QString path = normalizedPath(invocation.versionPath);
    if (path.isEmpty())
        return failWith(
            QStringLiteral("%1 is not a path inside the folder").arg(invocation.versionPath));
    const Result<VersionEntry> version = chosenVersion(store, path, invocation.versionId);
    if (!version)
        return failWith(version.error().message);
    const Destination destination = destinationFor(root, path, invocation.restoreTo);
    const QFileInfo existing(destination.absolute);
    if (existing.exists() || existing.isSymLink()) {
        if (!existing.isFile() || existing.isSymLink())
            return failWith(
                QStringLiteral("%1 exists and is not a file").arg(destination.absolute));
        if (destination.relative.isEmpty())
            return failWith(
                QStringLiteral("%1 exists; choose another --to").arg(destination.absolute));
        const Result<QByteArray> current = Hasher::sha256OfFile(destination.absolute);
        if (current && *current == version->sha256) {
            printLine(stderr, QStringLiteral("%1 already holds version %2")
                                  .arg(destination.relative)
                                  .arg(version->id));
            return InSync;
        }
        // SPEC §10: what a restore replaces is kept as a version first.
        const Result<VersionEntry> kept =
            store.save({destination.absolute, destination.relative, VersionReason::Overwritten,
                        QStringLiteral("local"), VersionStore::SaveMode::Detach});
        if (!kept)
            return failWith(kept.error().message, Incomplete);
    }
    const QString temporary = destination.relative.isEmpty()
                                  ? QFileInfo(destination.absolute).path()
                                  : VersionStore::directory(root) + QStringLiteral("/tmp");
    if (Status restored = store.restore(*version, destination.absolute, temporary); !restored)
        return failWith(restored.error().message, Incomplete);
    printLine(stderr, QStringLiteral("restored %1 (version %2 of %3, %4) to %5")
                          .arg(path)
                          .arg(version->id)
                          .arg(isoTime(version->savedMs), ProgressLine::formatBytes(version->size),
                               destination.absolute));
    return InSync;
}

int prune(VersionStore &store, const QString &root)
{
    std::unique_ptr<Journal> journal;
    if (Result<std::unique_ptr<Journal>> opened = Journal::open(root); opened)
        journal = std::move(*opened);
    const RetentionPolicy policy = RetentionPolicy::fromSettings(
        [&journal](const QString &key) { return journal ? journal->setting(key) : QString(); },
        QStorageInfo(root).bytesTotal());
    const Result<VersionStore::PruneResult> pruned = store.prune(policy);
    if (!pruned)
        return failWith(pruned.error().message, Incomplete);
    printLine(stderr, QStringLiteral("pruned %1 version(s), %2 freed")
                          .arg(pruned->entriesRemoved)
                          .arg(ProgressLine::formatBytes(pruned->bytesFreed)));
    return pruned->complete ? InSync : Incomplete;
}

} // namespace

int runVersions(const Invocation &invocation)
{
    const QString root = invocation.engine.localRoot;
    if (!QFileInfo(root + QStringLiteral("/.steadysync")).isDir())
        return failWith(QStringLiteral("%1 is not a synced folder (no .steadysync)").arg(root));
    Result<std::unique_ptr<VersionStore>> store = VersionStore::open(root);
    if (!store)
        return failWith(store.error().message);
    switch (invocation.versionsAction) {
    case VersionsAction::List:
        return list(**store, invocation);
    case VersionsAction::Restore:
        return restore(**store, invocation);
    case VersionsAction::Prune:
        return prune(**store, root);
    }
    return UsageError;
}

} // namespace steadysync::cli
