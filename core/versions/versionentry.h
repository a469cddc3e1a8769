#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace steadysync {

// Why the client kept a version (DESIGN §10): what it was about to do to the file.
enum class VersionReason {
    Overwritten,       // a download replaced it
    DeletedRemotely,   // a remote delete removed it
    Conflict,          // it lost a conflict resolution
    Unselected,        // its folder left the selection
    RemoteOverwritten, // the server's previous content (remote-side protection)
};

// The names of DESIGN §7's `versions list --json`.
QString versionReasonName(VersionReason reason);
std::optional<VersionReason> versionReasonFromName(const QString &name);

// One kept version: the index row of the version store. The content is the blob named by
// sha256.
struct VersionEntry
{
    qint64 id = 0;
    QString path; // relative to the pair's root, with '/'
    VersionReason reason = VersionReason::Overwritten;
    qint64 savedMs = 0; // when it was kept, epoch ms UTC
    qint64 size = 0;
    QByteArray sha256;  // lowercase hex
    QString origin;     // where the content came from: "local" or "remote"
    qint64 mtimeNs = 0; // the file's modification time when it was kept
    friend bool operator==(const VersionEntry &, const VersionEntry &) = default;

    // A version kept on the server (remote-side protection) has the origin "remote:" followed
    // by where its copy lies on the remote; its blob is fetched from there when restored.
    static QString remoteOrigin(const QString &keptPath)
    {
        return QStringLiteral("remote:") + keptPath;
    }
    bool isOnRemote() const { return origin.startsWith(QStringLiteral("remote:")); }
    QString remoteCopy() const { return isOnRemote() ? origin.mid(7) : QString(); }
};

} // namespace steadysync
