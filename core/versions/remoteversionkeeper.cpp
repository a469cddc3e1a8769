#include "versions/remoteversionkeeper.h"

#include "versions/versionstore.h"

#include <QCryptographicHash>
#include <QDateTime>

namespace steadysync {

namespace {

// The job the propagator waits on while a version is kept: finished by the keeper once the
// copy or move (and the collections it needed) is done; a cancel reaches the step under way.
class KeepingJob final : public RemoteJob
{
public:
    using RemoteJob::RemoteJob;
    void cancel() override
    {
        if (m_step)
            m_step->cancel();
        RemoteJob::cancel();
    }
    void follow(RemoteJob *step) { m_step = step; }
    void end(const std::optional<Error> &error) { finish(error); }
    bool ended() const { return isFinished(); }

private:
    QPointer<RemoteJob> m_step;
};

QString parentOf(const QString &path)
{
    const qsizetype slash = path.lastIndexOf(QLatin1Char('/'));
    return slash < 0 ? QString() : path.left(slash);
}

// What the server holds, as far as the journal knows: the synced content's hash when the
// server still holds the synced version.
QByteArray knownContent(const SyncAction &action)
{
    if (!action.base || !action.remote || !isSha256Hex(action.base->sha256))
        return {};
    // An unproven upload of ours is not known to be what the server holds.
    const JournalRecord &base = *action.base;
    const bool synced = !base.remoteRewritten && base.remoteCheck != RemoteCheck::Unproven &&
                        base.remoteSignature == action.remote->signature();
    return synced ? base.sha256 : QByteArray();
}

} // namespace

struct RemoteVersionKeeper::Keeping
{
    QPointer<KeepingJob> job;
    Kind kind = Kind::Copy;
    QString path;
    QString keptPath;
    Precondition precondition;
    QByteArray signature;
    VersionEntry entry;
};

QString RemoteVersionKeeper::keptPath(const QString &path, qint64 savedMs, const QByteArray &tag)
{
    const QString stamp = QDateTime::fromMSecsSinceEpoch(savedMs, Qt::UTC)
                              .toString(QStringLiteral("yyyyMMdd'T'HHmmss.zzz'Z'"));
    return collectionName() + QLatin1Char('/') + path + QLatin1Char('/') + stamp +
           QLatin1Char('~') + QString::fromLatin1(tag);
}

RemoteVersionKeeper::RemoteVersionKeeper(RemoteBackend *backend, QString localRoot,
                                         const Clock *clock, QObject *parent)
    : QObject(parent), m_backend(backend), m_localRoot(std::move(localRoot)), m_clock(clock)
{}

RemoteVersionKeeper::~RemoteVersionKeeper() = default;

RemoteJob *RemoteVersionKeeper::keepBeforeUpload(RemoteVersionKeeper *keeper,
                                                 const SyncAction &action)
{
    if (!keeper || !action.remote || action.remote->isDir() ||
        keeper->m_keptSignatures.contains(action.path.toUtf8() + '\0' + action.remote->signature()))
        return nullptr;
    return keeper->keep(action, Kind::Copy, Precondition::mustMatch(action.remote->signature()));
}

RemoteJob *RemoteVersionKeeper::remove(RemoteVersionKeeper *keeper, RemoteBackend *backend,
                                       const SyncAction &action, const Precondition &precondition)
{
    if (!keeper || action.type != ItemType::File)
        return backend->remove(action.path, precondition);
    return keeper->keep(action, Kind::Move, precondition);
}

RemoteJob *RemoteVersionKeeper::keep(const SyncAction &action, Kind kind,
                                     const Precondition &precondition)
{
    auto keeping = std::make_shared<Keeping>();
    keeping->job = new KeepingJob(m_backend);
    keeping->kind = kind;
    keeping->path = action.path;
    keeping->precondition = precondition;
    keeping->signature = action.remote ? action.remote->signature() : QByteArray();
    const QByteArray sha256 = knownContent(action);
    // The content's hash names it where known; else the server's tag, cleaned for a name.
    QByteArray tag = sha256.left(16);
    if (tag.isEmpty() && action.remote)
        tag = QCryptographicHash::hash(action.remote->signature(), QCryptographicHash::Sha256)
                  .toHex()
                  .left(16);
    const qint64 now = m_clock->nowMs();
    keeping->keptPath = keptPath(action.path, now, tag.isEmpty() ? QByteArray("unknown") : tag);
    keeping->entry.path = action.path;
    keeping->entry.reason = VersionReason::RemoteOverwritten;
    keeping->entry.size = action.remote ? action.remote->size : 0;
    keeping->entry.mtimeNs = action.remote ? action.remote->mtimeNs : 0;
    keeping->entry.sha256 = sha256;
    keeping->entry.origin = VersionEntry::remoteOrigin(keeping->keptPath);
    KeepingJob *job = keeping->job;
    // Started from the event loop, as every backend job is: the caller connects first.
    QMetaObject::invokeMethod(
        this,
        [this, keeping] {
            // Collections first where this process has not made them: servers differ in what
            // a COPY or MOVE into a missing one answers (409, 404, nginx 500).
            const QString collection = parentOf(keeping->keptPath);
            if (m_collections.contains(collection))
                return attempt(keeping, true);
            makeCollections(keeping, collection.split(QLatin1Char('/')));
        },
        Qt::QueuedConnection);
    return job;
}

void RemoteVersionKeeper::attempt(const std::shared_ptr<Keeping> &keeping, bool mayMakeCollections)
{
    if (!keeping->job || keeping->job->ended())
        return;
    RemoteJob *step =
        keeping->kind == Kind::Copy
            ? m_backend->copy(keeping->path, keeping->keptPath, keeping->precondition)
            : m_backend->removeKeeping(keeping->path, keeping->keptPath, keeping->precondition);
    keeping->job->follow(step);
    connect(step, &RemoteJob::finished, this, [this, step, keeping, mayMakeCollections] {
        if (!keeping->job || keeping->job->ended())
            return;
        if (step->succeeded())
            return finishKept(keeping);
        if (step->error()->kind == ErrorKind::ParentMissing && mayMakeCollections) {
            // Removed meanwhile (by hand, or by another client): made again, once.
            const QString collection = parentOf(keeping->keptPath);
            m_collections.remove(collection);
            return makeCollections(keeping, collection.split(QLatin1Char('/')));
        }
        Error error = *step->error();
        if (keeping->kind == Kind::Copy && error.kind != ErrorKind::PreconditionFailed &&
            error.kind != ErrorKind::NotFound) {
            error.message = tr("%1: the server's version could not be kept before replacing it, "
                               "so it was not replaced: %2")
                                .arg(keeping->path, error.message);
            // A 403 to the COPY says nothing about the file's folder (the copy goes to the
            // collection at the root): not to be taken for a read-only folder's refusal.
            error.httpStatus = 0;
        }
        keeping->job->end(error);
    });
}

// Makes the collections of left (path components, outermost first) one after another; one
// that exists already is no error (makeDirectory() succeeds on a directory).
void RemoteVersionKeeper::makeCollections(const std::shared_ptr<Keeping> &keeping, QStringList left)
{
    if (!keeping->job || keeping->job->ended())
        return;
    QString collection = left.takeFirst();
    while (m_collections.contains(collection) && !left.isEmpty())
        collection += QLatin1Char('/') + left.takeFirst(); // made already: no request
    EntryJob *step = m_backend->makeDirectory(collection);
    keeping->job->follow(step);
    connect(step, &RemoteJob::finished, this, [this, step, keeping, left, collection] {
        if (!keeping->job || keeping->job->ended())
            return;
        if (!step->succeeded()) {
            m_collections.clear(); // what is there is not known any more
            return keeping->job->end(*step->error());
        }
        m_collections.insert(collection);
        if (left.isEmpty())
            return attempt(keeping, false);
        QStringList rest = left;
        rest.first() = collection + QLatin1Char('/') + rest.first();
        makeCollections(keeping, rest);
    });
}

void RemoteVersionKeeper::finishKept(const std::shared_ptr<Keeping> &keeping)
{
    if (keeping->kind == Kind::Copy)
        m_keptSignatures.insert(keeping->path.toUtf8() + '\0' + keeping->signature);
    // The copy is on the server: a row that cannot be written now loses no content (it stays
    // in the collection), only its listing; the sync goes on.
    if (VersionStore *versions = store(); !versions || !versions->record(keeping->entry))
        qWarning("steadysync: %s was kept on the server as %s but could not be listed",
                 qUtf8Printable(keeping->path), qUtf8Printable(keeping->keptPath));
    keeping->job->end(std::nullopt);
}

VersionStore *RemoteVersionKeeper::store()
{
    if (!m_store) {
        Result<std::unique_ptr<VersionStore>> opened = VersionStore::open(m_localRoot, m_clock);
        if (opened)
            m_store = std::move(*opened);
    }
    return m_store.get();
}

} // namespace steadysync
