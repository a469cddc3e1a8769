#pragma once

#include "sync/engine.h"

#include <QString>
#include <QUrl>

namespace steadysync {

// One configured folder pair as the GUI stores it (DESIGN §2). Never holds a password.
struct PairConfig
{
    QString id;
    QString localRoot;
    QUrl remoteUrl;
    QString user;   // S3: the access key id (the secret is in the keychain under it)
    QString region; // S3: the signing region; empty: AWS_REGION or the store's default
    ConflictPolicy conflictPolicy = ConflictPolicy::KeepBoth;
    qint64 debounceMs = 1000;
    qint64 pollIntervalS = 30;
    qint64 bwLimitUpKiB = 0;
    qint64 bwLimitDownKiB = 0;
    // A new remote folder larger than this waits for the user's choice (selective sync);
    // 0: none waits.
    qint64 newFolderLimitMiB = 500;
    bool pauseOnMetered = false; // hold the pair while the connection is metered
    // Keep the server's version before overwriting or deleting a file there (issue 17).
    bool remoteVersions = false;
    // Hold the pair on battery below this charge (percent) or in power-saver mode; 0: never.
    qint64 pauseOnBatteryBelow = 0;
    // Schedules (SyncWindow, BandwidthTimetable specs; empty: always, no timetable). A
    // timetable replaces bwLimitUpKiB/DownKiB.
    QString syncWindow;
    QString bandwidthTimetable;

    EngineOptions engineOptions() const;
    QString displayName() const;
    friend bool operator==(const PairConfig &, const PairConfig &) = default;

    // ~/Steadysync with the local-directory remote ~/.local/share/steadysync/remote (DESIGN §8).
    static PairConfig defaultPair();
};

} // namespace steadysync
