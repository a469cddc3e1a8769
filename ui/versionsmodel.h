#pragma once

#include "remote/nextcloudhistory.h"
#include "versions/versionentry.h"

#include <QAbstractTableModel>
#include <QList>
#include <QVector>

namespace steadysync {

// One file of a pair's version store with its kept versions, newest first.
struct VersionedFile
{
    QString path;                 // relative to the pair's root
    bool existsLocally = false;   // false: the file is gone from the folder ("Deleted files")
    QList<VersionEntry> versions; // newest first
    // What the server keeps of its own accord (Nextcloud's versions, its trash), newest first.
    QList<ServerHistoryEntry> serverEntries;
    qint64 newestMs() const;
};

// What the Versions view read from a store, off the GUI thread.
struct VersionsSnapshot
{
    QVector<VersionedFile> files; // the file with the newest version first
    QString error;                // empty when the store was read (or there is none yet)
};

// The files of a pair's version store (DESIGN §10), narrowed by a name search and the
// "Deleted files" filter.
class VersionsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { PathColumn, CountColumn, LastSavedColumn, ColumnCount };

    explicit VersionsModel(QObject *parent = nullptr);

    // Reads the store's index read-only (never its writer lock, so a running engine is not
    // held up); blocking: worker threads only.
    static VersionsSnapshot read(const QString &localRoot);
    static QString reasonText(VersionReason reason);
    static QString serverReasonText(const ServerHistoryEntry &entry);
    // Adds what the server keeps to files (a file of its own where none is listed yet), and
    // sorts them by their newest entry; stats the new paths: worker threads only.
    static void addServerHistory(QVector<VersionedFile> &files,
                                 const QList<ServerHistoryEntry> &entries,
                                 const QString &localRoot);

    void setFiles(const QVector<VersionedFile> &files);
    void setSearchText(const QString &text);
    void setDeletedOnly(bool deletedOnly);
    // nullptr when row is not shown.
    const VersionedFile *fileAt(int row) const;
    int rowOf(const QString &path) const; // -1 when not shown

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    void applyFilter();

    QVector<VersionedFile> m_files;
    QVector<int> m_shown; // indexes into m_files
    QString m_search;
    bool m_deletedOnly = false;
};

} // namespace steadysync
