#include "sync/caseclash.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>

#include <algorithm>

namespace steadysync {

bool isCaseInsensitiveDirectory(const QString &directory)
{
    if (qEnvironmentVariable("STEADYSYNC_TEST_CASE_INSENSITIVE") == QLatin1String("1"))
        return true;
    const QString probe = QDir(directory).filePath(
        QStringLiteral("CaseProbe-%1.tmp").arg(QCoreApplication::applicationPid()));
    QFile file(probe);
    if (!file.open(QIODevice::WriteOnly))
        return false; // cannot tell: assume the common case here
    file.close();
    const QString other = QDir(directory).filePath(QFileInfo(probe).fileName().toLower());
    const bool insensitive = QFileInfo::exists(other);
    QFile::remove(probe);
    return insensitive;
}

QStringList caseClashesToSetAside(const RemoteSnapshot &remote, const LocalSnapshot &local,
                                  const JournalSnapshot &journal)
{
    QHash<QString, QStringList> byFoldedPath;
    for (auto it = remote.cbegin(); it != remote.cend(); ++it) {
        if (!it.key().isEmpty())
            byFoldedPath[it.key().toCaseFolded()].append(it.key());
    }
    QStringList setAside;
    for (QStringList &group : byFoldedPath) {
        if (group.size() < 2)
            continue;
        std::sort(group.begin(), group.end());
        auto kept = std::find_if(group.cbegin(), group.cend(),
                                 [&](const QString &path) { return local.contains(path); });
        if (kept == group.cend())
            kept = std::find_if(group.cbegin(), group.cend(),
                                [&](const QString &path) { return journal.contains(path); });
        if (kept == group.cend())
            kept = group.cbegin();
        for (const QString &path : std::as_const(group)) {
            if (path != *kept)
                setAside.append(path);
        }
    }
    std::sort(setAside.begin(), setAside.end());
    return setAside;
}

} // namespace steadysync
