#include "browserlogin.h"
#include "clioutput.h"
#include "commandline.h"
#include "instancecommands.h"
#include "jsonreport.h"
#include "keychainstore.h"
#include "progressline.h"
#include "s3options.h"
#include "selectcommand.h"
#include "sync/enginehost.h"
#include "terminationsignalnotifier.h"
#include "versionscommand.h"
#include "watchservices.h"

#include "journal/journal.h"
#include "remote/credentialstore.h"
#include "remote/s3access.h"
#include "sync/cyclereport.h"
#include "sync/pairlock.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonDocument>
#include <QLocale>

#include <cstdio>
#include <iostream>
#include <string>

using namespace steadysync;
using namespace steadysync::cli;

namespace {

bool isWebDav(const QUrl &url)
{
    return url.scheme() == QLatin1String("http") || url.scheme() == QLatin1String("https");
}

void printAuthHint(const EngineOptions &options)
{
    const QString user =
        options.backend.user.isEmpty() ? QStringLiteral("USER") : options.backend.user;
    if (isS3Url(options.remoteUrl))
        return printLine(stderr, QStringLiteral("hint: the store refused the credentials: run "
                                                "steadysync-cli login %1 --access-key-id %2 or "
                                                "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
                                     .arg(options.remoteUrl.toString(), user));
    printLine(stderr, QStringLiteral("hint: the server refused the credentials: run "
                                     "steadysync-cli login %1 --user %2 or set STEADYSYNC_PASSWORD")
                          .arg(options.remoteUrl.toString(), user));
}

// STEADYSYNC_PASSWORD wins; otherwise the keychain. Without either the sync goes ahead with no
// password: the server's 401 then ends it with exit 3 and the login hint.
void fillPassword(EngineOptions &options, bool quiet)
{
    if (qEnvironmentVariableIsSet("STEADYSYNC_PASSWORD")) {
        options.backend.password = qEnvironmentVariable("STEADYSYNC_PASSWORD");
        return;
    }
    if (fillS3Credentials(options, quiet))
        return;
    if (options.backend.user.isEmpty() || !isWebDav(options.remoteUrl))
        return;
    const Result<QString> password =
        CredentialStore().readPassword(options.remoteUrl, options.backend.user);
    if (password.ok()) {
        options.backend.password = *password;
        return;
    }
    if (!quiet)
        printLine(stderr, QStringLiteral("warning: no password for %1: %2")
                              .arg(options.backend.user, password.error().message));
}

int runLogin(const Invocation &invocation)
{
    const QUrl url(invocation.remoteUrl, QUrl::StrictMode);
    if (url.isValid() && isS3Url(url))
        return runS3Login(invocation);
    if (!url.isValid() || !isWebDav(url) || url.host().isEmpty()) {
        printLine(stderr,
                  QStringLiteral("steadysync-cli: login needs an http(s):// WebDAV URL, got %1")
                      .arg(invocation.remoteUrl));
        return UsageError;
    }
    if (invocation.browserLogin)
        return runBrowserLogin(invocation);
    std::string line;
    std::getline(std::cin, line);
    QString password = QString::fromLocal8Bit(line.data(), qsizetype(line.size()));
    if (password.endsWith(QLatin1Char('\r')))
        password.chop(1);
    if (password.isEmpty()) {
        printLine(stderr, QStringLiteral("steadysync-cli: login reads the password from stdin (one "
                                         "line); got none"));
        return UsageError;
    }
    return storeInKeychain(url, {invocation.user, password, QStringLiteral("password"),
                                 QStringLiteral("STEADYSYNC_PASSWORD")});
}

// DESIGN §7: 3 when the server failed the cycle, 1 when it ended with work left (a full disk
// included), 2 only for usage and configuration.
int exitCodeFor(const CycleReport &report)
{
    if (report.massDelete)
        return MassDeleteStop;
    if (!report.fatal)
        return report.clean() ? InSync : Incomplete;
    switch (report.fatal->kind) {
    case ErrorKind::Offline:
    case ErrorKind::Auth:
    case ErrorKind::RootMissing:
    case ErrorKind::NotFound:
        return RemoteUnavailable;
    case ErrorKind::Transient:
        return report.fatalFromRemote ? RemoteUnavailable : Incomplete;
    case ErrorKind::Corrupt:
        return report.fatalFromRemote ? RemoteUnavailable : UsageError;
    case ErrorKind::DiskFull:
    case ErrorKind::PreconditionFailed:
    case ErrorKind::InvalidName:
    case ErrorKind::Cancelled:
        return Incomplete;
    case ErrorKind::Permanent:
    case ErrorKind::ParentMissing:
        return report.fatalFromRemote ? RemoteUnavailable : UsageError;
    }
    return UsageError;
}

std::unique_ptr<Journal> openExistingJournal(const QString &localRoot)
{
    if (!QFileInfo::exists(Journal::databasePath(localRoot))) {
        printLine(
            stderr,
            QStringLiteral("steadysync-cli: %1 has never been synced (no journal)").arg(localRoot));
        return nullptr;
    }
    Result<std::unique_ptr<Journal>> journal = Journal::open(localRoot);
    if (!journal.ok() && journal.error().kind == ErrorKind::DiskFull) {
        // What the journal last recorded is still worth showing on a full disk.
        printLine(stderr, QStringLiteral("warning: %1").arg(journal.error().message));
        journal = Journal::openReadOnlyView(localRoot);
    }
    if (!journal.ok()) {
        printLine(stderr, QStringLiteral("steadysync-cli: %1").arg(journal.error().message));
        return nullptr;
    }
    return std::move(*journal);
}

// watch LOCAL_DIR: the remote (and user) the pair was last synced with, as the journal says.
bool fillRemoteFromJournal(EngineOptions &options)
{
    std::unique_ptr<Journal> journal = openExistingJournal(options.localRoot);
    if (!journal)
        return false;
    options.remoteUrl = QUrl(journal->setting(QStringLiteral("remote_url")));
    if (options.backend.user.isEmpty())
        options.backend.user = journal->setting(QStringLiteral("remote_user"));
    if (options.backend.region.isEmpty())
        options.backend.region = journal->setting(QStringLiteral("remote_region"));
    if (options.remoteUrl.isValid() && !options.remoteUrl.scheme().isEmpty())
        return true;
    printLine(stderr, QStringLiteral("steadysync-cli: the journal of %1 names no remote; give "
                                     "REMOTE_URL")
                          .arg(options.localRoot));
    return false;
}

int runStatus(const Invocation &invocation)
{
    std::unique_ptr<Journal> journal = openExistingJournal(invocation.engine.localRoot);
    if (!journal)
        return UsageError;
    StatusSnapshot status = readStatus(*journal);
    // A state such as "syncing" left by a process that is gone is not live any more.
    if (status.state == EngineState::Syncing && !PairLock::holder(invocation.engine.localRoot))
        status.state = EngineState::Idle;
    // The process running the pair knows more than its journal: its one state, live figures.
    const std::optional<QJsonObject> live = instanceStatus(invocation.engine.localRoot);
    const QString backend = backendKindOf(QUrl(journal->setting(QStringLiteral("remote_url"))));
    if (invocation.json) {
        QJsonObject object = live ? *live : statusObject(status);
        object.insert(QStringLiteral("backend"), backend);
        printLine(stdout, QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact)));
        return InSync;
    }
    if (live) {
        status.state = engineStateFromName(live->value(QStringLiteral("state")).toString());
        status.pending = live->value(QStringLiteral("pending")).toInteger();
        status.lastError = live->value(QStringLiteral("last_error")).toString();
    }
    printLine(stdout, QStringLiteral("State:            %1").arg(engineStateName(status.state)));
    printLine(stdout, QStringLiteral("Backend:          %1").arg(backend));
    printLine(stdout, live ? QStringLiteral("Running:          yes, %1 (over D-Bus)")
                                 .arg(live->value(QStringLiteral("pair_state")).toString())
                           : QStringLiteral("Running:          no instance serves this pair; "
                                            "figures from the journal"));
    printLine(stdout, QStringLiteral("Tracked files:    %1").arg(status.trackedFiles));
    printLine(stdout, QStringLiteral("Pending:          %1").arg(status.pending));
    printLine(stdout, QStringLiteral("Retry queue:      %1").arg(status.retryQueue));
    printLine(stdout, QStringLiteral("Failed:           %1").arg(status.failedPermanent));
    printLine(stdout, QStringLiteral("Open conflicts:   %1").arg(status.openConflicts));
    printLine(stdout,
              QStringLiteral("Success rate:     %1%").arg(status.successRate() * 100, 0, 'f', 1));
    printLine(stdout, QStringLiteral("Transferred:      %1 up, %2 down")
                          .arg(ProgressLine::formatBytes(status.counters.bytesUp),
                               ProgressLine::formatBytes(status.counters.bytesDown)));
    printLine(stdout,
              QStringLiteral("Last sync:        %1")
                  .arg(status.lastSyncMs ? isoTime(status.lastSyncMs) : QStringLiteral("never")));
    if (!status.lastError.isEmpty())
        printLine(stdout, QStringLiteral("Last error:       %1").arg(status.lastError));
    for (const RetryItem &item : journal->retryItems()) {
        printLine(stdout, QStringLiteral("  %1 %2 (%3 attempts): %4")
                              .arg(item.failedPermanently ? QStringLiteral("failed")
                                                          : QStringLiteral("queued"),
                                   item.path)
                              .arg(item.attempts)
                              .arg(item.lastError));
    }
    return InSync;
}

