#pragma once

#include "dbusnames.h"

#include <QDBusObjectPath>
#include <QObject>

#include <functional>

namespace steadysync::dbus {

// The manager object at /org/steadysync/Steadysync (dbus/org.steadysync.Steadysync.Manager.xml);
// the generated ManagerAdaptor forwards to it.
class ManagerObject : public QObject
{
    Q_OBJECT
    Q_PROPERTY(QString Program READ program)
    Q_PROPERTY(QString Version READ version)
public:
    ManagerObject(const QString &program, std::function<PairListings()> listPairs,
                  QObject *parent = nullptr);

    QString program() const { return m_program; }
    QString version() const;

public Q_SLOTS:
    steadysync::dbus::PairListings ListPairs();

Q_SIGNALS:
    void PairAdded(const QDBusObjectPath &pair);
    void PairRemoved(const QDBusObjectPath &pair);

private:
    QString m_program;
    std::function<PairListings()> m_listPairs;
};

} // namespace steadysync::dbus
