#include "dashboardwindow.h"
#include "paircard.h"
#include "pairmanager.h"
#include "pairsession.h"
#include "statscharts.h"
#include "uitestenvironment.h"

#include "testutil.h"

#include <QApplication>
#include <QChart>
#include <QDateTimeAxis>
#include <QLabel>
#include <QLineSeries>
#include <QTest>

#include <algorithm>

using namespace steadysync;
using steadysync::test::waitFor;
using steadysync::test::writeFile;

namespace {

constexpr int Timeout = 60'000;

// A visible label of the charts that says there is nothing to draw yet.
bool saysNoDataYet(const StatsCharts *charts)
{
    const QList<QLabel *> labels = charts->findChildren<QLabel *>();
    return std::any_of(labels.cbegin(), labels.cend(), [](const QLabel *label) {
        return label->isVisible() && label->text().startsWith(QStringLiteral("No data yet"));
    });
}

qreal largestValue(const QLineSeries *series)
{
    qreal largest = -1;
    for (const QPointF &point : series->points())
        largest = std::max(largest, point.y());
    return largest;
}

qint64 shownSpanMs(QLineSeries *series)
{
    for (QAbstractAxis *axis : series->attachedAxes()) {
        if (const auto *time = qobject_cast<QDateTimeAxis *>(axis))
            return time->min().msecsTo(time->max());
    }
    return -1;
}

} // namespace

// Issue 15, item 8: the shortest range was an hour and a sample came every 30 s, so a
// 12-second sync was a dot; the Queues chart said 2 while the card said 3,305 pending; empty
// charts were bare axes.
class TestUiCharts : public QObject
{
    Q_OBJECT
public:
    explicit TestUiCharts(test::UiTestEnvironment *environment) : m_env(environment) {}

private Q_SLOTS:
    void emptyChartsSayNoDataYet();
    void shortSyncDrawsItsQueueAtTenMinutes();
    void queueChartShowsThePendingCounter();
    void chartsShowTheClickedCardsPair();

private:
    test::UiTestEnvironment *m_env;
};

void TestUiCharts::emptyChartsSayNoDataYet()
{
    PairManager manager{PairStore(m_env->settingsFile())};
    DashboardWindow dashboard(&manager);
    dashboard.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dashboard));
    QVERIFY(saysNoDataYet(dashboard.charts()));

    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    StatsSample sample;
    sample.timeMs = now - 1000;
    sample.pending = 3;
    dashboard.charts()->setSamples({sample}, now - 600'000, now);
    QVERIFY(!saysNoDataYet(dashboard.charts()));
    dashboard.charts()->setSamples({}, now - 600'000, now);
    QVERIFY(saysNoDataYet(dashboard.charts()));
}

void TestUiCharts::shortSyncDrawsItsQueueAtTenMinutes()
{
    PairConfig pair = m_env->makePair(QStringLiteral("shortsync"));
    constexpr int Files = 300;
    for (int i = 0; i < Files; ++i)
        writeFile(pair.localRoot, QStringLiteral("batch/file%1.txt").arg(i), QByteArray(2000, 'x'));
    PairManager manager{PairStore(m_env->settingsFile())};
    DashboardWindow dashboard(&manager);
    dashboard.show();
    PairSession *session = manager.addOrUpdate(pair);
    dashboard.setRange(DashboardWindow::Range::LastTenMinutes);
    QVERIFY(waitFor(
        [&] {
            return session->status().lastSyncMs > 0 && session->status().state == EngineState::Idle;
        },
        Timeout));

    // The queue of the sync that just ran is drawn: its points rose above zero, in a range of
    // ten minutes.
    QLineSeries *pending = dashboard.charts()->pendingSeries();
    QVERIFY2(waitFor([&] { return largestValue(pending) > 0; }, 10'000),
             qPrintable(QString::number(pending->count())));
    QVERIFY(pending->count() >= 3);
    QCOMPARE(shownSpanMs(pending), 10 * 60'000LL);
    QVERIFY(!saysNoDataYet(dashboard.charts()));
}

void TestUiCharts::queueChartShowsThePendingCounter()
{
    PairConfig pair = m_env->makePair(QStringLiteral("pausedqueue"));
    pair.debounceMs = 100;
    PairManager manager{PairStore(m_env->settingsFile())};
    DashboardWindow dashboard(&manager);
    dashboard.show();
    PairSession *session = manager.addOrUpdate(pair);
    QVERIFY(waitFor([&] { return session->status().lastSyncMs > 0; }, Timeout));
    session->pause();
    QVERIFY(waitFor([&] { return session->status().state == EngineState::Paused; }, Timeout));
    constexpr int Waiting = 7;
    for (int i = 0; i < Waiting; ++i)
        writeFile(pair.localRoot, QStringLiteral("waiting%1.txt").arg(i), "later\n");

    PairCard *card = dashboard.cards().constFirst();
    QVERIFY(waitFor([&] { return card->counterText(QStringLiteral("pending")) == "7"; }, Timeout));
    // The chart's latest point and its peak are the counter's number.
    const QLineSeries *pending = dashboard.charts()->pendingSeries();
    QVERIFY2(
        waitFor(
            [&] { return pending->count() > 0 && pending->points().constLast().y() == Waiting; },
            10'000),
        qPrintable(QString::number(largestValue(pending))));
    QCOMPARE(largestValue(pending), qreal(Waiting));
}

// With two pairs the charts showed the first pair's queue beside the other pair's card.
void TestUiCharts::chartsShowTheClickedCardsPair()
{
    PairConfig quiet = m_env->makePair(QStringLiteral("quiet"));
    PairConfig busy = m_env->makePair(QStringLiteral("busy"));
    busy.debounceMs = 100;
    PairManager manager{PairStore(m_env->settingsFile())};
    DashboardWindow dashboard(&manager);
    dashboard.show();
    manager.addOrUpdate(quiet);
    PairSession *session = manager.addOrUpdate(busy);
    QVERIFY(waitFor([&] { return session->status().lastSyncMs > 0; }, Timeout));
    session->pause();
    QVERIFY(waitFor([&] { return session->status().state == EngineState::Paused; }, Timeout));
    for (int i = 0; i < 5; ++i)
        writeFile(busy.localRoot, QStringLiteral("waiting%1.txt").arg(i), "later\n");
    QVERIFY(waitFor([&] { return session->status().pending == 5; }, Timeout));
    QVERIFY(dashboard.selectedPairId() != busy.id);

    PairCard *busyCard = nullptr;
    for (PairCard *card : dashboard.cards())
        busyCard = card->session() == session ? card : busyCard;
    QVERIFY(busyCard);
    QTest::mouseClick(busyCard, Qt::LeftButton, {}, QPoint(4, 4));
    QCOMPARE(dashboard.selectedPairId(), busy.id);
    const QLineSeries *pending = dashboard.charts()->pendingSeries();
    QVERIFY(waitFor([&] { return pending->count() > 0 && pending->points().constLast().y() == 5; },
                    10'000));
    QCOMPARE(busyCard->counterText(QStringLiteral("pending")), QStringLiteral("5"));
}

int main(int argc, char **argv)
{
    test::UiTestEnvironment environment;
    QApplication app(argc, argv);
    TestUiCharts test(&environment);
    return QTest::qExec(&test, argc, argv);
}

#include "tst_uicharts.moc"
