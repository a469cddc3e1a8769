#pragma once

// Moves seen on the local side (a new item and a vanished record sharing an inode) and the
// rewriting of snapshots as if moves had been carried out: the reconciler's move rows
// (DESIGN §4 "Moves are not deletions"). Internal to core/sync.
#include "sync/reconcilerstate.h"
#include "sync/remotemovedetector.h"

#include <QSet>
#include <QVector>

namespace steadysync::reconcile {

using Move = PathMove;

QString relocated(const QString &path, const Move &move);

class LocalMoveDetector
{
public:
    LocalMoveDetector(const JournalSnapshot &journal, const LocalSnapshot &local,
                      const RemoteSnapshot &remote)
        : m_journal(journal), m_local(local), m_remote(remote)
    {}

    QVector<Move> detect()
    {
        QVector<Move> candidates = uniqueInodeMatches();
        std::sort(candidates.begin(), candidates.end(), [](const Move &a, const Move &b) {
            const int da = depthOf(a.to);
            const int db = depthOf(b.to);
            return da != db ? da < db : a.to < b.to;
        });

        QVector<Move> accepted;
        QSet<QString> movedDirs; // sources and targets of accepted directory moves
        for (const Move &candidate : candidates) {
            if (insideAny(candidate.to, movedDirs) || insideAny(candidate.from, movedDirs))
                continue;
            if (isSameOrBelow(candidate.to, candidate.from) ||
                isSameOrBelow(candidate.from, candidate.to))
                continue;
            if (entryAt(m_local, candidate.to)->isDir()) {
                if (!subtreeCanMove(candidate))
                    continue;
                movedDirs.insert(candidate.from);
                movedDirs.insert(candidate.to);
            }
            accepted.append(candidate);
        }
        return accepted;
    }

    const QStringList &sortedJournalKeys()
    {
        if (m_journalKeys.isEmpty() && !m_journal.isEmpty()) {
            m_journalKeys = m_journal.keys();
            m_journalKeys.sort();
        }
        return m_journalKeys;
    }

    const QStringList &sortedRemoteKeys()
    {
        if (m_remoteKeys.isEmpty() && !m_remote.isEmpty()) {
            m_remoteKeys = m_remote.keys();
            m_remoteKeys.sort();
        }
        return m_remoteKeys;
    }

private:
    // A new local item and a vanished record that share an inode, when that inode names
    // exactly one of each (hard links or a recycled inode would make it a guess).
    QVector<Move> uniqueInodeMatches() const
    {
        const QHash<quint64, QStringList> newLocals = newLocalsByInode();
        if (newLocals.isEmpty())
            return {};
        const QHash<quint64, QStringList> goneRecords = goneRecordsByInode(newLocals);
        QVector<Move> matches;
        for (auto it = goneRecords.cbegin(); it != goneRecords.cend(); ++it) {
            const QStringList &targets = newLocals.value(it.key());
            if (targets.size() == 1 && it.value().size() == 1 &&
                isSameItem(*entryAt(m_local, targets.first()),
                           *entryAt(m_journal, it.value().first())))
                matches.append(Move{it.value().first(), targets.first()});
        }
        return matches;
    }

    // Local items neither the journal nor the remote knows, by inode (a file only with its hash).
    QHash<quint64, QStringList> newLocalsByInode() const
    {
        QHash<quint64, QStringList> newLocals;
        for (auto it = m_local.cbegin(); it != m_local.cend(); ++it) {
            const LocalEntry &entry = it.value();
            if (entry.inode == 0 || m_journal.contains(it.key()) || m_remote.contains(it.key()))
                continue;
            if (!entry.isDir() && entry.sha256.isEmpty())
                continue;
            newLocals[entry.inode].append(it.key());
        }
        return newLocals;
    }

    // Records gone locally, unchanged remotely, whose inode a new local item has, by inode.
    QHash<quint64, QStringList>
    goneRecordsByInode(const QHash<quint64, QStringList> &newLocals) const
    {
        QHash<quint64, QStringList> goneRecords;
        for (auto it = m_journal.cbegin(); it != m_journal.cend(); ++it) {
            const JournalRecord &record = it.value();
            if (record.localInode == 0 || m_local.contains(it.key()) ||
                !newLocals.contains(record.localInode))
                continue;
            const RemoteEntry *remote = entryAt(m_remote, it.key());
            // An unverified signature still names the version a MOVE carries along (its
            // precondition checks it); only a same-second rewrite would slip through.
            const State remoteSide = remote ? remoteState(remote, &record) : State::Absent;
            if (remoteSide != State::Unchanged && remoteSide != State::Unverified)
                continue;
            goneRecords[record.localInode].append(it.key());
        }
        return goneRecords;
    }

    // The new item is the record's item moved: the same type and, for a file, the same content.
    static bool isSameItem(const LocalEntry &target, const JournalRecord &source)
    {
        return target.type == source.type && (target.isDir() || target.sha256 == source.sha256);
    }

    static bool insideAny(const QString &path, const QSet<QString> &dirs)
    {
        if (dirs.isEmpty())
            return false;
        for (QString dir = parentPath(path); !dir.isEmpty(); dir = parentPath(dir)) {
            if (dirs.contains(dir))
                return true;
        }
        return false;
    }

    // Moving the directory must not land any record or remote entry on a path already taken.
    bool subtreeCanMove(const Move &move)
    {
        if (!keysBelow(sortedJournalKeys(), move.to).isEmpty() ||
            !keysBelow(sortedRemoteKeys(), move.to).isEmpty())
            return false;
        for (const QString &key : keysBelow(sortedJournalKeys(), move.from)) {
            if (m_journal.contains(relocated(key, move)))
                return false;
        }
        for (const QString &key : keysBelow(sortedRemoteKeys(), move.from)) {
            if (m_remote.contains(relocated(key, move)))
                return false;
        }
        return true;
    }

    const JournalSnapshot &m_journal;
    const LocalSnapshot &m_local;
    const RemoteSnapshot &m_remote;
    QStringList m_journalKeys;
    QStringList m_remoteKeys;
};

// Rewrites map as if the moves had been carried out: entries at or below each source now
// sit at the matching place below the target.
template<typename T>
void applyMoves(QHash<QString, T> &map, const QStringList &sortedKeys, const QVector<Move> &moves)
{
    for (const Move &move : moves) {
        QStringList keys = keysBelow(sortedKeys, move.from);
        keys.prepend(move.from);
        for (const QString &key : keys) {
            auto it = map.find(key);
            if (it == map.end())
                continue;
            T entry = it.value();
            map.erase(it);
            entry.path = relocated(key, move);
            map.insert(entry.path, entry);
        }
    }
}

// The remote moves that touch no subtree a local move touches: a path renamed on both sides
// is left to the normal rows.
QVector<Move> apartFrom(const QVector<Move> &remoteMoves, const QVector<Move> &localMoves);

} // namespace steadysync::reconcile
