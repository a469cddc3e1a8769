#include "serverhistorycommand.h"

#include "clioutput.h"
#include "progressline.h"

#include "remote/nextcloudhistory.h"
#include "versions/serverhistoryrestore.h"
#include "versions/versionrestorer.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QJsonObject>

namespace steadysync::cli {

namespace {

QString isoTime(qint64 epochMs)
{
    return QDateTime::fromMSecsSinceEpoch(epochMs, Qt::UTC).toString(Qt::ISODateWithMs);
}

QJsonObject toJson(const ServerHistoryEntry &entry)
{
    QJsonObject object{{QStringLiteral("id"), entry.id()},
                       {QStringLiteral("path"), entry.path},
                       {QStringLiteral("reason"), entry.reasonName()},
                       {QStringLiteral("saved"), isoTime(entry.timeMs)},
                       {QStringLiteral("size"), entry.size},
                       {QStringLiteral("sha256"), QString()},
                       {QStringLiteral("origin"), QStringLiteral("server")}};
    if (entry.directory)
        object.insert(QStringLiteral("directory"), true);
    if (!entry.author.isEmpty())
        object.insert(QStringLiteral("author"), entry.author);
    return object;
}

QString sizeText(const ServerHistoryEntry &entry)
{
    if (entry.directory)
        return QStringLiteral("folder");
    return entry.size < 0 ? QStringLiteral("?") : ProgressLine::formatBytes(entry.size);
}

bool isBelowOrAt(const QString &path, const QString &folder)
{
    return folder.isEmpty() || path == folder || path.startsWith(folder + QLatin1Char('/'));
}

// The server versions of path (a file, or the files directly in a folder).
Result<QList<ServerHistoryEntry>> serverVersions(NextcloudHistory &history, const QString &path)
{
    int leftOut = 0;
    Result<QList<ServerHistoryEntry>> versions = QList<ServerHistoryEntry>();
    if (path.isEmpty()) {
        versions = history.versionsIn(path, maxFilesAsked, &leftOut);
    } else {
        const Result<std::optional<NextcloudHistory::Item>> item = history.stat(path);
        if (!item)
            return item.error();
        if (!*item)
            return QList<ServerHistoryEntry>();
        versions = (*item)->directory ? history.versionsIn(path, maxFilesAsked, &leftOut)
                                      : history.versionsOf(path);
    }
    if (versions && leftOut > 0)
        printLine(stderr, QStringLiteral("server versions of %1 more file(s) in %2 not listed; "
                                         "name a file to see its versions")
                              .arg(leftOut)
                              .arg(path.isEmpty() ? QStringLiteral("the folder's root") : path));
    return versions;
}

Result<QList<ServerHistoryEntry>> serverHistory(NextcloudHistory &history, const QString &path)
{
    const Result<ServerHistoryFeatures> features = history.features();
    if (!features)
        return features.error();
    QList<ServerHistoryEntry> entries;
    if (features->versions) {
        const Result<QList<ServerHistoryEntry>> versions = serverVersions(history, path);
        if (!versions)
            return versions.error();
        entries += *versions;
    }
    if (features->trash) {
        const Result<QList<ServerHistoryEntry>> trashed = history.trash();
        if (!trashed)
            return trashed.error();
        for (const ServerHistoryEntry &entry : *trashed)
            if (isBelowOrAt(entry.path, path))
                entries.append(entry);
    }
    return entries;
}

int exitCodeOf(const Error &error)
{
    if (error.kind == ErrorKind::Offline || error.kind == ErrorKind::Auth)
        return RemoteUnavailable;
    return error.kind == ErrorKind::InvalidName || error.kind == ErrorKind::NotFound ? UsageError
                                                                                     : Incomplete;
}

int failWith(const Error &error)
{
    printLine(stderr, QStringLiteral("steadysync-cli: %1").arg(error.message));
    return exitCodeOf(error);
}

Result<ServerHistoryEntry> findEntry(NextcloudHistory &history, const QString &path,
                                     const ServerHistoryEntry::Id &id, const QString &given)
{
    const Result<QList<ServerHistoryEntry>> entries =
        id.kind == ServerHistoryEntry::Kind::Version ? history.versionsOf(path) : history.trash();
    if (!entries)
        return entries.error();
    for (const ServerHistoryEntry &entry : *entries)
        if (entry.matches(id) && entry.path == path)
            return entry;
    return makeError(ErrorKind::NotFound,
                     QStringLiteral("the server keeps no %1 of %2").arg(given, path));
}

} // namespace

bool listServerHistory(const std::optional<EngineOptions> &remote, const QString &path,
                       QJsonArray *json)
{
    if (!remote)
        return true;
    const std::unique_ptr<NextcloudHistory> history =
        NextcloudHistory::forRemote(remote->remoteUrl, remote->backend);
    if (!history)
        return true;
    const Result<QList<ServerHistoryEntry>> entries = serverHistory(*history, path);
    if (!entries) {
        printLine(stderr, QStringLiteral("steadysync-cli: what the server keeps is not listed: %1")
                              .arg(entries.error().message));
        return false;
    }
    for (const ServerHistoryEntry &entry : *entries) {
        if (json)
            json->append(toJson(entry));
        else
            printLine(stdout, QStringLiteral("%1\t%2\t%3\t%4\t%5")
                                  .arg(entry.id(), isoTime(entry.timeMs), entry.reasonName(),
                                       sizeText(entry), entry.path));
    }
    return true;
}

int restoreServerHistory(VersionStore &store, const Invocation &invocation,
                         const std::optional<EngineOptions> &remote)
{
    const QString root = invocation.engine.localRoot;
    const QString path = VersionRestorer::normalizedPath(invocation.versionPath);
    const std::optional<ServerHistoryEntry::Id> id =
        ServerHistoryEntry::parseId(invocation.serverVersionId);
    if (!id || path.isEmpty())
        return failWith(
            makeError(ErrorKind::InvalidName, QStringLiteral("%1 is no id that versions list shows")
                                                  .arg(invocation.serverVersionId)));
    if (!remote)
        return failWith(makeError(ErrorKind::Permanent,
                                  QStringLiteral("the journal names no remote for %1").arg(root)));
    const std::unique_ptr<NextcloudHistory> history =
        NextcloudHistory::forRemote(remote->remoteUrl, remote->backend);
    if (!history)
        return failWith(makeError(ErrorKind::InvalidName,
                                  QStringLiteral("%1 is no Nextcloud server, which keeps no "
                                                 "versions of its own")
                                      .arg(remote->remoteUrl.toDisplayString())));
    const Result<ServerHistoryEntry> entry =
        findEntry(*history, path, *id, invocation.serverVersionId);
    if (!entry)
        return failWith(entry.error());
    const QString destination = invocation.restoreTo.isEmpty()
                                    ? QString()
                                    : QFileInfo(invocation.restoreTo).absoluteFilePath();
    const Result<ServerHistoryRestore::Outcome> outcome =
        ServerHistoryRestore::restore(*history, store, root, *entry, destination);
    if (!outcome)
        return failWith(outcome.error());
    const QString where = QDir::cleanPath(outcome->destination);
    switch (outcome->kind) {
    case ServerHistoryRestore::Outcome::Kind::AlreadyThere:
        printLine(stderr, QStringLiteral("%1 already holds %2").arg(where, entry->id()));
        break;
    case ServerHistoryRestore::Outcome::Kind::RestoredOnServer:
        printLine(stderr, QStringLiteral("restored %1 from the server's trash to its place on the "
                                         "server; the next sync brings it to %2")
                              .arg(path, where));
        break;
    case ServerHistoryRestore::Outcome::Kind::Restored:
        printLine(stderr,
                  QStringLiteral("restored %1 (%2 of %3, %4) to %5")
                      .arg(path, entry->id(), isoTime(entry->timeMs), sizeText(*entry), where));
        break;
    }
    return InSync;
}

} // namespace steadysync::cli
