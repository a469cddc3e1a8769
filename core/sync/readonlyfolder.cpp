#include "sync/readonlyfolder.h"

#include "sync/conflictnaming.h"

namespace steadysync::ReadOnlyFolder {

namespace {

const QString keptHere = QStringLiteral("kept here only: the server's folder is read-only");

} // namespace

bool refusedWrite(const Error &error)
{
    // The kind alone cannot tell 403 from 400 or 415, which no folder explains.
    return error.kind == ErrorKind::Permanent && error.httpStatus == 403;
}

QString keptEditPath(const QString &path, const std::function<bool(const QString &)> &isTaken)
{
    return markedCopyPath(path, QStringLiteral("not uploaded: read-only folder"), isTaken);
}

bool keptHereAndUnchanged(const RetryItem &item, const std::optional<LocalEntry> &now)
{
    const auto localPart = [](const QByteArray &sides) {
        return sides.left(sides.indexOf(" R:"));
    };
    return item.failedPermanently && item.lastError.contains(keptHere) &&
           !item.sidesAtFailure.isEmpty() &&
           localPart(item.sidesAtFailure) ==
               localPart(sidesFingerprint(now ? &*now : nullptr, nullptr));
}

QString keptHereReason(const QString &path, const Error &refusal)
{
    return QStringLiteral("%1: %2 (%3)").arg(path, keptHere, refusal.message);
}

} // namespace steadysync::ReadOnlyFolder
