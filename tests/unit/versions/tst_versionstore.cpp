// The version store (DESIGN §10): content kept by SHA-256 once, with an index row per version; a
// file about to be replaced is kept as a hard link of its own inode (no byte copied), one that
// stays in use as an independent copy; a restore writes an independent file; prune removes rows
// before blobs and cleans what a kill left.
#include "fs/hasher.h"
#include "versions/versionkeeper.h"
#include "versions/versionstore.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

using namespace steadysync;

namespace {

void write(const QString &path, const QByteArray &content)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(file.write(content), content.size());
}

QByteArray read(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("<unreadable>");
}

struct stat statOf(const QString &path)
{
    struct stat st
    {
    };
    ::lstat(QFile::encodeName(path).constData(), &st);
    return st;
}

QStringList filesBelow(const QString &directory)
{
    QStringList files;
    QDirIterator it(directory, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext())
        files.append(it.next());
    return files;
}

std::unique_ptr<VersionStore> openStore(const QString &root, const Clock *clock = nullptr)
{
    Result<std::unique_ptr<VersionStore>> store = VersionStore::open(root, clock);
    if (!store)
        qWarning() << store.error().message;
    return store ? std::move(*store) : nullptr;
}

VersionStore::SaveRequest request(const QString &root, const QString &path,
                                  VersionStore::SaveMode mode = VersionStore::SaveMode::Detach)
{
    return {root + QLatin1Char('/') + path, path, VersionReason::Overwritten,
            QStringLiteral("local"), mode};
}

qint64 freeBytes(const QString &path)
{
    struct statvfs fs
    {
    };
    ::statvfs(QFile::encodeName(path).constData(), &fs);
    return qint64(fs.f_bavail) * qint64(fs.f_frsize);
}

} // namespace

class TestVersionStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fileAboutToBeReplacedIsKeptAsALink();
    void identicalContentIsStoredOnce();
    void snapshotIsIndependentOfTheFile();
    void fileWithOtherNamesIsCopied();
    void restoredFileIsIndependentOfTheStore();
    void nothingToKeepIsNotFound();
    void pruneRemovesRowsThenBlobsAndLeftovers();
    void prunerRunsOffTheCallingThread();
    void damagedIndexIsSetAsideAndTheStoreGoesOn();
    void largeOverwrittenFileCostsNoCopy();
};

void TestVersionStore::fileAboutToBeReplacedIsKeptAsALink()
{
    QTemporaryDir root;
    ManualClock clock;
    write(root.filePath("docs/a.txt"), "first");
    std::unique_ptr<VersionStore> store = openStore(root.path(), &clock);
    QVERIFY(store);
    const Result<VersionEntry> saved = store->save(request(root.path(), "docs/a.txt"));
    QVERIFY2(saved, qPrintable(saved ? QString() : saved.error().message));
    QCOMPARE(saved->path, QStringLiteral("docs/a.txt"));
    QCOMPARE(saved->reason, VersionReason::Overwritten);
    QCOMPARE(saved->savedMs, clock.nowMs());
    QCOMPARE(saved->size, 5);
    QCOMPARE(saved->sha256, Hasher::sha256("first"));
    QCOMPARE(store->lastPlacement(), BlobFiles::Placement::Link);
    QCOMPARE(statOf(store->blobPath(saved->sha256)).st_ino,
             statOf(root.filePath("docs/a.txt")).st_ino);
    // The caller now replaces the file: the version keeps the old content.
    write(root.filePath("docs/a.txt.new"), "second");
    QVERIFY(QFile::remove(root.filePath("docs/a.txt")));
    QCOMPARE(read(store->blobPath(saved->sha256)), QByteArray("first"));

    const Result<QList<VersionEntry>> listed = store->list(QStringLiteral("docs"));
    QVERIFY(listed);
    QCOMPARE(*listed, QList<VersionEntry>{*saved});
    QCOMPARE(store->list(QStringLiteral("doc"))->size(), 0); // a folder, not a prefix of names
}

void TestVersionStore::identicalContentIsStoredOnce()
{
    QTemporaryDir root;
    write(root.filePath("a"), "same");
    write(root.filePath("b"), "same");
    std::unique_ptr<VersionStore> store = openStore(root.path());
    QVERIFY(store->save(request(root.path(), "a")));
    QVERIFY(store->save(request(root.path(), "b", VersionStore::SaveMode::Snapshot)));
    QCOMPARE(store->lastPlacement(), std::nullopt);
    const Result<VersionStore::Usage> usage = store->usage();
    QCOMPARE(usage->entries, 2);
    QCOMPARE(usage->blobs, 1);
    QCOMPARE(usage->blobBytes, 4);
}

