#pragma once

#include "sync/syncplan.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QVector>

namespace steadysync {

// Recent activity of all pairs, newest first, fed by Engine::itemDone; keeps the last
// MaxRows items.
class ActivityModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { TimeColumn, PairColumn, PathColumn, ActionColumn, ResultColumn, ColumnCount };
    static constexpr int MaxRows = 500;

    explicit ActivityModel(QObject *parent = nullptr);

    void addItem(const QString &pair, const QString &path, ActionKind kind, bool ok,
                 const QString &message);

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
        QString path;
        ActionKind kind;
        bool ok;
        QString message;
    };
    QString resultText(const Item &item) const;

    QVector<Item> m_items;
};

} // namespace steadysync
