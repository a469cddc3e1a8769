#pragma once

#include "dbusnames.h"
#include "servedpair.h"

#include <QDBusContext>
#include <QDBusMessage>
#include <QObject>
#include <QPointer>
#include <QTimer>

namespace steadysync::dbus {

// The D-Bus object of one pair (dbus/org.steadysync.Steadysync.Pair.xml); the generated
// PairAdaptor forwards calls to these slots and relays these signals.
class PairObject : public QObject, protected QDBusContext
{
    Q_OBJECT
    Q_PROPERTY(QString Id READ id)
    Q_PROPERTY(QString LocalPath READ localPath)
    Q_PROPERTY(QString RemoteUrl READ remoteUrl)
    Q_PROPERTY(QString State READ state)
public:
    PairObject(ServedPair *pair, const QString &pairId, const QDBusConnection &bus,
               QObject *parent = nullptr);
    ~PairObject() override;

    QString id() const { return m_pairId; }
    QString path() const;
    QString localPath() const;
    QString remoteUrl() const;
    QString state() const;

public Q_SLOTS:
    QString Status();
    void Pause();
    void Resume();
    void SyncNow();
    void Retry();
    QString WaitUntilIdle(uint timeout_ms);

Q_SIGNALS:
    void StateChanged(const QString &state);
    void ConflictOpened(const QString &path, const QString &conflict_copy);
    void ItemFailed(const QString &path, const QString &reason);
    void SyncFailed(const QString &reason);

private:
    struct Waiter
    {
        QDBusMessage call;
        QDBusConnection connection;
        qint64 deadlineMs; // 0: none
    };
    void invokeEngine(void (Engine::*slot)());
    void onFactsChanged();
    bool factsSettled() const;
    void probeIdle();
    void onProbeAnswer(bool busy, quint64 generation);
    void answerWaiters(bool idle);

    QPointer<ServedPair> m_pair;
    QDBusConnection m_bus;
    QString m_pairId;
    QString m_lastState;
    QList<Waiter> m_waiters;
    QTimer m_probeTimer;
    quint64 m_generation = 0; // counts fact changes: a probe answer is only as new as it
    int m_quietProbes = 0;
    bool m_probing = false;
};

} // namespace steadysync::dbus
