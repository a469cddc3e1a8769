#pragma once

#include "local/localwatcher.h"
#include "remote/remotebackend.h"
#include "sync/retrypolicy.h"
#include "sync/schedule.h"
#include "sync/syncplan.h"

#include <QStringList>
#include <QUrl>

namespace steadysync {

// What one pair's engine runs with: the CLI's arguments or the app's pair settings.
struct EngineOptions
{
    QString localRoot;
    QUrl remoteUrl;
    BackendOptions backend;
    ConflictPolicy conflictPolicy = ConflictPolicy::KeepBoth;
    RetryPolicy retry;
    qint64 debounceMs = 1000;
    qint64 pollIntervalS = 30;
    qint64 fullRescanIntervalS = 3600;
    qint64 diskReserveBytes = 512LL * 1024 * 1024;
    bool allowMassDelete = false;
    // Keep the server's version before overwriting or deleting a file there, in the hidden
    // .steadysync-versions/ collection (issue 17; RemoteVersionKeeper). Off by default.
    bool remoteVersions = false;
    // A new remote folder with more than this in it waits for the user (selective sync);
    // 0: none waits. The CLI's default is 500 MiB, the app's a pair setting (500 MiB too).
    qint64 newFolderLimitBytes = 0;
    QStringList excludes;
    LocalWatcher::Backend watcherBackend = LocalWatcher::Backend::Auto;
    // Schedules (issue 20): outside its window a watched pair is held; the timetable's limits
    // replace backend.bwLimitUpKiB/DownKiB when it is not empty.
    SyncWindow syncWindow;
    BandwidthTimetable bandwidthTimetable;
};

} // namespace steadysync
