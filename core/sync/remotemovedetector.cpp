#include "sync/remotemovedetector.h"

#include <QSet>
#include <QStringList>

#include <algorithm>

namespace steadysync {
namespace {

int depthOf(const QString &path)
{
    return static_cast<int>(path.count(QLatin1Char('/')));
}

template<typename Map> QStringList sortedKeys(const Map &map)
{
    QStringList keys = map.keys();
    keys.sort();
    return keys;
}

// The keys strictly below dir: one contiguous range of the sorted keys ("dir/" prefix).
QStringList keysBelow(const QStringList &sorted, const QString &dir)
{
    const QString prefix = dir + QLatin1Char('/');
    QStringList result;
    for (auto it = std::lower_bound(sorted.cbegin(), sorted.cend(), prefix);
         it != sorted.cend() && it->startsWith(prefix); ++it)
        result.append(*it);
    return result;
}

bool insideAny(const QString &path, const QSet<QString> &dirs)
{
    for (QString dir = parentPath(path); !dir.isEmpty(); dir = parentPath(dir)) {
        if (dirs.contains(dir))
            return true;
    }
    return false;
}

class RemoteMoveDetector
{
public:
    RemoteMoveDetector(const JournalSnapshot &journal, const LocalSnapshot &local,
                       const RemoteSnapshot &remote, bool etagsSurviveMoves)
        : m_journal(journal), m_local(local), m_remote(remote),
          m_etagsSurviveMoves(etagsSurviveMoves)
    {}

    QVector<PathMove> detect()
    {
        matchFiles();
        if (m_fileTargets.isEmpty())
            return {};
        m_journalKeys = sortedKeys(m_journal);
        m_localKeys = sortedKeys(m_local);
        QVector<PathMove> moves = directoryMoves();
        QSet<QString> movedSources;
        for (const PathMove &move : std::as_const(moves))
            movedSources.insert(move.from);
        for (auto it = m_fileTargets.cbegin(); it != m_fileTargets.cend(); ++it) {
            if (!insideAny(it.key(), movedSources) && m_localUnchanged.contains(it.key()) &&
                !takenByAMovedChild(it.value(), moves))
                moves.append(PathMove{it.key(), it.value()});
        }
        return moves;
    }

private:
    // Each vanished record paired with the one new remote file that carries its identity.
    void matchFiles()
    {
        const QHash<QByteArray, QStringList> newByIdentity = newFilesByIdentity();
        if (newByIdentity.isEmpty())
            return;
        QHash<QByteArray, QStringList> goneByIdentity;
        for (auto it = m_journal.cbegin(); it != m_journal.cend(); ++it) {
            if (it->isDir() || m_remote.contains(it.key()))
                continue;
            if (const QByteArray key = identityOf(*it, newByIdentity); !key.isEmpty())
                goneByIdentity[key].append(it.key());
        }
        for (auto it = goneByIdentity.cbegin(); it != goneByIdentity.cend(); ++it) {
            const QStringList &targets = newByIdentity.value(it.key());
            if (targets.size() == 1 && it.value().size() == 1)
                pairFile(it.key(), it.value().first(), targets.first());
        }
    }

    // The remote files neither the journal nor the local side knows, by file id and (where
    // ETags survive moves) by strong ETag.
    QHash<QByteArray, QStringList> newFilesByIdentity() const
    {
        QHash<QByteArray, QStringList> newByIdentity;
        for (auto it = m_remote.cbegin(); it != m_remote.cend(); ++it) {
            if (it->isDir() || m_journal.contains(it.key()) || m_local.contains(it.key()))
                continue;
            if (!it->fileId.isEmpty())
                newByIdentity[idKey(it->fileId)].append(it.key());
            if (m_etagsSurviveMoves && !it->etag.isEmpty() && !it->hasWeakEtag())
                newByIdentity[etagKey(it->etag)].append(it.key());
        }
        return newByIdentity;
    }

    // The vanished record at from and the one new file at to that share identity: a move,
    // unless an ETag alone names it and the size differs.
    void pairFile(const QByteArray &identity, const QString &from, const QString &to)
    {
        const JournalRecord &record = m_journal.value(from);
        // A server file id names the file for sure; an ETag only with the size it had.
        if (!identity.startsWith(idPrefix) && m_remote.value(to).size != record.remoteSize)
            return;
        m_fileTargets.insert(from, to);
        const auto local = m_local.constFind(from);
        if (local != m_local.cend() && !local->isDir() && !local->sha256.isEmpty() &&
            local->sha256 == record.sha256)
            m_localUnchanged.insert(from);
    }

