#pragma once

#include "remote/remotebackend.h"

#include <QPointer>
#include <QTimer>
#include <QUrl>

namespace steadysync {

// Tries a remote the way a pair would use it, before anything is saved ("Test connection" in
// the settings): the root must answer, accept the credentials and be a collection (WebDAV) or
// a readable directory (file://). Built only on RemoteBackend's public API: a stat of the
// root, and when that fails on WebDAV, a stat of the root's name in its parent collection to
// tell a missing folder from an address that is not a WebDAV collection.
// On S3 the root's stat is one ListObjectsV2 of the prefix (max-keys 1): refused keys are
// WrongCredentials, a missing bucket FolderNotFound, no answer from the endpoint Unreachable.
// Asynchronous: start() returns at once and finished() comes from the event loop, exactly
// once per start() unless cancel() (or destruction) comes first.
class ConnectionTester : public QObject
{
    Q_OBJECT
public:
    enum class Outcome {
        Connected,
        WrongCredentials,      // the server refused the user or password (401)
        Unreachable,           // no connection, or no answer within the timeout
        CertificateNotTrusted, // TLS: the certificate chain is not trusted
        FolderNotFound,        // the collection or directory does not exist
        NotACollection,        // a file, or a server that does not speak WebDAV there
        InvalidUrl,            // the URL cannot name a remote at all
        Failed,                // anything else; the detail says what
    };
    Q_ENUM(Outcome)

    explicit ConnectionTester(QObject *parent = nullptr);
    ~ConnectionTester() override;

    // Cancels a test still running, then starts one. timeoutMs bounds the whole test.
    void start(const QUrl &url, const BackendOptions &options, int timeoutMs = 15'000);
    // Drops the test in flight; finished() is not emitted for it.
    void cancel();
    bool isRunning() const { return m_backend != nullptr; }

Q_SIGNALS:
    // detail: the core's message behind the outcome (English, for details and logs).
    void finished(steadysync::ConnectionTester::Outcome outcome, const QString &detail);

private:
    void onRootStat(EntryJob *job);
    void probeParent(const Error &rootError);
    void finish(Outcome outcome, const QString &detail);
    void dropBackends();
    RemoteBackend *adopt(std::unique_ptr<RemoteBackend> backend);

    QUrl m_url;
    BackendOptions m_options;
    // Children of this tester; a finished or cancelled test's are deleted later, from the
    // event loop, since their jobs may still be unwinding.
    QPointer<RemoteBackend> m_backend;
    QPointer<RemoteBackend> m_parentBackend;
    QPointer<RemoteJob> m_job;
    QTimer m_deadline;
    int m_timeoutMs = 0;
    int m_generation = 0; // tells a stale queued outcome from the current test's
};

} // namespace steadysync
