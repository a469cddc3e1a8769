#include "remote/serverspace.h"

#include <QStringList>

namespace steadysync {

namespace {

// Nextcloud's FileInfo::SPACE_UNLIMITED.
constexpr qint64 unlimitedSpace = -3;

} // namespace

std::optional<ServerSpace> ServerSpace::of(std::optional<qint64> used,
                                           std::optional<qint64> available)
{
    ServerSpace space;
    if (used && *used >= 0)
        space.usedBytes = *used;
    if (available && *available >= 0)
        space.freeBytes = *available;
    space.unlimited = available && *available == unlimitedSpace;
    if (space.usedBytes < 0 && space.freeBytes < 0 && !space.unlimited)
        return std::nullopt;
    return space;
}

qint64 ServerSpace::totalBytes() const
{
    return usedBytes >= 0 && freeBytes >= 0 ? usedBytes + freeBytes : -1;
}

QString ServerSpace::serialized() const
{
    return QStringLiteral("%1 %2").arg(usedBytes).arg(unlimited ? unlimitedSpace : freeBytes);
}

std::optional<ServerSpace> ServerSpace::parse(const QString &text)
{
    const QStringList fields = text.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (fields.size() != 2)
        return std::nullopt;
    bool usedOk = false;
    bool freeOk = false;
    const qint64 used = fields.at(0).toLongLong(&usedOk);
    const qint64 available = fields.at(1).toLongLong(&freeOk);
    if (!usedOk || !freeOk)
        return std::nullopt;
    return of(used, available);
}

} // namespace steadysync
