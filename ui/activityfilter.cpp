#include "activityfilter.h"

namespace steadysync {

ActivityFilter::ActivityFilter(QObject *parent) : QSortFilterProxyModel(parent) {}

void ActivityFilter::setSearchText(const QString &text)
{
    m_search = text.trimmed();
    invalidateFilter();
}

void ActivityFilter::setShow(Show show)
{
    m_show = show;
    invalidateFilter();
}

bool ActivityFilter::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QAbstractItemModel *model = sourceModel();
    const auto category = ActivityModel::Category(
        model->index(sourceRow, 0, sourceParent).data(ActivityModel::CategoryRole).toInt());
    if (!matchesShow(category))
        return false;
    if (m_search.isEmpty())
        return true;
    for (const int column : {ActivityModel::PairColumn, ActivityModel::PathColumn,
                             ActivityModel::ActionColumn, ActivityModel::ResultColumn}) {
        if (model->index(sourceRow, column, sourceParent)
                .data()
                .toString()
                .contains(m_search, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

bool ActivityFilter::matchesShow(ActivityModel::Category category) const
{
    switch (m_show) {
    case Show::All:
        return true;
    case Show::Errors:
        return category == ActivityModel::Category::Error;
    case Show::Conflicts:
        return category == ActivityModel::Category::Conflict;
    case Show::Deleted:
        return category == ActivityModel::Category::Deleted;
    }
    return true;
}

} // namespace steadysync
