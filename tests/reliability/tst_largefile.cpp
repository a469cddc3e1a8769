// Issue #5 "bad input": a sparse file over 4 GiB goes up to Apache and down to a second
// client intact (sizes past 32 bits in Content-Length, Range, the journal and the progress),
// where the disk allows; otherwise the row says why it was skipped.
#include "clirunner.h"
#include "scenariorecord.h"
#include "testutil.h"
#include "webdavserver.h"

#include <QElapsedTimer>
#include <QFile>
#include <QStorageInfo>
#include <QTemporaryDir>
#include <QTest>

#include <sys/resource.h>

using namespace steadysync::test;

namespace {

constexpr qint64 Size = 4LL * 1024 * 1024 * 1024 + 4097; // past 2^32
const QByteArray Marker = "the end of a big file";

// Bytes at a few offsets, the 2^32 boundary included: enough to tell a wrapped or cut copy.
QByteArray probe(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QByteArray sample;
    for (qint64 offset : {qint64(0), (1LL << 32) - 8, Size - Marker.size()}) {
        file.seek(offset);
        sample += file.read(offset == Size - Marker.size() ? Marker.size() : 16);
    }
    return sample;
}

// The largest resident set of any child process waited for so far, in MiB.
qint64 peakChildRssMiB()
{
    struct rusage usage;
    if (::getrusage(RUSAGE_CHILDREN, &usage) != 0)
        return -1;
    return qint64(usage.ru_maxrss) / 1024;
}

// A transfer streams: the file never sits in memory (it would not fit on many laptops).
constexpr qint64 MaxTransferRssMiB = 512;

} // namespace

class TestLargeFile : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sparseFileOverFourGiBRoundTrips();
};

void TestLargeFile::sparseFileOverFourGiBRoundTrips()
{
    ScenarioRecord record(QStringLiteral("g-4gib"),
                          QStringLiteral("Sparse file of 4 GiB + 4 KiB up and down (Apache)"));
    QTemporaryDir home, a, b;
    // The server stores the zeros for real and the second client downloads them: 2 copies.
    const qint64 needed = 2 * Size + 2LL * 1024 * 1024 * 1024;
    const qint64 available = QStorageInfo(a.path()).bytesAvailable();
    if (available < needed) {
        const QString why = QStringLiteral("%1 GiB free in %2, %3 GiB needed")
                                .arg(available >> 30)
                                .arg(a.path())
                                .arg(needed >> 30);
        record.skipped(why);
        QSKIP(qPrintable(why));
    }
    QString error;
    auto server = WebDavServer::start(WebDavServer::Kind::Apache, &error);
    QVERIFY2(server, qPrintable(error));
    CliRunner cli(home.path());
    cli.setPassword(server->password());
    const QStringList remote{server->url().toString(), QStringLiteral("--user"), server->user(),
                             QStringLiteral("--json")};

    const QString big = a.filePath(QStringLiteral("big.img"));
    {
        QFile file(big);
        QVERIFY(file.open(QIODevice::WriteOnly));
        QVERIFY(file.resize(Size)); // a hole: no disk used
        QVERIFY(file.seek((1LL << 32) - 8));
        QVERIFY(file.write("boundary") == 8);
        QVERIFY(file.seek(Size - Marker.size()));
        QVERIFY(file.write(Marker) == Marker.size());
    }
    const QByteArray expected = probe(big);

    QElapsedTimer timer;
    timer.start();
    const CliRunner::Outcome up =
        cli.run(QStringList{QStringLiteral("sync"), a.path()} + remote, 900'000);
    const qint64 upMs = timer.elapsed();
    record.addRun();
    QVERIFY2(up.exitCode == 0,
             (QByteArray::number(up.exitCode) + " " + up.out + up.err).constData());
    QCOMPARE(up.json().value(QStringLiteral("bytes_up")).toInteger(), Size);
    const QString onServer = server->dataDirectory() + QStringLiteral("/big.img");
    QCOMPARE(QFileInfo(onServer).size(), Size);
    QCOMPARE(probe(onServer), expected);
    const qint64 upRssMiB = peakChildRssMiB();
    QVERIFY2(upRssMiB >= 0 && upRssMiB < MaxTransferRssMiB,
             qPrintable(QStringLiteral("the upload peaked at %1 MiB resident").arg(upRssMiB)));

    timer.start();
    const CliRunner::Outcome down =
        cli.run(QStringList{QStringLiteral("sync"), b.path()} + remote, 900'000);
    const qint64 downMs = timer.elapsed();
    record.addRun();
    QVERIFY2(down.exitCode == 0,
             (QByteArray::number(down.exitCode) + " " + down.out + down.err).constData());
    QCOMPARE(QFileInfo(b.filePath(QStringLiteral("big.img"))).size(), Size);
    QCOMPARE(probe(b.filePath(QStringLiteral("big.img"))), expected);
    const qint64 downRssMiB = peakChildRssMiB();
    QVERIFY2(downRssMiB >= 0 && downRssMiB < MaxTransferRssMiB,
             qPrintable(QStringLiteral("the download peaked at %1 MiB resident").arg(downRssMiB)));

    // Nothing left to do: the sizes in the journal read back right.
    const CliRunner::Outcome again =
        cli.run(QStringList{QStringLiteral("sync"), a.path()} + remote, 900'000);
    record.addRun();
    QCOMPARE(again.exitCode, 0);
    QCOMPARE(again.json().value(QStringLiteral("uploaded")).toInt(), 0);
    QCOMPARE(again.json().value(QStringLiteral("downloaded")).toInt(), 0);
    record.addOperations(2);
    record.setNotes(QStringLiteral("%1 bytes; up %2 s, down %3 s; peak RSS of the client %4 MiB")
                        .arg(Size)
                        .arg(double(upMs) / 1000.0, 0, 'f', 1)
                        .arg(double(downMs) / 1000.0, 0, 'f', 1)
                        .arg(downRssMiB));
    QFile::remove(onServer); // 4 GiB less on the disk for the tests that follow
    record.complete();
}

QTEST_GUILESS_MAIN(TestLargeFile)
#include "tst_largefile.moc"
