#include "versionscommand.h"

#include "clioutput.h"
#include "progressline.h"
#include "serverhistorycommand.h"

#include "fs/reservednames.h"
#include "journal/journal.h"
#include "remote/remotebackend.h"
#include "versions/remoteversionfetch.h"
#include "versions/versionrestorer.h"
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

QString normalizedPath(const QString &given)
{
    return VersionRestorer::normalizedPath(given);
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

int list(VersionStore &store, const Invocation &invocation,
         const RemoteOptionsSource &remoteOptions)
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
        const bool serverListed = listServerHistory(remoteOptions(), path, &array);
        printLine(stdout, QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Compact)));
        return serverListed ? InSync : Incomplete;
    }
    for (const VersionEntry &entry : *entries)
        printLine(stdout, QStringLiteral("%1\t%2\t%3\t%4\t%5")
                              .arg(entry.id)
                              .arg(isoTime(entry.savedMs), versionReasonName(entry.reason),
                                   ProgressLine::formatBytes(entry.size), entry.path));
    const bool serverListed = listServerHistory(remoteOptions(), path, nullptr);
    if (const Result<VersionStore::Usage> usage = store.usage(); usage)
        printLine(stderr, QStringLiteral("%1 version(s) of %2; the store takes %3 on disk")
                              .arg(usage->entries)
                              .arg(ProgressLine::formatBytes(usage->listedBytes),
                                   ProgressLine::formatBytes(usage->diskBytes)));
    return serverListed ? InSync : Incomplete;
}

// Exit 3 when the server cannot be reached or refuses the credentials, as sync does.
int exitCodeOf(const Error &error)
{
    const bool unreachable = error.kind == ErrorKind::Offline || error.kind == ErrorKind::Auth ||
                             error.kind == ErrorKind::RootMissing;
    return unreachable ? 3 : Incomplete;
}

Result<VersionEntry> fetchFromServer(const VersionEntry &version,
                                     const RemoteOptionsSource &remoteOptions)
{
    const std::optional<EngineOptions> options = remoteOptions();
    if (!options)
        return makeError(ErrorKind::Permanent,
                         QStringLiteral("version %1 is kept on the server, and the journal names "
                                        "no remote")
                             .arg(version.id));
    QString error;
    const std::unique_ptr<RemoteBackend> backend =
        RemoteBackend::create(options->remoteUrl, options->backend, &error);
    if (!backend)
        return makeError(ErrorKind::Permanent, error);
    return fetchRemoteVersionNow(backend.get(), options->localRoot, version);
}

int restore(VersionStore &store, const Invocation &invocation,
            const RemoteOptionsSource &remoteOptions)
{
    const QString root = invocation.engine.localRoot;
    const QString path = normalizedPath(invocation.versionPath);
    if (path.isEmpty())
        return failWith(
            QStringLiteral("%1 is not a path inside the folder").arg(invocation.versionPath));
    if (!invocation.serverVersionId.isEmpty()) // kept by the server itself (Nextcloud)
        return restoreServerHistory(store, invocation, remoteOptions());
    Result<VersionEntry> version = VersionRestorer::choose(store, path, invocation.versionId);
    if (!version)
        return failWith(version.error().message);
    if (version->isOnRemote()) {
        // Kept on the server (--remote-versions): fetched into the store, then restored alike.
        version = fetchFromServer(*version, remoteOptions);
        if (!version)
            return failWith(version.error().message, exitCodeOf(version.error()));
    }
    const QString destination = invocation.restoreTo.isEmpty()
                                    ? root + QLatin1Char('/') + path
                                    : QFileInfo(invocation.restoreTo).absoluteFilePath();
    const Result<VersionRestorer::Outcome> restored =
        VersionRestorer::restore(store, root, *version, destination);
    if (!restored)
        return failWith(restored.error().message,
                        restored.error().kind == ErrorKind::InvalidName ? UsageError : Incomplete);
    if (*restored == VersionRestorer::Outcome::AlreadyThere) {
        printLine(stderr, QStringLiteral("%1 already holds version %2")
                              .arg(QDir::cleanPath(destination))
                              .arg(version->id));
        return InSync;
    }
    printLine(stderr, QStringLiteral("restored %1 (version %2 of %3, %4) to %5")
                          .arg(path)
                          .arg(version->id)
                          .arg(isoTime(version->savedMs), ProgressLine::formatBytes(version->size),
                               QDir::cleanPath(destination)));
    return InSync;
}

// versions config: sets the retention settings given, then prints the effective ones.
int config(const Invocation &invocation)
{
    const QString root = invocation.engine.localRoot;
    Result<std::unique_ptr<Journal>> journal = Journal::open(root);
    if (!journal)
        return failWith(journal.error().message, Incomplete);
    for (const auto &[key, value] : invocation.retentionSettings)
        if (Status set = (*journal)->setSetting(key, QString::number(value)); !set)
            return failWith(set.error().message, Incomplete);
    const Journal *settings = journal->get();
    const RetentionPolicy policy = RetentionPolicy::fromSettings(
        [settings](const QString &key) { return settings->setting(key); },
        QStorageInfo(root).bytesTotal());
    constexpr double hourMs = RetentionPolicy::HourMs;
    constexpr double dayMs = RetentionPolicy::DayMs;
    const QList<std::pair<QString, double>> values{
        {QStringLiteral("keep_all_hours"), double(policy.keepAllMs) / hourMs},
        {QStringLiteral("hourly_days"), double(policy.hourlyUntilMs) / dayMs},
        {QStringLiteral("daily_days"), double(policy.dailyUntilMs) / dayMs},
        {QStringLiteral("weekly_max_days"), double(policy.maxAgeMs) / dayMs},
        {QStringLiteral("max_size_mib"), double(policy.maxBytes) / (1024.0 * 1024.0)}};
    QJsonObject object;
    for (const auto &[name, value] : values) {
        object.insert(name, value);
        if (!invocation.json)
            printLine(stdout, QStringLiteral("%1\t%2").arg(name).arg(value));
    }
    if (invocation.json)
        printLine(stdout, QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact)));
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

int runVersions(const Invocation &invocation, const RemoteOptionsSource &remoteOptions)
{
    const QString root = invocation.engine.localRoot;
    if (!QFileInfo(ReservedNames::statePath(root)).isDir())
        return failWith(QStringLiteral("%1 is not a synced folder (no .steadysync)").arg(root));
    Result<std::unique_ptr<VersionStore>> store = VersionStore::open(root);
    if (!store)
        return failWith(store.error().message);
    switch (invocation.versionsAction) {
    case VersionsAction::List:
        return list(**store, invocation, remoteOptions);
    case VersionsAction::Restore:
        return restore(**store, invocation, remoteOptions);
    case VersionsAction::Prune:
        return prune(**store, root);
    case VersionsAction::Config:
        return config(invocation);
    }
    return UsageError;
}

} // namespace steadysync::cli
