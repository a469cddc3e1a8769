// LocalFileOps::moveToTrash: a file removed because of a remote delete lands in a trash the
// user can find (the freedesktop one, created when missing, or the pair's own), never in the
// current directory. Issue 13, case 9: without ~/.local/share, Qt 6.4's QFile::moveToTrash
// wrote ./files and ./info into the current directory, which a sync run from inside the
// folder then uploaded.
#include "local/scanner.h"
#include "sync/localfileops.h"
#include "testutil.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QDir>
#include <QFileInfo>
#include <QStorageInfo>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QUrl>

#include <algorithm>
#include <fcntl.h>
#include <memory>
#include <sys/stat.h>
#include <unistd.h>

using namespace steadysync;
using namespace steadysync::test;

namespace {

mode_t modeOf(const QString &path)
{
    struct stat st;
    return ::lstat(QFile::encodeName(path).constData(), &st) == 0 ? (st.st_mode & 07777) : 0;
}

dev_t deviceOf(const QString &path)
{
    struct stat st;
    return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? st.st_dev : 0;
}

void age(const QString &path, qint64 seconds)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadWrite));
    QVERIFY(file.setFileTime(QDateTime::currentDateTimeUtc().addSecs(-seconds),
                             QFileDevice::FileModificationTime));
}

} // namespace

