#include "fs/errnokind.h"
#include "jobresult.h"
#include "local/ignorerules.h"
#include "remote/localdirbackend.h"
#include "remote/localdiroperations.h"
#include "remote/remotebackend.h"
#include "testutil.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QPointer>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace steadysync;

namespace {

constexpr int jobTimeoutMs = 120'000;

using test::JobResult;

JobResult run(RemoteJob *job)
{
    return test::runJob(job, jobTimeoutMs);
}

qint64 mtimeNsOf(const struct stat &status)
{
    return qint64(status.st_mtim.tv_sec) * 1'000'000'000 + status.st_mtim.tv_nsec;
}

struct stat lstatOf(const QString &path)
{
    struct stat status
    {
    };
    if (::lstat(QFile::encodeName(path).constData(), &status) != 0)
        qFatal("lstat %s failed", qPrintable(path));
    return status;
}

QByteArray expectedEtag(const QString &path)
{
    const struct stat status = lstatOf(path);
    const qint64 size = S_ISDIR(status.st_mode) ? 0 : qint64(status.st_size);
    return '"' + QByteArray::number(qulonglong(status.st_ino), 16) + '-' +
           QByteArray::number(size, 16) + '-' + QByteArray::number(mtimeNsOf(status), 16) + '"';
}

void setMtimeNs(const QString &path, qint64 ns)
{
    const timespec times[2] = {{0, UTIME_OMIT},
                               {time_t(ns / 1'000'000'000), long(ns % 1'000'000'000)}};
    if (::utimensat(AT_FDCWD, QFile::encodeName(path).constData(), times, AT_SYMLINK_NOFOLLOW) != 0)
        qFatal("utimensat %s failed", qPrintable(path));
}

qint64 nowNs()
{
    return QDateTime::currentMSecsSinceEpoch() * 1'000'000;
}

QStringList partialsIn(const QString &directory)
{
    QStringList found;
    QDirIterator it(directory, QDir::Files | QDir::Hidden | QDir::System,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        if (it.fileName().startsWith(IgnoreRules::partialFilePrefix()))
            found.append(it.filePath());
    }
    return found;
}

// Every item below dir (not following links) with its size and mtime.
QMap<QString, QString> treeSnapshot(const QString &dir)
{
    QMap<QString, QString> snapshot;
    QDirIterator it(dir, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const struct stat status = lstatOf(path);
        snapshot.insert(path, QStringLiteral("%1 %2 %3")
                                  .arg(status.st_mode)
                                  .arg(qint64(status.st_size))
                                  .arg(mtimeNsOf(status)));
    }
    return snapshot;
}

void writeBigFile(const QString &path, qint64 size)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        qFatal("cannot write %s", qPrintable(path));
    QByteArray chunk(1024 * 1024, Qt::Uninitialized);
    for (int i = 0; i < chunk.size(); ++i)
        chunk[i] = char(i * 31 + 7);
    for (qint64 written = 0; written < size; written += chunk.size())
        file.write(chunk.constData(), std::min<qint64>(chunk.size(), size - written));
}

// Exposes the protected parts of RemoteJob to test its contract directly.
class ManualJob : public RemoteJob
{
public:
    using RemoteJob::finish;
    using RemoteJob::RemoteJob;
    using RemoteJob::setBytesTransferred;
};

} // namespace

class TestLocalDirBackend : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void jobFinishesOnceAndAsynchronously();
    void finishedIsNeverEmittedSynchronously();
    void createFromUrl();
    void statRoot();
    void statMissingRootIsRootMissing();
    void statRootThatIsAFileIsRootMissing();
    void writesWithMissingRootAreRootMissing();
    void statMissingPathIsNotFound();
    void listChildren();
    void listRejectsNamesThatAreNotUtf8();
    void listMissingDirectoryIsNotFound();
    void listUnreadableDirectoryIsPermanent();
    void unreadableRootAndLocalFile();
    void etagChangesOnSameSizeRewrite();
    void downloadCopiesContent();
    void downloadMissingIsNotFound();
    void downloadFailsWhenSourceChangesMidway();
    void uploadNewWithMustNotExist();
    void uploadOverExistingWithMatchingSignature();
    void uploadWithStaleSignatureIsRefused();
    void uploadMustNotExistOnExistingIsRefused();
    void uploadIntoMissingParentIsParentMissing();
    void uploadOfVanishedLocalFileIsNotFound();
    void uploadAppliesMtimeWithNanoseconds();
    void uploadFailsWhenLocalFileChangesMidway();
    void uploadOverDirectoryIsRefused();
    void makeDirectory();
    void moveFileAndDirectory();
    void moveRefusesExistingTargetAndStaleSource();
    void removeFileChecksPrecondition();
    void removeDirectoryTree();
    void pathEscapesAreRejected_data();
    void pathEscapesAreRejected();
    void reservedNamesAreRejected();
    void symbolicLinksAreNotFollowed();
    void cancelStopsLargeUploadInFlight();
    void removeStalePartialsRemovesOnlyOldOnes();
    void hostileNamesRoundTrip();
    void parallelUploads();
    void bandwidthLimitPacesUploads();
    void errnoClassification();

private:
    QString rootPath() const { return m_dir->filePath(QStringLiteral("remote")); }
    QString outsidePath() const { return m_dir->filePath(QStringLiteral("outside")); }
    QString localPath(const QString &name) const
    {
        return m_dir->filePath(QStringLiteral("local/") + name);
    }
    QString remoteFile(const QString &relative) const { return rootPath() + '/' + relative; }
    // A local file to upload.
    QString makeLocal(const QString &name, const QByteArray &content)
    {
        test::writeFile(m_dir->filePath(QStringLiteral("local")), name, content);
        return localPath(name);
    }
    void makeBackend(const BackendOptions &options = {})
    {
        m_backend = std::make_unique<LocalDirBackend>(rootPath(), options);
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<LocalDirBackend> m_backend;
};

void TestLocalDirBackend::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    QVERIFY(QDir().mkpath(rootPath()));
    QVERIFY(QDir().mkpath(outsidePath()));
    QVERIFY(QDir().mkpath(m_dir->filePath(QStringLiteral("local"))));
    test::writeFile(outsidePath(), QStringLiteral("victim.txt"), "precious");
    makeBackend();
}

void TestLocalDirBackend::cleanup()
{
    m_backend.reset();
    m_dir.reset();
}

void TestLocalDirBackend::jobFinishesOnceAndAsynchronously()
{
    auto *job = new ManualJob(m_backend.get());
    QPointer<ManualJob> guard(job);
    QSignalSpy finished(job, &RemoteJob::finished);
    QSignalSpy progress(job, &RemoteJob::progress);

    job->setBytesTransferred(10);
    job->setBytesTransferred(10);
    QCOMPARE(progress.count(), 1);

    job->finish(makeError(ErrorKind::Auth, QStringLiteral("first")));
    job->finish(std::nullopt);
    job->cancel();
    QCOMPARE(finished.count(), 0); // queued, never from inside the call
    QVERIFY(!job->succeeded());
    QCOMPARE(job->error()->kind, ErrorKind::Auth);

    QVERIFY(finished.wait(jobTimeoutMs));
    QCOMPARE(finished.count(), 1);
    QCOMPARE(finished.at(0).at(0).value<RemoteJob *>(), static_cast<RemoteJob *>(job));
    QTRY_VERIFY_WITH_TIMEOUT(guard.isNull(), jobTimeoutMs); // deleteLater() after finished
    QCOMPARE(finished.count(), 1);
}

