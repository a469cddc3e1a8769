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
    void echoesAreExpectedWithinTheirWindow();
};

void TestOwnWrites::ownLocalWritesAreNotCounted()
{
    OwnWrites own;
    own.startCycle(0);
    own.record(QStringLiteral("docs/a.txt"), ActionKind::Download, true, 0);
    own.record(QStringLiteral("photos"), ActionKind::MakeLocalDir, true, 0);
    own.record(QStringLiteral("old.txt"), ActionKind::DeleteLocal, true, 0);
    const QSet<QString> dirty{QStringLiteral("docs/a.txt"), QStringLiteral("docs"),
                              QStringLiteral("photos"),     QStringLiteral("old.txt"),
                              QStringLiteral("docs/b.txt"), QStringLiteral("mine.txt")};
    // docs/b.txt and mine.txt are the user's.
    QCOMPARE(own.foreignCount(dirty), 2);
}

void TestOwnWrites::uploadsAndFailuresAreNotOwnWrites()
{
    OwnWrites own;
    own.startCycle(0);
    own.record(QStringLiteral("up.txt"), ActionKind::Upload, true, 0);
    own.record(QStringLiteral("failed.txt"), ActionKind::Download, false, 0);
    QCOMPARE(own.foreignCount({QStringLiteral("up.txt"), QStringLiteral("failed.txt")}), 2);
}

void TestOwnWrites::echoesAreExpectedWithinTheirWindow()
{
    OwnWrites own(5'000);
    own.startCycle(0);
    own.record(QStringLiteral("a.txt"), ActionKind::Download, true, 1'000);
    // Cycles that start soon after (the echo's own, another) still know the write.
    own.startCycle(2'000);
    own.startCycle(6'000);
    QCOMPARE(own.foreignCount({QStringLiteral("a.txt")}), 0);
    // Later, a change of a.txt is the user's.
    own.startCycle(6'001);
    QCOMPARE(own.foreignCount({QStringLiteral("a.txt")}), 1);
}

QTEST_GUILESS_MAIN(TestOwnWrites)

#include "tst_ownwrites.moc"
