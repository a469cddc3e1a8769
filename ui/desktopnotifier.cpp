#include "desktopnotifier.h"

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QDBusReply>

namespace steadysync {

namespace {

const QString Service = QStringLiteral("org.freedesktop.Notifications");
const QString Path = QStringLiteral("/org/freedesktop/Notifications");
const QString Interface = QStringLiteral("org.freedesktop.Notifications");

} // namespace

DesktopNotifier::DesktopNotifier(QObject *parent) : QObject(parent)
{
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected())
        return;
    bus.connect(Service, Path, Interface, QStringLiteral("ActionInvoked"), this,
                SLOT(onActionInvoked(uint, QString)));
    bus.connect(Service, Path, Interface, QStringLiteral("NotificationClosed"), this,
                SLOT(onNotificationClosed(uint, uint)));
}

bool DesktopNotifier::serviceAvailable() const
{
    const QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected() || !bus.interface())
        return false;
    if (bus.interface()->isServiceRegistered(Service))
        return true;
    const QDBusReply<QStringList> activatable =
        bus.interface()->call(QStringLiteral("ListActivatableNames"));
    return activatable.isValid() && activatable.value().contains(Service);
}

bool DesktopNotifier::show(const QString &title, const QString &body,
                           const QVector<Action> &actions, const QString &context, Urgency urgency)
{
    if (!serviceAvailable())
        return false;
    QStringList actionList; // key, label, key, label, ... as the specification wants
    for (const Action &action : actions)
        actionList << action.key << action.label;
    const QVariantMap hints{
        {QStringLiteral("urgency"), QVariant::fromValue(uchar(urgency))},
        {QStringLiteral("desktop-entry"), QStringLiteral("steadysync")},
    };
    QDBusMessage call =
        QDBusMessage::createMethodCall(Service, Path, Interface, QStringLiteral("Notify"));
    call << QStringLiteral("Steadysync") << uint(0) << QStringLiteral("steadysync") << title << body
         << actionList << hints << int(-1);
    // Asynchronous: a slow notification daemon must not freeze the tray.
    auto *watcher =
        new QDBusPendingCallWatcher(QDBusConnection::sessionBus().asyncCall(call), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this,
            [this, context](QDBusPendingCallWatcher *finished) {
                const QDBusPendingReply<uint> reply = *finished;
                if (reply.isValid())
                    m_contexts.insert(reply.value(), context);
                finished->deleteLater();
            });
    return true;
}

void DesktopNotifier::onActionInvoked(uint id, const QString &key)
{
    const auto context = m_contexts.constFind(id);
    if (context == m_contexts.cend())
        return; // another application's notification
    Q_EMIT actionInvoked(key, *context);
}

void DesktopNotifier::onNotificationClosed(uint id, uint)
{
    m_contexts.remove(id);
}

} // namespace steadysync