void TestLocalDirBackend::finishedIsNeverEmittedSynchronously()
{
    // Fails at once (invalid path) and succeeds at once (stat of the root): either way a
    // caller connecting after the call still hears about it.
    for (const QString &path : {QStringLiteral("../x"), QString()}) {
        EntryJob *job = m_backend->stat(path);
        QSignalSpy spy(job, &RemoteJob::finished);
        QVERIFY(spy.wait(jobTimeoutMs));
        QCOMPARE(spy.count(), 1);
    }

    EntryJob *cancelled = m_backend->stat(QString());
    cancelled->cancel();
    const JobResult result = run(cancelled);
    QVERIFY2(result.failedWith(ErrorKind::Cancelled), qPrintable(result.describe()));
}

void TestLocalDirBackend::createFromUrl()
{
    QString error;
    auto backend = RemoteBackend::create(QUrl::fromLocalFile(rootPath()), {}, &error);
    QVERIFY2(backend, qPrintable(error));
    QVERIFY(qobject_cast<LocalDirBackend *>(backend.get()));
    QCOMPARE(backend->url(), QUrl::fromLocalFile(rootPath()));
    QVERIFY(backend->enforcesPreconditions());
    const JobResult root = run(backend->stat(QString()));
    QVERIFY2(root.ok(), qPrintable(root.describe()));

    error.clear();
    QVERIFY2(
        RemoteBackend::create(QUrl(QStringLiteral("https://dav.example.org/files")), {}, &error),
        qPrintable(error));

    error.clear();
    QVERIFY(!RemoteBackend::create(QUrl(QStringLiteral("ftp://example.org/x")), {}, &error));
    QVERIFY2(error.contains(QLatin1String("ftp")), qPrintable(error));

    for (const QString &bad :
         {QStringLiteral("file:relative/dir"), QStringLiteral("file://"),
          QStringLiteral("file://server/share"), QStringLiteral("/no/scheme"), QString()}) {
        error.clear();
        QVERIFY2(!RemoteBackend::create(QUrl(bad), {}, &error), qPrintable(bad));
        QVERIFY2(!error.isEmpty(), qPrintable(bad));
    }
    QVERIFY(!RemoteBackend::create(QUrl(QStringLiteral("gopher://x")), {}, nullptr));
}

void TestLocalDirBackend::statRoot()
{
    const JobResult result = run(m_backend->stat(QString()));
    QVERIFY2(result.ok(), qPrintable(result.describe()));
    QCOMPARE(result.entry.path, QString());
    QVERIFY(result.entry.isDir());
}

void TestLocalDirBackend::statMissingRootIsRootMissing()
{
    QVERIFY(QDir(rootPath()).removeRecursively());
    const JobResult root = run(m_backend->stat(QString()));
    QVERIFY2(root.failedWith(ErrorKind::RootMissing), qPrintable(root.describe()));
    QVERIFY(root.error->message.contains(rootPath()));
    const JobResult listing = run(m_backend->list(QString()));
    QVERIFY2(listing.failedWith(ErrorKind::RootMissing), qPrintable(listing.describe()));
    const JobResult child = run(m_backend->stat(QStringLiteral("a.txt")));
    QVERIFY2(child.failedWith(ErrorKind::RootMissing), qPrintable(child.describe()));
}

void TestLocalDirBackend::statRootThatIsAFileIsRootMissing()
{
    QVERIFY(QDir(rootPath()).removeRecursively());
    test::writeFile(m_dir->path(), QStringLiteral("remote"), "not a directory");
    const JobResult root = run(m_backend->stat(QString()));
    QVERIFY2(root.failedWith(ErrorKind::RootMissing), qPrintable(root.describe()));
    const JobResult listing = run(m_backend->list(QString()));
    QVERIFY2(listing.failedWith(ErrorKind::RootMissing), qPrintable(listing.describe()));
}

void TestLocalDirBackend::writesWithMissingRootAreRootMissing()
{
    // A vanished mount must not read as "already deleted" (NotFound) or "create the parent".
    QVERIFY(QDir(rootPath()).removeRecursively());
    const QString local = makeLocal(QStringLiteral("a.txt"), "a");
    const JobResult upload = run(m_backend->upload(local, QStringLiteral("a.txt"), nowNs(), {}));
    QVERIFY2(upload.failedWith(ErrorKind::RootMissing), qPrintable(upload.describe()));
    const JobResult remove = run(m_backend->remove(QStringLiteral("a.txt"), {}));
    QVERIFY2(remove.failedWith(ErrorKind::RootMissing), qPrintable(remove.describe()));
    const JobResult mkdir = run(m_backend->makeDirectory(QStringLiteral("d")));
    QVERIFY2(mkdir.failedWith(ErrorKind::RootMissing), qPrintable(mkdir.describe()));
    QVERIFY(!QFileInfo::exists(rootPath()));
}

void TestLocalDirBackend::statMissingPathIsNotFound()
{
    const JobResult missing = run(m_backend->stat(QStringLiteral("nope.txt")));
    QVERIFY2(missing.failedWith(ErrorKind::NotFound), qPrintable(missing.describe()));
    QVERIFY(missing.error->message.contains(QLatin1String("nope.txt")));
    const JobResult deep = run(m_backend->stat(QStringLiteral("no/such/dir.txt")));
    QVERIFY2(deep.failedWith(ErrorKind::NotFound), qPrintable(deep.describe()));
}

void TestLocalDirBackend::listChildren()
{
    test::writeFile(rootPath(), QStringLiteral("a.txt"), "hello");
    test::writeFile(rootPath(), QStringLiteral("sub/deep.txt"), "not listed: not a direct child");
    test::writeFile(rootPath(), QStringLiteral("sub/.steadysync/kept"),
                    "only the root's is hidden");
    test::writeFile(rootPath(), QStringLiteral(".steadysync/journal.db"), "state");
    test::writeFile(rootPath(), IgnoreRules::partialFilePrefix() + QStringLiteral("1234"), "part");
    QVERIFY(QFile::link(outsidePath(), remoteFile(QStringLiteral("dirlink"))));
    QVERIFY(QFile::link(outsidePath() + QStringLiteral("/victim.txt"),
                        remoteFile(QStringLiteral("filelink"))));
    QVERIFY(::mkfifo(QFile::encodeName(remoteFile(QStringLiteral("fifo"))).constData(), 0600) == 0);

    const JobResult root = run(m_backend->list(QString()));
    QVERIFY2(root.ok(), qPrintable(root.describe()));
    QCOMPARE(root.entries.size(), 2);
    const RemoteEntry &file = root.entries.at(0);
    QCOMPARE(file.path, QStringLiteral("a.txt"));
    QCOMPARE(file.type, ItemType::File);
    QCOMPARE(file.size, 5);
    QCOMPARE(file.mtimeNs, mtimeNsOf(lstatOf(remoteFile(QStringLiteral("a.txt")))));
    QCOMPARE(file.etag, expectedEtag(remoteFile(QStringLiteral("a.txt"))));
    QVERIFY(!file.hasWeakEtag());
    QVERIFY(file.sha256.isEmpty());
    const RemoteEntry &dir = root.entries.at(1);
    QCOMPARE(dir.path, QStringLiteral("sub"));
    QCOMPARE(dir.type, ItemType::Directory);
    QCOMPARE(dir.etag, expectedEtag(remoteFile(QStringLiteral("sub"))));
    QVERIFY(root.rejected.isEmpty());

    const JobResult sub = run(m_backend->list(QStringLiteral("sub")));
    QVERIFY2(sub.ok(), qPrintable(sub.describe()));
    QStringList paths;
    for (const RemoteEntry &entry : sub.entries)
        paths.append(entry.path);
    QCOMPARE(paths,
             QStringList({QStringLiteral("sub/.steadysync"), QStringLiteral("sub/deep.txt")}));

    const JobResult stat = run(m_backend->stat(QStringLiteral("a.txt")));
    QVERIFY2(stat.ok(), qPrintable(stat.describe()));
    QCOMPARE(stat.entry, file);
}

