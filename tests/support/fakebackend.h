#pragma once

#include "remote/remotebackend.h"

#include <QHash>
#include <QMap>
#include <QSet>

#include <functional>
#include <optional>

namespace steadysync::test {

// An in-memory RemoteBackend for tests on the test thread (no network, no disk on the remote
// side). It has the write semantics of the real backends, as the contract suite
// (tests/contract) checks them alike for all:
// - every write gives the file a new strong ETag ("fake-N", never reused), a copy too; a
//   move keeps it (etagsSurviveMoves());
// - preconditions are enforced atomically: a stale MustMatch, or MustNotExist on an existing
//   path, fails with ErrorKind::PreconditionFailed and changes nothing; a move never replaces;
// - a missing path is NotFound, a missing parent ParentMissing, makeDirectory of an existing
//   directory succeeds;
// - jobs finish from the event loop, as RemoteJob requires.
// On top, per-operation faults (see Fault) and a hook run when an operation is called, at the
// moment a real request would be on its way, to change either side "meanwhile".
class FakeBackend final : public RemoteBackend
{
    Q_OBJECT
public:
    enum class Operation { Stat, List, Download, Upload, MakeDirectory, Move, Remove, Copy };

    // What happens to one call of an operation.
    struct Fault
    {
        enum class Effect {
            Fail,              // nothing applied; the job fails with `kind`
            LoseAnswer,        // applied, then the job fails with `kind` (the answer was lost)
            Delay,             // applied, answered after delayMs
            IncompleteListing, // List: succeeds but leaves out `omitted` (names or paths)
        };
        Effect effect = Effect::Fail;
        ErrorKind kind = ErrorKind::Transient;
        int delayMs = 0;
        QStringList omitted;

        static Fault fail(ErrorKind kind) { return {Effect::Fail, kind, 0, {}}; }
        static Fault loseAnswer() { return {Effect::LoseAnswer, ErrorKind::Transient, 0, {}}; }
        static Fault delay(int ms) { return {Effect::Delay, ErrorKind::Transient, ms, {}}; }
        static Fault incompleteListing(QStringList omitted)
        {
            return {Effect::IncompleteListing, ErrorKind::Transient, 0, std::move(omitted)};
        }
    };

    explicit FakeBackend(QObject *parent = nullptr);
    ~FakeBackend() override;

    // --- The remote's content, as another client or the server's disk would change it. ---
    // Writes a file (parents created), with a new ETag; mtimeNs 0 = now.
    void putFile(const QString &path, const QByteArray &content, qint64 mtimeNs = 0);
    void putDirectory(const QString &path); // parents created
    void erase(const QString &path);        // a file or a directory with everything below
    bool exists(const QString &path) const { return m_nodes.contains(path); }
    std::optional<QByteArray> content(const QString &path) const;
    std::optional<RemoteEntry> entry(const QString &path) const;
    QStringList paths() const { return m_nodes.keys(); } // sorted, without the root

    // --- Faults and hooks. ---
    // The nth call of operation from now on (1 = the next one) gets fault.
    void injectFault(Operation operation, int nth, const Fault &fault);
    // Runs hook(path) each time operation is called, before anything is applied.
    void onCall(Operation operation, std::function<void(const QString &path)> hook);
    int callCount(Operation operation) const { return m_calls.value(operation); }
    // Uploads then say their write is unproven (EntryJob::writeUnproven), as on a server that
    // holds no lock for the write and names no ETag in its answer.
    void setUploadsUnproven(bool unproven) { m_uploadsUnproven = unproven; }

    // --- RemoteBackend. ---
    QUrl url() const override;
    bool enforcesPreconditions() const override { return true; }
    bool etagsSurviveMoves() const override { return true; }
    EntryJob *stat(const QString &path) override;
    ListJob *list(const QString &directory) override;
    EntryJob *download(const QString &path, const QString &localTargetFile) override;
    EntryJob *upload(const QString &localFile, const QString &path, qint64 mtimeNs,
                     const Precondition &precondition, UploadHashing hashing = UploadHashing::None,
                     const QByteArray &contentSha256 = {}) override;
    EntryJob *makeDirectory(const QString &path) override;
    RemoteJob *move(const QString &from, const QString &to,
                    const Precondition &precondition) override;
    RemoteJob *remove(const QString &path, const Precondition &precondition) override;
    RemoteJob *copy(const QString &from, const QString &to,
                    const Precondition &precondition) override;
    RemoteJob *removeStalePartials(qint64 maxAgeS) override;
    RemoteJob *removeTemporaries(const QStringList &paths) override;

    // What an operation produced, before faults are applied to it.
    struct Outcome
    {
        std::optional<Error> error;
        RemoteEntry entry;
        QVector<RemoteEntry> entries;
        qint64 bytes = 0;
        bool writeUnproven = false;
    };

private:
    struct Node
    {
        ItemType type = ItemType::File;
        QByteArray content;
        qint64 mtimeNs = 0;
        QByteArray etag;
    };

    // Counts the call, runs its hook and takes the fault due now, if any.
    std::optional<Fault> enter(Operation operation, const QString &path);
    template<typename Job>
    Job *deliver(Operation operation, const QString &path, const std::function<Outcome()> &apply);
    QByteArray nextEtag();
    RemoteEntry entryOf(const QString &path, const Node &node) const;
    std::optional<Error> checkParent(const QString &path) const;
    std::optional<Error> checkPrecondition(const QString &path,
                                           const Precondition &precondition) const;
    Outcome applyUpload(const QString &localFile, const QString &path, qint64 mtimeNs,
                        const Precondition &precondition);
    Outcome applyMove(const QString &from, const QString &to, const Precondition &precondition);
    Outcome applyRemove(const QString &path, const Precondition &precondition);
    Outcome applyCopy(const QString &from, const QString &to, const Precondition &precondition);
    Outcome applyList(const QString &directory) const;

    QMap<QString, Node> m_nodes; // every path but the root "", which always exists
    QByteArray m_rootEtag;
    quint64 m_etagCounter = 0;
    QMap<Operation, int> m_calls;
    QMap<Operation, QMap<int, Fault>> m_faults; // by the call number they strike
    QMap<Operation, std::function<void(const QString &)>> m_hooks;
    bool m_uploadsUnproven = false;
};

} // namespace steadysync::test