void TestVersionStore::snapshotIsIndependentOfTheFile()
{
    QTemporaryDir root;
    write(root.filePath("conflict copy"), "loser");
    std::unique_ptr<VersionStore> store = openStore(root.path());
    const Result<VersionEntry> saved =
        store->save(request(root.path(), "conflict copy", VersionStore::SaveMode::Snapshot));
    QVERIFY(saved);
    QVERIFY(store->lastPlacement() != BlobFiles::Placement::Link);
    // The copy stays in the folder and is edited in place: the version does not change.
    QFile file(root.filePath("conflict copy"));
    QVERIFY(file.open(QIODevice::ReadWrite));
    QVERIFY(file.write("LOSER") == 5);
    file.close();
    QCOMPARE(read(store->blobPath(saved->sha256)), QByteArray("loser"));
}

// The user's own hard link of a file lives on after the file is replaced: the version must not
// share its inode.
void TestVersionStore::fileWithOtherNamesIsCopied()
{
    QTemporaryDir root;
    write(root.filePath("a"), "shared inode");
    QVERIFY(::link(QFile::encodeName(root.filePath("a")).constData(),
                   QFile::encodeName(root.filePath("b")).constData()) == 0);
    std::unique_ptr<VersionStore> store = openStore(root.path());
    const Result<VersionEntry> saved = store->save(request(root.path(), "a"));
    QVERIFY(saved);
    QVERIFY(store->lastPlacement() != BlobFiles::Placement::Link);
    QVERIFY(statOf(store->blobPath(saved->sha256)).st_ino != statOf(root.filePath("b")).st_ino);
}

void TestVersionStore::restoredFileIsIndependentOfTheStore()
{
    QTemporaryDir root;
    write(root.filePath("a"), "kept");
    std::unique_ptr<VersionStore> store = openStore(root.path());
    const Result<VersionEntry> saved = store->save(request(root.path(), "a"));
    QVERIFY(QFile::remove(root.filePath("a")));
    const QString temporary = VersionStore::directory(root.path()) + QStringLiteral("/tmp");
    QVERIFY(store->restore(*saved, root.filePath("sub/a"), temporary));
    QCOMPARE(read(root.filePath("sub/a")), QByteArray("kept"));
    QVERIFY(statOf(root.filePath("sub/a")).st_ino != statOf(store->blobPath(saved->sha256)).st_ino);
    QFile file(root.filePath("sub/a"));
    QVERIFY(file.open(QIODevice::ReadWrite));
    file.write("EDIT");
    file.close();
    QCOMPARE(read(store->blobPath(saved->sha256)), QByteArray("kept"));
    QVERIFY(QDir(temporary).isEmpty());
}

void TestVersionStore::nothingToKeepIsNotFound()
{
    QTemporaryDir root;
    QDir(root.path()).mkdir(QStringLiteral("folder"));
    std::unique_ptr<VersionStore> store = openStore(root.path());
    QCOMPARE(store->save(request(root.path(), "absent")).error().kind, ErrorKind::NotFound);
    QCOMPARE(store->save(request(root.path(), "folder")).error().kind, ErrorKind::NotFound);
    VersionKeeper keeper(root.path(), SystemClock::instance());
    QVERIFY(keeper.keep({QStringLiteral("absent"), VersionReason::DeletedRemotely}));
    QCOMPARE(store->list()->size(), 0);
}

void TestVersionStore::pruneRemovesRowsThenBlobsAndLeftovers()
{
    QTemporaryDir root;
    ManualClock clock;
    std::unique_ptr<VersionStore> store = openStore(root.path(), &clock);
    write(root.filePath("old"), "old content");
    const Result<VersionEntry> old = store->save(request(root.path(), "old"));
    clock.advance(400 * RetentionPolicy::DayMs);
    write(root.filePath("new"), "new content");
    const Result<VersionEntry> recent = store->save(request(root.path(), "new"));
    QVERIFY(old && recent);
    // What a kill leaves: a blob no row names, a half-written temporary copy.
    const QString orphan = store->blobPath(Hasher::sha256("orphan"));
    write(orphan, "orphan");
    const QString leftover =
        VersionStore::directory(root.path()) + QStringLiteral("/tmp/snapshot-1");
    write(leftover, "half");

    const Result<VersionStore::PruneResult> pruned = store->prune(RetentionPolicy());
    QVERIFY(pruned);
    QCOMPARE(pruned->entriesRemoved, 1);
    QCOMPARE(pruned->blobsRemoved, 2); // old's content and the orphan
    QVERIFY(pruned->complete);
    QCOMPARE(*store->list(), QList<VersionEntry>{*recent});
    QVERIFY(!QFile::exists(store->blobPath(old->sha256)));
    QVERIFY(!QFile::exists(orphan));
    QVERIFY(!QFile::exists(leftover));
    QCOMPARE(read(store->blobPath(recent->sha256)), QByteArray("new content"));
    QCOMPARE(read(root.filePath("old")), QByteArray("old content")); // a link goes, not the file
}

