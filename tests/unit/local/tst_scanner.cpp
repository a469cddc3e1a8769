#include "fs/hasher.h"
#include "local/scanner.h"
#include "scannedentry.h"
#include "testutil.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace steadysync;
using steadysync::test::journalFrom;

namespace {

QByteArray sha256Hex(const QByteArray &data)
{
    return QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex();
}

QStringList sortedKeys(const LocalSnapshot &entries)
{
    QStringList keys = entries.keys();
    keys.sort();
    return keys;
}

quint64 inodeOf(const QString &path)
{
    struct stat info;
    if (::lstat(QFile::encodeName(path).constData(), &info) != 0)
        return 0;
    return info.st_ino;
}

bool setMtimeNs(const QString &path, qint64 mtimeNs)
{
    const struct timespec times[2] = {
        {0, UTIME_OMIT}, {time_t(mtimeNs / 1'000'000'000), long(mtimeNs % 1'000'000'000)}};
    return ::utimensat(AT_FDCWD, QFile::encodeName(path).constData(), times, AT_SYMLINK_NOFOLLOW) ==
           0;
}

bool makeSymlink(const QString &target, const QString &link)
{
    return ::symlink(QFile::encodeName(target).constData(), QFile::encodeName(link).constData()) ==
           0;
}

bool runningAsRoot()
{
    return ::geteuid() == 0;
}

ScanResult scanOk(const QString &root, const QString &subPath = QString(),
                  const IgnoreRules &ignore = IgnoreRules(), const JournalSnapshot &journal = {})
{
    Result<ScanResult> result = Scanner::scan(root, subPath, ignore, journal);
    if (!result.ok())
        qFatal("scan of %s failed: %s", qPrintable(root), qPrintable(result.error().message));
    return std::move(result).value();
}

} // namespace

class TestScanner : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void nestedTreeGivesExactEntries();
    void mtimeKeepsNanoseconds();
    void fastPathReusesJournalHash();
    void largeNewFilesLeaveTheirHashToTheUpload();
    void changedStatIsRehashed_data();
    void changedStatIsRehashed();
    void symlinksAreSkippedNotFollowed();
    void ignoredNamesAreSkippedAndNotDescended();
    void specialFilesAreReportedNotRead();
    void nonUtf8NamesAreReported();
    void hostileNamesRoundTrip();
    void subPathScope();
    void subPathOutsideTheTreeIsEmpty();
    void missingRootIsRootMissing();
    void unreadableRootIsRootMissing();
    void unreadableDirectoryIsReportedNotEmpty();
    void unreadableFileKeepsEntryWithoutHash();
    void statOfOnePath();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString root() const { return m_dir->path(); }
    QString abs(const QString &path) const { return root() + QLatin1Char('/') + path; }
};

void TestScanner::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestScanner::nestedTreeGivesExactEntries()
{
    const QHash<QString, QByteArray> files{
        {QStringLiteral("a.txt"), "abc"},
        {QStringLiteral("dir/b.bin"), QByteArray(1000, 'b')},
        {QStringLiteral("dir/sub/c"), QByteArray()},
    };
    for (auto file = files.cbegin(); file != files.cend(); ++file)
        test::writeFile(root(), file.key(), file.value());
    QVERIFY(QDir(root()).mkpath(QStringLiteral("empty")));
    QVERIFY(QDir(root()).mkpath(QStringLiteral("dir/empty2")));

    const ScanResult result = scanOk(root());

    const QStringList expected{"a.txt",   "dir",       "dir/b.bin", "dir/empty2",
                               "dir/sub", "dir/sub/c", "empty"};
    QCOMPARE(sortedKeys(result.entries), expected);
    for (const LocalEntry &entry : result.entries) {
        const QFileInfo info(abs(entry.path));
        QCOMPARE(entry.isDir(), info.isDir());
        QCOMPARE(entry.mtimeNs / 1'000'000, info.lastModified().toMSecsSinceEpoch());
        QCOMPARE(entry.inode, inodeOf(abs(entry.path)));
        QVERIFY(entry.inode != 0);
        if (entry.isDir()) {
            QCOMPARE(entry.size, 0);
            QVERIFY(entry.sha256.isEmpty());
        } else {
            QCOMPARE(entry.size, files.value(entry.path).size());
            QCOMPARE(entry.sha256, sha256Hex(files.value(entry.path)));
        }
    }
    QCOMPARE(result.hashedFiles, 3);
    QCOMPARE(result.hashedBytes, 1003);
    QVERIFY(result.skippedSymlinks.isEmpty());
    QVERIFY(result.unreadable.isEmpty());
    QVERIFY(result.unrepresentable.isEmpty());
    QVERIFY(result.unreadableDirectories.isEmpty());
}

