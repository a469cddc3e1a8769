// The inotify watcher on a tree with more folders than the kernel lets it watch: the first
// refusal is reported once (with how to raise the limit), and pollUnwatched() finds what
// changed in the folders left without a watch, by their size, mtime and inode, without any
// event. ctest runs this test in a user namespace whose inotify watch limit is lowered to
// WatchLimit (/proc/sys/user/max_inotify_watches; see CMakeLists.txt).
#include "local/localwatcher.h"
#include "testutil.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace steadysync;
using namespace steadysync::test;

namespace {

constexpr int WatchLimit = 5; // the root and d00..d03; d04..d11 have no watch
constexpr int FolderCount = 12;

QString folderName(int index)
{
    return QStringLiteral("d%1").arg(index, 2, 10, QLatin1Char('0'));
}

QSet<QString> reported(const QSignalSpy &spy)
{
    QSet<QString> paths;
    for (const QList<QVariant> &arguments : spy)
        paths.insert(arguments.at(0).toString());
    return paths;
}

} // namespace

class TestWatchLimitPoll : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void unwatchedChangesAreFoundByPolling();

private:
    QTemporaryDir m_root;
};

void TestWatchLimitPoll::initTestCase()
{
    QFile limit(QStringLiteral("/proc/sys/user/max_inotify_watches"));
    QVERIFY(limit.open(QIODevice::ReadOnly));
    if (limit.readAll().trimmed().toInt() != WatchLimit)
        QSKIP("run by ctest, in a user namespace with max_inotify_watches lowered to 5");
    for (int i = 0; i < FolderCount; ++i)
        writeFile(m_root.path(), folderName(i) + QStringLiteral("/f.txt"), "first");
}

void TestWatchLimitPoll::unwatchedChangesAreFoundByPolling()
{
    auto watcher =
        LocalWatcher::create(LocalWatcher::Backend::Inotify, m_root.path(), IgnoreRules());
    QSignalSpy changed(watcher.get(), &LocalWatcher::pathChanged);
    QSignalSpy incomplete(watcher.get(), &LocalWatcher::rescanNeeded);
    QVERIFY(watcher->start());
    QCOMPARE(incomplete.count(), 1);
    QVERIFY(incomplete.at(0).at(0).toString().contains(QStringLiteral("max_user_watches")));
    QCOMPARE(watcher->watchedDirectoryCount(), WatchLimit);

    writeFile(m_root.path(), QStringLiteral("d11/f.txt"), "edited, longer than before");
    writeFile(m_root.path(), QStringLiteral("d10/new.txt"), "created");
    QVERIFY(QFile::remove(m_root.filePath(QStringLiteral("d09/f.txt"))));
    QVERIFY(QDir(m_root.path()).mkpath(QStringLiteral("d08/sub")));
    QCoreApplication::processEvents();
    QVERIFY2(changed.isEmpty(), "no watch, no event: only polling can find these");

    watcher->pollUnwatched();
    QCOMPARE(reported(changed),
             (QSet<QString>{QStringLiteral("d11/f.txt"), QStringLiteral("d10/new.txt"),
                            QStringLiteral("d09/f.txt"), QStringLiteral("d08/sub")}));
    QCOMPARE(incomplete.count(), 1); // told once, not on every poll

    changed.clear();
    watcher->pollUnwatched();
    QVERIFY2(changed.isEmpty(), "nothing changed since the last look");

    // A watched folder is still served by its events.
    writeFile(m_root.path(), QStringLiteral("d00/f.txt"), "edited where watched");
    QTRY_VERIFY(reported(changed).contains(QStringLiteral("d00/f.txt")));
}

QTEST_GUILESS_MAIN(TestWatchLimitPoll)
#include "tst_watchlimitpoll.moc"
