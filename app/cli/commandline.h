#pragma once

#include "sync/engine.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace steadysync::cli {

enum class Command {
    Sync,
    Watch,
    Status,
    ConflictsList,
    ConflictsResolve,
    Retry,
    Login,
    Select,
    Versions,
    Version,
    Help,
    Pause,
    Resume,
    SyncNow,
    Wait
}; // the last four: the running instance, over D-Bus

// What `select` does with the pair's selection of remote folders.
enum class SelectAction { List, Exclude, Include };

// What `versions` does (DESIGN §7, §10).
enum class VersionsAction { List, Restore, Prune, Config };

// A parsed command line; `error` set means usage error (exit 2).
struct Invocation
{
    Command command = Command::Help;
    EngineOptions engine;
    QString localDir;
    QString remoteUrl;
    QString conflictPath;
    ConflictChoice keep = ConflictChoice::KeepBoth;
    bool json = false;
    bool quiet = false;
    QString user;
    bool browserLogin = false; // login without --user: Login Flow v2
    bool openBrowser = true;   // login: open the login address in a browser where there is one
    SelectAction selectAction = SelectAction::List;
    QStringList folders; // select exclude|include: remote folders, as given
    VersionsAction versionsAction = VersionsAction::List;
    QString versionPath;     // versions list [PATH] | restore PATH: relative to LOCAL_DIR, as given
    qint64 versionId = 0;    // versions restore --id; 0 = the newest
    QString serverVersionId; // versions restore --id server-…: kept by the server itself
    QString restoreTo;       // versions restore --to DEST, as given
    // versions config: the retention settings given (journal settings key, value), in order.
    QList<std::pair<QString, qint64>> retentionSettings;
    bool pauseOnMetered = false;    // watch --pause-on-metered
    qint64 pauseOnBatteryBelow = 0; // watch --pause-on-battery-below PERCENT; 0: never
    bool remoteFromJournal = false; // watch LOCAL_DIR: REMOTE_URL left out
    qint64 waitTimeoutS = 0;        // wait --timeout S; 0: no limit
    QString error;
};

// Pure: arguments (without the program name) and the environment's STEADYSYNC_PASSWORD.
Invocation parseCommandLine(const QStringList &arguments, const QString &passwordFromEnvironment);

QString usageText();

} // namespace steadysync::cli
