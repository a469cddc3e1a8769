#pragma once

#include <QElapsedTimer>
#include <QString>

namespace steadysync::test {

// The measurements of one reliability scenario, written as one JSON object to
// $STEADYSYNC_RELIABILITY_RESULTS/ID.json, for writereport.cmake to turn into
// docs/RELIABILITY.md. The constructor writes a "started" record at once and the destructor
// overwrites it with the figures, so a scenario that crashes or is killed by a timeout leaves
// "started" behind, which the report counts as a failure.
// Result: "pass" after complete(), "skipped" when marked so, else "fail": a scenario that
// cannot pass fails, a known bug included, so that the table never shows it as settled.
class ScenarioRecord
{
public:
    ScenarioRecord(QString id, QString title);
    ~ScenarioRecord();

    ScenarioRecord(const ScenarioRecord &) = delete;
    ScenarioRecord &operator=(const ScenarioRecord &) = delete;

    void addRun() { ++m_runs; }
    void addFaults(qint64 count) { m_faults += count; }
    void addOperations(qint64 count) { m_operations += count; }
    void addVersionsLost(qint64 count) { m_versionsLost += count; }
    // Keeps the longest recovery seen (ms from the fault's end to the pair working again).
    void noteRecoveryMs(qint64 ms);
    void setNotes(const QString &notes) { m_notes = notes; }
    void complete() { m_result = QStringLiteral("pass"); }
    // Call just before QSKIP: the row says why the case could not run here.
    void skipped(const QString &reason);

private:
    void write() const;

    QString m_id;
    QString m_title;
    qint64 m_runs = 0;
    qint64 m_faults = 0;
    qint64 m_operations = 0;
    qint64 m_versionsLost = 0;
    qint64 m_recoveryMs = -1;
    QString m_notes;
    QString m_result = QStringLiteral("started");
    QElapsedTimer m_duration;
};

} // namespace steadysync::test
