#include "local/localwatcher.h"
#include "testutil.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace steadysync;

Q_DECLARE_METATYPE(steadysync::LocalWatcher::Backend)

namespace {

constexpr int kEventDeadlineMs = 10'000;

void append(const QString &path, const QByteArray &data)
{
    QFile file(path);
    QVERIFY2(file.open(QIODevice::WriteOnly | QIODevice::Append), qPrintable(path));
    QCOMPARE(file.write(data), data.size());
}

} // namespace

// Every case runs against both backends (global data): a fresh directory, a started watcher,
// one action, then a wait for the expected paths.
class TestWatcher : public QObject
{
    Q_OBJECT

private:
    QString root() const { return m_dir->path(); }
    QString at(const QString &relativePath) const
    {
        return root() + QLatin1Char('/') + relativePath;
    }

    bool startWatcher(const QString &watchedRoot = QString())
    {
        QFETCH_GLOBAL(LocalWatcher::Backend, backend);
        m_watcher = LocalWatcher::create(backend, watchedRoot.isEmpty() ? root() : watchedRoot,
                                         IgnoreRules());
        connect(m_watcher.get(), &LocalWatcher::pathChanged, this,
                [this](const QString &path) { m_seen.insert(path); });
        connect(m_watcher.get(), &LocalWatcher::rescanNeeded, this,
                [this](const QString &reason) { m_rescans.append(reason); });
        const Status started = m_watcher->start();
        if (!started)
            qWarning("start failed: %s", qPrintable(started.error().message));
        return started.ok();
    }

    bool waitSeen(const QString &path)
    {
        if (test::waitFor([&] { return m_seen.contains(path); }, kEventDeadlineMs))
            return true;
        QStringList seen(m_seen.cbegin(), m_seen.cend());
        seen.sort();
        qWarning("%s was not reported; reported: %s", qPrintable(path),
                 qPrintable(seen.join(QStringLiteral(", "))));
        return false;
    }

    // Events are read in order: once a file written now is reported, everything caused before
    // it has been reported too.
    bool settle()
    {
        const QString sentinel = QStringLiteral("sentinel-%1").arg(++m_sentinels);
        test::writeFile(root(), sentinel, "s");
        return waitSeen(sentinel);
    }

    // settle(), then forget what was seen.
    bool settleAndForget()
    {
        if (!settle())
            return false;
        m_seen.clear();
        return true;
    }

    // What was reported, leaving out settle()'s sentinel files.
    QStringList reported() const
    {
        QStringList paths;
        for (const QString &path : m_seen) {
            if (!path.startsWith(QLatin1String("sentinel-")))
                paths.append(path);
        }
        paths.sort();
        return paths;
    }

