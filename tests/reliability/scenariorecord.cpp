#include "scenariorecord.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

namespace steadysync::test {

ScenarioRecord::ScenarioRecord(QString id, QString title)
    : m_id(std::move(id)), m_title(std::move(title))
{
    m_duration.start();
    write();
    m_result = QStringLiteral("fail");
}

ScenarioRecord::~ScenarioRecord()
{
    write();
}

void ScenarioRecord::write() const
{
    const QString directory = qEnvironmentVariable("STEADYSYNC_RELIABILITY_RESULTS");
    if (directory.isEmpty())
        return;
    QDir().mkpath(directory);
    const QJsonObject object{
        {QStringLiteral("id"), m_id},
        {QStringLiteral("title"), m_title},
        {QStringLiteral("runs"), m_runs},
        {QStringLiteral("faults"), m_faults},
        {QStringLiteral("operations"), m_operations},
        {QStringLiteral("versions_lost"), m_versionsLost},
        {QStringLiteral("recovery_ms"), m_recoveryMs},
        {QStringLiteral("duration_ms"), m_duration.elapsed()},
        {QStringLiteral("notes"), m_notes},
        {QStringLiteral("result"), m_result},
    };
    QFile file(directory + QLatin1Char('/') + m_id + QStringLiteral(".json"));
    if (file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        file.write(QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n');
}

void ScenarioRecord::skipped(const QString &reason)
{
    m_result = QStringLiteral("skipped");
    m_notes = reason;
}

void ScenarioRecord::noteRecoveryMs(qint64 ms)
{
    m_recoveryMs = qMax(m_recoveryMs, ms);
}

} // namespace steadysync::test
