#include "remote/keychainqueue.h"

#include <qt6keychain/keychain.h>

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QMutex>
#include <QPointer>
#include <QThread>
#include <QTimer>
#include <QWaitCondition>

#include <atomic>
#include <deque>
#include <memory>
#include <utility>

namespace steadysync {

namespace {

std::atomic<int> g_jobsAlive{0};

// One request's single answer: whichever of its job and its time limit comes first delivers.
class Ticket
{
public:
    explicit Ticket(KeychainQueue::Callback deliver) : m_deliver(std::move(deliver)) {}

    void answer(const KeychainAnswer &answer)
    {
        {
            QMutexLocker lock(&m_mutex);
            if (m_answered)
                return;
            m_answered = true;
        }
        m_deliver(answer);
    }
    bool answered()
    {
        QMutexLocker lock(&m_mutex);
        return m_answered;
    }

private:
    QMutex m_mutex;
    bool m_answered = false;
    KeychainQueue::Callback m_deliver;
};

struct Pending
{
    KeychainRequest request;
    std::shared_ptr<Ticket> ticket;
    int timeoutMs = 0;
};

QKeychain::Job *createJob(const KeychainRequest &request)
{
    switch (request.operation) {
    case KeychainRequest::Operation::Read: {
        auto *job = new QKeychain::ReadPasswordJob(request.service);
        job->setKey(request.key);
        return job;
    }
    case KeychainRequest::Operation::Write: {
        auto *job = new QKeychain::WritePasswordJob(request.service);
        job->setKey(request.key);
        job->setTextData(request.text);
        return job;
    }
    case KeychainRequest::Operation::Delete:
        break;
    }
    auto *job = new QKeychain::DeletePasswordJob(request.service);
    job->setKey(request.key);
    return job;
}

KeychainAnswer answerOf(QKeychain::Job *job, KeychainRequest::Operation operation)
{
    KeychainAnswer answer;
    answer.finished = true;
    answer.error = int(job->error());
    answer.message = job->errorString();
    if (operation == KeychainRequest::Operation::Read && job->error() == QKeychain::NoError)
        answer.text = static_cast<QKeychain::ReadPasswordJob *>(job)->textData();
    return answer;
}

KeychainAnswer refused(const QString &message)
{
    KeychainAnswer answer;
    answer.finished = true;
    answer.error = int(QKeychain::OtherError);
    answer.message = message;
    return answer;
}

// Lives in the owner thread; every member runs there.
class KeychainOwner : public QObject
{
public:
    ~KeychainOwner() override
    {
        for (const Pending &pending : m_queue)
            pending.ticket->answer(refused(QStringLiteral("the application is shutting down")));
    }

    void enqueue(const Pending &pending)
    {
        if (m_stuck) // a job that never answered blocks QtKeychain's own queue too: fail fast
            return pending.ticket->answer(KeychainAnswer{});
        m_queue.push_back(pending);
        startNext();
    }

private:
    void startNext()
    {
        if (m_running || m_queue.empty())
            return;
        const Pending next = m_queue.front();
        m_queue.pop_front();
        start(next);
    }

    void start(const Pending &pending)
    {
        QKeychain::Job *job = createJob(pending.request);
        m_running = true;
        ++g_jobsAlive;
        connect(job, &QObject::destroyed, this, [] { --g_jobsAlive; });
        const std::shared_ptr<Ticket> ticket = pending.ticket;
        const KeychainRequest::Operation operation = pending.request.operation;
        const auto ended = std::make_shared<bool>(false);
        connect(job, &QKeychain::Job::finished, this,
                [this, ticket, operation, ended](QKeychain::Job *done) {
                    *ended = true;
                    ticket->answer(answerOf(done, operation));
                    m_running = false;
                    m_stuck = false;
                    // Not from inside the job's own signal: QtKeychain still holds it there.
                    QMetaObject::invokeMethod(
                        this, [this] { startNext(); }, Qt::QueuedConnection);
                });
        // The time limit counts from the start, so a burst of requests waits its turn; once a
        // job overruns, everything queued behind it is answered at once.
        QTimer::singleShot(pending.timeoutMs, job, [this, ticket, ended] {
            if (*ended) // finished, only not yet deleted
                return;
            ticket->answer(KeychainAnswer{});
            m_stuck = true;
            for (const Pending &waiting : std::exchange(m_queue, {}))
                waiting.ticket->answer(KeychainAnswer{});
        });
        job->setAutoDelete(true);
        job->start();
    }