void TestScanner::mtimeKeepsNanoseconds()
{
    test::writeFile(root(), QStringLiteral("f"), "x");
    QVERIFY(QDir(root()).mkdir(QStringLiteral("d")));
    const qint64 fileMtime = 1'700'000'000'123'456'789LL;
    const qint64 dirMtime = 1'600'000'000'000'000'001LL;
    QVERIFY(setMtimeNs(abs(QStringLiteral("f")), fileMtime));
    QVERIFY(setMtimeNs(abs(QStringLiteral("d")), dirMtime));

    const ScanResult result = scanOk(root());
    QCOMPARE(result.entries.value(QStringLiteral("f")).mtimeNs, fileMtime);
    QCOMPARE(result.entries.value(QStringLiteral("d")).mtimeNs, dirMtime);
}

void TestScanner::fastPathReusesJournalHash()
{
    test::writeFile(root(), QStringLiteral("docs/a.txt"), "content of a");
    test::writeFile(root(), QStringLiteral("b.txt"), "content of b");
    const ScanResult first = scanOk(root());
    QCOMPARE(first.hashedFiles, 2);

    // A wrong hash with matching stat proves the content is not read again.
    JournalSnapshot journal = journalFrom(first.entries);
    const QByteArray recorded(64, 'f');
    journal[QStringLiteral("docs/a.txt")].sha256 = recorded;
    journal[QStringLiteral("b.txt")].sha256 = recorded;

    const ScanResult second = scanOk(root(), QString(), IgnoreRules(), journal);
    QCOMPARE(second.hashedFiles, 0);
    QCOMPARE(second.hashedBytes, 0);
    QCOMPARE(second.entries.value(QStringLiteral("docs/a.txt")).sha256, recorded);
    QCOMPARE(second.entries.value(QStringLiteral("b.txt")).sha256, recorded);
    QCOMPARE(sortedKeys(second.entries), sortedKeys(first.entries));

    // A record without a hash gives nothing to reuse.
    journal[QStringLiteral("b.txt")].sha256.clear();
    const ScanResult third = scanOk(root(), QString(), IgnoreRules(), journal);
    QCOMPARE(third.hashedFiles, 1);
    QCOMPARE(third.entries.value(QStringLiteral("b.txt")).sha256, sha256Hex("content of b"));
}

