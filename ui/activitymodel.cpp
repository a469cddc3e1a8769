#include "activitymodel.h"

#include "humanerror.h"

#include <QBrush>
#include <QColor>
#include <QDir>

namespace steadysync {

namespace {

QString policyOutcome(ConflictPolicy policy)
{
    switch (policy) {
    case ConflictPolicy::KeepBoth:
        return ActivityModel::tr("Both versions kept; the older one as a conflict copy");
    case ConflictPolicy::LocalWins:
        return ActivityModel::tr("This computer's version kept; the other as a conflict copy");
    case ConflictPolicy::RemoteWins:
        return ActivityModel::tr("The server's version kept; the other as a conflict copy");
    case ConflictPolicy::Ask:
        return ActivityModel::tr("Waiting for your choice");
    }
    return {};
}

QString choiceOutcome(ConflictChoice choice)
{
    switch (choice) {
    case ConflictChoice::KeepLocal:
        return ActivityModel::tr("You kept this computer's version");
    case ConflictChoice::KeepRemote:
        return ActivityModel::tr("You kept the server's version");
    case ConflictChoice::KeepBoth:
        return ActivityModel::tr("You kept both versions");
    }
    return {};
}

} // namespace

ActivityModel::ActivityModel(QObject *parent) : QAbstractTableModel(parent) {}

void ActivityModel::prepend(Item item)
{
    item.time = QDateTime::currentDateTime();
    if (m_items.size() >= MaxRows) {
        beginRemoveRows({}, MaxRows - 1, int(m_items.size()) - 1);
        m_items.resize(MaxRows - 1);
        endRemoveRows();
    }
    beginInsertRows({}, 0, 0);
    m_items.prepend(std::move(item));
    endInsertRows();
}

void ActivityModel::addItem(const QString &pair, const QString &path, ActionKind kind, bool ok,
                            const QString &message, const QString &localRoot)
{
    prepend(Item{{},
                 pair,
                 localRoot,
                 path,
                 actionLabel(kind),
                 resultText(path, ok, message),
                 message,
                 categoryOf(kind, ok)});
}

void ActivityModel::addConflict(const QString &pair, const QString &localRoot, const QString &path,
                                ConflictPolicy policy)
{
    prepend(Item{
        {}, pair, localRoot, path, tr("Conflict"), policyOutcome(policy), {}, Category::Conflict});
}

void ActivityModel::addResolution(const QString &pair, const QString &localRoot,
                                  const QString &path, ConflictChoice choice, bool ok,
                                  const QString &message)
{
    prepend(Item{{},
                 pair,
                 localRoot,
                 path,
                 tr("Conflict resolved"),
                 ok ? choiceOutcome(choice) : resultText(path, false, message),
                 message,
                 ok ? Category::Conflict : Category::Error});
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
    switch (role) {
    case Qt::ForegroundRole:
        return item.category == Category::Error ? QVariant(QBrush(QColor(0xc6, 0x28, 0x28)))
                                                : QVariant();
    case Qt::ToolTipRole: // the whole text of a cell that may be elided, with the detail
        if (index.column() == PathColumn)
            return item.path;
        return item.detail.isEmpty() ? item.result : item.detail;
    case CategoryRole:
        return int(item.category);
    case LocalPathRole:
        return item.localRoot.isEmpty() ? QString()
                                        : QDir(item.localRoot).absoluteFilePath(item.path);
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    switch (index.column()) {
    case TimeColumn:
        return item.time.toString(QStringLiteral("HH:mm:ss"));
    case PairColumn:
        return item.pair;
    case PathColumn:
        return item.path;
    case ActionColumn:
        return item.action;
    case ResultColumn:
        return item.result;
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

QString ActivityModel::resultText(const QString &path, bool ok, const QString &message)
{
    if (ok)
        return message.isEmpty() ? tr("OK") : message;
    return message.isEmpty() ? tr("Failed") : tr("Failed: %1").arg(technicalDetail(message, path));
}

ActivityModel::Category ActivityModel::categoryOf(ActionKind kind, bool ok)
{
    if (!ok)
        return Category::Error;
    switch (kind) {
    case ActionKind::Conflict:
        return Category::Conflict;
    case ActionKind::DeleteRemote:
    case ActionKind::DeleteLocal:
        return Category::Deleted;
    default:
        return Category::Change;
    }
}

} // namespace steadysync