void TestLocalDirBackend::listRejectsNamesThatAreNotUtf8()
{
    test::writeFile(rootPath(), QStringLiteral("good.txt"), "x");
    const QByteArray badName = QFile::encodeName(rootPath()) + "/bad\xff\xfe.txt";
    const int fd = ::open(badName.constData(), O_CREAT | O_WRONLY, 0644);
    QVERIFY(fd >= 0);
    ::close(fd);
    // QTemporaryDir cannot remove a name Qt cannot decode.
    const auto removeBadName = qScopeGuard([&badName] { ::unlink(badName.constData()); });

    const JobResult result = run(m_backend->list(QString()));
    QVERIFY2(result.ok(), qPrintable(result.describe()));
    QCOMPARE(result.entries.size(), 1);
    QCOMPARE(result.entries.at(0).path, QStringLiteral("good.txt"));
    QCOMPARE(result.rejected.size(), 1);
    QVERIFY2(result.rejected.at(0).contains(QLatin1String("UTF-8")),
             qPrintable(result.rejected.at(0)));
}

void TestLocalDirBackend::listMissingDirectoryIsNotFound()
{
    const JobResult result = run(m_backend->list(QStringLiteral("gone")));
    QVERIFY2(result.failedWith(ErrorKind::NotFound), qPrintable(result.describe()));
    test::writeFile(rootPath(), QStringLiteral("file"), "x");
    const JobResult notDir = run(m_backend->list(QStringLiteral("file")));
    QVERIFY2(notDir.failedWith(ErrorKind::NotFound), qPrintable(notDir.describe()));
}

void TestLocalDirBackend::listUnreadableDirectoryIsPermanent()
{
    if (::geteuid() == 0)
        QSKIP("permissions do not apply to root");
    QVERIFY(QDir().mkpath(remoteFile(QStringLiteral("locked"))));
    QVERIFY(::chmod(QFile::encodeName(remoteFile(QStringLiteral("locked"))).constData(), 0) == 0);
    const JobResult result = run(m_backend->list(QStringLiteral("locked")));
    ::chmod(QFile::encodeName(remoteFile(QStringLiteral("locked"))).constData(), 0755);
    QVERIFY2(result.failedWith(ErrorKind::Permanent), qPrintable(result.describe()));
}

void TestLocalDirBackend::unreadableRootAndLocalFile()
{
    if (::geteuid() == 0)
        QSKIP("permissions do not apply to root");
    const QString local = makeLocal(QStringLiteral("secret.txt"), "secret");
    QVERIFY(QFile::setPermissions(local, {}));
    const JobResult unreadableSource =
        run(m_backend->upload(local, QStringLiteral("secret.txt"), nowNs(), {}));
    QVERIFY2(unreadableSource.failedWith(ErrorKind::Permanent),
             qPrintable(unreadableSource.describe()));
    QVERIFY(partialsIn(rootPath()).isEmpty());

    test::writeFile(rootPath(), QStringLiteral("a.txt"), "a");
    QVERIFY(::chmod(QFile::encodeName(rootPath()).constData(), 0) == 0);
    const auto restore =
        qScopeGuard([this] { ::chmod(QFile::encodeName(rootPath()).constData(), 0755); });
    const JobResult root = run(m_backend->stat(QString()));
    QVERIFY2(root.failedWith(ErrorKind::RootMissing), qPrintable(root.describe()));
    const JobResult listing = run(m_backend->list(QString()));
    QVERIFY2(listing.failedWith(ErrorKind::RootMissing), qPrintable(listing.describe()));
}

void TestLocalDirBackend::etagChangesOnSameSizeRewrite()
{
    const QString path = remoteFile(QStringLiteral("f.txt"));
    test::writeFile(rootPath(), QStringLiteral("f.txt"), "abc");
    const JobResult first = run(m_backend->stat(QStringLiteral("f.txt")));
    QVERIFY2(first.ok(), qPrintable(first.describe()));

    // In place, same size, mtime one nanosecond later: the nanoseconds count.
    test::writeFile(rootPath(), QStringLiteral("f.txt"), "xyz");
    setMtimeNs(path, first.entry.mtimeNs + 1);
    const JobResult inPlace = run(m_backend->stat(QStringLiteral("f.txt")));
    QVERIFY2(inPlace.ok(), qPrintable(inPlace.describe()));
    QCOMPARE(inPlace.entry.size, first.entry.size);
    QVERIFY(inPlace.entry.etag != first.entry.etag);

    // Replaced by a rename with the very same size and mtime: the inode tells.
    test::writeFile(rootPath(), QStringLiteral("g.txt"), "123");
    setMtimeNs(remoteFile(QStringLiteral("g.txt")), inPlace.entry.mtimeNs);
    QVERIFY(::rename(QFile::encodeName(remoteFile(QStringLiteral("g.txt"))).constData(),
                     QFile::encodeName(path).constData()) == 0);
    const JobResult replaced = run(m_backend->stat(QStringLiteral("f.txt")));
    QVERIFY2(replaced.ok(), qPrintable(replaced.describe()));
    QCOMPARE(replaced.entry.size, inPlace.entry.size);
    QCOMPARE(replaced.entry.mtimeNs, inPlace.entry.mtimeNs);
    QVERIFY(replaced.entry.etag != inPlace.entry.etag);
}

void TestLocalDirBackend::downloadCopiesContent()
{
    QByteArray content;
    for (int i = 0; i < 3 * 1024 * 1024 + 17; ++i)
        content.append(char(i % 251));
    test::writeFile(rootPath(), QStringLiteral("dir/big.bin"), content);
    const struct stat before = lstatOf(remoteFile(QStringLiteral("dir/big.bin")));
    const QString target = localPath(QStringLiteral("download.tmp"));
    test::writeFile(m_dir->filePath(QStringLiteral("local")), QStringLiteral("download.tmp"),
                    QByteArray(10 * 1024 * 1024, 'z')); // longer: must be truncated

    EntryJob *job = m_backend->download(QStringLiteral("dir/big.bin"), target);
    QSignalSpy progress(job, &RemoteJob::progress);
    const JobResult result = run(job);
    QVERIFY2(result.ok(), qPrintable(result.describe()));
    QCOMPARE(test::readFile(target), content);
    QCOMPARE(result.bytes, qint64(content.size()));
    QCOMPARE(result.entry.path, QStringLiteral("dir/big.bin"));
    QCOMPARE(result.entry.type, ItemType::File);
    QCOMPARE(result.entry.size, qint64(content.size()));
    QCOMPARE(result.entry.mtimeNs, mtimeNsOf(before));
    QCOMPARE(result.entry.etag, expectedEtag(remoteFile(QStringLiteral("dir/big.bin"))));
    QVERIFY(!progress.isEmpty());
    QCOMPARE(progress.last().at(0).toLongLong(), qint64(content.size()));
}

