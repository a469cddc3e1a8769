#include "commandline.h"

#include "s3options.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QUrl>

namespace steadysync::cli {

namespace {

// The commands addressed to the process that runs a pair (DESIGN §12).
std::optional<Command> instanceCommand(const QString &name)
{
    if (name == QStringLiteral("pause"))
        return Command::Pause;
    if (name == QStringLiteral("resume"))
        return Command::Resume;
    if (name == QStringLiteral("sync-now"))
        return Command::SyncNow;
    if (name == QStringLiteral("wait"))
        return Command::Wait;
    return std::nullopt;
}

const QString PasswordOption = QStringLiteral("password-from-env");

bool parseNumber(const QCommandLineParser &parser, const QString &name, qint64 minimum, qint64 *out,
                 QString *error)
{
    if (!parser.isSet(name))
        return true;
    bool ok = false;
    const qint64 value = parser.value(name).toLongLong(&ok);
    if (!ok || value < minimum) {
        *error = QStringLiteral("--%1 needs a whole number of at least %2").arg(name).arg(minimum);
        return false;
    }
    *out = value;
    return true;
}

// select LOCAL_DIR list | select LOCAL_DIR exclude|include FOLDER...
bool parseSelect(const QStringList &args, Invocation &invocation)
{
    const QString action = args.value(1);
    if (action == QStringLiteral("list") && args.size() == 2)
        invocation.selectAction = SelectAction::List;
    else if (action == QStringLiteral("exclude") && args.size() > 2)
        invocation.selectAction = SelectAction::Exclude;
    else if (action == QStringLiteral("include") && args.size() > 2)
        invocation.selectAction = SelectAction::Include;
    else {
        invocation.error =
            QStringLiteral("select takes LOCAL_DIR list, or LOCAL_DIR exclude|include "
                           "REMOTE_FOLDER...");
        return false;
    }
    invocation.localDir = args.at(0);
    invocation.folders = args.mid(2);
    return true;
}

// versions config's options: the option, the journal setting (RetentionPolicy::fromSettings)
// and how many of the setting's units one of the option's makes.
struct RetentionOption
{
    const char *option;
    const char *setting;
    qint64 factor;
};
constexpr RetentionOption RetentionOptions[] = {
    {"keep-all-hours", "versions_keep_all_s", 3600},
    {"hourly-days", "versions_hourly_until_s", 86400},
    {"daily-days", "versions_daily_until_s", 86400},
    {"weekly-max-days", "versions_max_age_days", 1},
    {"max-size-mib", "versions_max_mib", 1},
};

bool parseRetentionSettings(const QCommandLineParser &parser, Invocation &invocation)
{
    for (const RetentionOption &option : RetentionOptions) {
        qint64 value = -1;
        if (!parseNumber(parser, QLatin1String(option.option), 1, &value, &invocation.error))
            return false;
        if (value > 0)
            invocation.retentionSettings.append(
                {QLatin1String(option.setting), value * option.factor});
    }
    return true;
}

// versions list LOCAL_DIR [PATH] | restore LOCAL_DIR PATH [--id ID] [--to DEST] | prune LOCAL_DIR
// | config LOCAL_DIR [retention options]
bool parseVersions(const QString &command, const QCommandLineParser &parser,
                   const QStringList &args, Invocation &invocation)
{
    const bool list = command == QStringLiteral("versions list");
    const bool restore = command == QStringLiteral("versions restore");
    if (command == QStringLiteral("versions config") && args.size() == 1) {
        invocation.versionsAction = VersionsAction::Config;
        invocation.localDir = args.at(0);
        return parseRetentionSettings(parser, invocation);
    }
    const bool fits =
        list ? (args.size() == 1 || args.size() == 2) : args.size() == (restore ? 2 : 1);
    if (!fits) {
        invocation.error =
            QStringLiteral("usage: versions list LOCAL_DIR [PATH] [--json] | versions "
                           "restore LOCAL_DIR PATH [--id ID] [--to DEST] | versions "
                           "prune LOCAL_DIR | versions config LOCAL_DIR [--keep-all-hours N] "
                           "[--hourly-days N] [--daily-days N] [--weekly-max-days N] "
                           "[--max-size-mib N]");
        return false;
    }
    invocation.versionsAction = list      ? VersionsAction::List
                                : restore ? VersionsAction::Restore
                                          : VersionsAction::Prune;
    invocation.localDir = args.at(0);
    invocation.versionPath = args.value(1);
    if (restore) {
        qint64 id = 0;
        const QString given = parser.value(QStringLiteral("id"));
        if (given.startsWith(QStringLiteral("server-")))
            invocation.serverVersionId = given; // what the server keeps (versions list)
        else if (!parseNumber(parser, QStringLiteral("id"), 1, &id, &invocation.error))
            return false;
        invocation.versionId = id;
        invocation.restoreTo = parser.value(QStringLiteral("to"));
    }
    return true;
}

void addSyncOptions(QCommandLineParser &parser)
{
    parser.addOptions({
        {QStringLiteral("user"), QStringLiteral("User name for the remote."),
         QStringLiteral("USER")},
        {QStringLiteral("conflict-policy"),
         QStringLiteral("keep-both, ask, local-wins or remote-wins."), QStringLiteral("P")},
        {QStringLiteral("debounce-ms"), QStringLiteral("Quiet time before a changed file moves."),
         QStringLiteral("N")},
        {QStringLiteral("poll-interval"), QStringLiteral("Seconds between remote polls."),
         QStringLiteral("S")},
        {QStringLiteral("parallel"), QStringLiteral("Concurrent transfers."), QStringLiteral("N")},
        {QStringLiteral("allow-mass-delete"),
         QStringLiteral("Let a cycle delete more than half the files.")},
        {QStringLiteral("remote-versions"),
         QStringLiteral("Keep the server's version before overwriting or deleting a file there.")},
        {QStringLiteral("accept-new-folders"),
         QStringLiteral("Download new server folders whatever their size.")},
        {QStringLiteral("new-folder-limit-mib"),
         QStringLiteral("New server folders above this size wait for a choice (default 500)."),
         QStringLiteral("MIB")},
        {QStringLiteral("exclude"), QStringLiteral("Ignore names matching GLOB (repeatable)."),
         QStringLiteral("GLOB")},
        {QStringLiteral("bwlimit-up"), QStringLiteral("Upload limit in KiB/s."),
         QStringLiteral("KIB_S")},
        {QStringLiteral("bwlimit-down"), QStringLiteral("Download limit in KiB/s."),
         QStringLiteral("KIB_S")},
        {QStringLiteral("disk-reserve-mib"),
         QStringLiteral("Free space downloads leave on the local disk (default 512)."),
         QStringLiteral("MIB")},
        {QStringLiteral("backoff-base-ms"), QStringLiteral("First retry delay."),
         QStringLiteral("N")},
        {QStringLiteral("backoff-cap-ms"), QStringLiteral("Longest retry delay."),
         QStringLiteral("N")},
        {QStringLiteral("max-retries"), QStringLiteral("Attempts before an item fails."),
         QStringLiteral("N")},
        {QStringLiteral("retry-max-age-s"), QStringLiteral("Age after which an item fails."),
         QStringLiteral("N")},
        {QStringLiteral("ca-cert"), QStringLiteral("Trust this certificate or CA."),
         QStringLiteral("FILE")},
        {QStringLiteral("timeout"),
         QStringLiteral("Seconds a request may go without traffic before it fails (default 60)."),
         QStringLiteral("S")},
        {QStringLiteral("json"), QStringLiteral("Print the result as JSON.")},
        {QStringLiteral("quiet"), QStringLiteral("No progress output.")},
        {QStringLiteral("pause-on-metered"),
         QStringLiteral("watch: hold the pair while the connection is metered.")},
        {QStringLiteral("pause-on-battery-below"),
         QStringLiteral("watch: hold the pair on battery below PERCENT, or in power-saver mode "
                        "(0: never)."),
         QStringLiteral("PERCENT")},
        {QStringLiteral("sync-window"),
         QStringLiteral("Sync only in these local times, e.g. \"Mon-Fri 19:00-07:00\"."),
         QStringLiteral("SPEC")},
        {QStringLiteral("bwlimit"),
         QStringLiteral("Bandwidth timetable, e.g. \"08:00,512k 19:00,off\" (rclone's form)."),
         QStringLiteral("TIMETABLE")},
    });
}

// --sync-window SPEC and --bwlimit TIMETABLE (issue 20's schedules).
bool parseSchedules(const QCommandLineParser &parser, EngineOptions &options, QString *error)
{
    const Result<SyncWindow> window =
        SyncWindow::parse(parser.value(QStringLiteral("sync-window")));
    if (!window.ok()) {
        *error = QStringLiteral("--sync-window: %1").arg(window.error().message);
        return false;
    }
    options.syncWindow = *window;
    const QString timetableSpec = parser.value(QStringLiteral("bwlimit"));
    const Result<BandwidthTimetable> timetable = BandwidthTimetable::parse(timetableSpec);
    if (!timetable.ok()) {
        *error = QStringLiteral("--bwlimit: %1").arg(timetable.error().message);
        return false;
    }
    if (!timetable->isEmpty() && (parser.isSet(QStringLiteral("bwlimit-up")) ||
                                  parser.isSet(QStringLiteral("bwlimit-down")))) {
        *error = QStringLiteral("--bwlimit replaces --bwlimit-up and --bwlimit-down: give one or "
                                "the others (UP:DOWN rates: \"08:00,512k:1M\")");
        return false;
    }
    options.bandwidthTimetable = *timetable;
    return true;
}

// The numeric options (sizes, counts, times) into invocation.engine, each within its bounds.
bool parseLimits(const QCommandLineParser &parser, Invocation &invocation)
{
    EngineOptions &options = invocation.engine;
    QString &error = invocation.error;
    qint64 parallel = options.backend.parallel;
    qint64 maxRetries = options.retry.maxRetries;
    qint64 timeoutS = options.backend.requestTimeoutMs / 1000;
    qint64 diskReserveMiB = options.diskReserveBytes / (1024 * 1024);
    qint64 newFolderLimitMiB = 500;
    if (!parseNumber(parser, QStringLiteral("debounce-ms"), 0, &options.debounceMs, &error) ||
        !parseNumber(parser, QStringLiteral("poll-interval"), 1, &options.pollIntervalS, &error) ||
        !parseNumber(parser, QStringLiteral("parallel"), 1, &parallel, &error) ||
        !parseNumber(parser, QStringLiteral("bwlimit-up"), 0, &options.backend.bwLimitUpKiB,
                     &error) ||
        !parseNumber(parser, QStringLiteral("bwlimit-down"), 0, &options.backend.bwLimitDownKiB,
                     &error) ||
        !parseNumber(parser, QStringLiteral("backoff-base-ms"), 1, &options.retry.backoffBaseMs,
                     &error) ||
        !parseNumber(parser, QStringLiteral("backoff-cap-ms"), 1, &options.retry.backoffCapMs,
                     &error) ||
        !parseNumber(parser, QStringLiteral("max-retries"), 1, &maxRetries, &error) ||
        !parseNumber(parser, QStringLiteral("retry-max-age-s"), 1, &options.retry.retryMaxAgeS,
                     &error) ||
        !parseNumber(parser, QStringLiteral("timeout"), 1, &timeoutS, &error) ||
        !parseNumber(parser, QStringLiteral("disk-reserve-mib"), 0, &diskReserveMiB, &error) ||
        !parseNumber(parser, QStringLiteral("new-folder-limit-mib"), 0, &newFolderLimitMiB,
                     &error) ||
        !parseNumber(parser, QStringLiteral("pause-on-battery-below"), 0,
                     &invocation.pauseOnBatteryBelow, &error) ||
        !parseSchedules(parser, options, &error))
        return false;
    if (invocation.pauseOnBatteryBelow > 100) {
        error = QStringLiteral("--pause-on-battery-below must be a percentage, 0 to 100");
        return false;
    }
    options.newFolderLimitBytes = parser.isSet(QStringLiteral("accept-new-folders"))
                                      ? 0
                                      : qMin<qint64>(newFolderLimitMiB, 1LL << 30) * 1024 * 1024;
    options.diskReserveBytes = qMin<qint64>(diskReserveMiB, 1LL << 30) * 1024 * 1024;
    options.backend.requestTimeoutMs = int(qMin<qint64>(timeoutS, 24 * 3600) * 1000);
    options.backend.parallel = int(qMin<qint64>(parallel, 64));
    options.retry.maxRetries = int(qMin<qint64>(maxRetries, 1000));
    return true;
}

bool fillEngineOptions(const QCommandLineParser &parser, Invocation &invocation)
{
    EngineOptions &options = invocation.engine;
    QString &error = invocation.error;
    options.localRoot = QDir::cleanPath(QFileInfo(invocation.localDir).absoluteFilePath());
    const QUrl url(invocation.remoteUrl, QUrl::StrictMode);
    if (!url.isValid() || url.scheme().isEmpty()) {
        error = QStringLiteral("%1 is not a URL (use file:///path or http(s)://host/path)")
                    .arg(invocation.remoteUrl);
        return false;
    }
    options.remoteUrl = url;
    if (parser.isSet(QStringLiteral("conflict-policy"))) {
        const auto policy = conflictPolicyFromName(parser.value(QStringLiteral("conflict-policy")));
        if (!policy) {
            error = QStringLiteral(
                "--conflict-policy must be keep-both, ask, local-wins or remote-wins");
            return false;
        }
        options.conflictPolicy = *policy;
    }
    if (!parseLimits(parser, invocation))
        return false;
    options.allowMassDelete = parser.isSet(QStringLiteral("allow-mass-delete"));
    options.remoteVersions = parser.isSet(QStringLiteral("remote-versions"));
    invocation.pauseOnMetered = parser.isSet(QStringLiteral("pause-on-metered"));
    options.excludes = parser.values(QStringLiteral("exclude"));
    options.backend.caCertFile = parser.value(QStringLiteral("ca-cert"));
    options.backend.user = parser.value(QStringLiteral("user"));
    invocation.user = options.backend.user;
    return true;
}

} // namespace

QString usageText()
{
    return QStringLiteral(
        "Usage:\n"
        "  steadysync-cli sync  LOCAL_DIR REMOTE_URL [options]   one full cycle, then exit\n"
        "  steadysync-cli watch LOCAL_DIR REMOTE_URL [options]   run until SIGINT/SIGTERM\n"
        "  steadysync-cli status LOCAL_DIR [--json]\n"
        "  steadysync-cli conflicts list LOCAL_DIR [--json]\n"
        "  steadysync-cli conflicts resolve LOCAL_DIR PATH --keep local|remote|both\n"
        "  steadysync-cli retry LOCAL_DIR                       make every queued/failed item due "
        "now\n"
        "  steadysync-cli select LOCAL_DIR list [--json]\n"
        "  steadysync-cli select LOCAL_DIR exclude|include REMOTE_FOLDER...   selective sync\n"
        "  steadysync-cli versions list LOCAL_DIR [PATH] [--json]\n"
        "  steadysync-cli versions restore LOCAL_DIR PATH [--id ID|server-…] [--to DEST]\n"
        "  steadysync-cli versions prune LOCAL_DIR\n"
        "  steadysync-cli versions config LOCAL_DIR [--keep-all-hours N] [--hourly-days N]\n"
        "      [--daily-days N] [--weekly-max-days N] [--max-size-mib N] [--json]\n"
        "  steadysync-cli login REMOTE_URL --user USER           password on stdin, stored in the "
        "keychain\n"
        "  steadysync-cli login https://HOST [--no-browser]      Nextcloud: log in in a browser, "
        "an app password is stored\n"
        "  steadysync-cli login S3_URL --access-key-id ID        S3: secret access key on stdin, "
        "stored in the keychain\n"
        "  steadysync-cli pause|resume|sync-now LOCAL_DIR        the running instance, over D-Bus\n"
        "  steadysync-cli wait LOCAL_DIR [--timeout S]           until that instance is idle\n"
        "  steadysync-cli watch LOCAL_DIR [options]              the remote last synced with\n"
        "  steadysync-cli --version | --help\n"
        "\n"
        "Options of sync and watch:\n"
        "  --user USER  --conflict-policy keep-both|ask|local-wins|remote-wins  --debounce-ms N\n"
        "  --poll-interval S  --parallel N  --allow-mass-delete  --exclude GLOB (repeatable)\n"
        "  --accept-new-folders  --new-folder-limit-mib N\n"
        "  --remote-versions  keep the server's version before overwriting or deleting a file\n"
        "                     there, in .steadysync-versions/ on the server (see versions)\n"
        "  --bwlimit-up KIB_S  --bwlimit-down KIB_S  --backoff-base-ms N  --backoff-cap-ms N\n"
        "  --max-retries N  --retry-max-age-s N  --disk-reserve-mib N  --ca-cert FILE  --timeout "
        "S\n"
        "  --json  --quiet  --pause-on-metered (watch: hold while the connection is metered)\n"
        "  --pause-on-battery-below PERCENT (watch: hold on battery below PERCENT or in\n"
        "    power-saver mode; 0, the default, never)\n"
        "  --sync-window SPEC   sync only then, local time: \"22:00-06:00\" or\n"
        "                       \"Mon-Fri 19:00-07:00,Sat-Sun 00:00-24:00\"\n"
        "                       (sync outside it: nothing synced, exit 1)\n"
        "  --bwlimit TIMETABLE  rclone's form: \"08:00,512k 19:00,off\", UP:DOWN as\n"
        "                       \"512k:1M\"; units K (default), M, G, B per second;\n"
        "                       replaces --bwlimit-up and --bwlimit-down\n"
        "\n"
        "  --access-key-id ID  --region REGION   S3 remotes (s3://BUCKET/PREFIX,\n"
        "                       s3+http(s)://HOST:PORT/BUCKET/PREFIX)\n"
        "\n"
        "The password comes from STEADYSYNC_PASSWORD or the keychain (see login). S3 also\n"
        "reads AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION,\n"
        "AWS_DEFAULT_REGION and AWS_ENDPOINT_URL (precedence: man steadysync-cli).\n"
        "Exit codes of sync: 0 in sync; 1 items queued, failed or in conflict; 2 usage or\n"
        "configuration error; 3 remote unreachable or credentials refused; 4 mass-deletion "
        "guard.\n");
}

namespace {

// The command's name as its arguments give it ("conflicts list"); false (invocation.error says
// why) or true with the arguments after the name in rest. --version and --help end here too.
bool takeCommandName(const QStringList &arguments, Invocation &invocation, QString &command,
                     QStringList &rest)
{
    if (arguments.isEmpty()) {
        invocation.error = QStringLiteral("no command given");
        return false;
    }
    const QString &first = arguments.first();
    if (first == QStringLiteral("--version") || first == QStringLiteral("-v")) {
        invocation.command = Command::Version;
        return false;
    }
    if (first == QStringLiteral("--help") || first == QStringLiteral("-h") ||
        first == QStringLiteral("help")) {
        invocation.command = Command::Help;
        return false;
    }

    rest = arguments.mid(1);
    command = first;
    if (first == QStringLiteral("conflicts") || first == QStringLiteral("versions")) {
        if (rest.isEmpty()) {
            invocation.error =
                first == QStringLiteral("conflicts")
                    ? QStringLiteral("conflicts needs list or resolve")
                    : QStringLiteral("versions needs list, restore, prune or config");
            return false;
        }
        command += QLatin1Char(' ') + rest.takeFirst();
    }
    return true;
}

void addVersionsOptions(const QString &command, QCommandLineParser &parser)
{
    parser.addOption({QStringLiteral("json"), QStringLiteral("JSON output.")});
    if (command == QStringLiteral("versions config"))
        for (const RetentionOption &option : RetentionOptions)
            parser.addOption(
                {QLatin1String(option.option), QStringLiteral("Retention."), QStringLiteral("N")});
    parser.addOption({QStringLiteral("id"), QStringLiteral("Version id."), QStringLiteral("ID")});
    parser.addOption({QStringLiteral("to"), QStringLiteral("Restore to."), QStringLiteral("DEST")});
}

// Sets invocation.command and declares the command's options; the number of its positional
// arguments (-1: the command checks them itself), or nothing for an unknown command.
std::optional<int> declareCommand(const QString &command, QCommandLineParser &parser,
                                  Invocation &invocation)
{
    if (command == QStringLiteral("sync") || command == QStringLiteral("watch")) {
        invocation.command = command == QStringLiteral("sync") ? Command::Sync : Command::Watch;
        addSyncOptions(parser);
        addS3Options(parser);
        return 2;
    }
    if (command == QStringLiteral("status") || command == QStringLiteral("conflicts list")) {
        invocation.command =
            command == QStringLiteral("status") ? Command::Status : Command::ConflictsList;
        parser.addOption({QStringLiteral("json"), QStringLiteral("JSON output.")});
        return 1;
    }
    if (command == QStringLiteral("conflicts resolve")) {
        invocation.command = Command::ConflictsResolve;
        parser.addOption({QStringLiteral("keep"), QStringLiteral("local, remote or both."),
                          QStringLiteral("WHICH")});
        return 2;
    }
    if (const std::optional<Command> instance = instanceCommand(command)) {
        invocation.command = *instance;
        parser.addOption({QStringLiteral("timeout"),
                          QStringLiteral("Seconds to wait (0: no limit)."), QStringLiteral("S")});
        return 1;
    }
    if (command == QStringLiteral("retry")) {
        invocation.command = Command::Retry;
        return 1;
    }
    if (command == QStringLiteral("select")) {
        invocation.command = Command::Select;
        parser.addOption({QStringLiteral("json"), QStringLiteral("JSON output.")});
        return -1; // LOCAL_DIR ACTION [FOLDER...]
    }
    if (command == QStringLiteral("versions list") ||
        command == QStringLiteral("versions restore") ||
        command == QStringLiteral("versions prune") ||
        command == QStringLiteral("versions config")) {
        invocation.command = Command::Versions;
        addVersionsOptions(command, parser);
        return -1;
    }
    if (command == QStringLiteral("login")) {
        invocation.command = Command::Login;
        parser.addOption(
            {QStringLiteral("user"), QStringLiteral("User name."), QStringLiteral("USER")});
        parser.addOption(
            {QStringLiteral("no-browser"), QStringLiteral("Only print the login address.")});
        addS3Options(parser);
        return 1;
    }
    return std::nullopt;
}

// The positional arguments are as many as the command takes (select and versions check theirs).
bool checkPositionals(const QString &command, const QCommandLineParser &parser, int positionals,
                      Invocation &invocation)
{
    const QStringList args = parser.positionalArguments();
    if (invocation.command == Command::Select)
        return parseSelect(args, invocation);
    if (invocation.command == Command::Versions)
        return parseVersions(command, parser, args, invocation);
    if (args.size() != positionals && !(invocation.command == Command::Watch && args.size() == 1)) {
        invocation.error = QStringLiteral("%1 takes %2 argument(s), got %3")
                               .arg(command)
                               .arg(positionals)
                               .arg(args.size());
        return false;
    }
    return true;
}

void parseKeep(const QString &keep, Invocation &invocation)
{
    if (keep == QStringLiteral("local"))
        invocation.keep = ConflictChoice::KeepLocal;
    else if (keep == QStringLiteral("remote"))
        invocation.keep = ConflictChoice::KeepRemote;
    else if (keep == QStringLiteral("both"))
        invocation.keep = ConflictChoice::KeepBoth;
    else
        invocation.error = QStringLiteral("--keep must be local, remote or both");
}

// The command's arguments and options into invocation; false when one is wrong.
bool fillCommand(const QCommandLineParser &parser, const QString &passwordFromEnvironment,
                 Invocation &invocation)
{
    const QStringList args = parser.positionalArguments();
    switch (invocation.command) {
    case Command::Sync:
    case Command::Watch:
        invocation.localDir = args.at(0);
        // watch LOCAL_DIR: the remote the journal names (the systemd unit's form)
        invocation.remoteUrl = args.value(1, QStringLiteral("file:///"));
        invocation.remoteFromJournal = args.size() == 1;
        if (!fillEngineOptions(parser, invocation) || !applyS3Options(parser, invocation))
            return false;
        invocation.engine.backend.password = passwordFromEnvironment;
        break;
    case Command::ConflictsResolve:
        invocation.localDir = args.at(0);
        invocation.conflictPath = args.at(1);
        parseKeep(parser.value(QStringLiteral("keep")), invocation);
        break;
    case Command::Select:
    case Command::Versions:
        break;
    case Command::Wait:
        invocation.localDir = args.at(0);
        if (!parseNumber(parser, QStringLiteral("timeout"), 0, &invocation.waitTimeoutS,
                         &invocation.error))
            return false;
        break;
    case Command::Login:
        invocation.remoteUrl = args.at(0);
        invocation.user = parser.value(QStringLiteral("user"));
        // Without a user name: Nextcloud's browser login, which names the account itself.
        invocation.browserLogin = invocation.user.isEmpty();
        invocation.openBrowser = !parser.isSet(QStringLiteral("no-browser"));
        if (!applyS3Options(parser, invocation))
            return false;
        break;
    default:
        invocation.localDir = args.at(0);
        break;
    }
    return true;
}

} // namespace

Invocation parseCommandLine(const QStringList &arguments, const QString &passwordFromEnvironment)
{
    Invocation invocation;
    QString command;
    QStringList rest;
    if (!takeCommandName(arguments, invocation, command, rest))
        return invocation;

    QCommandLineParser parser;
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    parser.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsOptions);
    const std::optional<int> positionals = declareCommand(command, parser, invocation);
    if (!positionals) {
        invocation.error = QStringLiteral("unknown command: %1").arg(command);
        return invocation;
    }
    if (!parser.parse(QStringList{QStringLiteral("steadysync-cli")} + rest)) {
        invocation.error = parser.errorText();
        return invocation;
    }
    if (!checkPositionals(command, parser, *positionals, invocation))
        return invocation;
    invocation.json = parser.optionNames().contains(QStringLiteral("json"));
    invocation.quiet = parser.optionNames().contains(QStringLiteral("quiet"));
    if (!fillCommand(parser, passwordFromEnvironment, invocation))
        return invocation;
    if (!invocation.localDir.isEmpty())
        invocation.engine.localRoot =
            QDir::cleanPath(QFileInfo(invocation.localDir).absoluteFilePath());
    return invocation;
}

} // namespace steadysync::cli
