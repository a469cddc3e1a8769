#pragma once

#include "sync/engine.h"
#include "sync/syncplan.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QVector>

namespace steadysync {

// Recent activity of all pairs, newest first, fed by Engine::itemDone and by conflict
// resolutions; keeps the last MaxRows items.
class ActivityModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { TimeColumn, PairColumn, PathColumn, ActionColumn, ResultColumn, ColumnCount };
    // What the filter of the Recent Activity tab tells apart.
    enum class Category { Change, Error, Conflict, Deleted };
    enum Role {
        CategoryRole = Qt::UserRole, // Category as int
        LocalPathRole,               // the file's absolute path on this computer
    };
    static constexpr int MaxRows = 500;

    explicit ActivityModel(QObject *parent = nullptr);

    // localRoot: the pair's folder, for opening the file; may be empty.
    void addItem(const QString &pair, const QString &path, ActionKind kind, bool ok,
                 const QString &message, const QString &localRoot = {});
    // A conflict the sync met, with what its policy did about it.
    void addConflict(const QString &pair, const QString &localRoot, const QString &path,
                     ConflictPolicy policy);
    // A conflict the user resolved (review dialog).
    void addResolution(const QString &pair, const QString &localRoot, const QString &path,
                       ConflictChoice choice, bool ok, const QString &message);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    static QString actionLabel(ActionKind kind);

private:
    struct Item
    {
        QDateTime time;
        QString pair;
        QString localRoot;
        QString path;
        QString action;
        QString result;
        QString detail; // tooltip: the engine's own message
        Category category;
    };
    void prepend(Item item);
    static QString resultText(const QString &path, bool ok, const QString &message);
    static Category categoryOf(ActionKind kind, bool ok);

    QVector<Item> m_items;
};

} // namespace steadysync
