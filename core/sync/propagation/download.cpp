// Propagator: downloads (DESIGN §4 safety rules). The file lands in a temporary one, its size and
// checksum are checked, and it is renamed over the target only if the target is still what
// the plan examined.
#include "local/scanner.h"
#include "sync/localfileops.h"
#include "sync/propagation/actiontally.h"
#include "sync/propagator.h"
#include "versions/versionkeeper.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <tuple>

namespace steadysync {

void Propagator::download(const SyncAction &action, Done done)
{
    if (action.local && action.local->isDir()) {
        const Outcome cleared = clearLocalDirectory(action.path);
        if (!cleared.isDone())
            return done(cleared);
        SyncAction replacing = action;
        replacing.local.reset();
        return download(replacing, done);
    }
    downloadToTemporary(action.path, *action.remote,
                        [this, action, done](Result<DownloadedVersion> downloaded) {
                            if (!downloaded.ok())
                                return done(outcomeOfFetch(downloaded.error()));
                            placeDownload(action, *downloaded, done);
                        });
}

void Propagator::downloadToTemporary(const QString &path, const RemoteEntry &expected,
                                     std::function<void(Result<DownloadedVersion>)> done)
{
    const qint64 free = LocalFileOps::freeBytes(m_settings.localRoot);
    if (free >= 0 && free < expected.size + m_settings.diskReserveBytes) {
        done(makeError(
            ErrorKind::DiskFull,
            tr("%1: not enough free disk space (%2 bytes free, %3 needed plus a reserve of %4)")
                .arg(path)
                .arg(free)
                .arg(expected.size)
                .arg(m_settings.diskReserveBytes)));
        return;
    }
    const QString temporary = temporaryFor(path);
    EntryJob *job = m_backend->download(path, temporary);
    track(job);
    reportTransferProgress(job, path, false, expected.size);
    connect(job, &RemoteJob::finished, this, [this, job, temporary, path, done = std::move(done)] {
        auto fail = [&](const Error &error) {
            QFile::remove(temporary);
            done(error);
        };
        if (!job->succeeded()) {
            if (job->error()->kind == ErrorKind::Transient)
                return done(*job->error());
            return fail(*job->error());
        }
        const RemoteEntry entry = job->entry();
        if (QFileInfo(temporary).size() != entry.size)
            return fail(
                makeError(ErrorKind::Transient, tr("%1: download incomplete (%2 of %3 bytes)")
                                                    .arg(path)
                                                    .arg(QFileInfo(temporary).size())
                                                    .arg(entry.size)));
        m_report.bytesDown += entry.size;
        verifyDownloaded(path, temporary, entry, done);
    });
}

// One temporary name per remote file (server and path): a download cut off by the network is
// kept there, and the retry, in this run or a later one, resumes it (the backend asks for the
// rest with Range + If-Range).
QString Propagator::temporaryFor(const QString &path) const
{
    const QByteArray remoteFile =
        m_backend->url().toString(QUrl::RemoveUserInfo).toUtf8() + '\n' + path.toUtf8();
    return LocalFileOps::temporaryDirectory(m_settings.localRoot) + QLatin1Char('/') +
           QLatin1String(LocalFileOps::partialDownloadPrefix) +
           QString::fromLatin1(
               QCryptographicHash::hash(remoteFile, QCryptographicHash::Sha1).toHex());
}

// Hashes the downloaded file off the event loop and checks it against the server's checksum
// where it gave one.
void Propagator::verifyDownloaded(const QString &path, const QString &temporary,
                                  const RemoteEntry &entry,
                                  std::function<void(Result<DownloadedVersion>)> done)
{
    hashAsync(temporary, [temporary, entry, path, done](Result<QByteArray> hash) {
        if (hash.ok() && !entry.sha256.isEmpty() && entry.sha256 != *hash)
            hash = makeError(ErrorKind::Transient,
                             tr("%1: downloaded content does not match its checksum").arg(path));
        if (!hash.ok()) {
            QFile::remove(temporary);
            return done(hash.error());
        }
        done(DownloadedVersion{temporary, entry, *hash});
    });
}

Propagator::Outcome Propagator::outcomeOfFetch(const Error &error)
{
    // Gone remotely since the listing: reconcile that path again rather than fail.
    if (error.kind == ErrorKind::NotFound)
        return Outcome::redo();
    return Outcome::failed(error);
}

void Propagator::placeDownload(const SyncAction &action, const DownloadedVersion &downloaded,
                               Done done)
{
    const QString &temporary = downloaded.temporary;
    // Only replace what we examined: a local edit since then becomes a conflict next round.
    if (!LocalFileOps::unchangedSince(m_settings.localRoot, action.path, action.local)) {
        QFile::remove(temporary);
        return done(Outcome::redo());
    }
    if (action.local && !action.local->sha256.isEmpty() &&
        action.local->sha256 == downloaded.sha256) {
        // Same content (e.g. a touched remote file): the local file stays as it is; only the
        // record learns the remote's new state.
        QFile::remove(temporary);
        return done(Outcome::of(writeRecord(recordFor(*action.local, downloaded.entry),
                                            ActionTally::skippedUnchanged())));
    }
    if (Status replaced = replaceWithDownload(action, downloaded); !replaced) {
        QFile::remove(temporary);
        return done(Outcome::failed(replaced.error()));
    }
    std::optional<LocalEntry> placed = Scanner::stat(m_settings.localRoot, action.path);
    if (!placed)
        return done(Outcome::failed(
            makeError(ErrorKind::Transient, tr("%1: vanished after download").arg(action.path))));
    placed->sha256 = downloaded.sha256;
    done(Outcome::of(writeRecord(recordFor(*placed, downloaded.entry),
                                 ActionTally::downloaded(downloaded.entry.size))));
}

// Renames the download over the target, after keeping what it replaces: a version never
// confirmed on the server as a conflict copy, any other as a version (VersionKeeper).
Status Propagator::replaceWithDownload(const SyncAction &action,
                                       const DownloadedVersion &downloaded)
{
    if (replacesUnconfirmedVersion(action, downloaded.sha256))
        if (Status kept = keepReplacedVersion(action); !kept)
            return kept;
    const QString target = absolute(action.path);
    QDir().mkpath(QFileInfo(target).absolutePath());
    keepRemoteTime(downloaded.temporary, downloaded.entry);
    if (Status kept =
            VersionKeeper::keepIn(m_settings.versions, {action.path, VersionReason::Overwritten});
        !kept)
        return kept;
    return LocalFileOps::renameReplacing(downloaded.temporary, target);
}

// A remote entry's mtime 0 means the server gave no date we could read (RemoteEntry): the
// downloaded file then keeps the time it was written, never 1970-01-01.
void Propagator::keepRemoteTime(const QString &downloaded, const RemoteEntry &entry)
{
    // Best effort: a file left with its download time is recorded with that mtime, so the
    // next scan sees it as synced all the same; only the displayed date differs.
    if (entry.mtimeNs > 0)
        std::ignore = LocalFileOps::setModificationTime(downloaded, entry.mtimeNs);
}

} // namespace steadysync
