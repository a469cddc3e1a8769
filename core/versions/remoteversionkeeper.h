#pragma once

#include "clock.h"
#include "entry.h"
#include "remote/remotebackend.h"
#include "result.h"
#include "sync/syncplan.h"
#include "versions/retention.h"
#include "versions/versionentry.h"

#include <QObject>
#include <QPointer>
#include <QSet>

#include <functional>
#include <memory>

namespace steadysync {

class VersionStore;

// Remote-side protection (issue 17, deliverable 2; a per-pair option, off by default): before
// the client overwrites or deletes a file on the server it keeps the server's content in the
// hidden collection .steadysync-versions/ at the remote root, as
// .steadysync-versions/PATH/YYYYMMDDTHHMMSS.zzzZ~TAG, and lists it in the pair's version
// store (reason remote-overwritten, origin "remote:KEPT_PATH").
// - An overwrite is a server-side COPY before the conditional PUT, not a MOVE: after a MOVE
//   the file would be missing on the server until the PUT lands (for good after a crash), and
//   another client would read that as a deletion. No copy, no upload.
// - A delete is a MOVE into the collection with the checks the DELETE had (remove()'s proof).
// The collections are made (MKCOL, outermost first) before the first copy or move into them
// in a process, and again when the server says the parent is missing.
class RemoteVersionKeeper : public QObject
{
    Q_OBJECT
public:
    static QString collectionName() { return QStringLiteral(".steadysync-versions"); }
    // Where the version of path kept at savedMs goes; tag tells the content apart.
    static QString keptPath(const QString &path, qint64 savedMs, const QByteArray &tag);

    RemoteVersionKeeper(RemoteBackend *backend, QString localRoot, const Clock *clock,
                        QObject *parent = nullptr);
    ~RemoteVersionKeeper() override;

    // The propagator's hooks; keeper may be null (the option is off): then nothing is kept.
    // Before an upload replaces action.remote: a job that copies it into the collection, or
    // nullptr when there is nothing to keep (no keeper, no remote file, kept already).
    static RemoteJob *keepBeforeUpload(RemoteVersionKeeper *keeper, const SyncAction &action);
    // Removes action.path on the remote: remove(), or with a keeper a move into the collection.
    static RemoteJob *remove(RemoteVersionKeeper *keeper, RemoteBackend *backend,
                             const SyncAction &action, const Precondition &precondition);

private:
    enum class Kind { Copy, Move };
    struct Keeping;
    RemoteJob *keep(const SyncAction &action, Kind kind, const Precondition &precondition);
    void attempt(const std::shared_ptr<Keeping> &keeping, bool mayMakeCollections);
    void makeCollections(const std::shared_ptr<Keeping> &keeping, QStringList left);
    void finishKept(const std::shared_ptr<Keeping> &keeping);
    VersionStore *store();

    RemoteBackend *m_backend;
    QString m_localRoot;
    const Clock *m_clock;
    std::unique_ptr<VersionStore> m_store; // opened on first use
    QSet<QByteArray> m_keptSignatures;     // path + signature copied already in this process
    QSet<QString> m_collections;           // made (or found) by this process
};

} // namespace steadysync
