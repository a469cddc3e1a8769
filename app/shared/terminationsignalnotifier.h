#pragma once

#include <QObject>

class QSocketNotifier;

namespace steadysync {

// Turns SIGTERM, SIGINT and SIGHUP into a Qt signal delivered by the event loop, so that a
// logout, `kill` or Ctrl+C ends the app through its normal shutdown (engines stop, journals
// close). The handler only write()s the signal number to a socketpair, which is
// async-signal-safe; a QSocketNotifier reads it in the GUI thread. After the first signal the
// default handlers are back, so a second one ends a shutdown that hangs.
// One instance per process (the handler has nowhere else to write than a static descriptor).
class TerminationSignalNotifier : public QObject
{
    Q_OBJECT
public:
    explicit TerminationSignalNotifier(QObject *parent = nullptr);
    ~TerminationSignalNotifier() override;

    // False when the socketpair could not be created: no handler is installed then.
    bool isActive() const { return m_notifier != nullptr; }
    // Whether a termination signal has arrived (also before the event loop ran).
    bool received() const { return m_received; }

Q_SIGNALS:
    void terminationRequested(int signalNumber);

private:
    void onReadable();

    QSocketNotifier *m_notifier = nullptr;
    bool m_received = false;
};

} // namespace steadysync
