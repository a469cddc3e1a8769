#pragma once

#include "entry.h"
#include "local/ignorerules.h"
#include "result.h"

#include <QObject>
#include <QStringList>

#include <optional>

namespace steadysync {

class RemoteBackend;
class RemoteJob;

// Builds a RemoteSnapshot of some scopes (subtrees) of the remote with Depth-1 listings,
// several collections at a time. A listing that fails fails the whole walk: a half-listed
// tree would make the unlisted part look deleted.
class RemoteWalker : public QObject
{
    Q_OBJECT
public:
    RemoteWalker(RemoteBackend *backend, const IgnoreRules &ignore, int concurrency,
                 QObject *parent = nullptr);

    // Walks every scope ("" = the whole remote). Emits finished() once.
    void start(const QStringList &scopes);

    const RemoteSnapshot &snapshot() const { return m_snapshot; }
    const std::optional<Error> &error() const { return m_error; }
    const QStringList &rejectedNames() const { return m_rejected; }

Q_SIGNALS:
    void finished();

private:
    void statScope(const QString &scope);
    void enqueueDirectory(const QString &path);
    void pump();
    void onListed(const QString &directory, RemoteJob *job);
    void fail(const Error &error);
    void finishIfDone();

    RemoteBackend *m_backend;
    IgnoreRules m_ignore;
    int m_concurrency;
    QStringList m_pendingDirectories;
    int m_inFlight = 0;
    bool m_done = false;
    RemoteSnapshot m_snapshot;
    QStringList m_rejected;
    std::optional<Error> m_error;
};

} // namespace steadysync
