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

void OwnWrites::startCycle()
{
    m_previous = std::move(m_current);
    m_current.clear();
}

void OwnWrites::record(const QString &path, ActionKind kind, bool ok)
{
    if (!ok || !changesLocalSide(kind))
        return;
    // The folders above a written file are touched too (a watcher may report them).
    QString level = path;
    while (!level.isEmpty()) {
        m_current.insert(level);
        const qsizetype slash = level.lastIndexOf(QLatin1Char('/'));
        level = slash < 0 ? QString() : level.left(slash);
    }
}

qint64 OwnWrites::foreignCount(const QSet<QString> &dirtyPaths) const
{
    qint64 count = 0;
    for (const QString &path : dirtyPaths)
        count += contains(path) ? 0 : 1;
    return count;
}

bool OwnWrites::contains(const QString &path) const
{
    return m_current.contains(path) || m_previous.contains(path);
}

} // namespace steadysync
