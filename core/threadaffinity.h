#pragma once

#include <QObject>
#include <QThread>

namespace steadysync {

// The Engine, its CycleRunner and its Propagator are not thread-safe: they are driven through
// queued connections on the thread they live on (docs/ARCHITECTURE.md, the thread map). Their
// public entry points call this, so a Debug build (the ASan build too) stops at the first call
// made from another thread instead of racing quietly.
inline void assertOwnThread(const QObject *object)
{
    Q_ASSERT_X(QThread::currentThread() == object->thread(), "assertOwnThread",
               "called from a thread other than the one the object lives on");
    Q_UNUSED(object); // with QT_NO_DEBUG the assertion is gone
}

} // namespace steadysync