void TestScanner::largeNewFilesLeaveTheirHashToTheUpload()
{
    const qint64 threshold = 4096;
    const QByteArray large(threshold, 'L');
    test::writeFile(root(), QStringLiteral("new.bin"), large);
    test::writeFile(root(), QStringLiteral("small.txt"), "small");
    test::writeFile(root(), QStringLiteral("synced.bin"), large + "old");
    test::writeFile(root(), QStringLiteral("moved.bin"), large + "moved");

    // synced.bin has a record whose stat no longer matches; moved.bin's inode is that of a
    // record under another name (a move): both need their hash now.
    JournalSnapshot journal;
    JournalRecord synced;
    synced.path = QStringLiteral("synced.bin");
    synced.localSize = 1;
    synced.localInode = inodeOf(root() + QStringLiteral("/synced.bin"));
    synced.sha256 = QByteArray(64, 'a');
    journal.insert(synced.path, synced);
    JournalRecord before;
    before.path = QStringLiteral("before-the-move.bin");
    before.localSize = large.size() + 5;
    before.localInode = inodeOf(root() + QStringLiteral("/moved.bin"));
    before.sha256 = sha256Hex(large + "moved");
    journal.insert(before.path, before);

    Result<ScanResult> scanned =
        Scanner::scan(root(), QString(), IgnoreRules(), journal, threshold);
    QVERIFY(scanned.ok());
    const LocalSnapshot &entries = scanned->entries;
    const LocalEntry pending = entries.value(QStringLiteral("new.bin"));
    QVERIFY(pending.hashPending);
    QVERIFY(pending.sha256.isEmpty());
    QCOMPARE(pending.size, threshold);
    QVERIFY(scanned->unreadable.isEmpty()); // pending is not unreadable
    for (const char *hashed : {"small.txt", "synced.bin", "moved.bin"}) {
        const LocalEntry entry = entries.value(QString::fromLatin1(hashed));
        QVERIFY2(!entry.hashPending && !entry.sha256.isEmpty(), hashed);
    }
    QCOMPARE(entries.value(QStringLiteral("moved.bin")).sha256, before.sha256);
    QCOMPARE(scanned->hashedFiles, 3);

    // Without a threshold every file is hashed.
    const ScanResult everything = scanOk(root(), QString(), IgnoreRules(), journal);
    QCOMPARE(everything.entries.value(QStringLiteral("new.bin")).sha256, sha256Hex(large));
    QVERIFY(!everything.entries.value(QStringLiteral("new.bin")).hashPending);

    // One that cannot be opened is reported like any unreadable file, not left pending.
    if (runningAsRoot())
        return;
    QVERIFY(QFile::setPermissions(root() + QStringLiteral("/new.bin"), QFileDevice::WriteOwner));
    Result<ScanResult> locked = Scanner::scan(root(), QString(), IgnoreRules(), journal, threshold);
    QVERIFY(locked.ok());
    QVERIFY(!locked->entries.value(QStringLiteral("new.bin")).hashPending);
    QCOMPARE(locked->unreadable.size(), 1);
}

void TestScanner::changedStatIsRehashed_data()
{
    QTest::addColumn<QString>("change");
    QTest::newRow("mtime") << "mtime";
    QTest::newRow("size") << "size";
    QTest::newRow("inode") << "inode";
    // Issue 14 case 6: rewritten in place with its old mtime put back; only the ctime moved.
    QTest::newRow("ctime") << "ctime";
    // A record from before schema 5 has no ctime: hashed once, then recorded with it.
    QTest::newRow("no ctime recorded") << "no ctime";
}

