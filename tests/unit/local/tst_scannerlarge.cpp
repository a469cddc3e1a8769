#include "local/scanner.h"
#include "scannedentry.h"

#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>

#include <fcntl.h>
#include <limits>
#include <sys/stat.h>
#include <unistd.h>

using namespace steadysync;
using steadysync::test::journalFrom;

namespace {

constexpr int kDirectories = 1000;
constexpr int kFilesPerDirectory = 100;
constexpr int kRepeats = 3; // best of: the machine is shared

QByteArray fileName(int file)
{
    return "file" + QByteArray::number(file) + ".txt";
}

QByteArray directoryName(int directory)
{
    return "dir" + QByteArray::number(directory);
}

// Plain POSIX calls: QDir would take minutes for 100,000 files under the sanitizers.
bool createTree(int rootFd)
{
    for (int d = 0; d < kDirectories; ++d) {
        if (::mkdirat(rootFd, directoryName(d).constData(), 0755) != 0)
            return false;
        const int dirFd = ::openat(rootFd, directoryName(d).constData(), O_DIRECTORY | O_CLOEXEC);
        if (dirFd < 0)
            return false;
        for (int f = 0; f < kFilesPerDirectory; ++f) {
            const int fd =
                ::openat(dirFd, fileName(f).constData(), O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
            const QByteArray content = QByteArray::number(d * kFilesPerDirectory + f);
            const bool written =
                fd >= 0 &&
                ::write(fd, content.constData(), size_t(content.size())) == ssize_t(content.size());
            if (fd >= 0)
                ::close(fd);
            if (!written) {
                ::close(dirFd);
                return false;
            }
        }
        ::close(dirFd);
    }
    return true;
}

void removeTree(int rootFd)
{
    for (int d = 0; d < kDirectories; ++d) {
        const int dirFd = ::openat(rootFd, directoryName(d).constData(), O_DIRECTORY | O_CLOEXEC);
        if (dirFd < 0)
            continue;
        for (int f = 0; f < kFilesPerDirectory; ++f)
            ::unlinkat(dirFd, fileName(f).constData(), 0);
        ::close(dirFd);
        ::unlinkat(rootFd, directoryName(d).constData(), AT_REMOVEDIR);
    }
}

} // namespace

// DESIGN §9: a re-sync with nothing changed checks 100,000 files in under 1 s, within 1.5x of
// `find -printf '%s %T@'`. Timings are logged, not asserted (a shared 2-core box);
// correctness is asserted.
class TestScannerLarge : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void unchangedTreeOf100kFiles();
};

void TestScannerLarge::unchangedTreeOf100kFiles()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const int rootFd = ::open(QFile::encodeName(dir.path()).constData(), O_DIRECTORY | O_CLOEXEC);
    QVERIFY(rootFd >= 0);
    const auto cleanup = qScopeGuard([rootFd] {
        removeTree(rootFd);
        ::close(rootFd);
    });
    QElapsedTimer timer;
    timer.start();
    QVERIFY(createTree(rootFd));
    qInfo("created %d files in %lld ms", kDirectories * kFilesPerDirectory, timer.elapsed());

    const IgnoreRules ignore;
    timer.restart();
    const Result<ScanResult> first = Scanner::scan(dir.path(), QString(), ignore, {});
    QVERIFY(first.ok());
    qInfo("first scan (hashing every file): %lld ms", timer.elapsed());
    QCOMPARE(first->entries.size(), kDirectories * (kFilesPerDirectory + 1));
    QCOMPARE(first->hashedFiles, kDirectories * kFilesPerDirectory);

    const JournalSnapshot journal = journalFrom(first->entries);
    qint64 bestScanNs = std::numeric_limits<qint64>::max();
    for (int i = 0; i < kRepeats; ++i) {
        timer.restart();
        const Result<ScanResult> again = Scanner::scan(dir.path(), QString(), ignore, journal);
        bestScanNs = qMin(bestScanNs, timer.nsecsElapsed());
        QVERIFY(again.ok());
        QCOMPARE(again->hashedFiles, 0);
        QCOMPARE(again->entries, first->entries);
    }

    qint64 bestFindNs = std::numeric_limits<qint64>::max();
    for (int i = 0; i < kRepeats; ++i) {
        QProcess find;
        find.setStandardOutputFile(QProcess::nullDevice());
        timer.restart();
        find.start(QStringLiteral("find"),
                   {dir.path(), QStringLiteral("-printf"), QStringLiteral("%s %T@\\n")});
        QVERIFY(find.waitForFinished(120'000));
        bestFindNs = qMin(bestFindNs, timer.nsecsElapsed());
        QCOMPARE(find.exitCode(), 0);
    }
    qInfo("unchanged rescan of %d files: scanner %.0f ms, find -printf %.0f ms (ratio %.2f)",
          kDirectories * kFilesPerDirectory, bestScanNs / 1e6, bestFindNs / 1e6,
          double(bestScanNs) / double(bestFindNs));
}

QTEST_GUILESS_MAIN(TestScannerLarge)
#include "tst_scannerlarge.moc"
