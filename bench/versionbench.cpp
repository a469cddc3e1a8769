// Disk cost and time of the version store (issue 17) for N versions of small files: "unique"
// (every version a distinct content) and "dedup" (every version the same content). Each file
// is kept as the engine keeps a file it replaces (Detach: a hard link), then removed, so that
// what remains on disk is the store's own cost.
//   steadysync-versionbench [N] [SIZE_BYTES] [DIRECTORY]
#include "versions/versionstore.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>

#include <cstdio>
#include <sys/stat.h>

using namespace steadysync;

namespace {

qint64 diskBytesOf(const QString &path)
{
    struct stat st
    {
    };
    return ::lstat(QFile::encodeName(path).constData(), &st) == 0 ? qint64(st.st_blocks) * 512 : 0;
}

int run(const QString &label, const QString &parent, int count, int size, bool unique)
{
    QTemporaryDir root(parent + QStringLiteral("/versionbench-XXXXXX"));
    Result<std::unique_ptr<VersionStore>> store = VersionStore::open(root.path());
    if (!store) {
        std::fprintf(stderr, "%s\n", qPrintable(store.error().message));
        return 1;
    }
    QByteArray content(size, 'x');
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < count; ++i) {
        if (unique)
            content.replace(0, 12, QByteArray::number(i).rightJustified(12, '0'));
        const QString path = QStringLiteral("file%1.txt").arg(i % 100);
        QFile file(root.filePath(path));
        if (!file.open(QIODevice::WriteOnly) || file.write(content) != size)
            return 1;
        file.close();
        if (!(*store)->save({root.filePath(path), path, VersionReason::Overwritten,
                             QStringLiteral("local"), VersionStore::SaveMode::Detach}))
            return 1;
        QFile::remove(root.filePath(path)); // replaced by a download, as the engine does
    }
    const qint64 elapsedMs = timer.elapsed();
    const Result<VersionStore::Usage> usage = (*store)->usage();
    const QString index = VersionStore::directory(root.path()) + QStringLiteral("/index.db");
    const qint64 walBytes = diskBytesOf(index + QStringLiteral("-wal"));
    const qint64 indexBytes = diskBytesOf(index) + walBytes;
    std::printf(
        "%-6s %6d versions of %d B: %6lld ms (%.2f ms each); %lld blobs; listed %lld KiB; "
        "on disk %lld KiB (index %lld KiB of which WAL %lld KiB, blobs %lld KiB), %.0f B per "
        "version\n",
        qPrintable(label), count, size, elapsedMs, double(elapsedMs) / count, usage->blobs,
        usage->listedBytes / 1024, usage->diskBytes / 1024, indexBytes / 1024, walBytes / 1024,
        (usage->diskBytes - indexBytes) / 1024, double(usage->diskBytes) / count);
    if (!(*store)->prune(RetentionPolicy()))
        return 1;
    std::printf("%-6s after a prune (nothing to drop; the log folded in): index %lld KiB\n",
                qPrintable(label),
                (diskBytesOf(index) + diskBytesOf(index + QStringLiteral("-wal"))) / 1024);
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int count = args.value(1, QStringLiteral("10000")).toInt();
    const int size = args.value(2, QStringLiteral("1024")).toInt();
    const QString parent = args.value(3, QDir::tempPath());
    return run(QStringLiteral("unique"), parent, count, size, true) ||
           run(QStringLiteral("dedup"), parent, count, size, false);
}
