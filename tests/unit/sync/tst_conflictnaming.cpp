#include "sync/conflictnaming.h"

#include <QSet>
#include <QTest>

#include <ctime>

using namespace steadysync;

namespace {

// 2024-07-01 12:34:56.789 UTC, 14:34:56 in Berlin (CEST, UTC+2).
constexpr qint64 SummerNs = 1'719'837'296'789'000'000;
// 2024-01-15 23:30:05 UTC, already the 16th in Berlin (CET, UTC+1).
constexpr qint64 WinterNs = 1'705'361'405'000'000'000;

const QString Summer = QStringLiteral("(conflict 2024-07-01 143456)");
const QString Winter = QStringLiteral("(conflict 2024-01-16 003005)");

QString copyName(const QString &path, qint64 mtimeNs = SummerNs)
{
    return conflictCopyPath(path, mtimeNs, [](const QString &) { return false; });
}

} // namespace

class TestConflictNaming : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        // A zone other than UTC proves that the loser's mtime is shown in local time.
        qputenv("TZ", "Europe/Berlin");
        tzset();
    }

    void format_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<qint64>("mtimeNs");
        QTest::addColumn<QString>("expected");

        QTest::newRow("name with extension") << "a.txt" << SummerNs << "a " + Summer + ".txt";
        QTest::newRow("last dot only") << "a.tar.gz" << SummerNs << "a.tar " + Summer + ".gz";
        QTest::newRow("no dot") << "README" << SummerNs << "README " + Summer;
        QTest::newRow("dotfile") << ".bashrc" << SummerNs << ".bashrc " + Summer;
        QTest::newRow("dotfile with extension")
            << ".config.bak" << SummerNs << ".config " + Summer + ".bak";
        QTest::newRow("in a directory") << "dir/x.txt" << SummerNs << "dir/x " + Summer + ".txt";
        QTest::newRow("dot in the directory only")
            << "photos.2024/README" << SummerNs << "photos.2024/README " + Summer;
        QTest::newRow("dotfile in a directory")
            << "a/b/.profile" << SummerNs << "a/b/.profile " + Summer;
        QTest::newRow("spaces and unicode")
            << "Notes für Anna.md" << SummerNs << "Notes für Anna " + Summer + ".md";
        QTest::newRow("winter time, next local day")
            << "a.txt" << WinterNs << "a " + Winter + ".txt";
    }

    void format()
    {
        QFETCH(QString, path);
        QFETCH(qint64, mtimeNs);
        QFETCH(QString, expected);
        QCOMPARE(copyName(path, mtimeNs), expected);
        QVERIFY(isConflictCopyName(expected));
    }

    void noTakenCheckGiven()
    {
        QCOMPARE(conflictCopyPath(QStringLiteral("a.txt"), SummerNs, {}), "a " + Summer + ".txt");
    }

    void takenNamesGetANumber()
    {
        QSet<QString> taken = {"d/a " + Summer + ".txt", "d/a " + Summer + " 2.txt"};
        QStringList asked;
        const auto isTaken = [&](const QString &path) {
            asked.append(path);
            return taken.contains(path);
        };
        QCOMPARE(conflictCopyPath(QStringLiteral("d/a.txt"), SummerNs, isTaken),
                 "d/a " + Summer + " 3.txt");
        QCOMPARE(asked, (QStringList{"d/a " + Summer + ".txt", "d/a " + Summer + " 2.txt",
                                     "d/a " + Summer + " 3.txt"}));

        taken = {"README " + Summer};
        QCOMPARE(conflictCopyPath(QStringLiteral("README"), SummerNs, isTaken),
                 "README " + Summer + " 2");
        QVERIFY(isConflictCopyName("README " + Summer + " 2"));
        QVERIFY(isConflictCopyName("d/a " + Summer + " 3.txt"));
    }

    void recognition_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<bool>("isCopy");

        QTest::newRow("plain") << "a.txt" << false;
        QTest::newRow("copy") << "a (conflict 2024-07-01 143456).txt" << true;
        QTest::newRow("numbered copy") << "a (conflict 2024-07-01 143456) 12.txt" << true;
        QTest::newRow("copy without extension") << "README (conflict 1999-12-31 235959)" << true;
        QTest::newRow("copy in a directory") << "x/y/a (conflict 2024-07-01 143456).txt" << true;
        QTest::newRow("copy of a copy")
            << "a (conflict 2024-07-01 143456) (conflict 2024-07-02 101010).txt" << true;
        QTest::newRow("only the directory is a copy")
            << "d (conflict 2024-07-01 143456)/a.txt" << false;
        QTest::newRow("time missing") << "a (conflict 2024-07-01).txt" << false;
        QTest::newRow("time too short") << "a (conflict 2024-07-01 1434).txt" << false;
        QTest::newRow("no name before") << " (conflict 2024-07-01 143456).txt" << false;
        QTest::newRow("nothing before") << "(conflict 2024-07-01 143456).txt" << false;
        QTest::newRow("text after the marker") << "a (conflict 2024-07-01 143456) old.txt" << false;
        QTest::newRow("marker inside the extension") << "a.(conflict 2024-07-01 143456)" << false;
        QTest::newRow("the word alone") << "conflict.txt" << false;
    }

    void recognition()
    {
        QFETCH(QString, path);
        QFETCH(bool, isCopy);
        QCOMPARE(isConflictCopyName(path), isCopy);
    }

    // The kept copy of an edit a read-only server folder refused (issue 13, case 7).
    void markedCopyFollowsTheExtensionRuleAndNumbering()
    {
        const QString marker = QStringLiteral("not uploaded: read-only folder");
        const auto none = [](const QString &) {
            return false;
        };
        QCOMPARE(markedCopyPath(QStringLiteral("ro/a.tar.gz"), marker, none),
                 QStringLiteral("ro/a.tar (not uploaded: read-only folder).gz"));
        QCOMPARE(markedCopyPath(QStringLiteral(".bashrc"), marker, none),
                 QStringLiteral(".bashrc (not uploaded: read-only folder)"));
        const QSet<QString> taken{QStringLiteral("b (not uploaded: read-only folder).txt")};
        QCOMPARE(markedCopyPath(QStringLiteral("b.txt"), marker,
                                [&taken](const QString &name) { return taken.contains(name); }),
                 QStringLiteral("b (not uploaded: read-only folder) 2.txt"));
    }

    void markedCopyFitsTheNameLimit()
    {
        // 248 bytes of four-byte characters (surrogate pairs in a QString): the stem is
        // shortened, never in the middle of a pair.
        QString longStem;
        for (int i = 0; i < 62; ++i)
            longStem += QString::fromUcs4(U"\U0001F600", 1);
        const QString copy =
            markedCopyPath(QStringLiteral("dir/") + longStem + QStringLiteral(".txt"),
                           QStringLiteral("not uploaded: read-only folder"),
                           [](const QString &) { return false; });
        const QString name = copy.mid(4);
        QVERIFY(copy.startsWith(QStringLiteral("dir/")));
        QVERIFY2(name.toUtf8().size() <= 255, qPrintable(name));
        QVERIFY(name.endsWith(QStringLiteral(" (not uploaded: read-only folder).txt")));
        QCOMPARE(QString::fromUtf8(name.toUtf8()), name);
    }

    // Issue 14 case 8: the conflict copy of a 255-byte name was "File name too long".
    void conflictCopyFitsTheNameLimit_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("ending");
        QTest::newRow("ascii, extension") << QString(251, QLatin1Char('a')) + QStringLiteral(".txt")
                                          << Summer + QStringLiteral(".txt");
        QTest::newRow("no extension") << QString(255, QLatin1Char('b')) << Summer;
        // Two-byte characters (é): 127 of them and a dot-less tail make 255 bytes.
        QTest::newRow("two-byte characters")
            << QString(125, QChar(0xE9)) + QStringLiteral("x.md") << Summer + QStringLiteral(".md");
        QString emoji;
        for (int i = 0; i < 62; ++i)
            emoji += QString::fromUcs4(U"\U0001F600", 1);
        QTest::newRow("four-byte characters")
            << emoji + QStringLiteral(".jpeg") << Summer + QStringLiteral(".jpeg");
    }

    void conflictCopyFitsTheNameLimit()
    {
        QFETCH(QString, name);
        QFETCH(QString, ending);
        QVERIFY(name.toUtf8().size() >= 250);
        QSet<QString> taken;
        for (int copy = 1; copy <= 3; ++copy) {
            const QString path =
                conflictCopyPath(QStringLiteral("dir/") + name, SummerNs,
                                 [&](const QString &c) { return taken.contains(c); });
            const QString copyName = path.mid(4);
            QVERIFY2(copyName.toUtf8().size() <= 255, qPrintable(copyName));
            QCOMPARE(QString::fromUtf8(copyName.toUtf8()), copyName); // no character cut in two
            const QString expectedEnding =
                copy == 1 ? ending
                          : ending.left(Summer.size()) + QLatin1Char(' ') + QString::number(copy) +
                                ending.mid(Summer.size());
            QVERIFY2(copyName.endsWith(QLatin1Char(' ') + expectedEnding), qPrintable(copyName));
            QVERIFY(isConflictCopyName(path));
            QVERIFY(!taken.contains(path));
            taken.insert(path);
        }
        QCOMPARE(fitNameToLimit(name).toUtf8().size() <= 255, true);
        QCOMPARE(fitNameToLimit(name, 100).toUtf8().size() <= 100, true);
    }
};

QTEST_GUILESS_MAIN(TestConflictNaming)
#include "tst_conflictnaming.moc"
