#include "sync/conflictnaming.h"

#include "entry.h"

#include <QDateTime>
#include <QRegularExpression>

namespace steadysync {

namespace {

// stem + suffix + extension in at most maxNameBytes of UTF-8: the stem is cut from its end
// (a whole character at a time, never half of a surrogate pair), and when the stem alone
// cannot make room (an extension that long), the extension too, from its end.
QString fittedName(QString stem, const QString &suffix, QString extension, int maxNameBytes)
{
    const auto chopCharacter = [](QString &text) {
        text.chop(text.size() > 1 && text.back().isLowSurrogate() ? 2 : 1);
    };
    const auto bytes = [&] {
        return (stem + suffix + extension).toUtf8().size();
    };
    while (!stem.isEmpty() && bytes() > maxNameBytes)
        chopCharacter(stem);
    while (extension.size() > 1 && bytes() > maxNameBytes)
        chopCharacter(extension);
    return stem + suffix + extension;
}

} // namespace

QString conflictCopyPath(const QString &path, qint64 loserMtimeNs,
                         const std::function<bool(const QString &)> &isTaken, int maxNameBytes)
{
    const QDateTime loserTime =
        QDateTime::fromMSecsSinceEpoch(loserMtimeNs / 1'000'000).toLocalTime();
    return markedCopyPath(
        path, QStringLiteral("conflict ") + loserTime.toString(QStringLiteral("yyyy-MM-dd HHmmss")),
        isTaken, maxNameBytes);
}

QString markedCopyPath(const QString &path, const QString &marker,
                       const std::function<bool(const QString &)> &isTaken, int maxNameBytes)
{
    const QString dir = parentPath(path);
    const QString name = dir.isEmpty() ? path : path.mid(dir.size() + 1);
    // A dot at position 0 starts a dotfile's name, not an extension.
    const qsizetype dot = name.lastIndexOf(QLatin1Char('.'));
    const QString stem = dot > 0 ? name.left(dot) : name;
    const QString extension = dot > 0 ? name.mid(dot) : QString();

    const QString marked = QStringLiteral(" (") + marker + QLatin1Char(')');
    QString candidate = joinPath(dir, fittedName(stem, marked, extension, maxNameBytes));
    for (int number = 2; isTaken && isTaken(candidate); ++number)
        candidate =
            joinPath(dir, fittedName(stem, marked + QLatin1Char(' ') + QString::number(number),
                                     extension, maxNameBytes));
    return candidate;
}

QString fitNameToLimit(const QString &name, int maxNameBytes)
{
    const qsizetype dot = name.lastIndexOf(QLatin1Char('.'));
    return fittedName(dot > 0 ? name.left(dot) : name, QString(),
                      dot > 0 ? name.mid(dot) : QString(), maxNameBytes);
}

bool isConflictCopyName(const QString &path)
{
    static const QRegularExpression pattern(
        QStringLiteral(R"(^.+ \(conflict \d{4}-\d{2}-\d{2} \d{6}\)(?: [1-9]\d*)?(?:\.[^.]*)?$)"));
    const QString name = path.mid(path.lastIndexOf(QLatin1Char('/')) + 1);
    return pattern.match(name).hasMatch();
}

} // namespace steadysync
