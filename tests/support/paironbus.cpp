#include "paironbus.h"

#include "testutil.h"

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QFile>

namespace steadysync::test::pairbus {

namespace {

QString readPairId(const QString &localRoot)
{
    QFile file(localRoot + QStringLiteral("/.steadysync/pair-id"));
    return file.open(QIODevice::ReadOnly) ? QString::fromLatin1(file.readAll()).trimmed()
                                          : QString();
}

QString busName(const QString &pairId)
{
    return PairInterface + QLatin1Char('_') + pairId;
}

} // namespace

QString waitUntilServed(const QString &localRoot, int timeoutMs)
{
    QDBusConnectionInterface *bus = QDBusConnection::sessionBus().interface();
    QString pairId;
    const bool served = waitFor(
        [&] {
            pairId = readPairId(localRoot);
            return !pairId.isEmpty() && bus->isServiceRegistered(busName(pairId)).value();
        },
        timeoutMs);
    return served ? pairId : QString();
}

QString call(const QString &pairId, const QString &method, const QStringList &arguments)
{
    QString output;
    const bool ok = runTool(
        QStringLiteral("gdbus"),
        QStringList{QStringLiteral("call"), QStringLiteral("--session"),
                    QStringLiteral("--timeout"), QStringLiteral("90"), QStringLiteral("--dest"),
                    busName(pairId), QStringLiteral("--object-path"),
                    QStringLiteral("/org/steadysync/Steadysync/Pairs/") + pairId,
                    QStringLiteral("--method"), method} +
            arguments,
        &output);
    return ok ? output : QStringLiteral("error: ") + output;
}

QString state(const QString &pairId)
{
    return call(pairId, QStringLiteral("org.freedesktop.DBus.Properties.Get"),
                {PairInterface, QStringLiteral("State")});
}

} // namespace steadysync::test::pairbus