void TestLocalDirBackend::downloadMissingIsNotFound()
{
    const QString target = localPath(QStringLiteral("never.tmp"));
    const JobResult result = run(m_backend->download(QStringLiteral("missing.bin"), target));
    QVERIFY2(result.failedWith(ErrorKind::NotFound), qPrintable(result.describe()));
    QVERIFY(!QFileInfo::exists(target));
    QVERIFY(QDir().mkpath(remoteFile(QStringLiteral("adir"))));
    const JobResult dir = run(m_backend->download(QStringLiteral("adir"), target));
    QVERIFY2(!dir.ok(), qPrintable(dir.describe()));
}

void TestLocalDirBackend::downloadFailsWhenSourceChangesMidway()
{
    BackendOptions options;
    options.bwLimitDownKiB = 1024; // about two seconds for the file
    makeBackend(options);
    writeBigFile(remoteFile(QStringLiteral("growing.bin")), 2 * 1024 * 1024);
    const QString target = localPath(QStringLiteral("growing.tmp"));

    EntryJob *job = m_backend->download(QStringLiteral("growing.bin"), target);
    JobResult result;
    test::captureJob(job, &result);
    QSignalSpy progress(job, &RemoteJob::progress);
    QVERIFY(test::waitFor([&] { return !progress.isEmpty() || result.finished; }, jobTimeoutMs));
    QVERIFY2(!result.finished, "the download should still be running");
    QFile source(remoteFile(QStringLiteral("growing.bin")));
    QVERIFY(source.open(QIODevice::Append));
    source.write("more");
    source.close();

    QVERIFY(test::waitFor([&] { return result.finished; }, jobTimeoutMs));
    QVERIFY2(result.failedWith(ErrorKind::Transient), qPrintable(result.describe()));
    QVERIFY(result.error->message.contains(QLatin1String("changed")));
    QVERIFY(!QFileInfo::exists(target));
}

void TestLocalDirBackend::uploadNewWithMustNotExist()
{
    const QString local = makeLocal(QStringLiteral("new.txt"), "fresh content");
    const qint64 mtime = mtimeNsOf(lstatOf(local));
    EntryJob *job =
        m_backend->upload(local, QStringLiteral("new.txt"), mtime, Precondition::mustNotExist());
    QCOMPARE(job->parent(), m_backend.get());
    const JobResult result = run(job);
    QVERIFY2(result.ok(), qPrintable(result.describe()));
    QCOMPARE(test::readFile(remoteFile(QStringLiteral("new.txt"))), QByteArray("fresh content"));
    QCOMPARE(result.bytes, 13);
    QCOMPARE(result.entry.path, QStringLiteral("new.txt"));
    QCOMPARE(result.entry.size, 13);
    QCOMPARE(result.entry.mtimeNs, mtime);
    QCOMPARE(result.entry.etag, expectedEtag(remoteFile(QStringLiteral("new.txt"))));
    QVERIFY(partialsIn(rootPath()).isEmpty());
}

void TestLocalDirBackend::uploadOverExistingWithMatchingSignature()
{
    test::writeFile(rootPath(), QStringLiteral("doc.txt"), "old version");
    const JobResult seen = run(m_backend->stat(QStringLiteral("doc.txt")));
    QVERIFY2(seen.ok(), qPrintable(seen.describe()));

    const QString local = makeLocal(QStringLiteral("doc.txt"), "new version!");
    const JobResult result =
        run(m_backend->upload(local, QStringLiteral("doc.txt"), nowNs(),
                              Precondition::mustMatch(seen.entry.signature())));
    QVERIFY2(result.ok(), qPrintable(result.describe()));
    QCOMPARE(test::readFile(remoteFile(QStringLiteral("doc.txt"))), QByteArray("new version!"));
    QVERIFY(result.entry.etag != seen.entry.etag);
    QVERIFY(partialsIn(rootPath()).isEmpty());
}

void TestLocalDirBackend::uploadWithStaleSignatureIsRefused()
{
    test::writeFile(rootPath(), QStringLiteral("doc.txt"), "version 1");
    const JobResult seen = run(m_backend->stat(QStringLiteral("doc.txt")));
    QVERIFY2(seen.ok(), qPrintable(seen.describe()));
    // Someone else changes it meanwhile.
    test::writeFile(rootPath(), QStringLiteral("doc.txt"), "their edit, longer");
    const auto before = treeSnapshot(rootPath());

    const QString local = makeLocal(QStringLiteral("doc.txt"), "my edit");
    const JobResult result =
        run(m_backend->upload(local, QStringLiteral("doc.txt"), nowNs(),
                              Precondition::mustMatch(seen.entry.signature())));
    QVERIFY2(result.failedWith(ErrorKind::PreconditionFailed), qPrintable(result.describe()));
    QCOMPARE(test::readFile(remoteFile(QStringLiteral("doc.txt"))),
             QByteArray("their edit, longer"));
    QVERIFY(partialsIn(rootPath()).isEmpty());
    QCOMPARE(treeSnapshot(rootPath()), before);

    QFile::remove(remoteFile(QStringLiteral("doc.txt")));
    const JobResult gone = run(m_backend->upload(local, QStringLiteral("doc.txt"), nowNs(),
                                                 Precondition::mustMatch(seen.entry.signature())));
    QVERIFY2(gone.failedWith(ErrorKind::PreconditionFailed), qPrintable(gone.describe()));
    QVERIFY(!QFileInfo::exists(remoteFile(QStringLiteral("doc.txt"))));
    QVERIFY(partialsIn(rootPath()).isEmpty());
}

void TestLocalDirBackend::uploadMustNotExistOnExistingIsRefused()
{
    test::writeFile(rootPath(), QStringLiteral("taken.txt"), "theirs");
    const QString local = makeLocal(QStringLiteral("taken.txt"), "mine");
    const JobResult result = run(m_backend->upload(local, QStringLiteral("taken.txt"), nowNs(),
                                                   Precondition::mustNotExist()));
    QVERIFY2(result.failedWith(ErrorKind::PreconditionFailed), qPrintable(result.describe()));
    QCOMPARE(test::readFile(remoteFile(QStringLiteral("taken.txt"))), QByteArray("theirs"));
    QVERIFY(partialsIn(rootPath()).isEmpty());
}

void TestLocalDirBackend::uploadIntoMissingParentIsParentMissing()
{
    const QString local = makeLocal(QStringLiteral("x.txt"), "x");
    const JobResult result =
        run(m_backend->upload(local, QStringLiteral("no/such/x.txt"), nowNs(), {}));
    QVERIFY2(result.failedWith(ErrorKind::ParentMissing), qPrintable(result.describe()));
    QVERIFY(!QFileInfo::exists(remoteFile(QStringLiteral("no"))));

    test::writeFile(rootPath(), QStringLiteral("plain"), "a file, not a directory");
    const JobResult underFile =
        run(m_backend->upload(local, QStringLiteral("plain/x.txt"), nowNs(), {}));
    QVERIFY2(underFile.failedWith(ErrorKind::ParentMissing), qPrintable(underFile.describe()));
}

