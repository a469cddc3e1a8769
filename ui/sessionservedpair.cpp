#include "sessionservedpair.h"

namespace steadysync {

SessionServedPair::SessionServedPair(PairSession *session)
    : dbus::ServedPair(session), m_session(session)
{
    connect(session, &PairSession::statusChanged, this, &ServedPair::factsChanged);
}

} // namespace steadysync