void TestVersionStore::prunerRunsOffTheCallingThread()
{
    QTemporaryDir root;
    ManualClock clock;
    {
        std::unique_ptr<VersionStore> store = openStore(root.path(), &clock);
        write(root.filePath("a"), "a");
        QVERIFY(store->save(request(root.path(), "a")));
    }
    clock.advance(366 * RetentionPolicy::DayMs);
    VersionPruner pruner;
    pruner.pruneSoon(root.path(), RetentionPolicy(), &clock);
    pruner.waitForDone();
    QCOMPARE(openStore(root.path(), &clock)->list()->size(), 0);
    QCOMPARE(filesBelow(VersionStore::directory(root.path()) + QStringLiteral("/blobs")).size(), 0);
}

void TestVersionStore::damagedIndexIsSetAsideAndTheStoreGoesOn()
{
    QTemporaryDir root;
    write(root.filePath("a"), "kept before the damage");
    QString oldBlob;
    {
        std::unique_ptr<VersionStore> store = openStore(root.path());
        const Result<VersionEntry> saved = store->save(request(root.path(), "a"));
        QVERIFY(saved);
        oldBlob = QFileInfo(store->blobPath(saved->sha256)).fileName();
    }
    const QString directory = VersionStore::directory(root.path());
    for (const char *name : {"/index.db-wal", "/index.db-shm"})
        QFile::remove(directory + QLatin1String(name));
    write(directory + QStringLiteral("/index.db"), QByteArray(8192, 'X')); // not a database
    std::unique_ptr<VersionStore> store = openStore(root.path());
    QVERIFY(store);
    QCOMPARE(store->list()->size(), 0);
    write(root.filePath("b"), "kept after");
    QVERIFY(store->save(request(root.path(), "b")));
    QCOMPARE(store->list()->size(), 1);
    // The old content is still on disk, set aside where a prune never looks.
    QVERIFY(store->prune(RetentionPolicy()));
    QStringList aside;
    for (const QString &file : filesBelow(directory))
        if (file.contains(QStringLiteral("/damaged-")))
            aside.append(QFileInfo(file).fileName());
    QVERIFY2(aside.contains(oldBlob), qPrintable(aside.join(u' ')));
}

// DESIGN §10: a file a download replaces costs no copy; its inode becomes the version.
void TestVersionStore::largeOverwrittenFileCostsNoCopy()
{
    constexpr qint64 Size = 256LL << 20;
    QTemporaryDir root;
    {
        QFile file(root.filePath("large.bin"));
        QVERIFY(file.open(QIODevice::WriteOnly));
        QByteArray chunk(1 << 20, Qt::Uninitialized);
        for (qint64 i = 0; i < Size / chunk.size(); ++i) {
            chunk.fill(char('a' + i % 26));
            QCOMPARE(file.write(chunk), chunk.size());
        }
    }
    std::unique_ptr<VersionStore> store = openStore(root.path());
    const struct stat before = statOf(root.filePath("large.bin"));
    const qint64 freeBefore = freeBytes(root.path());
    QElapsedTimer timer;
    timer.start();
    const Result<VersionEntry> saved = store->save(request(root.path(), "large.bin"));
    const qint64 elapsedMs = timer.elapsed();
    const qint64 freeAfter = freeBytes(root.path());
    QVERIFY(saved);
    QCOMPARE(saved->size, Size);
    QCOMPARE(store->lastPlacement(), BlobFiles::Placement::Link);
    const struct stat blob = statOf(store->blobPath(saved->sha256));
    QCOMPARE(blob.st_ino, before.st_ino);
    QCOMPARE(blob.st_blocks, before.st_blocks);
    qInfo("256 MiB file kept in %lld ms (hashing included); free space before-after: %lld KiB "
          "(other processes share the disk); blocks of the file: %lld KiB, shared by the blob",
          elapsedMs, (freeBefore - freeAfter) / 1024, qint64(before.st_blocks) / 2);
}

QTEST_GUILESS_MAIN(TestVersionStore)
#include "tst_versionstore.moc"
