#pragma once

#include "journal/journal.h"
#include "sync/cyclereport.h"

#include <QByteArray>
#include <QJsonObject>
#include <QVector>

namespace steadysync::cli {

// The JSON documents of DESIGN §7, field for field.
QByteArray cycleReportJson(const CycleReport &report);
QByteArray statusJson(const StatusSnapshot &status);
QJsonObject statusObject(const StatusSnapshot &status); // what statusJson() writes
QByteArray conflictsJson(const QVector<ConflictRecord> &conflicts);

QString isoTime(qint64 epochMs); // ISO-8601 in UTC

} // namespace steadysync::cli
