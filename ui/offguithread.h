#pragma once

#include <QMetaObject>
#include <QObject>
#include <QPointer>
#include <QThreadPool>

namespace steadysync {

// Runs work on the global pool and hands its result to done on self's thread, unless self is
// gone by then.
template<typename Work, typename Done> void runOffGuiThread(QObject *self, Work work, Done done)
{
    QPointer<QObject> guard(self);
    QThreadPool::globalInstance()->start([guard, work, done] {
        auto result = work();
        if (guard)
            QMetaObject::invokeMethod(
                guard,
                [guard, done, result] {
                    if (guard)
                        done(result);
                },
                Qt::QueuedConnection);
    });
}

} // namespace steadysync
