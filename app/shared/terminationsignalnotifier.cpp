#include "terminationsignalnotifier.h"

#include <QSocketNotifier>

#include <cerrno>
#include <csignal>
#include <sys/socket.h>
#include <unistd.h>

namespace steadysync {

namespace {

constexpr int handledSignals[] = {SIGTERM, SIGINT, SIGHUP};
int signalSocket[2] = {-1, -1};

void restoreDefaultHandlers()
{
    for (const int number : handledSignals)
        std::signal(number, SIG_DFL);
}

extern "C" void onTerminationSignal(int number)
{
    const int savedErrno = errno;
    const char byte = char(number);
    [[maybe_unused]] const ssize_t written = ::write(signalSocket[1], &byte, 1);
    errno = savedErrno;
}

} // namespace

TerminationSignalNotifier::TerminationSignalNotifier(QObject *parent) : QObject(parent)
{
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, signalSocket) != 0)
        return;
    m_notifier = new QSocketNotifier(signalSocket[0], QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &TerminationSignalNotifier::onReadable);
    struct sigaction action = {};
    action.sa_handler = onTerminationSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    for (const int number : handledSignals)
        ::sigaction(number, &action, nullptr);
}

TerminationSignalNotifier::~TerminationSignalNotifier()
{
    if (!m_notifier)
        return;
    restoreDefaultHandlers();
    delete m_notifier;
    m_notifier = nullptr;
    ::close(signalSocket[0]);
    ::close(signalSocket[1]);
    signalSocket[0] = signalSocket[1] = -1;
}

void TerminationSignalNotifier::onReadable()
{
    char byte = 0;
    if (::read(signalSocket[0], &byte, 1) != 1)
        return;
    if (m_received)
        return;
    m_received = true;
    restoreDefaultHandlers();
    Q_EMIT terminationRequested(int(byte));
}

} // namespace steadysync
