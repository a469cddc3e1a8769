#include "sync/newfolderhold.h"

#include <algorithm>

namespace steadysync {

namespace {

bool isNewFolder(const QString &path, const JournalSnapshot &journal, const LocalSnapshot &local,
                 const RemoteSnapshot &remote)
{
    const auto entry = remote.constFind(path);
    return entry != remote.cend() && entry->isDir() && !journal.contains(path) &&
           !local.contains(path);
}

bool acceptedByUser(const QString &path, const QStringList &accepted)
{
    return std::any_of(accepted.cbegin(), accepted.cend(),
                       [&path](const QString &folder) { return isSameOrBelow(path, folder); });
}

} // namespace

QVector<HeldFolder> foldersToHoldBack(const JournalSnapshot &journal, const LocalSnapshot &local,
                                      const RemoteSnapshot &remote, qint64 limitBytes,
                                      const QStringList &accepted)
{
    if (limitBytes <= 0)
        return {};
    QHash<QString, qint64> bytesOfOutermost;
    for (auto it = remote.cbegin(); it != remote.cend(); ++it) {
        if (!isNewFolder(it.key(), journal, local, remote))
            continue;
        const QString parent = parentPath(it.key());
        if (!parent.isEmpty() && isNewFolder(parent, journal, local, remote))
            continue; // held, if at all, with the new folder it lies in
        if (!acceptedByUser(it.key(), accepted))
            bytesOfOutermost.insert(it.key(), 0);
    }
    if (bytesOfOutermost.isEmpty())
        return {};
    for (auto it = remote.cbegin(); it != remote.cend(); ++it) {
        if (it->isDir())
            continue;
        for (QString folder = parentPath(it.key()); !folder.isEmpty();
             folder = parentPath(folder)) {
            if (auto outer = bytesOfOutermost.find(folder); outer != bytesOfOutermost.end()) {
                *outer += it->size;
                break;
            }
        }
    }
    QVector<HeldFolder> held;
    for (auto it = bytesOfOutermost.cbegin(); it != bytesOfOutermost.cend(); ++it) {
        if (it.value() > limitBytes)
            held.append(HeldFolder{it.key(), it.value()});
    }
    std::sort(held.begin(), held.end(),
              [](const HeldFolder &a, const HeldFolder &b) { return a.path < b.path; });
    return held;
}

} // namespace steadysync