void TestLocalDirBackend::uploadOfVanishedLocalFileIsNotFound()
{
    const JobResult result = run(m_backend->upload(localPath(QStringLiteral("ghost.txt")),
                                                   QStringLiteral("ghost.txt"), nowNs(), {}));
    QVERIFY2(result.failedWith(ErrorKind::NotFound), qPrintable(result.describe()));
    QVERIFY(!QFileInfo::exists(remoteFile(QStringLiteral("ghost.txt"))));
    QVERIFY(partialsIn(rootPath()).isEmpty());
}

void TestLocalDirBackend::uploadAppliesMtimeWithNanoseconds()
{
    const qint64 mtime = 1'600'000'000'123'456'789;
    const QString local = makeLocal(QStringLiteral("t.txt"), "timed");
    const JobResult result = run(m_backend->upload(local, QStringLiteral("t.txt"), mtime, {}));
    QVERIFY2(result.ok(), qPrintable(result.describe()));
    QCOMPARE(mtimeNsOf(lstatOf(remoteFile(QStringLiteral("t.txt")))), mtime);
    QCOMPARE(result.entry.mtimeNs, mtime);
}

void TestLocalDirBackend::uploadFailsWhenLocalFileChangesMidway()
{
    BackendOptions options;
    options.bwLimitUpKiB = 1024;
    makeBackend(options);
    const QString local = localPath(QStringLiteral("growing.bin"));
    writeBigFile(local, 2 * 1024 * 1024);

    EntryJob *job = m_backend->upload(local, QStringLiteral("growing.bin"), nowNs(), {});
    JobResult result;
    test::captureJob(job, &result);
    QSignalSpy progress(job, &RemoteJob::progress);
    QVERIFY(test::waitFor([&] { return !progress.isEmpty() || result.finished; }, jobTimeoutMs));
    QVERIFY2(!result.finished, "the upload should still be running");
    QFile source(local);
    QVERIFY(source.open(QIODevice::Append));
    source.write("more");
    source.close();

    QVERIFY(test::waitFor([&] { return result.finished; }, jobTimeoutMs));
    QVERIFY2(result.failedWith(ErrorKind::Transient), qPrintable(result.describe()));
    QVERIFY(!QFileInfo::exists(remoteFile(QStringLiteral("growing.bin"))));
    QVERIFY(partialsIn(rootPath()).isEmpty());
}

void TestLocalDirBackend::uploadOverDirectoryIsRefused()
{
    test::writeFile(rootPath(), QStringLiteral("d/inner.txt"), "keep me");
    const QString local = makeLocal(QStringLiteral("d"), "a file");
    const JobResult result = run(m_backend->upload(local, QStringLiteral("d"), nowNs(), {}));
    QVERIFY2(result.failedWith(ErrorKind::PreconditionFailed), qPrintable(result.describe()));
    QCOMPARE(test::readFile(remoteFile(QStringLiteral("d/inner.txt"))), QByteArray("keep me"));
    QVERIFY(partialsIn(rootPath()).isEmpty());
}

void TestLocalDirBackend::makeDirectory()
{
    const JobResult created = run(m_backend->makeDirectory(QStringLiteral("photos")));
    QVERIFY2(created.ok(), qPrintable(created.describe()));
    QVERIFY(QFileInfo(remoteFile(QStringLiteral("photos"))).isDir());
    QCOMPARE(created.entry.path, QStringLiteral("photos"));
    QVERIFY(created.entry.isDir());
    QCOMPARE(created.entry.etag, expectedEtag(remoteFile(QStringLiteral("photos"))));

    const JobResult again = run(m_backend->makeDirectory(QStringLiteral("photos")));
    QVERIFY2(again.ok(), qPrintable(again.describe()));
    QVERIFY(again.entry.isDir());

    const JobResult nested = run(m_backend->makeDirectory(QStringLiteral("photos/2024")));
    QVERIFY2(nested.ok(), qPrintable(nested.describe()));

    const JobResult orphan = run(m_backend->makeDirectory(QStringLiteral("missing/child")));
    QVERIFY2(orphan.failedWith(ErrorKind::ParentMissing), qPrintable(orphan.describe()));
    QVERIFY(!QFileInfo::exists(remoteFile(QStringLiteral("missing"))));

    test::writeFile(rootPath(), QStringLiteral("file"), "x");
    const JobResult overFile = run(m_backend->makeDirectory(QStringLiteral("file")));
    QVERIFY2(overFile.failedWith(ErrorKind::PreconditionFailed), qPrintable(overFile.describe()));
    QCOMPARE(test::readFile(remoteFile(QStringLiteral("file"))), QByteArray("x"));
}

void TestLocalDirBackend::moveFileAndDirectory()
{
    test::writeFile(rootPath(), QStringLiteral("a.txt"), "a");
    const JobResult seen = run(m_backend->stat(QStringLiteral("a.txt")));
    QVERIFY2(seen.ok(), qPrintable(seen.describe()));
    QVERIFY(QDir().mkpath(remoteFile(QStringLiteral("dest"))));
    const JobResult file =
        run(m_backend->move(QStringLiteral("a.txt"), QStringLiteral("dest/b.txt"),
                            Precondition::mustMatch(seen.entry.signature())));
    QVERIFY2(file.ok(), qPrintable(file.describe()));
    QVERIFY(!QFileInfo::exists(remoteFile(QStringLiteral("a.txt"))));
    QCOMPARE(test::readFile(remoteFile(QStringLiteral("dest/b.txt"))), QByteArray("a"));

    test::writeFile(rootPath(), QStringLiteral("tree/x/y.txt"), "y");
    const JobResult dir =
        run(m_backend->move(QStringLiteral("tree"), QStringLiteral("dest/tree2"), {}));
    QVERIFY2(dir.ok(), qPrintable(dir.describe()));
    QVERIFY(!QFileInfo::exists(remoteFile(QStringLiteral("tree"))));
    QCOMPARE(test::readFile(remoteFile(QStringLiteral("dest/tree2/x/y.txt"))), QByteArray("y"));

    const JobResult missing =
        run(m_backend->move(QStringLiteral("nope"), QStringLiteral("n2"), {}));
    QVERIFY2(missing.failedWith(ErrorKind::NotFound), qPrintable(missing.describe()));
    const JobResult noParent =
        run(m_backend->move(QStringLiteral("dest/b.txt"), QStringLiteral("no/where.txt"), {}));
    QVERIFY2(noParent.failedWith(ErrorKind::ParentMissing), qPrintable(noParent.describe()));
    QVERIFY(QFileInfo::exists(remoteFile(QStringLiteral("dest/b.txt"))));
    const JobResult intoItself =
        run(m_backend->move(QStringLiteral("dest"), QStringLiteral("dest/inner"), {}));
    QVERIFY2(!intoItself.ok(), qPrintable(intoItself.describe()));
    QVERIFY(QFileInfo(remoteFile(QStringLiteral("dest/tree2"))).isDir());
}

