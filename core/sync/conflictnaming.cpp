#include "sync/conflictnaming.h"

#include "entry.h"

#include <QDateTime>
#include <QRegularExpression>

namespace steadysync {

QString conflictCopyPath(const QString &path, qint64 loserMtimeNs,
                         const std::function<bool(const QString &)> &isTaken)
{
    const QString dir = parentPath(path);
    const QString name = dir.isEmpty() ? path : path.mid(dir.size() + 1);

    // A dot at position 0 starts a dotfile's name, not an extension.
    const qsizetype dot = name.lastIndexOf(QLatin1Char('.'));
    const QString stem = dot > 0 ? name.left(dot) : name;
    const QString extension = dot > 0 ? name.mid(dot) : QString();

    const QDateTime loserTime =
        QDateTime::fromMSecsSinceEpoch(loserMtimeNs / 1'000'000).toLocalTime();
    const QString marked = stem + QStringLiteral(" (conflict ") +
                           loserTime.toString(QStringLiteral("yyyy-MM-dd HHmmss")) +
                           QLatin1Char(')');

    QString candidate = joinPath(dir, marked + extension);
    for (int number = 2; isTaken && isTaken(candidate); ++number)
        candidate = joinPath(dir, marked + QLatin1Char(' ') + QString::number(number) + extension);
    return candidate;
}

QString markedCopyPath(const QString &path, const QString &marker,
                       const std::function<bool(const QString &)> &isTaken, int maxNameBytes)
{
    const QString dir = parentPath(path);
    const QString name = dir.isEmpty() ? path : path.mid(dir.size() + 1);
    const qsizetype dot = name.lastIndexOf(QLatin1Char('.'));
    const QString stem = dot > 0 ? name.left(dot) : name;
    const QString extension = dot > 0 ? name.mid(dot) : QString();

    const auto fitted = [&](const QString &suffix) {
        QString shortened = stem;
        const auto bytes = [&] {
            return (shortened + suffix + extension).toUtf8().size();
        };
        while (!shortened.isEmpty() && bytes() > maxNameBytes)
            shortened.chop(shortened.size() > 1 && shortened.back().isLowSurrogate() ? 2 : 1);
        return joinPath(dir, shortened + suffix + extension);
    };
    const QString marked = QStringLiteral(" (") + marker + QLatin1Char(')');
    QString candidate = fitted(marked);
    for (int number = 2; isTaken && isTaken(candidate); ++number)
        candidate = fitted(marked + QLatin1Char(' ') + QString::number(number));
    return candidate;
}

bool isConflictCopyName(const QString &path)
{
    static const QRegularExpression pattern(
        QStringLiteral(R"(^.+ \(conflict \d{4}-\d{2}-\d{2} \d{6}\)(?: [1-9]\d*)?(?:\.[^.]*)?$)"));
    const QString name = path.mid(path.lastIndexOf(QLatin1Char('/')) + 1);
    return pattern.match(name).hasMatch();
}

} // namespace steadysync
