// What the server keeps of its own accord (issue 19 item 8) in the Versions view's model.
#include "versionsmodel.h"

#include <QFileInfo>

#include <algorithm>

namespace steadysync {

qint64 VersionedFile::newestMs() const
{
    qint64 newest = versions.isEmpty() ? 0 : versions.constFirst().savedMs;
    for (const ServerHistoryEntry &entry : serverEntries)
        newest = std::max(newest, entry.timeMs);
    return newest;
}

QString VersionsModel::serverReasonText(const ServerHistoryEntry &entry)
{
    return entry.kind == ServerHistoryEntry::Kind::Version ? tr("Earlier version on the server")
                                                           : tr("In the server's trash");
}

void VersionsModel::addServerHistory(QVector<VersionedFile> &files,
                                     const QList<ServerHistoryEntry> &entries,
                                     const QString &localRoot)
{
    for (const ServerHistoryEntry &entry : entries) {
        auto file = std::find_if(files.begin(), files.end(),
                                 [&](const VersionedFile &f) { return f.path == entry.path; });
        if (file == files.end()) {
            VersionedFile added;
            added.path = entry.path;
            const QFileInfo local(localRoot + QLatin1Char('/') + entry.path);
            added.existsLocally = local.exists() || local.isSymLink();
            files.append(added);
            file = files.end() - 1;
        }
        file->serverEntries.append(entry);
    }
    std::stable_sort(
        files.begin(), files.end(),
        [](const VersionedFile &a, const VersionedFile &b) { return a.newestMs() > b.newestMs(); });
}

} // namespace steadysync
