#pragma once

#include "remote/remotebackend.h"

#include <QThreadPool>

#include <memory>

namespace steadysync {

class LocalDirOperations;

// A plain directory as the remote (file:///abs/path): a NAS mount, a USB disk, or the
// built-in default. Blocking file work runs in a private thread pool (size = parallel);
// results come back to the backend's thread through queued signals.
// ETags are strong and synthesised from (inode, size, mtime in ns); sha256 is not filled.
// Uploads are written to a partial file next to the target and renamed over it, with the
// precondition checked just before the rename; temporary names start with
// IgnoreRules::partialFilePrefix().
class LocalDirBackend final : public RemoteBackend
{
    Q_OBJECT
public:
    LocalDirBackend(const QString &rootDirectory, const BackendOptions &options,
                    QObject *parent = nullptr);
    ~LocalDirBackend() override;

    QUrl url() const override;
    bool enforcesPreconditions() const override { return true; }
    // The ETag is inode-size-mtime: a rename on the same filesystem keeps all three.
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
    void setClientId(const QString &clientId) override { m_clientId = clientId; }
    QString temporaryPathFor(const QString &path, const Precondition &precondition) const override;
    RemoteJob *removeTemporaries(const QStringList &paths) override;
    void setBandwidthLimits(qint64 upKiB, qint64 downKiB) override;
    std::pair<qint64, qint64> bandwidthLimits() const override;

private:
    QString m_root;
    QString m_clientId;
    BackendOptions m_options;
    std::unique_ptr<LocalDirOperations> m_operations;
    QThreadPool m_pool;
};

} // namespace steadysync