    // The key under which a vanished record finds its new place: its file id where the server
    // gave one, else its ETag on a remote where ETags survive moves.
    QByteArray identityOf(const JournalRecord &record,
                          const QHash<QByteArray, QStringList> &candidates) const
    {
        if (!record.remoteId.isEmpty())
            return candidates.contains(idKey(record.remoteId)) ? idKey(record.remoteId)
                                                               : QByteArray();
        // Only a settled signature names a version the server was seen to hold.
        if (m_etagsSurviveMoves && record.remoteCheck == RemoteCheck::Settled &&
            !record.remoteRewritten && candidates.contains(etagKey(record.remoteSignature)))
            return etagKey(record.remoteSignature);
        return {};
    }

    static constexpr char idPrefix[] = "id:";
    static QByteArray idKey(const QByteArray &fileId) { return idPrefix + fileId; }
    static QByteArray etagKey(const QByteArray &etag) { return "etag:" + etag; }

    // True when a local item moving along with a directory lands on target.
    bool takenByAMovedChild(const QString &target, const QVector<PathMove> &directoryMoves) const
    {
        for (const PathMove &move : directoryMoves) {
            if (isSameOrBelow(target, move.to) &&
                m_local.contains(move.from + target.mid(move.to.size())))
                return true;
        }
        return false;
    }

    // Shallowest first, so that a moved directory takes the directories inside it along.
    QVector<PathMove> directoryMoves() const
    {
        QStringList goneDirs;
        for (auto it = m_journal.cbegin(); it != m_journal.cend(); ++it) {
            const auto local = m_local.constFind(it.key());
            if (it->isDir() && !m_remote.contains(it.key()) && local != m_local.cend() &&
                local->isDir())
                goneDirs.append(it.key());
        }
        std::sort(goneDirs.begin(), goneDirs.end(), [](const QString &a, const QString &b) {
            return depthOf(a) != depthOf(b) ? depthOf(a) < depthOf(b) : a < b;
        });
        QVector<PathMove> moves;
        QSet<QString> moved;
        for (const QString &dir : std::as_const(goneDirs)) {
            if (insideAny(dir, moved))
                continue;
            const QString target = consistentTarget(dir);
            if (target.isEmpty())
                continue;
            moves.append(PathMove{dir, target});
            moved.insert(dir);
        }
        return moves;
    }

    // Where every tracked file below dir went, when they all went to the same place in one new
    // remote directory that is free on this side; empty otherwise.
    QString consistentTarget(const QString &dir) const
    {
        QString target;
        bool anyFile = false;
        for (const QString &key : keysBelow(m_journalKeys, dir)) {
            if (m_journal.value(key).isDir())
                continue;
            const QString to = m_fileTargets.value(key);
            const QString relative = key.mid(dir.size());
            if (to.isEmpty() || !to.endsWith(relative))
                return {};
            const QString candidate = to.chopped(relative.size());
            if (anyFile && candidate != target)
                return {};
            target = candidate;
            anyFile = true;
        }
        if (!anyFile || isSameOrBelow(target, dir) || isSameOrBelow(dir, target))
            return {};
        const auto remote = m_remote.constFind(target);
        if (remote == m_remote.cend() || !remote->isDir() || m_journal.contains(target) ||
            m_local.contains(target) || !keysBelow(m_localKeys, target).isEmpty() ||
            !keysBelow(m_journalKeys, target).isEmpty())
            return {};
        return target;
    }

    const JournalSnapshot &m_journal;
    const LocalSnapshot &m_local;
    const RemoteSnapshot &m_remote;
    const bool m_etagsSurviveMoves;
    QHash<QString, QString> m_fileTargets; // vanished record -> new remote path, same identity
    QSet<QString> m_localUnchanged;        // of those, the ones whose local file is as recorded
    QStringList m_journalKeys;
    QStringList m_localKeys;
};

} // namespace

QVector<PathMove> detectRemoteMoves(const JournalSnapshot &journal, const LocalSnapshot &local,
                                    const RemoteSnapshot &remote, bool etagsSurviveMoves)
{
    return RemoteMoveDetector(journal, local, remote, etagsSurviveMoves).detect();
}

} // namespace steadysync
