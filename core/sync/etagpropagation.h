#pragma once

#include "result.h"

#include <QObject>
#include <QString>

#include <functional>
#include <optional>

namespace steadysync {

class RemoteBackend;
class RemoteJob;

// Whether a collection's ETag on a remote changes whenever anything below it changes, all the
// way up to the root (ownCloud and Nextcloud say so by answering oc:fileid; Apache and
// lighttpd change a collection's ETag with its direct members only). Only a verified "yes"
// lets a sync take an unchanged root ETag for an unchanged tree (one request for a no-op) and
// skip collections whose ETag did not change.
struct EtagPropagationVerdict
{
    bool propagates = false;
    QString evidence;  // what was seen, for the log and `status`
    QString remoteUrl; // the remote it was verified on: another URL is verified again
    qint64 checkedAtMs = 0;

    QString toSetting() const;
    static std::optional<EtagPropagationVerdict> fromSetting(const QString &text);
    // The journal setting that keeps it (Journal::setting).
    static QString settingKey() { return QStringLiteral("remote.etagPropagation"); }
};

// Verifies ETag propagation once per pair by making a change two levels below the root and
// looking at the root's ETag: REMOTE/.steadysync/etag-probe/probe is written (the name is the
// client's own: never listed or synced), the root stat'ed before and after, twice (another
// client changing a member of the root meanwhile would otherwise look like propagation).
// verdict() is nullopt where the remote could not tell (a write refused: a read-only share,
// the network): the sync then trusts nothing and walks every collection.
class EtagPropagationProbe : public QObject
{
    Q_OBJECT
public:
    // scratchDirectory: a local directory for the probe file's content (LOCAL/.steadysync/tmp).
    EtagPropagationProbe(RemoteBackend *backend, const QString &scratchDirectory, qint64 nowMs,
                         QObject *parent = nullptr);

    void start(); // emits finished() once
    const std::optional<EtagPropagationVerdict> &verdict() const { return m_verdict; }
    const std::optional<Error> &error() const { return m_error; }
    // The root's ETag as the last stat of the probe saw it, after its last write: a walk
    // that starts later may stand on it (the probe's own change is then not a change).
    const QByteArray &lastRootEtag() const { return m_lastRootEtag; }
    static QString probeDirectory() { return QStringLiteral(".steadysync/etag-probe"); }

Q_SIGNALS:
    void finished();

private:
    void ensureDirectory(const QString &path, std::function<void()> next);
    void statRoot(std::function<void(QByteArray)> next);
    void writeProbe(int round, std::function<void()> next);
    void probeRound(int round);
    void conclude(bool propagates, const QString &evidence);
    void fail(const Error &error);
    template<typename Job, typename Then> void whenDone(Job *job, Then then);

    RemoteBackend *m_backend;
    QString m_scratchDirectory;
    qint64 m_nowMs;
    QString m_changes; // "E1 -> E2" per round
    QByteArray m_lastRootEtag;
    std::optional<EtagPropagationVerdict> m_verdict;
    std::optional<Error> m_error;
};

} // namespace steadysync
