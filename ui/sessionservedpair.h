#pragma once

#include "pairsession.h"
#include "servedpair.h"

namespace steadysync {

// A pair the tray app runs, as its D-Bus API serves it: the facts the app's own state model
// shows (PairSession), so D-Bus and the tray never disagree.
class SessionServedPair : public dbus::ServedPair
{
    Q_OBJECT
public:
    explicit SessionServedPair(PairSession *session);

    Engine *engine() const override { return m_session->engine(); }
    PairFacts facts() const override { return m_session->facts(); }
    QString localRoot() const override { return m_session->config().localRoot; }
    QUrl remoteUrl() const override { return m_session->config().remoteUrl; }

private:
    PairSession *m_session;
};

} // namespace steadysync