int runConflictsList(const Invocation &invocation)
{
    std::unique_ptr<Journal> journal = openExistingJournal(invocation.engine.localRoot);
    if (!journal)
        return UsageError;
    const QVector<ConflictRecord> conflicts = journal->conflicts();
    if (invocation.json) {
        printLine(stdout, QString::fromUtf8(conflictsJson(conflicts)));
        return InSync;
    }
    for (const ConflictRecord &conflict : conflicts)
        printLine(stdout,
                  QStringLiteral("%1\t(remote version in %2, detected %3)")
                      .arg(conflict.path, conflict.remoteCopy, isoTime(conflict.detectedMs)));
    return InSync;
}

int runRetry(const Invocation &invocation)
{
    std::unique_ptr<Journal> journal = openExistingJournal(invocation.engine.localRoot);
    if (!journal)
        return UsageError;
    const qsizetype count = journal->retryItems().size();
    if (Status due = journal->makeAllRetryItemsDue(QDateTime::currentMSecsSinceEpoch()); !due) {
        printLine(stderr, QStringLiteral("steadysync-cli: %1").arg(due.error().message));
        return UsageError;
    }
    printLine(stderr, QStringLiteral("%1 item(s) due now").arg(count));
    return InSync;
}

// The remote answered, and its answer rules out syncing until a person acts.
bool refusesToServe(const CycleReport &report)
{
    const ErrorKind kind = report.fatal->kind;
    if (kind == ErrorKind::Auth)
        return true;
    return report.fatalFromRemote && kind != ErrorKind::Offline && kind != ErrorKind::Transient &&
           kind != ErrorKind::RootMissing;
}

