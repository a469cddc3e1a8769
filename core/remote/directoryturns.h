#pragma once

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QString>

#include <functional>
#include <memory>

namespace steadysync {

// One turn at a time per directory, in the order asked. Apache keeps the state of a LOCK on a
// path that does not exist yet ("lock-null") in one file per directory (.DAV/), and parallel
// LOCKs and UNLOCKs of new paths in one directory corrupt it (tokens lost: 412 on the PUT, 400
// on the UNLOCK, locks left until they time out; measured with 200 creates). A create under a
// lock there waits for its directory's turn (WebDavBackend::upload).
class DirectoryTurns final : public QObject
{
    Q_OBJECT
public:
    // Held while the turn lasts: the next waiter goes when the last copy is gone.
    using Turn = std::shared_ptr<void>;

    using QObject::QObject;

    // Runs go() with the turn now, or once the turns before it ended. Nothing runs for a
    // context destroyed meanwhile.
    void wait(const QString &directory, QObject *context, std::function<void(Turn)> go);

private:
    struct Waiter
    {
        QPointer<QObject> context;
        std::function<void(Turn)> go;
    };

    Turn makeTurn(const QString &directory);
    void release(const QString &directory);

    QSet<QString> m_busy;
    QHash<QString, QList<Waiter>> m_waiting;
};

} // namespace steadysync
