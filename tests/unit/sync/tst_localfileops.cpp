#include "sync/localfileops.h"
#include "testutil.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace steadysync;

class TestLocalFileOps : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void partialDownloadsSurviveUntilStale();
};

namespace {

void age(const QString &path, qint64 seconds)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadWrite));
    QVERIFY(file.setFileTime(QDateTime::currentDateTimeUtc().addSecs(-seconds),
                             QFileDevice::FileModificationTime));
}

} // namespace

void TestLocalFileOps::partialDownloadsSurviveUntilStale()
{
    // A download cut off in one run is resumed by the next (WebDavBackend::download): setting
    // up a run keeps it, and its validator, until it is older than the limit.
    QTemporaryDir root;
    const QString tmp = LocalFileOps::temporaryDirectory(root.path());
    const QString relative = QStringLiteral(".steadysync/tmp/");
    test::writeFile(root.path(), relative + QStringLiteral("download-young"), "half");
    test::writeFile(root.path(), relative + QStringLiteral("download-young.validator"), "\"v\"\n");
    test::writeFile(root.path(), relative + QStringLiteral("download-old"), "half");
    test::writeFile(root.path(), relative + QStringLiteral("upload-scratch"), "x");
    test::writeFile(root.path(), relative + QStringLiteral("download-dir/inside"), "x");
    age(tmp + QStringLiteral("/download-old"), 3 * 3600);

    LocalFileOps::removeStaleTemporaries(root.path(), 3600);
    QStringList left = QDir(tmp).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden);
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

QTEST_GUILESS_MAIN(TestLocalFileOps)
#include "tst_localfileops.moc"
