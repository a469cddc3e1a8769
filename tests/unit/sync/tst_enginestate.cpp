#include "sync/enginestate.h"

#include <QTest>

using namespace steadysync;

// The engine's state travels as a string to other processes (the journal's live status,
// `status --json`, D-Bus): these names are a contract and must not change.
class TestEngineState : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void names_data()
    {
        QTest::addColumn<int>("state");
        QTest::addColumn<QString>("name");
        QTest::newRow("idle") << int(EngineState::Idle) << QStringLiteral("idle");
        QTest::newRow("syncing") << int(EngineState::Syncing) << QStringLiteral("syncing");
        QTest::newRow("paused") << int(EngineState::Paused) << QStringLiteral("paused");
        QTest::newRow("offline") << int(EngineState::Offline) << QStringLiteral("offline");
        QTest::newRow("error") << int(EngineState::Error) << QStringLiteral("error");
    }

    void names()
    {
        QFETCH(int, state);
        QFETCH(QString, name);
        QCOMPARE(engineStateName(EngineState(state)), name);
        QCOMPARE(int(engineStateFromName(name)), state);
    }

    // A journal written by no engine, or by a version with another state, reads as idle.
    void unknownNameReadsAsIdle()
    {
        QCOMPARE(engineStateFromName(QString()), EngineState::Idle);
        QCOMPARE(engineStateFromName(QStringLiteral("Syncing")), EngineState::Idle);
        QCOMPARE(engineStateFromName(QStringLiteral("up-to-date")), EngineState::Idle);
    }
};

QTEST_GUILESS_MAIN(TestEngineState)
#include "tst_enginestate.moc"
