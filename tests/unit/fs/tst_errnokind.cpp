// The one errno → ErrorKind table (core/fs/errnokind.h), row by row, and every layer that
// meets an errno classifying it by that table. Before the table there were four (the hasher,
// the local file operations, the file:// backend, the version store) and they disagreed: ENOSPC
// was Transient in the hasher, unknown errors Permanent in the file:// backend and Transient
// elsewhere, ENOTDIR NotFound in two and Transient in two.
#include "fs/errnokind.h"
#include "fs/hasher.h"
#include "remote/localdiroperations.h"
#include "sync/localfileops.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cerrno>

#include <unistd.h>

using namespace steadysync;

Q_DECLARE_METATYPE(steadysync::ErrorKind)

class TestErrnoKind : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void table_data();
    void table();
    void localFileOperationsUseTheTable_data() { table_data(); }
    void localFileOperationsUseTheTable();
    void fileBackendUsesTheTable_data() { table_data(); }
    void fileBackendUsesTheTable();
    void hasherUsesTheTable_data();
    void hasherUsesTheTable();
};

void TestErrnoKind::table_data()
{
    QTest::addColumn<int>("errorNumber");
    QTest::addColumn<ErrorKind>("kind");
    const auto row = [](const char *name, int errorNumber, ErrorKind kind) {
        QTest::newRow(name) << errorNumber << kind;
    };
    row("ENOENT", ENOENT, ErrorKind::NotFound);
    row("ENOTDIR", ENOTDIR, ErrorKind::NotFound);
    // A full disk is DiskFull everywhere: retried, never failed permanently (DESIGN.md).
    row("ENOSPC", ENOSPC, ErrorKind::DiskFull);
    row("EDQUOT", EDQUOT, ErrorKind::DiskFull);
    row("EEXIST", EEXIST, ErrorKind::PreconditionFailed);
    row("ENOTEMPTY", ENOTEMPTY, ErrorKind::PreconditionFailed);
    row("ENAMETOOLONG", ENAMETOOLONG, ErrorKind::InvalidName);
    row("EILSEQ", EILSEQ, ErrorKind::InvalidName);
    row("EACCES", EACCES, ErrorKind::Permanent);
    row("EPERM", EPERM, ErrorKind::Permanent);
    row("EROFS", EROFS, ErrorKind::Permanent);
    row("EISDIR", EISDIR, ErrorKind::Permanent);
    row("ELOOP", ELOOP, ErrorKind::Permanent);
    row("EINVAL", EINVAL, ErrorKind::Permanent);
    row("EXDEV", EXDEV, ErrorKind::Permanent);
    row("EFBIG", EFBIG, ErrorKind::Permanent);
    row("EMLINK", EMLINK, ErrorKind::Permanent);
    row("EOPNOTSUPP", EOPNOTSUPP, ErrorKind::Permanent);
    row("EIO", EIO, ErrorKind::Transient);
    row("EBUSY", EBUSY, ErrorKind::Transient);
    row("ETXTBSY", ETXTBSY, ErrorKind::Transient);
    row("EAGAIN", EAGAIN, ErrorKind::Transient);
    row("EINTR", EINTR, ErrorKind::Transient);
    row("ETIMEDOUT", ETIMEDOUT, ErrorKind::Transient);
    row("ESTALE", ESTALE, ErrorKind::Transient);
    row("ENOTCONN", ENOTCONN, ErrorKind::Transient);
    row("ENOMEM", ENOMEM, ErrorKind::Transient);
    row("EMFILE", EMFILE, ErrorKind::Transient);
    row("ENFILE", ENFILE, ErrorKind::Transient);
    // Errors no row names are retried within the retry limits (DESIGN §5), not given up at once.
    row("EPROTO (unknown)", EPROTO, ErrorKind::Transient);
    row("ECONNRESET (unknown)", ECONNRESET, ErrorKind::Transient);
    row("EREMOTEIO (unknown)", EREMOTEIO, ErrorKind::Transient);
}

void TestErrnoKind::table()
{
    QFETCH(int, errorNumber);
    QFETCH(ErrorKind, kind);
    QCOMPARE(errorKindForErrno(errorNumber), kind);
    const Error error = errnoError(errorNumber, QStringLiteral("a/b.txt: cannot write"));
    QCOMPARE(error.kind, kind);
    QCOMPARE(error.message, QStringLiteral("a/b.txt: cannot write"));
}

void TestErrnoKind::localFileOperationsUseTheTable()
{
    QFETCH(int, errorNumber);
    QFETCH(ErrorKind, kind);
    const Error error = LocalFileOps::errorFromErrno(errorNumber, QStringLiteral("a/b.txt"));
    QCOMPARE(error.kind, kind);
    QVERIFY2(error.message.startsWith(QLatin1String("a/b.txt: ")), qPrintable(error.message));
}

void TestErrnoKind::fileBackendUsesTheTable()
{
    QFETCH(int, errorNumber);
    QFETCH(ErrorKind, kind);
    const Error error = LocalDirOperations::errnoError(errorNumber, QStringLiteral("a/b.txt"),
                                                       QStringLiteral("cannot write"));
    QCOMPARE(error.kind, kind);
    QVERIFY2(error.message.startsWith(QLatin1String("a/b.txt: cannot write: ")),
             qPrintable(error.message));
}

// Real failures of Hasher::sha256OfFile, whose kinds must be the table's.
void TestErrnoKind::hasherUsesTheTable_data()
{
    QTest::addColumn<QString>("setup");
    QTest::addColumn<ErrorKind>("kind");
    QTest::newRow("missing file (ENOENT)") << QStringLiteral("missing") << ErrorKind::NotFound;
    QTest::newRow("a file as a folder (ENOTDIR)")
        << QStringLiteral("notdir") << ErrorKind::NotFound;
    QTest::newRow("symbolic link loop (ELOOP)") << QStringLiteral("loop") << ErrorKind::Permanent;
    QTest::newRow("name too long (ENAMETOOLONG)")
        << QStringLiteral("toolong") << ErrorKind::InvalidName;
}

void TestErrnoKind::hasherUsesTheTable()
{
    QFETCH(QString, setup);
    QFETCH(ErrorKind, kind);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QString path = dir.filePath(QStringLiteral("missing.txt"));
    if (setup == QLatin1String("notdir")) {
        QFile file(dir.filePath(QStringLiteral("plain")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        path = dir.filePath(QStringLiteral("plain/inside.txt"));
    } else if (setup == QLatin1String("loop")) {
        path = dir.filePath(QStringLiteral("loop"));
        QCOMPARE(::symlink("loop", QFile::encodeName(path).constData()), 0);
    } else if (setup == QLatin1String("toolong")) {
        path = dir.filePath(QString(300, QLatin1Char('n')));
    }
    const Result<QByteArray> hash = Hasher::sha256OfFile(path);
    QVERIFY(!hash.ok());
    QCOMPARE(hash.error().kind, kind);
    QVERIFY2(hash.error().message.startsWith(path + QLatin1String(": ")),
             qPrintable(hash.error().message));
}

QTEST_GUILESS_MAIN(TestErrnoKind)
#include "tst_errnokind.moc"
