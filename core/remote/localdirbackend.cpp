#include "remote/localdirbackend.h"

#include "remote/localdiroperations.h"
#include "remote/stagingpath.h"

#include <QDir>
#include <QPointer>

#include <algorithm>
#include <atomic>
#include <type_traits>

namespace steadysync {

namespace {

using Outcome = LocalDirOperations::Outcome;
using JobContext = LocalDirOperations::JobContext;

// A job whose work runs in the pool. The cancel flag is shared with the worker, which
// outlives the job when cancelled in flight and must stop at its next check.
template<typename Base> class LocalDirJob final : public Base
{
public:
    explicit LocalDirJob(QObject *parent) : Base(parent) {}

    void cancel() override
    {
        m_cancelled->store(true);
        Base::cancel();
    }

    const std::shared_ptr<std::atomic<bool>> &cancelFlag() const { return m_cancelled; }

    void reportProgress(qint64 bytes) { this->setBytesTransferred(bytes); }

    void complete(Outcome outcome)
    {
        if (this->isFinished())
            return;
        if constexpr (std::is_base_of_v<EntryJob, Base>)
            this->m_entry = std::move(outcome.entry);
        if constexpr (std::is_base_of_v<ListJob, Base>) {
            this->m_entries = std::move(outcome.entries);
            this->m_rejected = std::move(outcome.rejectedNames);
            this->m_rejectedPaths = std::move(outcome.rejectedPaths);
        }
        this->setBytesTransferred(outcome.bytesTransferred);
        this->finish(std::move(outcome.error));
    }

private:
    std::shared_ptr<std::atomic<bool>> m_cancelled = std::make_shared<std::atomic<bool>>(false);
};

// Creates the job and runs work(context) in the pool. Results and progress travel back as
// queued calls on the backend (alive until the pool is drained), and reach the job only if
// it still exists: a cancelled job may already be gone.
template<typename Base, typename Work>
Base *startJob(LocalDirBackend *backend, QThreadPool &pool, Work work)
{
    auto *job = new LocalDirJob<Base>(backend);
    const QPointer<LocalDirJob<Base>> guard(job);
    const std::shared_ptr<std::atomic<bool>> cancelled = job->cancelFlag();
    pool.start([backend, guard, cancelled, work = std::move(work)] {
        Outcome outcome;
        if (*cancelled) {
            outcome.error = makeError(ErrorKind::Cancelled, QStringLiteral("cancelled"));
        } else {
            const JobContext context{*cancelled, [backend, guard](qint64 bytes) {
                                         QMetaObject::invokeMethod(
                                             backend,
                                             [guard, bytes] {
                                                 if (guard)
                                                     guard->reportProgress(bytes);
                                             },
                                             Qt::QueuedConnection);
                                     }};
            outcome = work(context);
        }
        QMetaObject::invokeMethod(
            backend,
            [guard, outcome = std::move(outcome)]() mutable {
                if (guard)
                    guard->complete(std::move(outcome));
            },
            Qt::QueuedConnection);
    });
    return job;
}

} // namespace

LocalDirBackend::LocalDirBackend(const QString &rootDirectory, const BackendOptions &options,
                                 QObject *parent)
    : RemoteBackend(parent), m_root(QDir::cleanPath(QDir(rootDirectory).absolutePath())),
      m_options(options), m_operations(std::make_unique<LocalDirOperations>(
                              m_root, options.bwLimitUpKiB, options.bwLimitDownKiB))
{
    m_pool.setMaxThreadCount(std::max(1, options.parallel));
}

LocalDirBackend::~LocalDirBackend()
{
    // Workers use m_operations and post to this object: stop and drain them first.
    const auto jobs = findChildren<RemoteJob *>(Qt::FindDirectChildrenOnly);
    for (RemoteJob *job : jobs)
        job->cancel();
    m_pool.waitForDone();
}

QUrl LocalDirBackend::url() const
{
    return QUrl::fromLocalFile(m_root);
}

EntryJob *LocalDirBackend::stat(const QString &path)
{
    const LocalDirOperations *ops = m_operations.get();
    return startJob<EntryJob>(this, m_pool,
                              [ops, path](const JobContext &) { return ops->stat(path); });
}

ListJob *LocalDirBackend::list(const QString &directory)
{
    const LocalDirOperations *ops = m_operations.get();
    return startJob<ListJob>(this, m_pool,
                             [ops, directory](const JobContext &) { return ops->list(directory); });
}

EntryJob *LocalDirBackend::download(const QString &path, const QString &localTargetFile)
{
    const LocalDirOperations *ops = m_operations.get();
    return startJob<EntryJob>(this, m_pool,
                              [ops, path, localTargetFile](const JobContext &context) {
                                  return ops->download(path, localTargetFile, context);
                              });
}

EntryJob *LocalDirBackend::upload(const QString &localFile, const QString &path, qint64 mtimeNs,
                                  const Precondition &precondition, UploadHashing hashing,
                                  const QByteArray &contentSha256)
{
    Q_UNUSED(hashing);       // hashesSentBytes() is false: the caller hashes
    Q_UNUSED(contentSha256); // a plain directory keeps no checksums
    const LocalDirOperations *ops = m_operations.get();
    const QString temporary = temporaryPathFor(path, precondition);
    return startJob<EntryJob>(
        this, m_pool,
        [ops, localFile, path, mtimeNs, precondition, temporary](const JobContext &context) {
            return ops->upload(localFile, path, mtimeNs, precondition, temporary, context);
        });
}

QString LocalDirBackend::temporaryPathFor(const QString &path,
                                          const Precondition &precondition) const
{
    Q_UNUSED(precondition); // every upload is written aside and renamed
    if (m_clientId.isEmpty())
        return {}; // a random name per upload
    return stagingPathFor(m_clientId, path);
}

void LocalDirBackend::setBandwidthLimits(qint64 upKiB, qint64 downKiB)
{
    m_options.bwLimitUpKiB = upKiB;
    m_options.bwLimitDownKiB = downKiB;
    m_operations->upLimiter().setKibPerSecond(upKiB);
    m_operations->downLimiter().setKibPerSecond(downKiB);
}

std::pair<qint64, qint64> LocalDirBackend::bandwidthLimits() const
{
    return {m_operations->upLimiter().kibPerSecond(), m_operations->downLimiter().kibPerSecond()};
}

RemoteJob *LocalDirBackend::removeTemporaries(const QStringList &paths)
{
    const LocalDirOperations *ops = m_operations.get();
    return startJob<RemoteJob>(
        this, m_pool, [ops, paths](const JobContext &) { return ops->removeTemporaries(paths); });
}

EntryJob *LocalDirBackend::makeDirectory(const QString &path)
{
    const LocalDirOperations *ops = m_operations.get();
    return startJob<EntryJob>(this, m_pool,
                              [ops, path](const JobContext &) { return ops->makeDirectory(path); });
}

RemoteJob *LocalDirBackend::move(const QString &from, const QString &to,
                                 const Precondition &precondition)
{
    const LocalDirOperations *ops = m_operations.get();
    return startJob<RemoteJob>(this, m_pool, [ops, from, to, precondition](const JobContext &) {
        return ops->move(from, to, precondition);
    });
}

RemoteJob *LocalDirBackend::copy(const QString &from, const QString &to,
                                 const Precondition &precondition)
{
    const LocalDirOperations *ops = m_operations.get();
    return startJob<RemoteJob>(this, m_pool, [ops, from, to, precondition](const JobContext &) {
        return ops->copy(from, to, precondition);
    });
}

RemoteJob *LocalDirBackend::remove(const QString &path, const Precondition &precondition)
{
    const LocalDirOperations *ops = m_operations.get();
    return startJob<RemoteJob>(this, m_pool, [ops, path, precondition](const JobContext &context) {
        return ops->remove(path, precondition, context);
    });
}

RemoteJob *LocalDirBackend::removeStalePartials(qint64 maxAgeS)
{
    const LocalDirOperations *ops = m_operations.get();
    return startJob<RemoteJob>(this, m_pool, [ops, maxAgeS](const JobContext &context) {
        return ops->removeStalePartials(maxAgeS, context);
    });
}

} // namespace steadysync