void TestLocalDirBackend::moveRefusesExistingTargetAndStaleSource()
{
    test::writeFile(rootPath(), QStringLiteral("src.txt"), "source");
    test::writeFile(rootPath(), QStringLiteral("dst.txt"), "target");
    const JobResult overFile =
        run(m_backend->move(QStringLiteral("src.txt"), QStringLiteral("dst.txt"), {}));
    QVERIFY2(overFile.failedWith(ErrorKind::PreconditionFailed), qPrintable(overFile.describe()));
    QCOMPARE(test::readFile(remoteFile(QStringLiteral("src.txt"))), QByteArray("source"));
    QCOMPARE(test::readFile(remoteFile(QStringLiteral("dst.txt"))), QByteArray("target"));

    test::writeFile(rootPath(), QStringLiteral("d1/f"), "1");
    test::writeFile(rootPath(), QStringLiteral("d2/f"), "2");
    const JobResult overDir = run(m_backend->move(QStringLiteral("d1"), QStringLiteral("d2"), {}));
    QVERIFY2(overDir.failedWith(ErrorKind::PreconditionFailed), qPrintable(overDir.describe()));
    QCOMPARE(test::readFile(remoteFile(QStringLiteral("d2/f"))), QByteArray("2"));
    QVERIFY(QDir().mkpath(remoteFile(QStringLiteral("empty"))));
    const JobResult overEmptyDir =
        run(m_backend->move(QStringLiteral("d1"), QStringLiteral("empty"), {}));
    QVERIFY2(overEmptyDir.failedWith(ErrorKind::PreconditionFailed),
             qPrintable(overEmptyDir.describe()));
    QCOMPARE(test::readFile(remoteFile(QStringLiteral("d1/f"))), QByteArray("1"));

    const JobResult seen = run(m_backend->stat(QStringLiteral("src.txt")));
    QVERIFY2(seen.ok(), qPrintable(seen.describe()));
    test::writeFile(rootPath(), QStringLiteral("src.txt"), "changed by someone");
    const JobResult stale =
        run(m_backend->move(QStringLiteral("src.txt"), QStringLiteral("moved.txt"),
                            Precondition::mustMatch(seen.entry.signature())));
    QVERIFY2(stale.failedWith(ErrorKind::PreconditionFailed), qPrintable(stale.describe()));
    QVERIFY(QFileInfo::exists(remoteFile(QStringLiteral("src.txt"))));
    QVERIFY(!QFileInfo::exists(remoteFile(QStringLiteral("moved.txt"))));
}

void TestLocalDirBackend::removeFileChecksPrecondition()
{
    test::writeFile(rootPath(), QStringLiteral("r.txt"), "one");
    const JobResult seen = run(m_backend->stat(QStringLiteral("r.txt")));
    QVERIFY2(seen.ok(), qPrintable(seen.describe()));
    test::writeFile(rootPath(), QStringLiteral("r.txt"), "changed meanwhile");

    const JobResult stale = run(m_backend->remove(QStringLiteral("r.txt"),
                                                  Precondition::mustMatch(seen.entry.signature())));
    QVERIFY2(stale.failedWith(ErrorKind::PreconditionFailed), qPrintable(stale.describe()));
    QCOMPARE(test::readFile(remoteFile(QStringLiteral("r.txt"))), QByteArray("changed meanwhile"));

    const JobResult current = run(m_backend->stat(QStringLiteral("r.txt")));
    const JobResult removed = run(m_backend->remove(
        QStringLiteral("r.txt"), Precondition::mustMatch(current.entry.signature())));
    QVERIFY2(removed.ok(), qPrintable(removed.describe()));
    QVERIFY(!QFileInfo::exists(remoteFile(QStringLiteral("r.txt"))));

    const JobResult again = run(m_backend->remove(QStringLiteral("r.txt"), {}));
    QVERIFY2(again.failedWith(ErrorKind::NotFound), qPrintable(again.describe()));
}

void TestLocalDirBackend::removeDirectoryTree()
{
    test::writeFile(rootPath(), QStringLiteral("tree/a.txt"), "a");
    test::writeFile(rootPath(), QStringLiteral("tree/sub/b.txt"), "b");
    test::writeFile(rootPath(), QStringLiteral("tree/sub/deeper/.hidden"), "c");
    QVERIFY(QDir().mkpath(remoteFile(QStringLiteral("tree/empty"))));
    // A link inside goes with the tree; what it points to stays.
    QVERIFY(QFile::link(outsidePath(), remoteFile(QStringLiteral("tree/sub/link"))));
    test::writeFile(rootPath(), QStringLiteral("sibling.txt"), "stays");

    const JobResult result = run(m_backend->remove(QStringLiteral("tree"), {}));
    QVERIFY2(result.ok(), qPrintable(result.describe()));
    QVERIFY(!QFileInfo::exists(remoteFile(QStringLiteral("tree"))));
    QCOMPARE(test::readFile(remoteFile(QStringLiteral("sibling.txt"))), QByteArray("stays"));
    QCOMPARE(test::readFile(outsidePath() + QStringLiteral("/victim.txt")), QByteArray("precious"));
}

void TestLocalDirBackend::pathEscapesAreRejected_data()
{
    QTest::addColumn<QString>("path");
    QTest::newRow("dotdot") << QStringLiteral("../outside/victim.txt");
    QTest::newRow("inner dotdot") << QStringLiteral("a/../../outside/victim.txt");
    QTest::newRow("bare dotdot") << QStringLiteral("..");
    QTest::newRow("absolute") << QStringLiteral("@OUTSIDE@/victim.txt");
    QTest::newRow("etc passwd") << QStringLiteral("/etc/passwd");
    QTest::newRow("empty component") << QStringLiteral("a//b");
    QTest::newRow("dot component") << QStringLiteral("a/./b");
    QTest::newRow("leading dot") << QStringLiteral("./a");
    QTest::newRow("trailing slash") << QStringLiteral("a/");
    QTest::newRow("nul") << (QStringLiteral("a") + QChar(u'\0') + QStringLiteral("b"));
    QTest::newRow("lone surrogate") << (QStringLiteral("a") + QChar(0xD800));
}

void TestLocalDirBackend::pathEscapesAreRejected()
{
    QFETCH(QString, path);
    path.replace(QLatin1String("@OUTSIDE@"), outsidePath());
    QVERIFY(QDir().mkpath(remoteFile(QStringLiteral("a/b"))));
    test::writeFile(rootPath(), QStringLiteral("a/b/file.txt"), "inside");
    const QString local = makeLocal(QStringLiteral("payload.txt"), "overwritten!");
    const QString target = localPath(QStringLiteral("target.tmp"));
    const auto before = treeSnapshot(m_dir->path());

    const auto expectInvalid = [&path](RemoteJob *job, const char *operation) {
        const JobResult result = run(job);
        QVERIFY2(result.failedWith(ErrorKind::InvalidName),
                 qPrintable(QString::fromLatin1(operation) + QStringLiteral(" -> ") +
                            result.describe()));
    };
    const bool writesAllowedToBeTried = path != QLatin1String("/etc/passwd"); // never risk it
    expectInvalid(m_backend->stat(path), "stat");
    expectInvalid(m_backend->list(path), "list");
    expectInvalid(m_backend->download(path, target), "download");
    if (writesAllowedToBeTried) {
        expectInvalid(m_backend->upload(local, path, nowNs(), {}), "upload");
        expectInvalid(m_backend->makeDirectory(path), "makeDirectory");
        expectInvalid(m_backend->remove(path, {}), "remove");
        expectInvalid(m_backend->move(path, QStringLiteral("moved"), {}), "move from");
        expectInvalid(m_backend->move(QStringLiteral("a/b/file.txt"), path, {}), "move to");
    }
    QCOMPARE(treeSnapshot(m_dir->path()), before);
    QCOMPARE(test::readFile(outsidePath() + QStringLiteral("/victim.txt")), QByteArray("precious"));
}