// `sync --sync-window SPEC` outside its window: nothing is synced, so not exit 0 (DESIGN §7).
std::optional<int> refuseOutsideWindow(const SyncWindow &window)
{
    QDateTime when = QDateTime::currentDateTime();
    if (window.isOpenAt(when))
        return std::nullopt;
    for (int boundary = 0; boundary < 64 && !window.isOpenAt(when); ++boundary)
        when = window.nextChangeAfter(when);
    printLine(stderr,
              QStringLiteral("steadysync-cli: outside its sync window (%1): nothing synced; "
                             "it opens %2")
                  .arg(window.spec(),
                       QLocale::c().toString(when, QStringLiteral("ddd yyyy-MM-dd HH:mm"))));
    return Incomplete;
}

// What `sync` says at the end of its cycle: the unsynced items and the fatal error (stderr), the
// report as JSON (stdout) or as one line (stderr).
void printCycleReport(const CycleReport &report, const Invocation &invocation,
                      const EngineOptions &options)
{
    if (!invocation.quiet) {
        for (const QString &warning : report.warnings)
            printLine(stderr, QStringLiteral("warning: %1").arg(warning));
        for (const RetryItem &item : report.unsyncedItems)
            printLine(stderr, QStringLiteral("%1 %2: %3")
                                  .arg(item.failedPermanently ? QStringLiteral("failed")
                                                              : QStringLiteral("queued"),
                                       item.path, item.lastError));
        if (report.fatal)
            printLine(stderr, QStringLiteral("steadysync-cli: %1").arg(report.fatal->message));
        if (report.fatal && report.fatal->kind == ErrorKind::Auth)
            printAuthHint(options);
    }
    if (invocation.json)
        printLine(stdout, QString::fromUtf8(cycleReportJson(report)));
    else if (!invocation.quiet)
        printLine(stderr,
                  QStringLiteral("%1 up, %2 down, %3 deleted here, %4 deleted remotely, %5 moved, "
                                 "%6 conflicts, %7 queued, %8 failed (%9 s)")
                      .arg(report.uploaded)
                      .arg(report.downloaded)
                      .arg(report.deletedLocal)
                      .arg(report.deletedRemote)
                      .arg(report.moved)
                      .arg(report.conflicts)
                      .arg(report.queued)
                      .arg(report.failed)
                      .arg(report.seconds, 0, 'f', 2));
}

