// An idle `watch` keeps only what it needs (issue 21 item 2): after the first cycle over a
// large tree, the memory that cycle used (scan, listing, plan: hundreds of bytes per file) goes
// back to the system, so a watch of a million files can idle under 400 MB. Measured against a
// watch of an empty folder in the same run, so the test does not depend on the machine.
#include "clirunner.h"
#include "testutil.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <limits>

using namespace steadysync::test;

namespace {

constexpr int Files = 40'000;
constexpr int Folders = 200;
// What an idle watch may keep per tracked file in its own (anonymous) memory, beyond an empty
// watch's: the target, 400 MB for a million files, is 400 bytes a file. Measured on 40,000
// files: ~620 bytes a file without giving the cycle's memory back, ~280 with.
constexpr qint64 IdleBytesPerFile = 400;

void writeTree(const QString &root)
{
    for (int folder = 0; folder < Folders; ++folder)
        QVERIFY(QDir().mkpath(root + QStringLiteral("/d%1").arg(folder, 4, 10, QLatin1Char('0'))));
    for (int index = 0; index < Files; ++index) {
        QFile file(root + QStringLiteral("/d%1/f%2.txt")
                              .arg(index % Folders, 4, 10, QLatin1Char('0'))
                              .arg(index, 6, 10, QLatin1Char('0')));
        QVERIFY(file.open(QIODevice::WriteOnly));
        QVERIFY(file.write(QByteArray::number(index) + " idle memory\n") > 0);
    }
}

} // namespace

class TestIdleMemory : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void idleWatchGivesTheCyclesMemoryBack();

private:
    // Starts a watch of `local` and waits until its first cycle has tracked `files` files and
    // it went idle; returns its resident set once it stays below `limit` (or the last seen).
    qint64 idleResidentBytes(const QString &local, const QString &remote, int files, qint64 limit);

    std::unique_ptr<QTemporaryDir> m_home, m_work;
    std::unique_ptr<CliRunner> m_cli;
    QList<QProcess *> m_watches;
};

void TestIdleMemory::init()
{
    m_home = std::make_unique<QTemporaryDir>();
    // Tens of thousands of files are written and removed: in memory where the system offers it.
    const bool shm = QFileInfo(QStringLiteral("/dev/shm")).isWritable();
    m_work = shm ? std::make_unique<QTemporaryDir>(QStringLiteral("/dev/shm/tst_idlememory-XXXXXX"))
                 : std::make_unique<QTemporaryDir>();
    m_cli = std::make_unique<CliRunner>(m_home->path());
}

void TestIdleMemory::cleanup()
{
    for (QProcess *watch : std::as_const(m_watches)) {
        watch->terminate();
        if (!watch->waitForFinished(30'000))
            watch->kill();
        delete watch;
    }
    m_watches.clear();
    m_work.reset();
}

qint64 TestIdleMemory::idleResidentBytes(const QString &local, const QString &remote, int files,
                                         qint64 limit)
{
    QProcess *watch =
        m_cli->start({QStringLiteral("watch"), local, QUrl::fromLocalFile(remote).toString(),
                      QStringLiteral("--poll-interval"), QStringLiteral("3600")},
                     nullptr);
    m_watches.append(watch);
    const bool idle = waitFor(
        [&] {
            const QJsonObject status =
                m_cli->run({QStringLiteral("status"), local, QStringLiteral("--json")}).json();
            return status.value(QStringLiteral("state")).toString() == QLatin1String("idle") &&
                   status.value(QStringLiteral("tracked_files")).toInt() == files;
        },
        300'000);
    if (!idle)
        return -1;
    qint64 resident = -1;
    waitFor(
        [&] {
            resident = anonymousResidentBytes(watch->processId());
            return resident >= 0 && resident < limit;
        },
        20'000);
    return resident;
}

void TestIdleMemory::idleWatchGivesTheCyclesMemoryBack()
{
    const QString root = m_work->path();
    for (const char *name : {"empty", "empty-remote", "large", "large-remote"})
        QVERIFY(QDir().mkpath(root + QLatin1Char('/') + QLatin1String(name)));
    const qint64 empty =
        idleResidentBytes(root + QStringLiteral("/empty"), root + QStringLiteral("/empty-remote"),
                          0, std::numeric_limits<qint64>::max());
    QVERIFY2(empty > 0, "the watch of an empty folder never went idle");

    writeTree(root + QStringLiteral("/large"));
    const qint64 limit = empty + IdleBytesPerFile * Files;
    const qint64 large = idleResidentBytes(root + QStringLiteral("/large"),
                                           root + QStringLiteral("/large-remote"), Files, limit);
    QVERIFY2(large > 0, "the watch of the large folder never finished its first cycle");
    QVERIFY2(large < limit, qPrintable(QStringLiteral("idle watch of %1 files: %2 MB of its own "
                                                      "memory, an empty one %3 MB (limit %4 MB)")
                                           .arg(Files)
                                           .arg(double(large) / 1e6, 0, 'f', 1)
                                           .arg(double(empty) / 1e6, 0, 'f', 1)
                                           .arg(double(limit) / 1e6, 0, 'f', 1)));
}

QTEST_GUILESS_MAIN(TestIdleMemory)
#include "tst_idlememory.moc"
