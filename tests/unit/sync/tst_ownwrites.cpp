#include "sync/ownwrites.h"

#include <QTest>

using namespace steadysync;

// The watcher's reports of the client's own writes are not pending work (issue 15, item 9).
class TestOwnWrites : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void ownLocalWritesAreNotCounted();
    void uploadsAndFailuresAreNotOwnWrites();
    void echoesOfThePreviousCycleStillMatch();
};

void TestOwnWrites::ownLocalWritesAreNotCounted()
{
    OwnWrites own;
    own.startCycle();
    own.record(QStringLiteral("docs/a.txt"), ActionKind::Download, true);
    own.record(QStringLiteral("photos"), ActionKind::MakeLocalDir, true);
    own.record(QStringLiteral("old.txt"), ActionKind::DeleteLocal, true);
    const QSet<QString> dirty{QStringLiteral("docs/a.txt"), QStringLiteral("docs"),
                              QStringLiteral("photos"),     QStringLiteral("old.txt"),
                              QStringLiteral("docs/b.txt"), QStringLiteral("mine.txt")};
    // docs/b.txt and mine.txt are the user's.
    QCOMPARE(own.foreignCount(dirty), 2);
}

void TestOwnWrites::uploadsAndFailuresAreNotOwnWrites()
{
    OwnWrites own;
    own.startCycle();
    own.record(QStringLiteral("up.txt"), ActionKind::Upload, true);
    own.record(QStringLiteral("failed.txt"), ActionKind::Download, false);
    QCOMPARE(own.foreignCount({QStringLiteral("up.txt"), QStringLiteral("failed.txt")}), 2);
}

void TestOwnWrites::echoesOfThePreviousCycleStillMatch()
{
    OwnWrites own;
    own.startCycle();
    own.record(QStringLiteral("a.txt"), ActionKind::Download, true);
    own.startCycle(); // the echo arrives after the debounce, in the next cycle
    QCOMPARE(own.foreignCount({QStringLiteral("a.txt")}), 0);
    own.startCycle();
    QCOMPARE(own.foreignCount({QStringLiteral("a.txt")}), 1);
}

QTEST_GUILESS_MAIN(TestOwnWrites)

#include "tst_ownwrites.moc"
