#pragma once

#include "journal/journal.h"

#include <QMetaType>
#include <QObject>

namespace steadysync {

// What the dashboard shows beyond the live status: the stats history and the lists.
struct JournalDetails
{
    QVector<StatsSample> samples;
    QVector<RetryItem> retryItems;
    QVector<ConflictRecord> conflicts;
};

// Read-only journal queries for the GUI, run on a pool thread so that the GUI thread never
// touches the disk; each fetch opens its own connection (WAL lets it read while the engine
// writes) and delivers the result through a queued signal.
class JournalReader : public QObject
{
    Q_OBJECT
public:
    explicit JournalReader(QObject *parent = nullptr);

    void fetch(const QString &localRoot, qint64 fromMs, qint64 toMs);

    // The synchronous query behind fetch(); for worker threads only.
    static JournalDetails read(const QString &localRoot, qint64 fromMs, qint64 toMs);

Q_SIGNALS:
    void detailsReady(const QString &localRoot, const steadysync::JournalDetails &details);
};

} // namespace steadysync

Q_DECLARE_METATYPE(steadysync::JournalDetails)
