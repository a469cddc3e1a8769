#include "sync/localmovedetector.h"

#include <algorithm>

namespace steadysync::reconcile {

QString relocated(const QString &path, const Move &move)
{
    return move.to + path.mid(move.from.size());
}

QVector<Move> apartFrom(const QVector<Move> &remoteMoves, const QVector<Move> &localMoves)
{
    if (localMoves.isEmpty())
        return remoteMoves;
    const auto related = [](const QString &a, const QString &b) {
        return isSameOrBelow(a, b) || isSameOrBelow(b, a);
    };
    QVector<Move> kept;
    for (const Move &remoteMove : remoteMoves) {
        const bool overlaps =
            std::any_of(localMoves.cbegin(), localMoves.cend(), [&](const Move &localMove) {
                return related(remoteMove.from, localMove.from) ||
                       related(remoteMove.from, localMove.to) ||
                       related(remoteMove.to, localMove.from) ||
                       related(remoteMove.to, localMove.to);
            });
        if (!overlaps)
            kept.append(remoteMove);
    }
    return kept;
}

} // namespace steadysync::reconcile