void TestLocalDirBackend::reservedNamesAreRejected()
{
    const QString local = makeLocal(QStringLiteral("p.txt"), "p");
    const QString partialName = IgnoreRules::partialFilePrefix() + QStringLiteral("mine");
    for (const QString &path :
         {partialName, QStringLiteral("sub/") + partialName, QStringLiteral(".steadysync"),
          QStringLiteral(".steadysync/journal.db")}) {
        const JobResult result = run(m_backend->upload(local, path, nowNs(), {}));
        QVERIFY2(result.failedWith(ErrorKind::InvalidName),
                 qPrintable(path + ": " + result.describe()));
    }
    const JobResult removeRoot = run(m_backend->remove(QString(), {}));
    QVERIFY2(removeRoot.failedWith(ErrorKind::InvalidName), qPrintable(removeRoot.describe()));
    QVERIFY(QFileInfo(rootPath()).isDir());
}

void TestLocalDirBackend::symbolicLinksAreNotFollowed()
{
    QVERIFY(QFile::link(outsidePath(), remoteFile(QStringLiteral("link"))));
    QVERIFY(QFile::link(outsidePath() + QStringLiteral("/victim.txt"),
                        remoteFile(QStringLiteral("filelink"))));
    const QString local = makeLocal(QStringLiteral("evil.txt"), "overwritten!");
    const auto outsideBefore = treeSnapshot(outsidePath());

    const JobResult throughDir =
        run(m_backend->upload(local, QStringLiteral("link/victim.txt"), nowNs(), {}));
    QVERIFY2(throughDir.failedWith(ErrorKind::InvalidName), qPrintable(throughDir.describe()));
    const JobResult newThroughDir =
        run(m_backend->upload(local, QStringLiteral("link/new.txt"), nowNs(), {}));
    QVERIFY2(newThroughDir.failedWith(ErrorKind::InvalidName),
             qPrintable(newThroughDir.describe()));
    const JobResult readThrough =
        run(m_backend->download(QStringLiteral("link/victim.txt"), localPath(QStringLiteral("t"))));
    QVERIFY2(readThrough.failedWith(ErrorKind::InvalidName), qPrintable(readThrough.describe()));
    const JobResult listThrough = run(m_backend->list(QStringLiteral("link")));
    QVERIFY2(listThrough.failedWith(ErrorKind::InvalidName), qPrintable(listThrough.describe()));
    const JobResult mkdirThrough = run(m_backend->makeDirectory(QStringLiteral("link/sub")));
    QVERIFY2(mkdirThrough.failedWith(ErrorKind::InvalidName), qPrintable(mkdirThrough.describe()));
    const JobResult removeThrough = run(m_backend->remove(QStringLiteral("link/victim.txt"), {}));
    QVERIFY2(removeThrough.failedWith(ErrorKind::InvalidName),
             qPrintable(removeThrough.describe()));

    const JobResult statLink = run(m_backend->stat(QStringLiteral("link")));
    QVERIFY2(statLink.failedWith(ErrorKind::NotFound), qPrintable(statLink.describe()));
    const JobResult removeLink = run(m_backend->remove(QStringLiteral("link"), {}));
    QVERIFY2(removeLink.failedWith(ErrorKind::NotFound), qPrintable(removeLink.describe()));
    QVERIFY(QFileInfo(remoteFile(QStringLiteral("link"))).isSymLink());
    const JobResult readLink =
        run(m_backend->download(QStringLiteral("filelink"), localPath(QStringLiteral("t"))));
    QVERIFY2(readLink.failedWith(ErrorKind::NotFound), qPrintable(readLink.describe()));
    // Writing at a link's name replaces the link, never what it points to.
    const JobResult overLink =
        run(m_backend->upload(local, QStringLiteral("filelink"), nowNs(), {}));
    QVERIFY2(overLink.ok(), qPrintable(overLink.describe()));
    QVERIFY(!QFileInfo(remoteFile(QStringLiteral("filelink"))).isSymLink());

    QCOMPARE(treeSnapshot(outsidePath()), outsideBefore);
    QCOMPARE(test::readFile(outsidePath() + QStringLiteral("/victim.txt")), QByteArray("precious"));
}

