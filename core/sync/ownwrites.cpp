#include "ownwrites.h"

namespace steadysync {

namespace {

bool changesLocalSide(ActionKind kind)
{
    switch (kind) {
    case ActionKind::Download:
    case ActionKind::MakeLocalDir:
    case ActionKind::DeleteLocal:
    case ActionKind::MoveLocal:
    case ActionKind::Conflict:
        return true;
    default:
        return false;
    }
}

} // namespace

void OwnWrites::startCycle(qint64 nowMs)
{
    m_writtenMs.removeIf([&](const QHash<QString, qint64>::iterator &entry) {
        return nowMs - entry.value() > m_echoWindowMs;
    });
}

void OwnWrites::record(const QString &path, ActionKind kind, bool ok, qint64 nowMs)
{
    if (!ok || !changesLocalSide(kind))
        return;
    // The folders above a written file are touched too (a watcher may report them).
    QString level = path;
    while (!level.isEmpty()) {
        m_writtenMs.insert(level, nowMs);
        const qsizetype slash = level.lastIndexOf(QLatin1Char('/'));
        level = slash < 0 ? QString() : level.left(slash);
    }
}

qint64 OwnWrites::foreignCount(const QSet<QString> &dirtyPaths) const
{
    qint64 count = 0;
    for (const QString &path : dirtyPaths)
        count += m_writtenMs.contains(path) ? 0 : 1;
    return count;
}

} // namespace steadysync
