#pragma once

#include <QHash>
#include <QObject>
#include <QString>
#include <QVector>

class QDBusMessage;

namespace steadysync {

// Desktop notifications through the freedesktop notification service on the session bus
// (org.freedesktop.Notifications): the desktop shows them in its own style, keeps them in its
// history and offers their actions as buttons. Where no such service is on the bus, show()
// says so and the caller falls back to the tray's balloon.
class DesktopNotifier : public QObject
{
    Q_OBJECT
public:
    struct Action
    {
        QString key;   // reported back by actionInvoked()
        QString label; // the button's text, translated
    };
    enum class Urgency : uchar { Low = 0, Normal = 1, Critical = 2 };

    explicit DesktopNotifier(QObject *parent = nullptr);

    // A notification service is registered on the session bus (or can be started by it).
    bool serviceAvailable() const;
    // Sends the notification; false (nothing sent) when no service is available. context is
    // handed back with the action the user clicks (a pair id, for instance).
    bool show(const QString &title, const QString &body, const QVector<Action> &actions,
              const QString &context = {}, Urgency urgency = Urgency::Normal);

Q_SIGNALS:
    void actionInvoked(const QString &key, const QString &context);

private Q_SLOTS:
    void onActionInvoked(uint id, const QString &key);
    void onNotificationClosed(uint id, uint reason);

private:
    QHash<uint, QString> m_contexts; // notification id -> context, until it is closed
};

} // namespace steadysync