class TestLocalFileOps : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        m_savedCwd = QDir::currentPath();
        m_savedHome = qgetenv("HOME");
        m_savedDataHome = qgetenv("XDG_DATA_HOME");
        m_scratch = std::make_unique<QTemporaryDir>();
        QVERIFY(m_scratch->isValid());
        m_home = m_scratch->filePath(QStringLiteral("home"));
        m_root = m_scratch->filePath(QStringLiteral("synced"));
        QVERIFY(QDir().mkpath(m_home) && QDir().mkpath(m_root));
        qputenv("HOME", QFile::encodeName(m_home));
        qunsetenv("XDG_DATA_HOME");
        // As when `steadysync-cli sync` runs from inside the synced folder.
        QVERIFY(QDir::setCurrent(m_root));
    }

    void cleanup()
    {
        QDir::setCurrent(m_savedCwd);
        qputenv("HOME", m_savedHome);
        if (m_savedDataHome.isNull())
            qunsetenv("XDG_DATA_HOME");
        else
            qputenv("XDG_DATA_HOME", m_savedDataHome);
        m_scratch.reset();
    }

    void missingDataHomeIsCreatedAsTheSpecSays()
    {
        writeFile(m_root, QStringLiteral("doomed.txt"), "last words");
        QVERIFY(LocalFileOps::moveToTrash(m_root, QStringLiteral("doomed.txt")));

        const QString trash = m_home + QStringLiteral("/.local/share/Trash");
        QVERIFY(!QFileInfo::exists(m_root + QStringLiteral("/doomed.txt")));
        QCOMPARE(readFile(trash + QStringLiteral("/files/doomed.txt")), QByteArray("last words"));
        const QByteArray info = readFile(trash + QStringLiteral("/info/doomed.txt.trashinfo"));
        QVERIFY2(info.startsWith("[Trash Info]\n"), info.constData());
        QVERIFY2(info.contains("\nPath=" + QUrl::toPercentEncoding(m_root, "/") + "/doomed.txt\n"),
                 info.constData());
        QVERIFY2(info.contains("\nDeletionDate="), info.constData());
        QCOMPARE(modeOf(trash), mode_t(0700));
        QCOMPARE(modeOf(trash + QStringLiteral("/files")), mode_t(0700));
        QCOMPARE(modeOf(trash + QStringLiteral("/info")), mode_t(0700));
        verifyNothingInTheCurrentDirectory();
    }

    void xdgDataHomeIsHonoured()
    {
        const QString dataHome = m_scratch->filePath(QStringLiteral("data"));
        qputenv("XDG_DATA_HOME", QFile::encodeName(dataHome));
        writeFile(m_root, QStringLiteral("dir/inner.txt"), "inner");
        QVERIFY(LocalFileOps::moveToTrash(m_root, QStringLiteral("dir")));

        QVERIFY(!QFileInfo::exists(m_root + QStringLiteral("/dir")));
        QCOMPARE(readFile(dataHome + QStringLiteral("/Trash/files/dir/inner.txt")),
                 QByteArray("inner"));
        QVERIFY(QFileInfo::exists(dataHome + QStringLiteral("/Trash/info/dir.trashinfo")));
        QVERIFY(!QFileInfo::exists(m_home + QStringLiteral("/.local")));
        verifyNothingInTheCurrentDirectory();
    }

    // The spec says to ignore a relative XDG_DATA_HOME; resolving it would mean the CWD.
    void relativeXdgDataHomeIsIgnored()
    {
        qputenv("XDG_DATA_HOME", "share");
        writeFile(m_root, QStringLiteral("doomed.txt"), "last words");
        QVERIFY(LocalFileOps::moveToTrash(m_root, QStringLiteral("doomed.txt")));

        QCOMPARE(readFile(m_home + QStringLiteral("/.local/share/Trash/files/doomed.txt")),
                 QByteArray("last words"));
        QVERIFY(!QFileInfo::exists(m_root + QStringLiteral("/share")));
        verifyNothingInTheCurrentDirectory();
    }

    void sameNameTwiceKeepsBoth()
    {
        writeFile(m_root, QStringLiteral("a/note.txt"), "first");
        writeFile(m_root, QStringLiteral("b/note.txt"), "second");
        QVERIFY(LocalFileOps::moveToTrash(m_root, QStringLiteral("a/note.txt")));
        QVERIFY(LocalFileOps::moveToTrash(m_root, QStringLiteral("b/note.txt")));

        const QString files = m_home + QStringLiteral("/.local/share/Trash/files/");
        QCOMPARE(readFile(files + QStringLiteral("note.txt")), QByteArray("first"));
        QCOMPARE(readFile(files + QStringLiteral("note.txt.2")), QByteArray("second"));
        const QByteArray info =
            readFile(m_home + QStringLiteral("/.local/share/Trash/info/note.txt.2.trashinfo"));
        QVERIFY2(info.contains("/b/note.txt\n"), info.constData());
        verifyNothingInTheCurrentDirectory();
    }

    // An edit in place with its old mtime put back (same size and inode) is a change: a
    // download must not replace it (issue 14 case 6).
    void editWithRestoredMtimeIsNotUnchanged()
    {
        writeFile(m_root, QStringLiteral("f.bin"), "0123456789");
        const std::optional<LocalEntry> examined = Scanner::stat(m_root, QStringLiteral("f.bin"));
        QVERIFY(examined);
        QVERIFY(LocalFileOps::unchangedSince(m_root, QStringLiteral("f.bin"), examined));
        const QByteArray path = QFile::encodeName(m_root + QStringLiteral("/f.bin"));
        const struct timespec times[2] = {
            {0, UTIME_OMIT},
            {time_t(examined->mtimeNs / 1'000'000'000), long(examined->mtimeNs % 1'000'000'000)}};
        // The kernel's file times move in clock ticks: rewrite until the ctime shows it.
        QDeadlineTimer deadline(5000);
        while (Scanner::stat(m_root, QStringLiteral("f.bin"))->ctimeNs == examined->ctimeNs &&
               !deadline.hasExpired()) {
            QFile file(m_root + QStringLiteral("/f.bin"));
            QVERIFY(file.open(QIODevice::ReadWrite));
            QCOMPARE(file.write("ABCDEFGHIJ"), qint64(10));
            file.close();
            QVERIFY(::utimensat(AT_FDCWD, path.constData(), times, 0) == 0);
            QThread::msleep(1);
        }
        const std::optional<LocalEntry> now = Scanner::stat(m_root, QStringLiteral("f.bin"));
        QCOMPARE(now->mtimeNs, examined->mtimeNs);
        QCOMPARE(now->size, examined->size);
        QCOMPARE(now->inode, examined->inode);
        QVERIFY(!LocalFileOps::unchangedSince(m_root, QStringLiteral("f.bin"), examined));
    }

    // A 255-byte name cannot get "NAME.trashinfo" (265 bytes): the trash name is shortened
    // (the info file keeps the real path), in the desktop trash, not the pair's fallback.
    void longNamesFitTheTrash()
    {
        const QString name = QString(251, QLatin1Char('l')) + QStringLiteral(".txt");
        writeFile(m_root, QStringLiteral("a/") + name, "first");
        writeFile(m_root, QStringLiteral("b/") + name, "second");
        QVERIFY(LocalFileOps::moveToTrash(m_root, QStringLiteral("a/") + name));
        QVERIFY(LocalFileOps::moveToTrash(m_root, QStringLiteral("b/") + name));

        const QString trash = m_home + QStringLiteral("/.local/share/Trash");
        const QStringList files = QDir(trash + QStringLiteral("/files")).entryList(QDir::Files);
        QCOMPARE(files.size(), 2);
        QByteArrayList contents;
        for (const QString &file : files) {
            QVERIFY2(file.toUtf8().size() + 10 <= 255, qPrintable(file));
            contents.append(readFile(trash + QStringLiteral("/files/") + file));
            const QByteArray info =
                readFile(trash + QStringLiteral("/info/") + file + QStringLiteral(".trashinfo"));
            QVERIFY2(info.contains(name.toUtf8() + '\n'), info.constData());
        }
        std::sort(contents.begin(), contents.end());
        QCOMPARE(contents, (QByteArrayList{"first", "second"}));
        QVERIFY(!QFileInfo::exists(m_root + QStringLiteral("/.steadysync/trash")));
    }

    // HOME below a regular file: no XDG trash can exist, the pair's own trash takes the file.
    void unusableHomeFallsBackToThePairTrash()
    {
        writeFile(m_scratch->path(), QStringLiteral("not-a-directory"), "x");
        qputenv("HOME",
                QFile::encodeName(m_scratch->filePath(QStringLiteral("not-a-directory/home"))));
        writeFile(m_root, QStringLiteral("sub/doomed.txt"), "last words");
        QVERIFY(LocalFileOps::moveToTrash(m_root, QStringLiteral("sub/doomed.txt")));

        QVERIFY(!QFileInfo::exists(m_root + QStringLiteral("/sub/doomed.txt")));
        const QStringList stamps = QDir(m_root + QStringLiteral("/.steadysync/trash"))
                                       .entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        QCOMPARE(stamps.size(), 1);
        QCOMPARE(readFile(m_root + QStringLiteral("/.steadysync/trash/") + stamps.first() +
                          QStringLiteral("/sub/doomed.txt")),
                 QByteArray("last words"));
        verifyNothingInTheCurrentDirectory();
    }

    // A file on another device than the home trash goes to that volume's $topdir/.Trash-$UID
    // (a rename, never a copy), with Path relative to $topdir. /dev/shm is such a volume here.
    void otherDeviceUsesTheVolumeTrash()
    {
        const QString volume = QStringLiteral("/dev/shm");
        if (!QFileInfo(volume).isWritable() || deviceOf(volume) == deviceOf(m_home) ||
            QStorageInfo(volume).rootPath() != volume)
            QSKIP("needs /dev/shm as a writable mount on another device than the test's HOME");
        const QString trash = volume + QStringLiteral("/.Trash-") + QString::number(::getuid());
        const bool trashExisted = QFileInfo::exists(trash);
        QTemporaryDir root(volume + QStringLiteral("/steadysync-trash-test-XXXXXX"));
        QVERIFY(root.isValid());
        QVERIFY(QDir::setCurrent(root.path()));
        const QString name = QFileInfo(root.path()).fileName() + QStringLiteral("-doomed.txt");
        writeFile(root.path(), name, "on another device");

        const bool trashed = bool(LocalFileOps::moveToTrash(root.path(), name));
        const QByteArray content = readFile(trash + QStringLiteral("/files/") + name);
        const QByteArray info =
            readFile(trash + QStringLiteral("/info/") + name + QStringLiteral(".trashinfo"));
        QFile::remove(trash + QStringLiteral("/files/") + name);
        QFile::remove(trash + QStringLiteral("/info/") + name + QStringLiteral(".trashinfo"));
        if (!trashExisted)
            QDir(trash).removeRecursively();
        QDir::setCurrent(m_root);

        QVERIFY(trashed);
        QCOMPARE(content, QByteArray("on another device"));
        const QString relative =
            QDir(volume).relativeFilePath(root.path() + QLatin1Char('/') + name);
        QVERIFY2(info.contains("\nPath=" + QUrl::toPercentEncoding(relative, "/") + '\n'),
                 info.constData());
        QVERIFY(!QFileInfo::exists(m_home + QStringLiteral("/.local")));
    }

    void partialDownloadsSurviveUntilStale()
    {
        // A download cut off in one run is resumed by the next (WebDavBackend::download): setting
        // up a run keeps it, and its validator, until it is older than the limit.
        QTemporaryDir root;
        const QString tmp = LocalFileOps::temporaryDirectory(root.path());
        const QString relative = QStringLiteral(".steadysync/tmp/");
        test::writeFile(root.path(), relative + QStringLiteral("download-young"), "half");
        test::writeFile(root.path(), relative + QStringLiteral("download-young.validator"),
                        "\"v\"\n");
        test::writeFile(root.path(), relative + QStringLiteral("download-old"), "half");
        test::writeFile(root.path(), relative + QStringLiteral("upload-scratch"), "x");
        test::writeFile(root.path(), relative + QStringLiteral("download-dir/inside"), "x");
        age(tmp + QStringLiteral("/download-old"), 3 * 3600);

        LocalFileOps::removeStaleTemporaries(root.path(), 3600);
        QStringList left =
            QDir(tmp).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden);
        left.sort();
        QCOMPARE(left, (QStringList{QStringLiteral("download-young"),
                                    QStringLiteral("download-young.validator")}));
        QCOMPARE(test::readFile(tmp + QStringLiteral("/download-young")), QByteArray("half"));

        // Not resumed for longer than the limit: gone, with its validator.
        age(tmp + QStringLiteral("/download-young"), 2 * 3600);
        age(tmp + QStringLiteral("/download-young.validator"), 2 * 3600);
        LocalFileOps::removeStaleTemporaries(root.path(), 3600);
        QVERIFY(QDir(tmp).isEmpty());
    }

private:
    void verifyNothingInTheCurrentDirectory()
    {
        for (const QString &name : {QStringLiteral("files"), QStringLiteral("info")}) {
            QVERIFY2(!QFileInfo::exists(m_root + QLatin1Char('/') + name),
                     qPrintable(name + QStringLiteral(" was written into the current directory")));
        }
    }

    std::unique_ptr<QTemporaryDir> m_scratch;
    QString m_home;
    QString m_root;
    QString m_savedCwd;
    QByteArray m_savedHome;
    QByteArray m_savedDataHome;
};

QTEST_GUILESS_MAIN(TestLocalFileOps)
#include "tst_localfileops.moc"
