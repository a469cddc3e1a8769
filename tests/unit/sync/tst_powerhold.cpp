// The pair option "pause on battery below N %" (issue 20): when the power facts hold a pair.
#include "sync/powerhold.h"

#include <QTest>

using namespace steadysync;

class TestPowerHold : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void holds_data();
    void holds();
};

void TestPowerHold::holds_data()
{
    QTest::addColumn<bool>("onBattery");
    QTest::addColumn<double>("percentage");
    QTest::addColumn<bool>("powerSaver");
    QTest::addColumn<int>("threshold");
    QTest::addColumn<bool>("held");

    QTest::newRow("on mains, low charge") << false << 5.0 << false << 30 << false;
    QTest::newRow("on battery, above the threshold") << true << 80.0 << false << 30 << false;
    QTest::newRow("on battery, at the threshold") << true << 30.0 << false << 30 << false;
    QTest::newRow("on battery, just below") << true << 29.5 << false << 30 << true;
    QTest::newRow("on battery, empty") << true << 0.0 << false << 30 << true;
    QTest::newRow("power-saver on mains") << false << 100.0 << true << 30 << true;
    QTest::newRow("power-saver on battery, full") << true << 100.0 << true << 30 << true;
    QTest::newRow("option off, on battery, low") << true << 5.0 << false << 0 << false;
    QTest::newRow("option off, power-saver") << true << 5.0 << true << 0 << false;
    QTest::newRow("threshold 100, on battery, 99") << true << 99.0 << false << 100 << true;
    QTest::newRow("threshold 100, on battery, full") << true << 100.0 << false << 100 << false;
}

void TestPowerHold::holds()
{
    QFETCH(bool, onBattery);
    QFETCH(double, percentage);
    QFETCH(bool, powerSaver);
    QFETCH(int, threshold);
    QFETCH(bool, held);
    QCOMPARE(holdsForPower(PowerFacts{onBattery, percentage, powerSaver}, threshold), held);
}

QTEST_GUILESS_MAIN(TestPowerHold)
#include "tst_powerhold.moc"
