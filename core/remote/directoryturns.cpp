#include "remote/directoryturns.h"

namespace steadysync {

void DirectoryTurns::wait(const QString &directory, QObject *context, std::function<void(Turn)> go)
{
    if (m_busy.contains(directory)) {
        m_waiting[directory].append(Waiter{QPointer<QObject>(context), std::move(go)});
        return;
    }
    m_busy.insert(directory);
    go(makeTurn(directory));
}

DirectoryTurns::Turn DirectoryTurns::makeTurn(const QString &directory)
{
    const QPointer<DirectoryTurns> self(this);
    // Released from the event loop: a turn may end inside the code the next one would run.
    return Turn(static_cast<void *>(nullptr), [self, directory](void *) {
        if (self)
            QMetaObject::invokeMethod(
                self.data(), [self, directory] { self->release(directory); }, Qt::QueuedConnection);
    });
}

void DirectoryTurns::release(const QString &directory)
{
    QList<Waiter> &waiting = m_waiting[directory];
    while (!waiting.isEmpty()) {
        Waiter next = waiting.takeFirst();
        if (next.context) {
            next.go(makeTurn(directory));
            return;
        }
    }
    m_waiting.remove(directory);
    m_busy.remove(directory);
}

} // namespace steadysync
