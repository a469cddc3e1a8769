// FolderSelection: the selective-sync list kept in the journal (issue 18).
#include "sync/folderselection.h"
#include "sync/newfolderhold.h"

#include <QTemporaryDir>
#include <QTest>

using namespace steadysync;

class TestFolderSelection : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void normalizesOrRefuses_data();
    void normalizesOrRefuses();
    void excludingKeepsTheSmallestList();
    void includingAnInnerFolderIsRefused();
    void roundTripsThroughTheJournal();
    void holdsBackOnlyLargeNewOutermostFolders();
};

void TestFolderSelection::normalizesOrRefuses_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected"); // empty: refused
    QTest::newRow("plain") << "Photos"
                           << "Photos";
    QTest::newRow("slashes") << "/Photos/2019/"
                             << "Photos/2019";
    QTest::newRow("odd name") << "a [b]*?#;"
                              << "a [b]*?#;";
    QTest::newRow("root") << "/"
                          << "";
    QTest::newRow("empty") << ""
                           << "";
    QTest::newRow("dot") << "a/./b"
                         << "";
    QTest::newRow("dot dot") << "a/../b"
                             << "";
    QTest::newRow("double slash") << "a//b"
                                  << "";
}

void TestFolderSelection::normalizesOrRefuses()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    QCOMPARE(FolderSelection::normalizedFolder(input).value_or(QString()), expected);
}

void TestFolderSelection::excludingKeepsTheSmallestList()
{
    const QStringList list =
        FolderSelection::withExcluded({"Photos/2019", "Music"}, {"Photos", "Music"});
    QCOMPARE(list, (QStringList{"Music", "Photos"}));
    QCOMPARE(FolderSelection::withExcluded({"Photos"}, {"Photos/2019"}), QStringList{"Photos"});
    QCOMPARE(FolderSelection::withExcluded({"Photo"}, {"Photos"}),
             (QStringList{"Photo", "Photos"}));
}

void TestFolderSelection::includingAnInnerFolderIsRefused()
{
    const Result<QStringList> inner = FolderSelection::withIncluded({"Photos"}, {"Photos/2019"});
    QVERIFY(!inner.ok());
    QVERIFY(inner.error().message.contains(QLatin1String("include Photos first")));
    const Result<QStringList> outer =
        FolderSelection::withIncluded({"Photos", "Music"}, {"Photos"});
    QVERIFY(outer.ok());
    QCOMPARE(*outer, QStringList{"Music"});
}

void TestFolderSelection::roundTripsThroughTheJournal()
{
    QTemporaryDir root;
    Result<std::unique_ptr<Journal>> journal = Journal::open(root.path());
    QVERIFY(journal.ok());
    QCOMPARE(FolderSelection::excludedFolders(**journal), QStringList());
    QVERIFY(FolderSelection::setExcludedFolders(**journal, {"b", "a \"quoted\"", "b"}).ok());
    QCOMPARE(FolderSelection::excludedFolders(**journal), (QStringList{"a \"quoted\"", "b"}));
    QVERIFY(
        (*journal)->setSetting(QStringLiteral("excluded_folders"), QStringLiteral("{broken")).ok());
    QCOMPARE(FolderSelection::excludedFolders(**journal), QStringList()); // unreadable: none
}

void TestFolderSelection::holdsBackOnlyLargeNewOutermostFolders()
{
    const auto dir = [](const QString &path) {
        RemoteEntry entry;
        entry.path = path;
        entry.type = ItemType::Directory;
        return entry;
    };
    const auto file = [](const QString &path, qint64 size) {
        RemoteEntry entry;
        entry.path = path;
        entry.size = size;
        return entry;
    };
    RemoteSnapshot remote;
    for (const RemoteEntry &entry :
         {dir("Old"), file("Old/huge.bin", 900), dir("New"), dir("New/a"), file("New/a/x", 60),
          file("New/y", 50), dir("Small"), file("Small/z", 10), dir("Old/Inner"),
          file("Old/Inner/w", 500), dir("Here"), file("Here/v", 500), file("top.bin", 999)})
        remote.insert(entry.path, entry);
    JournalSnapshot journal;
    JournalRecord old;
    old.path = QStringLiteral("Old");
    old.type = ItemType::Directory;
    journal.insert(old.path, old);
    LocalSnapshot local;
    LocalEntry here;
    here.path = QStringLiteral("Here");
    here.type = ItemType::Directory;
    local.insert(here.path, here);

    // Old is tracked; Old/Inner is new inside it; Here exists locally; Small is small.
    QCOMPARE(foldersToHoldBack(journal, local, remote, 100, {}),
             (QVector<HeldFolder>{{"New", 110}, {"Old/Inner", 500}}));
    QCOMPARE(foldersToHoldBack(journal, local, remote, 110, {}),
             (QVector<HeldFolder>{{"Old/Inner", 500}}));
    QCOMPARE(foldersToHoldBack(journal, local, remote, 100, {"Old", "New"}), QVector<HeldFolder>());
    QCOMPARE(foldersToHoldBack(journal, local, remote, 0, {}), QVector<HeldFolder>());
}

QTEST_GUILESS_MAIN(TestFolderSelection)
#include "tst_folderselection.moc"
