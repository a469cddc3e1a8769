#include "versions/remoteversionfetch.h"

#include "fs/hasher.h"
#include "remote/remotebackend.h"
#include "versions/versionstore.h"

#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QUuid>

namespace steadysync {

namespace {

Result<VersionEntry> adoptFetched(const QString &localRoot, const QString &fetched,
                                  VersionEntry entry)
{
    const Result<QByteArray> hash = Hasher::sha256OfFile(fetched);
    if (!hash) {
        QFile::remove(fetched);
        return hash.error();
    }
    if (!entry.sha256.isEmpty() && *hash != entry.sha256) {
        QFile::remove(fetched);
        return makeError(ErrorKind::Corrupt,
                         QStringLiteral("the copy of version %1 on the server (%2) is not the "
                                        "content that was kept")
                             .arg(entry.id)
                             .arg(entry.remoteCopy()));
    }
    entry.sha256 = *hash;
    Result<std::unique_ptr<VersionStore>> store = VersionStore::open(localRoot);
    if (!store) {
        QFile::remove(fetched);
        return store.error();
    }
    if (Status adopted = (*store)->adopt(fetched, entry.sha256); !adopted)
        return adopted.error();
    return entry;
}

} // namespace

void fetchRemoteVersion(RemoteBackend *backend, const QString &localRoot, const VersionEntry &entry,
                        std::function<void(Result<VersionEntry>)> done)
{
    // In the store's tmp/, which a prune sweeps after a kill.
    const QString temporary = VersionStore::directory(localRoot) + QStringLiteral("/tmp");
    QDir().mkpath(temporary);
    const QString fetched =
        temporary + QStringLiteral("/fetch-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    EntryJob *job = backend->download(entry.remoteCopy(), fetched);
    QObject::connect(job, &RemoteJob::finished, backend, [job, localRoot, fetched, entry, done] {
        if (!job->succeeded()) {
            QFile::remove(fetched);
            Error error = *job->error();
            error.message = QStringLiteral("cannot fetch version %1 from the server: %2")
                                .arg(entry.id)
                                .arg(error.message);
            return done(error);
        }
        done(adoptFetched(localRoot, fetched, entry));
    });
}

Result<VersionEntry> fetchRemoteVersionNow(RemoteBackend *backend, const QString &localRoot,
                                           const VersionEntry &entry)
{
    std::optional<Result<VersionEntry>> outcome;
    QEventLoop loop;
    fetchRemoteVersion(backend, localRoot, entry, [&](Result<VersionEntry> fetched) {
        outcome = std::move(fetched);
        loop.quit();
    });
    if (!outcome)
        loop.exec();
    return std::move(*outcome);
}

} // namespace steadysync