void TestLocalDirBackend::cancelStopsLargeUploadInFlight()
{
    BackendOptions options;
    options.bwLimitUpKiB = 10 * 1024; // 20 s for the whole file: it is surely in flight
    makeBackend(options);
    const QString local = localPath(QStringLiteral("big.bin"));
    writeBigFile(local, 200 * 1024 * 1024);

    EntryJob *job =
        m_backend->upload(local, QStringLiteral("big.bin"), nowNs(), Precondition::mustNotExist());
    JobResult result;
    test::captureJob(job, &result);
    QVERIFY(test::waitFor([&] { return !partialsIn(rootPath()).isEmpty() || result.finished; },
                          jobTimeoutMs));
    QVERIFY2(!result.finished, qPrintable(result.describe()));
    job->cancel();
    QVERIFY(test::waitFor([&] { return result.finished; }, jobTimeoutMs));
    QVERIFY2(result.failedWith(ErrorKind::Cancelled), qPrintable(result.describe()));

    // The worker stops at its next chunk instead of finishing the transfer.
    QElapsedTimer timer;
    timer.start();
    QVERIFY(test::waitFor([&] { return partialsIn(rootPath()).isEmpty(); }, jobTimeoutMs));
    m_backend.reset(); // waits for the pool
    QVERIFY2(timer.elapsed() < 10'000, qPrintable(QString::number(timer.elapsed())));
    QVERIFY(partialsIn(rootPath()).isEmpty());
    QVERIFY(!QFileInfo::exists(remoteFile(QStringLiteral("big.bin"))));
}

void TestLocalDirBackend::removeStalePartialsRemovesOnlyOldOnes()
{
    const QString prefix = IgnoreRules::partialFilePrefix();
    const qint64 twoHoursAgo = nowNs() - 2LL * 3600 * 1'000'000'000;
    const auto make = [&](const QString &dir, const QString &relative, bool old) {
        test::writeFile(dir, relative, "partial");
        if (old)
            setMtimeNs(dir + '/' + relative, twoHoursAgo);
    };
    make(rootPath(), prefix + QStringLiteral("old"), true);
    make(rootPath(), QStringLiteral("a/b/") + prefix + QStringLiteral("old2"), true);
    make(rootPath(), prefix + QStringLiteral("fresh"), false);
    make(rootPath(), QStringLiteral("a/") + prefix + QStringLiteral("fresh2"), false);
    make(rootPath(), QStringLiteral(".steadysync/") + prefix + QStringLiteral("state"), true);
    make(rootPath(), QStringLiteral("old-but-normal.txt"), true);
    make(outsidePath(), prefix + QStringLiteral("outside"), true);
    QVERIFY(QFile::link(outsidePath(), remoteFile(QStringLiteral("a/link"))));

    const JobResult result = run(m_backend->removeStalePartials(3600));
    QVERIFY2(result.ok(), qPrintable(result.describe()));
    QVERIFY(!QFileInfo::exists(remoteFile(prefix + QStringLiteral("old"))));
    QVERIFY(
        !QFileInfo::exists(remoteFile(QStringLiteral("a/b/") + prefix + QStringLiteral("old2"))));
    QVERIFY(QFileInfo::exists(remoteFile(prefix + QStringLiteral("fresh"))));
    QVERIFY(
        QFileInfo::exists(remoteFile(QStringLiteral("a/") + prefix + QStringLiteral("fresh2"))));
    QVERIFY(QFileInfo::exists(
        remoteFile(QStringLiteral(".steadysync/") + prefix + QStringLiteral("state"))));
    QVERIFY(QFileInfo::exists(remoteFile(QStringLiteral("old-but-normal.txt"))));
    QVERIFY(QFileInfo::exists(outsidePath() + '/' + prefix + QStringLiteral("outside")));

    QVERIFY(QDir(rootPath()).removeRecursively());
    const JobResult noRoot = run(m_backend->removeStalePartials(3600));
    QVERIFY2(noRoot.failedWith(ErrorKind::RootMissing), qPrintable(noRoot.describe()));
}

void TestLocalDirBackend::hostileNamesRoundTrip()
{
    const QStringList names = {
        QStringLiteral("with space.txt"),
        QStringLiteral(" leading and trailing "),
        QStringLiteral("100% sure"),
        QStringLiteral("#hash"),
        QStringLiteral("what?.txt"),
        QStringLiteral("a&b=c;d"),
        QStringLiteral("back\\slash"),
        QStringLiteral("ünïcødé"),
        QStringLiteral("日本語のファイル"),
        QString::fromUtf8("emoji \xF0\x9F\x98\x80.txt"),
        QStringLiteral("..."),
        QStringLiteral("-dash"),
        QString(100, QLatin1Char('x')) + QString(50, QChar(0x00E9)), // 200 bytes in UTF-8
    };
    QCOMPARE(names.last().toUtf8().size(), 200);
    const JobResult dir = run(m_backend->makeDirectory(QStringLiteral("dir #1 ?%")));
    QVERIFY2(dir.ok(), qPrintable(dir.describe()));

    QSet<QString> expected{QStringLiteral("dir #1 ?%")};
    int index = 0;
    for (const QString &name : names) {
        const QByteArray content = "content of " + name.toUtf8();
        const QString local = makeLocal(QStringLiteral("src%1").arg(index++), content);
        for (const QString &path : {name, QStringLiteral("dir #1 ?%/") + name}) {
            const JobResult up =
                run(m_backend->upload(local, path, nowNs(), Precondition::mustNotExist()));
            QVERIFY2(up.ok(), qPrintable(path + ": " + up.describe()));
            QCOMPARE(up.entry.path, path);
            const QString target = localPath(QStringLiteral("down%1").arg(index));
            const JobResult down = run(m_backend->download(path, target));
            QVERIFY2(down.ok(), qPrintable(path + ": " + down.describe()));
            QCOMPARE(test::readFile(target), content);
            QCOMPARE(down.entry.etag, up.entry.etag);
        }
        expected.insert(name);
    }
    const JobResult listing = run(m_backend->list(QString()));
    QVERIFY2(listing.ok(), qPrintable(listing.describe()));
    QSet<QString> listed;
    for (const RemoteEntry &entry : listing.entries)
        listed.insert(entry.path);
    QCOMPARE(listed, expected);
    QVERIFY(listing.rejected.isEmpty());
    QVERIFY(QFileInfo::exists(remoteFile(names.at(3))));
}

void TestLocalDirBackend::parallelUploads()
{
    BackendOptions options;
    options.parallel = 4;
    makeBackend(options);
    constexpr int count = 20;
    std::vector<JobResult> results(count);
    for (int i = 0; i < count; ++i) {
        const QByteArray content = QByteArray::number(i).repeated(50'000 + i);
        const QString local = makeLocal(QStringLiteral("p%1.bin").arg(i), content);
        test::captureJob(m_backend->upload(local, QStringLiteral("p%1.bin").arg(i), nowNs(),
                                           Precondition::mustNotExist()),
                         &results[i]);
    }
    QVERIFY(test::waitFor(
        [&] {
            return std::all_of(results.begin(), results.end(),
                               [](const JobResult &r) { return r.finished; });
        },
        jobTimeoutMs));
    for (int i = 0; i < count; ++i) {
        QVERIFY2(results[i].ok(), qPrintable(results[i].describe()));
        QCOMPARE(test::readFile(remoteFile(QStringLiteral("p%1.bin").arg(i))),
                 QByteArray::number(i).repeated(50'000 + i));
    }
    QVERIFY(partialsIn(rootPath()).isEmpty());
}

void TestLocalDirBackend::bandwidthLimitPacesUploads()
{
    BackendOptions options;
    options.bwLimitUpKiB = 1024;
    makeBackend(options);
    const QString local = localPath(QStringLiteral("mib.bin"));
    writeBigFile(local, 1024 * 1024);
    QElapsedTimer timer;
    timer.start();
    const JobResult result = run(m_backend->upload(local, QStringLiteral("mib.bin"), nowNs(), {}));
    QVERIFY2(result.ok(), qPrintable(result.describe()));
    // 1 MiB at 1 MiB/s: the first chunk goes at once, the rest is paced.
    QVERIFY2(timer.elapsed() >= 500, qPrintable(QString::number(timer.elapsed())));
    QCOMPARE(test::readFile(remoteFile(QStringLiteral("mib.bin"))), test::readFile(local));
}

void TestLocalDirBackend::errnoClassification()
{
    QCOMPARE(errorKindForErrno(ENOENT), ErrorKind::NotFound);
    QCOMPARE(errorKindForErrno(EACCES), ErrorKind::Permanent);
    QCOMPARE(errorKindForErrno(EPERM), ErrorKind::Permanent);
    QCOMPARE(errorKindForErrno(ENOSPC), ErrorKind::DiskFull);
    QCOMPARE(errorKindForErrno(EDQUOT), ErrorKind::DiskFull);
    for (int transient : {EIO, EBUSY, ETXTBSY, EAGAIN})
        QCOMPARE(errorKindForErrno(transient), ErrorKind::Transient);
    QCOMPARE(errorKindForErrno(ENAMETOOLONG), ErrorKind::InvalidName);
    QCOMPARE(errorKindForErrno(EILSEQ), ErrorKind::InvalidName);
    const Error error = LocalDirOperations::errnoError(ENOSPC, QStringLiteral("a/b.txt"),
                                                       QStringLiteral("cannot write"));
    QCOMPARE(error.kind, ErrorKind::DiskFull);
    QVERIFY2(error.message.contains(QLatin1String("a/b.txt")), qPrintable(error.message));
    QVERIFY2(error.message.contains(qt_error_string(ENOSPC)), qPrintable(error.message));

    // A name longer than the file system allows.
    const QString local = makeLocal(QStringLiteral("n.txt"), "n");
    const JobResult tooLong =
        run(m_backend->upload(local, QString(300, QLatin1Char('n')), nowNs(), {}));
    QVERIFY2(tooLong.failedWith(ErrorKind::InvalidName), qPrintable(tooLong.describe()));
}

QTEST_GUILESS_MAIN(TestLocalDirBackend)
#include "tst_localdirbackend.moc"