// sync, and conflicts resolve (which resolves, then syncs the pair once).
int runOnce(QCoreApplication &app, const Invocation &invocation)
{
    EngineOptions options = invocation.engine;
    if (invocation.command == Command::ConflictsResolve) {
        std::unique_ptr<Journal> journal = openExistingJournal(options.localRoot);
        if (!journal)
            return UsageError;
        options.remoteUrl = QUrl(journal->setting(QStringLiteral("remote_url")));
        const auto policy =
            conflictPolicyFromName(journal->setting(QStringLiteral("conflict_policy")));
        options.conflictPolicy = policy.value_or(ConflictPolicy::Ask);
        options.backend.user = journal->setting(QStringLiteral("remote_user"));
        fillPassword(options, invocation.quiet);
    }
    EngineHost host(options);
    ProgressLine progress(!invocation.quiet && !invocation.json);
    int exitCode = InSync;
    QObject::connect(host.engine(), &Engine::statusChanged, &app,
                     [&progress](const StatusSnapshot &status) { progress.update(status); });
    QObject::connect(host.engine(), &Engine::warning, &app, [&](const QString &message) {
        if (!invocation.quiet)
            printLine(stderr, QStringLiteral("warning: %1").arg(message));
    });
    QObject::connect(host.engine(), &Engine::conflictResolved, &app,
                     [&](const QString &, bool ok, const QString &message) {
                         if (!ok) {
                             printLine(stderr, QStringLiteral("steadysync-cli: %1").arg(message));
                             exitCode = UsageError;
                             app.exit(UsageError);
                             return;
                         }
                         QMetaObject::invokeMethod(host.engine(), &Engine::runOnce,
                                                   Qt::QueuedConnection);
                     });
    QObject::connect(host.engine(), &Engine::onceFinished, &app, [&](const CycleReport &report) {
        progress.clear();
        exitCode = exitCodeFor(report);
        printCycleReport(report, invocation, options);
        app.exit(exitCode);
    });
    if (invocation.command == Command::ConflictsResolve) {
        const QString path = invocation.conflictPath;
        const ConflictChoice keep = invocation.keep;
        QMetaObject::invokeMethod(
            host.engine(),
            [engine = host.engine(), path, keep] { engine->resolveConflict(path, keep); },
            Qt::QueuedConnection);
    } else {
        QMetaObject::invokeMethod(host.engine(), &Engine::runOnce, Qt::QueuedConnection);
    }
    app.exec();
    return exitCode;
}

