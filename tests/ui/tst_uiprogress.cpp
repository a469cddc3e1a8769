#include "dashboardwindow.h"
#include "paircard.h"
#include "pairmanager.h"
#include "syncstate.h"
#include "transferprogress.h"
#include "traycontroller.h"
#include "uitestenvironment.h"

#include "testutil.h"

#include <QApplication>
#include <QDir>
#include <QTest>

using namespace steadysync;
using steadysync::test::readFile;
using steadysync::test::waitFor;
using steadysync::test::writeFile;

// Issue 15, item 6: a 60 MiB upload showed only "Syncing" for 85 s, and "Syncing 2730 of 5000"
// sat beside "Pending 4,305".
class TestUiProgress : public QObject
{
    Q_OBJECT
public:
    explicit TestUiProgress(test::UiTestEnvironment *environment) : m_env(environment) {}

private Q_SLOTS:
    void syncingCountAgreesWithPending();
    void transferBytesSpeedAndTimeLeft();
    void largeUploadShowsItsProgress();

private:
    test::UiTestEnvironment *m_env;
};

void TestUiProgress::syncingCountAgreesWithPending()
{
    StatusSnapshot status;
    status.state = EngineState::Syncing;
    status.filesDone = 2730;
    status.filesTotal = 5000;
    status.pending = 4305; // the rest of the plan, and changes seen since it was made
    // Done and pending make the total: 2,730 + 4,305.
    QCOMPARE(pairStateText(SyncState::Syncing, status), QStringLiteral("Syncing 2,730 of 7,035"));
    status.pending = 2270;
    QCOMPARE(pairStateText(SyncState::Syncing, status), QStringLiteral("Syncing 2,730 of 5,000"));
}

void TestUiProgress::transferBytesSpeedAndTimeLeft()
{
    constexpr qint64 MiB = 1024 * 1024;
    constexpr qint64 KiB = 1024;
    TransferProgress transfers;
    transfers.update(QStringLiteral("video.bin"), true, 0, 60 * MiB, 10'000);
    transfers.update(QStringLiteral("small.txt"), false, 0, 10 * KiB, 10'000);
    for (qint64 second = 1; second <= 2; ++second)
        transfers.update(QStringLiteral("video.bin"), true, second * 800 * KiB, 60 * MiB,
                         10'000 + second * 1000);
    QVERIFY(transfers.shown(12'000).isEmpty()); // two seconds: not yet worth a line
    transfers.update(QStringLiteral("small.txt"), false, 10 * KiB, 10 * KiB, 12'000); // done
    transfers.update(QStringLiteral("video.bin"), true, 2400 * KiB, 60 * MiB, 13'000);

    const QVector<TransferProgress::Transfer> shown = transfers.shown(13'000);
    QCOMPARE(shown.size(), 1);
    QCOMPARE(shown.constFirst().bytesPerSecond, 800 * KiB);
    QCOMPARE(shown.constFirst().secondsLeft(), 74); // (60 MiB - 2400 KiB) at 800 KiB/s
    QCOMPARE(TransferProgress::describe(shown.constFirst()),
             QStringLiteral("Uploading video.bin: 2.3 MiB of 60.0 MiB, 800.0 KiB/s, 2 min left"));
    QCOMPARE(TransferProgress::durationText(45), QStringLiteral("45 s"));
    QCOMPARE(TransferProgress::durationText(2 * 3600 + 5 * 60), QStringLiteral("2 h 5 min"));

    transfers.update(QStringLiteral("video.bin"), true, 60 * MiB, 60 * MiB, 90'000);
    QVERIFY(transfers.shown(90'000).isEmpty());
}

// A real upload, slowed by the pair's upload limit: while it runs, the card and the tray's
// tooltip say which file moves, how much of it, how fast, and how long it still takes.
void TestUiProgress::largeUploadShowsItsProgress()
{
    PairConfig pair = m_env->makePair(QStringLiteral("progress"));
    pair.bwLimitUpKiB = 512; // 4 MiB take 8 s
    PairManager manager{PairStore(m_env->settingsFile())};
    DashboardWindow dashboard(&manager);
    TrayController tray(&manager);
    PairSession *session = manager.addOrUpdate(pair);
    QVERIFY(waitFor([&] { return session->state() == SyncState::UpToDate; }, 60'000));
    QCOMPARE(dashboard.cards().size(), 1);
    PairCard *card = dashboard.cards().constFirst();

    const QByteArray content(4 * 1024 * 1024, 'v');
    writeFile(pair.localRoot, QStringLiteral("video.bin"), content);
    QVERIFY2(waitFor([&] { return !card->transfersText().isEmpty(); }, 60'000),
             qPrintable(engineStateName(session->status().state)));
    const QString line = card->transfersText();
    QVERIFY2(line.startsWith(QStringLiteral("Uploading video.bin: ")), qPrintable(line));
    QVERIFY2(line.contains(QStringLiteral(" of 4.0 MiB, ")), qPrintable(line));
    QVERIFY2(line.contains(QStringLiteral("KiB/s, ")) && line.endsWith(QStringLiteral(" left")),
             qPrintable(line));
    QVERIFY2(tray.toolTip().contains(QStringLiteral("Uploading video.bin: ")),
             qPrintable(tray.toolTip()));

    const QString remote = test::UiTestEnvironment::remoteDir(pair) + QStringLiteral("/video.bin");
    QVERIFY(waitFor([&] { return readFile(remote) == content; }, 60'000));
    QVERIFY(waitFor([&] { return card->transfersText().isEmpty(); }, 60'000));
    QVERIFY2(!tray.toolTip().contains(QStringLiteral("Uploading")), qPrintable(tray.toolTip()));
}

int main(int argc, char **argv)
{
    test::UiTestEnvironment environment;
    QApplication app(argc, argv);
    TestUiProgress test(&environment);
    return QTest::qExec(&test, argc, argv);
}

#include "tst_uiprogress.moc"
