#include "fakebackend.h"

#include <QFile>
#include <QTimer>

#include <chrono>
#include <type_traits>

namespace steadysync::test {

namespace {

// A job FakeBackend finishes itself; results are set just before finish() posts finished().
template<typename Base> class FakeJob final : public Base
{
public:
    explicit FakeJob(QObject *parent) : Base(parent) {}

    void complete(FakeBackend::Outcome outcome)
    {
        if (this->isFinished())
            return;
        if constexpr (std::is_base_of_v<EntryJob, Base>) {
            this->m_entry = std::move(outcome.entry);
            this->m_writeUnproven = outcome.writeUnproven;
        }
        if constexpr (std::is_base_of_v<ListJob, Base>)
            this->m_entries = std::move(outcome.entries);
        this->setBytesTransferred(outcome.bytes);
        this->finish(outcome.error);
    }
};

qint64 nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

FakeBackend::Outcome failed(Error error)
{
    FakeBackend::Outcome outcome;
    outcome.error = std::move(error);
    return outcome;
}

FakeBackend::Outcome failed(ErrorKind kind, const QString &message)
{
    return failed(makeError(kind, message));
}

// The same rule LocalDirBackend applies: relative, '/'-separated, no empty, "." or ".."
// component, no NUL.
std::optional<Error> invalidPath(const QString &path, bool allowRoot)
{
    if (path.isEmpty())
        return allowRoot ? std::nullopt
                         : std::optional<Error>(makeError(ErrorKind::InvalidName,
                                                          QStringLiteral("the root itself")));
    for (const QString &component : path.split(QLatin1Char('/')))
        if (component.isEmpty() || component == u"." || component == u".." ||
            component.contains(QChar(0)))
            return makeError(ErrorKind::InvalidName, QStringLiteral("%1: invalid path").arg(path));
    return std::nullopt;
}

std::optional<Error> invalidPaths(const QString &from, const QString &to)
{
    if (auto error = invalidPath(from, false))
        return error;
    return invalidPath(to, false);
}

bool isBelow(const QString &path, const QString &dir)
{
    return path.size() > dir.size() && path.startsWith(dir) && path.at(dir.size()) == u'/';
}

} // namespace

FakeBackend::FakeBackend(QObject *parent) : RemoteBackend(parent), m_rootEtag(nextEtag()) {}

FakeBackend::~FakeBackend() = default;

QUrl FakeBackend::url() const
{
    return QUrl(QStringLiteral("fake:///"));
}

QByteArray FakeBackend::nextEtag()
{
    return "\"fake-" + QByteArray::number(++m_etagCounter) + '"';
}

RemoteEntry FakeBackend::entryOf(const QString &path, const Node &node) const
{
    RemoteEntry entry;
    entry.path = path;
    entry.type = node.type;
    entry.size = node.type == ItemType::File ? node.content.size() : 0;
    entry.mtimeNs = node.mtimeNs;
    entry.etag = node.etag;
    return entry;
}

void FakeBackend::putFile(const QString &path, const QByteArray &content, qint64 mtimeNs)
{
    putDirectory(parentPath(path));
    m_nodes.insert(path, Node{ItemType::File, content, mtimeNs ? mtimeNs : nowNs(), nextEtag()});
}

void FakeBackend::putDirectory(const QString &path)
{
    if (path.isEmpty() || m_nodes.contains(path))
        return;
    putDirectory(parentPath(path));
    m_nodes.insert(path, Node{ItemType::Directory, {}, nowNs(), nextEtag()});
}

void FakeBackend::erase(const QString &path)
{
    m_nodes.remove(path);
    for (auto it = m_nodes.begin(); it != m_nodes.end();)
        it = isBelow(it.key(), path) ? m_nodes.erase(it) : std::next(it);
}

std::optional<QByteArray> FakeBackend::content(const QString &path) const
{
    const auto it = m_nodes.constFind(path);
    if (it == m_nodes.cend() || it->type != ItemType::File)
        return std::nullopt;
    return it->content;
}

std::optional<RemoteEntry> FakeBackend::entry(const QString &path) const
{
    if (path.isEmpty())
        return entryOf(path, Node{ItemType::Directory, {}, 0, m_rootEtag});
    const auto it = m_nodes.constFind(path);
    if (it == m_nodes.cend())
        return std::nullopt;
    return entryOf(path, *it);
}

void FakeBackend::injectFault(Operation operation, int nth, const Fault &fault)
{
    m_faults[operation].insert(m_calls.value(operation) + nth, fault);
}

void FakeBackend::onCall(Operation operation, std::function<void(const QString &)> hook)
{
    m_hooks.insert(operation, std::move(hook));
}

std::optional<FakeBackend::Fault> FakeBackend::enter(Operation operation, const QString &path)
{
    const int call = ++m_calls[operation];
    if (const auto hook = m_hooks.value(operation))
        hook(path);
    QMap<int, Fault> &faults = m_faults[operation];
    const auto it = faults.find(call);
    if (it == faults.end())
        return std::nullopt;
    Fault fault = *it;
    faults.erase(it);
    return fault;
}

template<typename Job>
Job *FakeBackend::deliver(Operation operation, const QString &path,
                          const std::function<Outcome()> &apply)
{
    auto *job = new FakeJob<Job>(this);
    const std::optional<Fault> fault = enter(operation, path);
    if (fault && fault->effect == Fault::Effect::Fail) {
        job->complete(failed(fault->kind, QStringLiteral("%1: injected failure").arg(path)));
        return job;
    }
    Outcome outcome = apply();
    if (!fault) {
        job->complete(std::move(outcome));
        return job;
    }
    switch (fault->effect) {
    case Fault::Effect::LoseAnswer:
        job->complete(failed(fault->kind, QStringLiteral("%1: the answer was lost").arg(path)));
        break;
    case Fault::Effect::Delay:
        QTimer::singleShot(fault->delayMs, job, [job, outcome = std::move(outcome)]() mutable {
            job->complete(std::move(outcome));
        });
        break;
    case Fault::Effect::IncompleteListing:
        outcome.entries.removeIf([&](const RemoteEntry &entry) {
            const QString name = entry.path.mid(entry.path.lastIndexOf(u'/') + 1);
            return fault->omitted.contains(entry.path) || fault->omitted.contains(name);
        });
        job->complete(std::move(outcome));
        break;
    case Fault::Effect::Fail:
        break;
    }
    return job;
}

std::optional<Error> FakeBackend::checkParent(const QString &path) const
{
    const QString parent = parentPath(path);
    if (parent.isEmpty())
        return std::nullopt;
    const auto it = m_nodes.constFind(parent);
    if (it == m_nodes.cend() || it->type != ItemType::Directory)
        return makeError(ErrorKind::ParentMissing,
                         QStringLiteral("%1: the parent folder does not exist").arg(path));
    return std::nullopt;
}

std::optional<Error> FakeBackend::checkPrecondition(const QString &path,
                                                    const Precondition &precondition) const
{
    const std::optional<RemoteEntry> current = entry(path);
    switch (precondition.kind) {
    case Precondition::Kind::None:
        return std::nullopt;
    case Precondition::Kind::MustNotExist:
        if (current)
            return makeError(ErrorKind::PreconditionFailed,
                             QStringLiteral("%1: already exists").arg(path));
        return std::nullopt;
    case Precondition::Kind::MustMatch:
        if (!current || current->signature() != precondition.signature)
            return makeError(ErrorKind::PreconditionFailed,
                             QStringLiteral("%1: changed on the remote").arg(path));
        return std::nullopt;
    }
    return std::nullopt;
}

EntryJob *FakeBackend::stat(const QString &path)
{
    return deliver<EntryJob>(Operation::Stat, path, [this, path] {
        if (auto error = invalidPath(path, true))
            return failed(*error);
        const std::optional<RemoteEntry> found = entry(path);
        if (!found)
            return failed(ErrorKind::NotFound, QStringLiteral("%1: not found").arg(path));
        Outcome outcome;
        outcome.entry = *found;
        return outcome;
    });
}

ListJob *FakeBackend::list(const QString &directory)
{
    return deliver<ListJob>(Operation::List, directory,
                            [this, directory] { return applyList(directory); });
}

FakeBackend::Outcome FakeBackend::applyList(const QString &directory) const
{
    if (auto error = invalidPath(directory, true))
        return failed(*error);
    const std::optional<RemoteEntry> self = entry(directory);
    if (!self || !self->isDir())
        return failed(ErrorKind::NotFound, QStringLiteral("%1: no such folder").arg(directory));
    Outcome outcome;
    for (auto it = m_nodes.cbegin(); it != m_nodes.cend(); ++it)
        if (parentPath(it.key()) == directory)
            outcome.entries.append(entryOf(it.key(), *it));
    return outcome;
}

EntryJob *FakeBackend::download(const QString &path, const QString &localTargetFile)
{
    return deliver<EntryJob>(Operation::Download, path, [this, path, localTargetFile] {
        const std::optional<QByteArray> bytes = content(path);
        if (!bytes)
            return failed(exists(path) ? ErrorKind::Permanent : ErrorKind::NotFound,
                          QStringLiteral("%1: no such file").arg(path));
        QFile target(localTargetFile);
        if (!target.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
            target.write(*bytes) != bytes->size())
            return failed(ErrorKind::Permanent,
                          QStringLiteral("%1: %2").arg(localTargetFile, target.errorString()));
        Outcome outcome;
        outcome.entry = *entry(path);
        outcome.bytes = bytes->size();
        return outcome;
    });
}

EntryJob *FakeBackend::upload(const QString &localFile, const QString &path, qint64 mtimeNs,
                              const Precondition &precondition, UploadHashing hashing,
                              const QByteArray &contentSha256)
{
    Q_UNUSED(hashing); // hashesSentBytes() is false: the caller hashes
    Q_UNUSED(contentSha256);
    return deliver<EntryJob>(Operation::Upload, path, [=, this] {
        return applyUpload(localFile, path, mtimeNs, precondition);
    });
}

FakeBackend::Outcome FakeBackend::applyUpload(const QString &localFile, const QString &path,
                                              qint64 mtimeNs, const Precondition &precondition)
{
    if (auto error = invalidPath(path, false))
        return failed(*error);
    QFile source(localFile);
    if (!source.open(QIODevice::ReadOnly))
        return failed(ErrorKind::NotFound,
                      QStringLiteral("%1: %2").arg(localFile, source.errorString()));
    const QByteArray bytes = source.readAll();
    if (auto error = checkParent(path))
        return failed(*error);
    if (auto error = checkPrecondition(path, precondition))
        return failed(*error);
    if (exists(path) && entry(path)->isDir())
        return failed(ErrorKind::PreconditionFailed,
                      QStringLiteral("%1: a folder exists there").arg(path));
    m_nodes.insert(path, Node{ItemType::File, bytes, mtimeNs ? mtimeNs : nowNs(), nextEtag()});
    Outcome outcome;
    outcome.entry = *entry(path);
    outcome.bytes = bytes.size();
    outcome.writeUnproven = m_uploadsUnproven;
    return outcome;
}

EntryJob *FakeBackend::makeDirectory(const QString &path)
{
    return deliver<EntryJob>(Operation::MakeDirectory, path, [this, path] {
        if (auto error = invalidPath(path, false))
            return failed(*error);
        if (auto error = checkParent(path))
            return failed(*error);
        if (exists(path) && !entry(path)->isDir())
            return failed(ErrorKind::PreconditionFailed,
                          QStringLiteral("%1: a file exists there").arg(path));
        putDirectory(path);
        Outcome outcome;
        outcome.entry = *entry(path);
        return outcome;
    });
}

RemoteJob *FakeBackend::move(const QString &from, const QString &to,
                             const Precondition &precondition)
{
    return deliver<RemoteJob>(Operation::Move, from,
                              [=, this] { return applyMove(from, to, precondition); });
}

FakeBackend::Outcome FakeBackend::applyMove(const QString &from, const QString &to,
                                            const Precondition &precondition)
{
    if (auto error = invalidPaths(from, to))
        return failed(*error);
    if (to == from || isBelow(to, from))
        return failed(ErrorKind::InvalidName,
                      QStringLiteral("cannot move %1 into itself (%2)").arg(from, to));
    if (!exists(from))
        return failed(ErrorKind::NotFound, QStringLiteral("%1: not found").arg(from));
    if (auto error = checkPrecondition(from, precondition))
        return failed(*error);
    if (auto error = checkParent(to))
        return failed(*error);
    if (exists(to))
        return failed(ErrorKind::PreconditionFailed,
                      QStringLiteral("cannot move %1: %2 already exists").arg(from, to));
    QMap<QString, Node> moved;
    for (auto it = m_nodes.cbegin(); it != m_nodes.cend(); ++it)
        if (it.key() == from || isBelow(it.key(), from))
            moved.insert(to + it.key().mid(from.size()), *it);
    erase(from);
    m_nodes.insert(moved); // ETags kept: the same files under new names
    return {};
}

RemoteJob *FakeBackend::remove(const QString &path, const Precondition &precondition)
{
    return deliver<RemoteJob>(Operation::Remove, path,
                              [=, this] { return applyRemove(path, precondition); });
}

FakeBackend::Outcome FakeBackend::applyRemove(const QString &path, const Precondition &precondition)
{
    if (auto error = invalidPath(path, false))
        return failed(*error);
    if (!exists(path))
        return failed(ErrorKind::NotFound, QStringLiteral("%1: not found").arg(path));
    // As on the real backends, a folder goes with everything in it, unconditionally.
    if (!entry(path)->isDir())
        if (auto error = checkPrecondition(path, precondition))
            return failed(*error);
    erase(path);
    return {};
}

RemoteJob *FakeBackend::copy(const QString &from, const QString &to,
                             const Precondition &precondition)
{
    return deliver<RemoteJob>(Operation::Copy, from,
                              [=, this] { return applyCopy(from, to, precondition); });
}

FakeBackend::Outcome FakeBackend::applyCopy(const QString &from, const QString &to,
                                            const Precondition &precondition)
{
    if (auto error = invalidPaths(from, to))
        return failed(*error);
    const std::optional<QByteArray> bytes = content(from);
    if (!bytes)
        return failed(ErrorKind::NotFound, QStringLiteral("%1: no such file").arg(from));
    if (auto error = checkPrecondition(from, precondition))
        return failed(*error);
    if (auto error = checkParent(to))
        return failed(*error);
    if (exists(to))
        return failed(ErrorKind::PreconditionFailed,
                      QStringLiteral("cannot copy to %1: it exists").arg(to));
    m_nodes.insert(to, Node{ItemType::File, *bytes, m_nodes.value(from).mtimeNs, nextEtag()});
    return {};
}

RemoteJob *FakeBackend::removeStalePartials(qint64 maxAgeS)
{
    Q_UNUSED(maxAgeS); // uploads write no partial files here
    auto *job = new FakeJob<RemoteJob>(this);
    job->complete({});
    return job;
}

RemoteJob *FakeBackend::removeTemporaries(const QStringList &paths)
{
    Q_UNUSED(paths); // temporaryPathFor() is empty: there are none
    auto *job = new FakeJob<RemoteJob>(this);
    job->complete({});
    return job;
}

} // namespace steadysync::test