int runWatch(QCoreApplication &app, const Invocation &invocation)
{
    TerminationSignalNotifier terminationSignals; // SIGTERM, SIGINT, SIGHUP (logout): stop cleanly
    if (!terminationSignals.isActive()) {
        printLine(stderr, QStringLiteral("steadysync-cli: cannot set up signal handling"));
        return UsageError;
    }

    EngineHost host(invocation.engine);
    int exitCode = InSync;
    WatchServices services(host.engine(), invocation); // D-Bus, metered hold, systemd
    QObject::connect(
        &terminationSignals, &TerminationSignalNotifier::terminationRequested, &app, [&] {
            services.stopping();
            if (!invocation.quiet)
                printLine(stderr, QStringLiteral("stopping…"));
            QMetaObject::invokeMethod(host.engine(), &Engine::stop, Qt::QueuedConnection);
        });
    bool started = false; // the server was reached once: later outages are waited out
    QObject::connect(host.engine(), &Engine::stopped, &app, [&] { app.exit(exitCode); });
    QObject::connect(host.engine(), &Engine::startFailed, &app, [&](const QString &message) {
        printLine(stderr, QStringLiteral("steadysync-cli: %1").arg(message));
        exitCode = UsageError;
    });
    QObject::connect(host.engine(), &Engine::warning, &app, [&](const QString &message) {
        if (!invocation.quiet)
            printLine(stderr, QStringLiteral("warning: %1").arg(message));
    });
    QObject::connect(host.engine(), &Engine::remoteReached, &app, [&] { started = true; });
    QObject::connect(host.engine(), &Engine::cycleFinished, &app, [&](const CycleReport &report) {
        // A service manager must see a watch that cannot start fail (DESIGN §7): a server that
        // answers but refuses the credentials or answers unusably is exit 3. A server not
        // there yet (down, no network, an unmounted share) is waited for, offline, as later.
        if (!started && report.fatal && refusesToServe(report)) {
            printLine(stderr, QStringLiteral("steadysync-cli: %1").arg(report.fatal->message));
            if (report.fatal->kind == ErrorKind::Auth)
                printAuthHint(invocation.engine);
            exitCode = RemoteUnavailable;
            QMetaObject::invokeMethod(host.engine(), &Engine::stop, Qt::QueuedConnection);
            return;
        }
        if (report.fatal && !invocation.quiet)
            printLine(stderr, QStringLiteral("error: %1").arg(report.fatal->message));
        if (report.fatal && report.fatal->kind == ErrorKind::Auth && !invocation.quiet)
            printAuthHint(invocation.engine);
        if (invocation.json)
            printLine(stdout, QString::fromUtf8(cycleReportJson(report)));
    });
    QObject::connect(host.engine(), &Engine::itemDone, &app,
                     [&](const QString &path, ActionKind kind, bool ok, const QString &message) {
                         if (invocation.quiet)
                             return;
                         printLine(stderr,
                                   QStringLiteral("%1 %2%3").arg(
                                       actionKindName(kind), path,
                                       ok ? QString() : QStringLiteral(" failed: ") + message));
                     });
    QMetaObject::invokeMethod(host.engine(), &Engine::startWatching, Qt::QueuedConnection);
    app.exec();
    return exitCode;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("steadysync"));
    QCoreApplication::setApplicationVersion(QStringLiteral(STEADYSYNC_VERSION));

    Invocation invocation =
        parseCommandLine(app.arguments().mid(1), qEnvironmentVariable("STEADYSYNC_PASSWORD"));
    if (!invocation.error.isEmpty()) {
        printLine(stderr,
                  QStringLiteral("steadysync-cli: %1\n").arg(invocation.error) + usageText());
        return UsageError;
    }
    switch (invocation.command) {
    case Command::Version:
        printLine(stdout, QStringLiteral("steadysync-cli " STEADYSYNC_VERSION));
        return InSync;
    case Command::Help:
        printLine(stdout, usageText());
        return InSync;
    case Command::Status:
        return runStatus(invocation);
    case Command::ConflictsList:
        return runConflictsList(invocation);
    case Command::Retry:
        return runRetry(invocation);
    case Command::Select:
        return runSelect(invocation);
    case Command::Versions:
        return runVersions(invocation, [&invocation]() -> std::optional<EngineOptions> {
            EngineOptions options = invocation.engine;
            if (!fillRemoteFromJournal(options))
                return std::nullopt;
            fillPassword(options, true);
            return options;
        });
    case Command::Sync:
        if (const std::optional<int> delegated = runDelegatedSync(invocation))
            return *delegated;
        if (const std::optional<int> refused = refuseOutsideWindow(invocation.engine.syncWindow))
            return *refused;
        fillPassword(invocation.engine, invocation.quiet);
        return runOnce(app, invocation);
    case Command::ConflictsResolve:
        return runOnce(app, invocation);
    case Command::Watch:
        if (invocation.remoteFromJournal && !fillRemoteFromJournal(invocation.engine))
            return UsageError;
        fillPassword(invocation.engine, invocation.quiet);
        return runWatch(app, invocation);
    case Command::Pause:
    case Command::Resume:
    case Command::SyncNow:
    case Command::Wait:
        return runInstanceCommand(invocation);
    case Command::Login:
        return runLogin(invocation);
    }
    return UsageError;
}