    bool isLinux() const
    {
#ifdef Q_OS_LINUX
        return true;
#else
        return false;
#endif
    }

private Q_SLOTS:
    void initTestCase_data()
    {
        QTest::addColumn<LocalWatcher::Backend>("backend");
        if (isLinux())
            QTest::newRow("inotify") << LocalWatcher::Backend::Inotify;
        QTest::newRow("qfilesystemwatcher") << LocalWatcher::Backend::QtFileSystemWatcher;
    }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_seen.clear();
        m_rescans.clear();
        m_expectRescan = false;
    }

    void cleanup()
    {
        m_watcher.reset();
        m_dir.reset();
        if (!m_expectRescan)
            QVERIFY2(m_rescans.isEmpty(), qPrintable(m_rescans.join(QLatin1Char('\n'))));
    }

    void backendIsTheOneAskedFor()
    {
        QFETCH_GLOBAL(LocalWatcher::Backend, backend);
        QVERIFY(startWatcher());
        QCOMPARE(m_watcher->backendName(), backend == LocalWatcher::Backend::Inotify
                                               ? QStringLiteral("inotify")
                                               : QStringLiteral("QFileSystemWatcher"));
        QCOMPARE(
            LocalWatcher::create(LocalWatcher::Backend::Auto, root(), IgnoreRules())->backendName(),
            isLinux() ? QStringLiteral("inotify") : QStringLiteral("QFileSystemWatcher"));
    }

    void startFailsForMissingRoot()
    {
        QFETCH_GLOBAL(LocalWatcher::Backend, backend);
        auto watcher = LocalWatcher::create(backend, at(QStringLiteral("missing")), IgnoreRules());
        const Status started = watcher->start();
        QVERIFY(!started.ok());
        QCOMPARE(started.error().kind, ErrorKind::RootMissing);
    }

    void watchesEveryDirectory()
    {
        test::writeFile(root(), QStringLiteral("a/b/f"), "x");
        test::writeFile(root(), QStringLiteral("c/f"), "x");
        QVERIFY(startWatcher());
        QCOMPARE(m_watcher->watchedDirectoryCount(), 4); // root, a, a/b, c
        // What exists at start is not a change.
        QVERIFY(settle());
        QCOMPARE(reported(), QStringList());
    }

    void appendInPlaceInRoot()
    {
        test::writeFile(root(), QStringLiteral("log.txt"), "first\n");
        QVERIFY(startWatcher());
        append(at(QStringLiteral("log.txt")), "second\n");
        QVERIFY(waitSeen(QStringLiteral("log.txt")));
    }

    void appendInPlaceInSubdirectory()
    {
        test::writeFile(root(), QStringLiteral("sub/deeper/log.txt"), "first\n");
        QVERIFY(startWatcher());
        append(at(QStringLiteral("sub/deeper/log.txt")), "second\n");
        QVERIFY(waitSeen(QStringLiteral("sub/deeper/log.txt")));
    }

    void overwriteInPlaceWithoutRename()
    {
        test::writeFile(root(), QStringLiteral("sub/data.bin"), "AAAAAAAA");
        QVERIFY(startWatcher());
        QFile file(at(QStringLiteral("sub/data.bin")));
        QVERIFY(file.open(QIODevice::ReadWrite));
        QVERIFY(file.seek(0));
        QCOMPARE(file.write("BB"), 2);
        file.close();
        QVERIFY(waitSeen(QStringLiteral("sub/data.bin")));
    }

    void newFileInNewSubdirectory()
    {
        QVERIFY(startWatcher());
        QVERIFY(QDir(root()).mkdir(QStringLiteral("new")));
        test::writeFile(root(), QStringLiteral("new/file.txt"), "x");
        QVERIFY(waitSeen(QStringLiteral("new/file.txt")));
        QVERIFY(m_seen.contains(QStringLiteral("new")));
    }

    void newFileInNestedNewSubdirectories()
    {
        QVERIFY(startWatcher());
        test::writeFile(root(), QStringLiteral("a/b/c/f"), "x"); // mkpath, then the file at once
        QVERIFY(waitSeen(QStringLiteral("a/b/c/f")));
        QVERIFY(settleAndForget());
        // The new directories are watched: later in-place writes are seen too.
        append(at(QStringLiteral("a/b/c/f")), "y");
        QVERIFY(waitSeen(QStringLiteral("a/b/c/f")));
        QCOMPARE(m_watcher->watchedDirectoryCount(), 4);
    }

    void renameFileReportsBothPaths()
    {
        test::writeFile(root(), QStringLiteral("sub/old.txt"), "x");
        QVERIFY(startWatcher());
        QVERIFY(
            QFile::rename(at(QStringLiteral("sub/old.txt")), at(QStringLiteral("sub/new.txt"))));
        QVERIFY(waitSeen(QStringLiteral("sub/old.txt")));
        QVERIFY(waitSeen(QStringLiteral("sub/new.txt")));
    }

    void renameDirectoryThenWriteInside()
    {
        test::writeFile(root(), QStringLiteral("d/sub/f.txt"), "x");
        QVERIFY(startWatcher());
        QVERIFY(QDir(root()).rename(QStringLiteral("d"), QStringLiteral("e")));
        QVERIFY(waitSeen(QStringLiteral("d")));
        QVERIFY(waitSeen(QStringLiteral("e")));
        QVERIFY(settleAndForget());
        append(at(QStringLiteral("e/sub/f.txt")), "y");
        QVERIFY(waitSeen(QStringLiteral("e/sub/f.txt")));
        QVERIFY(settle());
        QCOMPARE(reported(), QStringList{QStringLiteral("e/sub/f.txt")});
        QCOMPARE(m_watcher->watchedDirectoryCount(), 3); // root, e, e/sub
    }

    void deleteFile()
    {
        test::writeFile(root(), QStringLiteral("sub/gone.txt"), "x");
        QVERIFY(startWatcher());
        QVERIFY(QFile::remove(at(QStringLiteral("sub/gone.txt"))));
        QVERIFY(waitSeen(QStringLiteral("sub/gone.txt")));
    }

    void deleteDirectoryTree()
    {
        test::writeFile(root(), QStringLiteral("tree/x/y/f1"), "x");
        test::writeFile(root(), QStringLiteral("tree/f2"), "x");
        QVERIFY(startWatcher());
        QCOMPARE(m_watcher->watchedDirectoryCount(), 4);
        QVERIFY(QDir(at(QStringLiteral("tree"))).removeRecursively());
        QVERIFY(waitSeen(QStringLiteral("tree")));
        QVERIFY(test::waitFor([&] { return m_watcher->watchedDirectoryCount() == 1; },
                              kEventDeadlineMs));
    }

    void recreatedDirectoryIsWatched()
    {
        test::writeFile(root(), QStringLiteral("d/f"), "x");
        QVERIFY(startWatcher());
        QVERIFY(QDir(at(QStringLiteral("d"))).removeRecursively());
        QVERIFY(waitSeen(QStringLiteral("d")));
        test::writeFile(root(), QStringLiteral("d/f"), "new");
        QVERIFY(waitSeen(QStringLiteral("d/f")));
        QVERIFY(settleAndForget());
        append(at(QStringLiteral("d/f")), "more");
        QVERIFY(waitSeen(QStringLiteral("d/f")));
    }

    void atomicSaveThenInPlaceWrite()
    {
        test::writeFile(root(), QStringLiteral("doc.txt"), "v1");
        QVERIFY(startWatcher());
        for (int round = 2; round <= 3; ++round) {
            // An editor's save: write a temporary file, rename it over the original.
            test::writeFile(root(), QStringLiteral("doc.txt.tmp"),
                            QByteArray("v") + QByteArray::number(round));
            QVERIFY(::rename(QFile::encodeName(at(QStringLiteral("doc.txt.tmp"))).constData(),
                             QFile::encodeName(at(QStringLiteral("doc.txt"))).constData()) == 0);
            QVERIFY(waitSeen(QStringLiteral("doc.txt")));
            QVERIFY(settleAndForget());
            // The file that replaced the original is still watched.
            append(at(QStringLiteral("doc.txt")), " appended");
            QVERIFY(waitSeen(QStringLiteral("doc.txt")));
            QVERIFY(settleAndForget());
        }
    }

    void ignoredPathsAreNotReported()
    {
        test::writeFile(root(), QStringLiteral(".steadysync/journal.db"), "db");
        QVERIFY(startWatcher());
        append(at(QStringLiteral(".steadysync/journal.db")), "more");
        test::writeFile(root(), QStringLiteral(".steadysync/x"), "x");
        test::writeFile(root(), QStringLiteral(".steadysync/trash/deep/y"), "y");
        test::writeFile(root(),
                        QStringLiteral("sub/") + IgnoreRules::partialFilePrefix() +
                            QStringLiteral("1234"),
                        "partial");
        QVERIFY(settle());
        QCOMPARE(reported(), QStringList{QStringLiteral("sub")});
        QCOMPARE(m_watcher->watchedDirectoryCount(), 2); // root and sub
    }

    void ignoredDirectoryCreatedAfterStartIsNotWatched()
    {
        QVERIFY(startWatcher());
        test::writeFile(root(), QStringLiteral(".steadysync/journal.db"), "db");
        QVERIFY(settle());
        append(at(QStringLiteral(".steadysync/journal.db")), "more");
        test::writeFile(root(), QStringLiteral(".steadysync/tmp/part"), "x");
        QVERIFY(settle());
        QCOMPARE(reported(), QStringList());
        QCOMPARE(m_watcher->watchedDirectoryCount(), 1);
    }

    void symlinkedDirectoryIsNotFollowed()
    {
        QTemporaryDir outside;
        QVERIFY(outside.isValid());
        test::writeFile(outside.path(), QStringLiteral("f"), "x");
        QVERIFY(QFile::link(outside.path(), at(QStringLiteral("link"))));
        QVERIFY(startWatcher());
        QCOMPARE(m_watcher->watchedDirectoryCount(), 1);
        append(outside.path() + QStringLiteral("/f"), "y");
        test::writeFile(outside.path(), QStringLiteral("g"), "z");
        QVERIFY(settle());
        QCOMPARE(reported(), QStringList());
    }

    void directoryMovedOutIsForgotten()
    {
        QTemporaryDir outside;
        QVERIFY(outside.isValid());
        test::writeFile(root(), QStringLiteral("d/sub/f"), "x");
        QVERIFY(startWatcher());
        QVERIFY(QDir().rename(at(QStringLiteral("d")), outside.path() + QStringLiteral("/d")));
        QVERIFY(waitSeen(QStringLiteral("d")));
        QVERIFY(test::waitFor([&] { return m_watcher->watchedDirectoryCount() == 1; },
                              kEventDeadlineMs));
        QVERIFY(settleAndForget());
        // Nothing done in the moved tree may show up any more, under any name.
        append(outside.path() + QStringLiteral("/d/sub/f"), "y");
        test::writeFile(outside.path(), QStringLiteral("d/new"), "z");
        QVERIFY(QDir(outside.path()).mkdir(QStringLiteral("d/sub/newdir")));
        QVERIFY(settle());
        QCOMPARE(reported(), QStringList());
    }

    void directoryMovedInIsScanned()
    {
        QTemporaryDir outside;
        QVERIFY(outside.isValid());
        test::writeFile(outside.path(), QStringLiteral("m/sub/f"), "x");
        QVERIFY(startWatcher());
        QVERIFY(QDir().rename(outside.path() + QStringLiteral("/m"), at(QStringLiteral("m"))));
        QVERIFY(waitSeen(QStringLiteral("m")));
        QVERIFY(waitSeen(QStringLiteral("m/sub")));
        QVERIFY(waitSeen(QStringLiteral("m/sub/f")));
        QVERIFY(settleAndForget());
        append(at(QStringLiteral("m/sub/f")), "y");
        QVERIFY(waitSeen(QStringLiteral("m/sub/f")));
    }

    void stopEndsReports()
    {
        test::writeFile(root(), QStringLiteral("f"), "x");
        QVERIFY(startWatcher());
        m_watcher->stop();
        QCOMPARE(m_watcher->watchedDirectoryCount(), 0);
        append(at(QStringLiteral("f")), "y");
        test::writeFile(root(), QStringLiteral("g"), "y");
        QCoreApplication::processEvents();
        QVERIFY(m_seen.isEmpty());
        // And it can start again.
        QVERIFY(m_watcher->start());
        append(at(QStringLiteral("f")), "z");
        QVERIFY(waitSeen(QStringLiteral("f")));
    }

    void deletedRootRequestsRescan()
    {
        test::writeFile(root(), QStringLiteral("synced/sub/f"), "x");
        QVERIFY(startWatcher(at(QStringLiteral("synced"))));
        m_expectRescan = true;
        QVERIFY(QDir(at(QStringLiteral("synced"))).removeRecursively());
        QVERIFY(test::waitFor([&] { return !m_rescans.isEmpty(); }, kEventDeadlineMs));
    }

    void queueOverflowRequestsRescan()
    {
        QFETCH_GLOBAL(LocalWatcher::Backend, backend);
        if (backend != LocalWatcher::Backend::Inotify)
            QSKIP("QFileSystemWatcher does not report inotify queue overflows");
        QFile limitFile(QStringLiteral("/proc/sys/fs/inotify/max_queued_events"));
        if (!limitFile.open(QIODevice::ReadOnly))
            QSKIP("max_queued_events is not readable");
        bool ok = false;
        const int maxQueued = limitFile.readAll().trimmed().toInt(&ok);
        if (!ok || maxQueued <= 0 || maxQueued > 1'000'000)
            QSKIP("max_queued_events is not usable for a test");
        test::writeFile(root(), QStringLiteral("burst/a"), "a");
        test::writeFile(root(), QStringLiteral("burst/b"), "b");
        QVERIFY(startWatcher());
        m_expectRescan = true;

        // Plain system calls without returning to the event loop: nothing reads the queue
        // meanwhile. Writes alternate between two files so that the kernel cannot merge
        // consecutive identical events.
        const QByteArray burst = QFile::encodeName(at(QStringLiteral("burst")));
        const int fds[2] = {::open((burst + "/a").constData(), O_WRONLY | O_CLOEXEC),
                            ::open((burst + "/b").constData(), O_WRONLY | O_CLOEXEC)};
        QVERIFY(fds[0] >= 0 && fds[1] >= 0);
        for (int i = 0; i < maxQueued + 1000; ++i)
            QCOMPARE(::pwrite(fds[i % 2], "x", 1, 0), ssize_t(1));
        ::close(fds[0]);
        ::close(fds[1]);
        // Created while the queue is full: its event is lost.
        QCOMPARE(::mkdir((burst + "/lost").constData(), 0755), 0);

        QVERIFY(test::waitFor([&] { return !m_rescans.isEmpty(); }, kEventDeadlineMs));
        QVERIFY2(m_rescans.first().contains(QStringLiteral("overflow")),
                 qPrintable(m_rescans.first()));
        QCOMPARE(m_rescans.size(), 1);

        // Still watching afterwards, the directory whose creation was lost included.
        QVERIFY(settleAndForget());
        QVERIFY(!m_seen.contains(QStringLiteral("burst/lost")));
        test::writeFile(root(), QStringLiteral("burst/lost/f"), "x");
        QVERIFY(waitSeen(QStringLiteral("burst/lost/f")));
    }

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<LocalWatcher> m_watcher;
    QSet<QString> m_seen;
    QStringList m_rescans;
    bool m_expectRescan = false;
    int m_sentinels = 0;
};

QTEST_GUILESS_MAIN(TestWatcher)
#include "tst_watcher.moc"
