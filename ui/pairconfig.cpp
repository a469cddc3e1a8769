#include "pairconfig.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

namespace steadysync {

EngineOptions PairConfig::engineOptions() const
{
    EngineOptions options;
    options.localRoot = localRoot;
    options.remoteUrl = remoteUrl;
    options.backend.user = user;
    options.backend.region = region;
    options.backend.bwLimitUpKiB = bwLimitUpKiB;
    options.backend.bwLimitDownKiB = bwLimitDownKiB;
    options.conflictPolicy = conflictPolicy;
    options.debounceMs = debounceMs;
    options.pollIntervalS = pollIntervalS;
    options.newFolderLimitBytes = qMax<qint64>(0, newFolderLimitMiB) * 1024 * 1024;
    options.remoteVersions = remoteVersions;
    // The editor refuses specs that do not parse; one edited by hand in the file is left out.
    if (const Result<SyncWindow> window = SyncWindow::parse(syncWindow); window.ok())
        options.syncWindow = *window;
    if (const Result<BandwidthTimetable> table = BandwidthTimetable::parse(bandwidthTimetable);
        table.ok())
        options.bandwidthTimetable = *table;
    return options;
}

QString PairConfig::displayName() const
{
    const QString name = QFileInfo(localRoot).fileName();
    return name.isEmpty() ? localRoot : name;
}

PairConfig PairConfig::defaultPair()
{
    PairConfig pair;
    pair.id = QStringLiteral("default");
    pair.localRoot = QDir::homePath() + QStringLiteral("/Steadysync");
    const QString dataHome = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
    pair.remoteUrl = QUrl::fromLocalFile(dataHome + QStringLiteral("/steadysync/remote"));
    return pair;
}

} // namespace steadysync