void TestScanner::changedStatIsRehashed()
{
    QFETCH(QString, change);
    const QString path = QStringLiteral("f.txt");
    test::writeFile(root(), path, "same content");
    const ScanResult first = scanOk(root());
    JournalSnapshot journal = journalFrom(first.entries);
    journal[path].sha256 = QByteArray(64, '0');
    JournalRecord &record = journal[path];
    if (change == QLatin1String("mtime")) {
        QVERIFY(setMtimeNs(abs(path), record.localMtimeNs + 1'000'000'000));
    } else if (change == QLatin1String("size")) {
        record.localSize += 1;
    } else if (change == QLatin1String("no ctime")) {
        record.localCtimeNs = 0;
    } else if (change == QLatin1String("ctime")) {
        // The kernel's file times move in clock ticks: rewrite until the ctime shows it.
        QDeadlineTimer deadline(5000);
        while (Scanner::stat(root(), path)->ctimeNs == record.localCtimeNs &&
               !deadline.hasExpired()) {
            QFile file(abs(path));
            QVERIFY(file.open(QIODevice::ReadWrite));
            QCOMPARE(file.write("same content"), qint64(12));
            file.close();
            QVERIFY(setMtimeNs(abs(path), record.localMtimeNs));
            QThread::msleep(1);
        }
        const std::optional<LocalEntry> now = Scanner::stat(root(), path);
        QCOMPARE(now->mtimeNs, record.localMtimeNs);
        QCOMPARE(now->inode, record.localInode);
        QVERIFY(now->ctimeNs != record.localCtimeNs);
    } else {
        // Same content and mtime under a new inode: an atomic save by an editor.
        test::writeFile(root(), QStringLiteral("f.new"), "same content");
        QVERIFY(setMtimeNs(abs(QStringLiteral("f.new")), record.localMtimeNs));
        QVERIFY(::rename(QFile::encodeName(abs(QStringLiteral("f.new"))).constData(),
                         QFile::encodeName(abs(path)).constData()) == 0);
    }

    const ScanResult second = scanOk(root(), QString(), IgnoreRules(), journal);
    QCOMPARE(second.hashedFiles, 1);
    QCOMPARE(second.hashedBytes, qint64(qstrlen("same content")));
    QCOMPARE(second.entries.value(path).sha256, sha256Hex("same content"));
}

void TestScanner::symlinksAreSkippedNotFollowed()
{
    QTemporaryDir outside;
    QVERIFY(outside.isValid());
    test::writeFile(outside.path(), QStringLiteral("secret/data.txt"), "outside");
    test::writeFile(root(), QStringLiteral("real.txt"), "inside");
    QVERIFY(QDir(root()).mkdir(QStringLiteral("sub")));
    QVERIFY(
        makeSymlink(outside.path() + QStringLiteral("/secret"), abs(QStringLiteral("link-dir"))));
    QVERIFY(makeSymlink(abs(QStringLiteral("real.txt")), abs(QStringLiteral("sub/link-file"))));
    QVERIFY(makeSymlink(QStringLiteral("/nonexistent/target"), abs(QStringLiteral("dangling"))));
    QVERIFY(makeSymlink(abs(QStringLiteral("real.txt")), abs(QStringLiteral("ignored.swp"))));

    const ScanResult result = scanOk(root());
    QCOMPARE(sortedKeys(result.entries), (QStringList{"real.txt", "sub"}));
    QCOMPARE(result.skippedSymlinks, (QStringList{"dangling", "link-dir", "sub/link-file"}));
    QCOMPARE(result.hashedFiles, 1);
}

void TestScanner::ignoredNamesAreSkippedAndNotDescended()
{
    test::writeFile(root(), QStringLiteral(".steadysync/journal.db"), "db");
    test::writeFile(root(), QStringLiteral(".steadysync-part-17-report.pdf"), "partial");
    test::writeFile(root(), QStringLiteral("docs/.steadysync-part-9-x"), "partial");
    test::writeFile(root(), QStringLiteral("docs/report.pdf"), "pdf");
    test::writeFile(root(), QStringLiteral("docs/.report.pdf.swp"), "swap");
    test::writeFile(root(), QStringLiteral("docs/~$report.docx"), "owner");
    test::writeFile(root(), QStringLiteral("docs/.DS_Store"), "mac");
    test::writeFile(root(), QStringLiteral("build/out.o"), "object");
    test::writeFile(root(), QStringLiteral("keep.log"), "kept");
    test::writeFile(root(), QStringLiteral("drop.log"), "dropped");
    test::writeFile(root(), QStringLiteral(".steadysyncignore"), "build/\n*.log\n!keep.log\n");
    // Were these directories descended into, the symlinks would be reported.
    QVERIFY(makeSymlink(QStringLiteral("/"), abs(QStringLiteral("build/link"))));
    QVERIFY(makeSymlink(QStringLiteral("/"), abs(QStringLiteral(".steadysync/link"))));

    const ScanResult result = scanOk(root(), QString(), IgnoreRules::forRoot(root()));
    QCOMPARE(sortedKeys(result.entries),
             (QStringList{".steadysyncignore", "docs", "docs/report.pdf", "keep.log"}));
    QVERIFY(result.skippedSymlinks.isEmpty());
    QCOMPARE(result.hashedFiles, 3);
}

void TestScanner::specialFilesAreReportedNotRead()
{
    test::writeFile(root(), QStringLiteral("a.txt"), "a");
    QCOMPARE(::mkfifo(QFile::encodeName(abs(QStringLiteral("pipe"))).constData(), 0600), 0);
    const ScanResult result = scanOk(root());
    QCOMPARE(sortedKeys(result.entries), QStringList{"a.txt"});
    // Skipped like a symlink, not a failure to read: a FIFO does not keep a sync from passing.
    QCOMPARE(result.skippedSpecial, QStringList{QStringLiteral("pipe")});
    QVERIFY(result.unreadable.isEmpty());
}

void TestScanner::nonUtf8NamesAreReported()
{
    test::writeFile(root(), QStringLiteral("good.txt"), "good");
    const QByteArray rootBytes = QFile::encodeName(root());
    const QByteArray badFile = rootBytes + "/bad\xff.txt";
    const QByteArray badDir = rootBytes + "/dir\xc3\x28";
    const int fd = ::open(badFile.constData(), O_CREAT | O_WRONLY, 0600);
    QVERIFY(fd >= 0);
    ::close(fd);
    QCOMPARE(::mkdir(badDir.constData(), 0700), 0);
    QCOMPARE(::mkdir((badDir + "/inner").constData(), 0700), 0);

    const ScanResult result = scanOk(root());
    // QTemporaryDir cannot remove what QString cannot name.
    ::unlink(badFile.constData());
    ::rmdir((badDir + "/inner").constData());
    ::rmdir(badDir.constData());

    QCOMPARE(sortedKeys(result.entries), QStringList{"good.txt"});
    QCOMPARE(result.unrepresentable.size(), 2);
    for (const QString &name : result.unrepresentable)
        QVERIFY2(name.startsWith(QStringLiteral("bad")) || name.startsWith(QStringLiteral("dir")),
                 qPrintable(name));
}

void TestScanner::hostileNamesRoundTrip()
{
    const QString longName = QString(100, QChar(0x00E4)); // 200 bytes of UTF-8
    QCOMPARE(QFile::encodeName(longName).size(), 200);
    const QStringList names{
        QStringLiteral("with space.txt"),
        QStringLiteral(" leading and trailing "),
        QStringLiteral("100%.txt"),
        QStringLiteral("%20 not decoded"),
        QStringLiteral("#hash"),
        QStringLiteral("what?.txt"),
        QStringLiteral("star*and[bracket]"),
        QStringLiteral("back\\slash"),
        QStringLiteral("line\nbreak"),
        QStringLiteral("ünïcödé.txt"),
        QStringLiteral("日本語のファイル"),
        QStringLiteral("emoji 😀🎉.txt"),
        QStringLiteral("quote'\"and&amp;"),
        longName,
    };
    QHash<QString, QByteArray> expected;
    for (const QString &name : names) {
        expected.insert(name, name.toUtf8());
        expected.insert(QStringLiteral("sub dir ✓/") + name, "nested " + name.toUtf8());
    }
    for (auto file = expected.cbegin(); file != expected.cend(); ++file)
        test::writeFile(root(), file.key(), file.value());

    const ScanResult result = scanOk(root());
    QVERIFY(result.unrepresentable.isEmpty());
    QVERIFY(result.unreadable.isEmpty());
    QCOMPARE(result.entries.size(), expected.size() + 1);
    QVERIFY(result.entries.value(QStringLiteral("sub dir ✓")).isDir());
    for (auto file = expected.cbegin(); file != expected.cend(); ++file) {
        QVERIFY2(result.entries.contains(file.key()), qPrintable(file.key()));
        const LocalEntry entry = result.entries.value(file.key());
        QCOMPARE(entry.sha256, sha256Hex(file.value()));
        // The path leads back to the same file.
        QCOMPARE(test::readFile(abs(entry.path)), file.value());
        QVERIFY(Scanner::stat(root(), entry.path).has_value());
    }
}

void TestScanner::subPathScope()
{
    test::writeFile(root(), QStringLiteral("a/b/c.txt"), "c");
    test::writeFile(root(), QStringLiteral("a/b/d/e.txt"), "e");
    test::writeFile(root(), QStringLiteral("a/b/d/e.swp"), "swap");
    test::writeFile(root(), QStringLiteral("a/bb.txt"), "sibling with the same prefix");
    test::writeFile(root(), QStringLiteral("a/x.txt"), "x");
    test::writeFile(root(), QStringLiteral("z.txt"), "z");

    const ScanResult directory = scanOk(root(), QStringLiteral("a/b"));
    QCOMPARE(sortedKeys(directory.entries),
             (QStringList{"a/b", "a/b/c.txt", "a/b/d", "a/b/d/e.txt"}));
    QVERIFY(directory.entries.value(QStringLiteral("a/b")).isDir());
    QCOMPARE(directory.entries.value(QStringLiteral("a/b")).inode,
             inodeOf(abs(QStringLiteral("a/b"))));

    const ScanResult file = scanOk(root(), QStringLiteral("a/x.txt"));
    QCOMPARE(sortedKeys(file.entries), QStringList{"a/x.txt"});
    QCOMPARE(file.entries.value(QStringLiteral("a/x.txt")).sha256, sha256Hex("x"));

    const ScanResult whole = scanOk(root());
    QCOMPARE(whole.entries.size(), 8);
    QVERIFY(!whole.entries.contains(QString()));
}

void TestScanner::subPathOutsideTheTreeIsEmpty()
{
    test::writeFile(root(), QStringLiteral("a/b/c.txt"), "c");
    test::writeFile(root(), QStringLiteral("a/f.swp"), "swap");
    QVERIFY(makeSymlink(abs(QStringLiteral("a")), abs(QStringLiteral("link"))));

    for (const QString &subPath :
         {QStringLiteral("missing"), QStringLiteral("a/missing/deeper"), QStringLiteral("link"),
          QStringLiteral("link/b"), QStringLiteral("a/b/c.txt/below-a-file"),
          QStringLiteral("a/f.swp"), QStringLiteral(".steadysync")}) {
        const Result<ScanResult> result = Scanner::scan(root(), subPath, IgnoreRules(), {});
        QVERIFY2(result.ok(), qPrintable(subPath));
        QVERIFY2(result->entries.isEmpty(), qPrintable(subPath));
    }
    QCOMPARE(scanOk(root(), QStringLiteral("link")).skippedSymlinks, QStringList{"link"});
}

void TestScanner::missingRootIsRootMissing()
{
    test::writeFile(root(), QStringLiteral("plain-file"), "x");
    QVERIFY(makeSymlink(abs(QStringLiteral("nowhere")), abs(QStringLiteral("dangling"))));
    for (const QString &path : {abs(QStringLiteral("absent")), abs(QStringLiteral("plain-file")),
                                abs(QStringLiteral("dangling")), QString()}) {
        const Result<ScanResult> result = Scanner::scan(path, QString(), IgnoreRules(), {});
        QVERIFY2(!result.ok(), qPrintable(path));
        QCOMPARE(result.error().kind, ErrorKind::RootMissing);
    }
    // A root reached through a symlink is the user's choice and is followed.
    QVERIFY(QDir(root()).mkdir(QStringLiteral("real")));
    test::writeFile(root(), QStringLiteral("real/f"), "f");
    QVERIFY(makeSymlink(abs(QStringLiteral("real")), abs(QStringLiteral("linked-root"))));
    QCOMPARE(sortedKeys(scanOk(abs(QStringLiteral("linked-root"))).entries), QStringList{"f"});
}

void TestScanner::unreadableRootIsRootMissing()
{
    if (runningAsRoot())
        QSKIP("running as root: directory permissions do not stop root");
    QVERIFY(QDir(root()).mkdir(QStringLiteral("locked")));
    const QString locked = abs(QStringLiteral("locked"));
    for (const auto permissions :
         {QFileDevice::Permissions(), QFileDevice::Permissions(QFileDevice::ReadOwner)}) {
        QVERIFY(QFile::setPermissions(locked, permissions));
        const Result<ScanResult> result = Scanner::scan(locked, QString(), IgnoreRules(), {});
        QVERIFY(QFile::setPermissions(locked, QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                                  QFileDevice::ExeOwner));
        QVERIFY(!result.ok());
        QCOMPARE(result.error().kind, ErrorKind::RootMissing);
    }
}

void TestScanner::unreadableDirectoryIsReportedNotEmpty()
{
    if (runningAsRoot())
        QSKIP("running as root: directory permissions do not stop root");
    test::writeFile(root(), QStringLiteral("ok/a.txt"), "a");
    test::writeFile(root(), QStringLiteral("closed/b.txt"), "b");
    test::writeFile(root(), QStringLiteral("unsearchable/c.txt"), "c");
    const QFileDevice::Permissions all =
        QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner;
    QVERIFY(QFile::setPermissions(abs(QStringLiteral("closed")), QFileDevice::Permissions()));
    // Listable but not searchable: names are visible, nothing can be stat'ed.
    QVERIFY(QFile::setPermissions(abs(QStringLiteral("unsearchable")), QFileDevice::ReadOwner));

    const ScanResult result = scanOk(root());
    QVERIFY(QFile::setPermissions(abs(QStringLiteral("closed")), all));
    QVERIFY(QFile::setPermissions(abs(QStringLiteral("unsearchable")), all));

    QCOMPARE(sortedKeys(result.entries), (QStringList{"closed", "ok", "ok/a.txt", "unsearchable"}));
    QCOMPARE(result.unreadableDirectories, (QStringList{"closed", "unsearchable"}));
    QCOMPARE(result.unreadable.size(), 2);
    QVERIFY(result.unreadable.at(0).startsWith(QStringLiteral("closed: ")));
    QVERIFY(result.unreadable.at(1).startsWith(QStringLiteral("unsearchable: ")));

    // The scope root itself unreadable: its entry, and it is reported.
    QVERIFY(QFile::setPermissions(abs(QStringLiteral("closed")), QFileDevice::Permissions()));
    const ScanResult scoped = scanOk(root(), QStringLiteral("closed"));
    QVERIFY(QFile::setPermissions(abs(QStringLiteral("closed")), all));
    QCOMPARE(sortedKeys(scoped.entries), QStringList{"closed"});
    QCOMPARE(scoped.unreadableDirectories, QStringList{"closed"});
}

void TestScanner::unreadableFileKeepsEntryWithoutHash()
{
    if (runningAsRoot())
        QSKIP("running as root: file permissions do not stop root");
    test::writeFile(root(), QStringLiteral("secret.txt"), "secret");
    test::writeFile(root(), QStringLiteral("open.txt"), "open");
    QVERIFY(QFile::setPermissions(abs(QStringLiteral("secret.txt")), QFileDevice::WriteOwner));
    const ScanResult result = scanOk(root());
    QVERIFY(QFile::setPermissions(abs(QStringLiteral("secret.txt")),
                                  QFileDevice::ReadOwner | QFileDevice::WriteOwner));

    // Present (so it does not read as deleted) but without a hash ("cannot read now").
    QVERIFY(result.entries.contains(QStringLiteral("secret.txt")));
    const LocalEntry secret = result.entries.value(QStringLiteral("secret.txt"));
    QVERIFY(secret.sha256.isEmpty());
    QCOMPARE(secret.size, 6);
    QCOMPARE(result.entries.value(QStringLiteral("open.txt")).sha256, sha256Hex("open"));
    QCOMPARE(result.unreadable.size(), 1);
    QVERIFY(result.unreadable.first().startsWith(QStringLiteral("secret.txt: ")));
    QCOMPARE(result.hashedFiles, 1);
}

void TestScanner::statOfOnePath()
{
    test::writeFile(root(), QStringLiteral("d/f.txt"), "12345");
    QVERIFY(makeSymlink(abs(QStringLiteral("d/f.txt")), abs(QStringLiteral("link"))));

    const std::optional<LocalEntry> file = Scanner::stat(root(), QStringLiteral("d/f.txt"));
    QVERIFY(file.has_value());
    QCOMPARE(file->path, QStringLiteral("d/f.txt"));
    QCOMPARE(file->type, ItemType::File);
    QCOMPARE(file->size, 5);
    QCOMPARE(file->inode, inodeOf(abs(QStringLiteral("d/f.txt"))));
    QCOMPARE(file->mtimeNs / 1'000'000,
             QFileInfo(abs(QStringLiteral("d/f.txt"))).lastModified().toMSecsSinceEpoch());
    QVERIFY(file->sha256.isEmpty());

    const std::optional<LocalEntry> dir = Scanner::stat(root(), QStringLiteral("d"));
    QVERIFY(dir.has_value());
    QCOMPARE(dir->type, ItemType::Directory);
    QCOMPARE(dir->size, 0);

    QVERIFY(!Scanner::stat(root(), QStringLiteral("link")).has_value());
    QVERIFY(!Scanner::stat(root(), QStringLiteral("absent")).has_value());

    // What stat reports is what a scan reports, minus the hash.
    LocalEntry scanned = scanOk(root()).entries.value(QStringLiteral("d/f.txt"));
    scanned.sha256.clear();
    QCOMPARE(*file, scanned);
}

QTEST_GUILESS_MAIN(TestScanner)
#include "tst_scanner.moc"