    std::deque<Pending> m_queue;
    bool m_running = false;
    bool m_stuck = false; // the running job overran its time limit
};

struct Owner
{
    QThread *thread = nullptr;
    KeychainOwner *object = nullptr;
};

QMutex g_ownerMutex;
Owner *g_owner = nullptr;
bool g_shutDown = false;

// Runs in ~QCoreApplication, before anything the owner thread might post to is gone.
void shutDownOwner()
{
    QMutexLocker lock(&g_ownerMutex);
    g_shutDown = true;
    if (!g_owner)
        return;
    g_owner->thread->quit();
    // quit() ends the event loop even with a D-Bus call pending, so this wait is short; a
    // thread that still does not stop is left alone rather than destroyed while running.
    if (g_owner->thread->wait(5000)) {
        delete g_owner->object;
        delete g_owner->thread;
    }
    delete g_owner;
    g_owner = nullptr;
}

KeychainOwner *owner(QThread **thread = nullptr)
{
    QMutexLocker lock(&g_ownerMutex);
    if (g_shutDown)
        return nullptr;
    if (!g_owner) {
        g_owner = new Owner;
        g_owner->thread = new QThread;
        g_owner->thread->setObjectName(QStringLiteral("keychain"));
        g_owner->object = new KeychainOwner;
        g_owner->object->moveToThread(g_owner->thread);
        g_owner->thread->start();
        if (QCoreApplication::instance())
            qAddPostRoutine(shutDownOwner);
    }
    if (thread)
        *thread = g_owner->thread;
    return g_owner->object;
}

void post(const KeychainRequest &request, int timeoutMs, KeychainQueue::Callback deliver)
{
    const auto ticket = std::make_shared<Ticket>(std::move(deliver));
    KeychainOwner *target = owner();
    if (!target)
        return ticket->answer(refused(QStringLiteral("the application is shutting down")));
    const Pending pending{request, ticket, timeoutMs};
    QMetaObject::invokeMethod(
        target, [target, pending] { target->enqueue(pending); }, Qt::QueuedConnection);
}

} // namespace

void KeychainQueue::submit(const KeychainRequest &request, int timeoutMs, QObject *context,
                           Callback done)
{
    // The guard is tested in the main thread, where context lives and dies: no race.
    QPointer<QObject> guard(context);
    post(request, timeoutMs, [guard, done = std::move(done)](const KeychainAnswer &answer) {
        if (QCoreApplication *app = QCoreApplication::instance())
            QMetaObject::invokeMethod(
                app,
                [guard, done, answer] {
                    if (guard)
                        done(answer);
                },
                Qt::QueuedConnection);
    });
}

KeychainAnswer KeychainQueue::run(const KeychainRequest &request, int timeoutMs)
{
    QThread *ownerThread = nullptr;
    if (owner(&ownerThread) && QThread::currentThread() == ownerThread)
        return refused(QStringLiteral("a keychain job waited for itself"));
    struct Waiter
    {
        QMutex mutex;
        QWaitCondition answered;
        bool done = false;
        KeychainAnswer answer;
    };
    const auto waiter = std::make_shared<Waiter>();
    post(request, timeoutMs, [waiter](const KeychainAnswer &answer) {
        QMutexLocker lock(&waiter->mutex);
        waiter->answer = answer;
        waiter->done = true;
        waiter->answered.wakeAll();
    });
    QMutexLocker lock(&waiter->mutex);
    // The owner thread always answers (job, time limit, or shutdown); the deadline is only a
    // last resort should that thread be wedged, and long enough for a queue of jobs.
    const QDeadlineTimer deadline(qint64(timeoutMs) * 10 + 60'000);
    while (!waiter->done && waiter->answered.wait(&waiter->mutex, deadline)) {
    }
    return waiter->done ? waiter->answer : KeychainAnswer{};
}

int KeychainQueue::jobsAlive()
{
    return g_jobsAlive.load();
}

} // namespace steadysync
