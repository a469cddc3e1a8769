#include "activitymodel.h"

#include "humanerror.h"

#include <QBrush>
#include <QColor>

namespace steadysync {

ActivityModel::ActivityModel(QObject *parent) : QAbstractTableModel(parent) {}

void ActivityModel::addItem(const QString &pair, const QString &path, ActionKind kind, bool ok,
                            const QString &message)
{
    if (m_items.size() >= MaxRows) {
        beginRemoveRows({}, MaxRows - 1, int(m_items.size()) - 1);
        m_items.resize(MaxRows - 1);
        endRemoveRows();
    }
    beginInsertRows({}, 0, 0);
    m_items.prepend(Item{QDateTime::currentDateTime(), pair, path, kind, ok, message});
    endInsertRows();
}

int ActivityModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_items.size());
}

int ActivityModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ActivityModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_items.size())
        return {};
    const Item &item = m_items[index.row()];
    if (role == Qt::ForegroundRole && !item.ok)
        return QBrush(QColor(0xc6, 0x28, 0x28));
    if (role == Qt::ToolTipRole)
        return item.message;
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case TimeColumn:
        return item.time.toString(QStringLiteral("HH:mm:ss"));
    case PairColumn:
        return item.pair;
    case PathColumn:
        return item.path;
    case ActionColumn:
        return actionLabel(item.kind);
    case ResultColumn:
        return resultText(item);
    default:
        return {};
    }
}

QVariant ActivityModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case PairColumn:
        return tr("Folder");
    case PathColumn:
        return tr("File");
    case ActionColumn:
        return tr("Action");
    case ResultColumn:
        return tr("Result");
    default:
        return {};
    }
}

QString ActivityModel::actionLabel(ActionKind kind)
{
    switch (kind) {
    case ActionKind::Upload:
        return tr("Uploaded");
    case ActionKind::Download:
        return tr("Downloaded");
    case ActionKind::MakeRemoteDir:
        return tr("Folder created on the server");
    case ActionKind::MakeLocalDir:
        return tr("Folder created locally");
    case ActionKind::DeleteRemote:
        return tr("Deleted on the server");
    case ActionKind::DeleteLocal:
        return tr("Moved to the trash");
    case ActionKind::MoveRemote:
        return tr("Moved on the server");
    case ActionKind::MoveLocal:
        return tr("Moved locally, as on the server");
    case ActionKind::Conflict:
        return tr("Conflict");
    case ActionKind::UpdateJournal:
    case ActionKind::VerifyRemote: // content compared with the server's: found equal or changed
        return tr("Already in sync");
    case ActionKind::Forget:
        return tr("Gone on both sides");
    }
    return {};
}

QString ActivityModel::resultText(const Item &item) const
{
    if (item.ok)
        return item.message.isEmpty() ? tr("OK") : item.message;
    return item.message.isEmpty() ? tr("Failed")
                                  : tr("Failed: %1").arg(technicalDetail(item.message, item.path));
}

} // namespace steadysync
