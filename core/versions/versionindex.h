#pragma once

#include "result.h"
#include "versions/versionentry.h"

#include <QList>
#include <QString>

#include <optional>

namespace steadysync {

// The version store's own SQLite file (.steadysync/versions/index.db): one row per kept
// version. Separate from the journal so that versions survive a journal that is reset or set
// aside, and so that a prune never holds the journal's write lock. One instance per thread.
class VersionIndex
{
public:
    ~VersionIndex();
    VersionIndex(const VersionIndex &) = delete;
    VersionIndex &operator=(const VersionIndex &) = delete;

    static Result<std::unique_ptr<VersionIndex>> open(const QString &databasePath);
    // For readers that must not write (the app's Versions view): no schema, no pragma that
    // writes. NotFound when there is no index yet (no version kept).
    static Result<std::unique_ptr<VersionIndex>> openReadOnly(const QString &databasePath);

    // Inserts entry (its id is ignored) and returns it with the id it got. One statement, so a
    // kill leaves the row either absent or complete; synchronous=FULL, so a power cut too.
    [[nodiscard]] Result<VersionEntry> insert(const VersionEntry &entry);
    // Newest first. path empty: every entry; else the entries of path and of everything below.
    [[nodiscard]] Result<QList<VersionEntry>> list(const QString &path = {}) const;
    [[nodiscard]] Result<std::optional<VersionEntry>> find(qint64 id) const;
    // Removes the rows with these ids in one transaction.
    [[nodiscard]] Status remove(const QList<qint64> &ids);
    // Folds the write-ahead log into the database and truncates it (SQLite keeps up to 4 MB).
    void compact();

private:
    explicit VersionIndex(QString connectionName);
    [[nodiscard]] Status execute(const QString &sql) const;

    QString m_connectionName;
};

} // namespace steadysync
