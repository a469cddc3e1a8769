#include "pairstore.h"

#include <QSettings>
#include <QStandardPaths>

namespace steadysync {

namespace {

const QString PairsGroup = QStringLiteral("pairs");

PairConfig readPair(const QSettings &settings)
{
    PairConfig pair;
    pair.id = settings.value(QStringLiteral("id")).toString();
    pair.localRoot = settings.value(QStringLiteral("local")).toString();
    pair.remoteUrl = QUrl(settings.value(QStringLiteral("remote")).toString());
    pair.user = settings.value(QStringLiteral("user")).toString();
    pair.region = settings.value(QStringLiteral("region")).toString();
    pair.conflictPolicy =
        conflictPolicyFromName(settings.value(QStringLiteral("conflict_policy")).toString())
            .value_or(ConflictPolicy::KeepBoth);
    pair.debounceMs = settings.value(QStringLiteral("debounce_ms"), 1000).toLongLong();
    pair.pollIntervalS = settings.value(QStringLiteral("poll_interval_s"), 30).toLongLong();
    pair.bwLimitUpKiB = settings.value(QStringLiteral("bwlimit_up_kib"), 0).toLongLong();
    pair.pauseOnMetered = settings.value(QStringLiteral("pause_on_metered"), false).toBool();
    pair.remoteVersions = settings.value(QStringLiteral("remote_versions"), false).toBool();
    const qint64 batteryBelow =
        settings.value(QStringLiteral("pause_on_battery_below"), 0).toLongLong();
    pair.pauseOnBatteryBelow = qBound(qint64(0), batteryBelow, qint64(100));
    pair.bwLimitDownKiB = settings.value(QStringLiteral("bwlimit_down_kib"), 0).toLongLong();
    pair.newFolderLimitMiB =
        settings.value(QStringLiteral("new_folder_limit_mib"), 500).toLongLong();
    pair.syncWindow = settings.value(QStringLiteral("sync_window")).toString();
    pair.bandwidthTimetable = settings.value(QStringLiteral("bwlimit_timetable")).toString();
    return pair;
}

void writePair(QSettings &settings, const PairConfig &pair)
{
    settings.setValue(QStringLiteral("id"), pair.id);
    settings.setValue(QStringLiteral("local"), pair.localRoot);
    settings.setValue(QStringLiteral("remote"), pair.remoteUrl.toString(QUrl::RemovePassword));
    settings.setValue(QStringLiteral("user"), pair.user);
    if (!pair.region.isEmpty())
        settings.setValue(QStringLiteral("region"), pair.region);
    settings.setValue(QStringLiteral("conflict_policy"), conflictPolicyName(pair.conflictPolicy));
    settings.setValue(QStringLiteral("debounce_ms"), pair.debounceMs);
    settings.setValue(QStringLiteral("poll_interval_s"), pair.pollIntervalS);
    settings.setValue(QStringLiteral("bwlimit_up_kib"), pair.bwLimitUpKiB);
    settings.setValue(QStringLiteral("pause_on_metered"), pair.pauseOnMetered);
    settings.setValue(QStringLiteral("remote_versions"), pair.remoteVersions);
    settings.setValue(QStringLiteral("pause_on_battery_below"), pair.pauseOnBatteryBelow);
    settings.setValue(QStringLiteral("bwlimit_down_kib"), pair.bwLimitDownKiB);
    settings.setValue(QStringLiteral("new_folder_limit_mib"), pair.newFolderLimitMiB);
    settings.setValue(QStringLiteral("sync_window"), pair.syncWindow);
    settings.setValue(QStringLiteral("bwlimit_timetable"), pair.bandwidthTimetable);
}

} // namespace

PairStore::PairStore(QString filePath) : m_filePath(std::move(filePath)) {}

QString PairStore::defaultFilePath()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) +
           QStringLiteral("/steadysync/steadysync.ini");
}

QVector<PairConfig> PairStore::load() const
{
    QSettings settings(m_filePath, QSettings::IniFormat);
    QVector<PairConfig> pairs;
    const int count = settings.beginReadArray(PairsGroup);
    for (int i = 0; i < count; ++i) {
        settings.setArrayIndex(i);
        PairConfig pair = readPair(settings);
        if (!pair.localRoot.isEmpty() && pair.remoteUrl.isValid())
            pairs.append(pair);
    }
    settings.endArray();
    return pairs;
}

void PairStore::save(const QVector<PairConfig> &pairs) const
{
    QSettings settings(m_filePath, QSettings::IniFormat);
    settings.remove(PairsGroup);
    settings.beginWriteArray(PairsGroup, int(pairs.size()));
    for (int i = 0; i < pairs.size(); ++i) {
        settings.setArrayIndex(i);
        writePair(settings, pairs[i]);
    }
    settings.endArray();
    settings.sync();
}

} // namespace steadysync
