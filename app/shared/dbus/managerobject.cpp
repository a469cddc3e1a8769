#include "managerobject.h"

#include "manageradaptor.h"

namespace steadysync::dbus {

ManagerObject::ManagerObject(const QString &program, std::function<PairListings()> listPairs,
                             QObject *parent)
    : QObject(parent), m_program(program), m_listPairs(std::move(listPairs))
{
    new ManagerAdaptor(this);
}

QString ManagerObject::version() const
{
    return QStringLiteral(STEADYSYNC_VERSION);
}

PairListings ManagerObject::ListPairs()
{
    return m_listPairs();
}

} // namespace steadysync::dbus
