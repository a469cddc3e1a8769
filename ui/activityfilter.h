#pragma once

#include "activitymodel.h"

#include <QSortFilterProxyModel>

namespace steadysync {

// The rows of the Recent Activity tab that match the search text (in the file, folder pair,
// action or result) and the chosen kind (all, errors, conflicts, deletions).
class ActivityFilter : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    enum class Show { All, Errors, Conflicts, Deleted };

    explicit ActivityFilter(QObject *parent = nullptr);

    void setSearchText(const QString &text);
    void setShow(Show show);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    bool matchesShow(ActivityModel::Category category) const;

    QString m_search;
    Show m_show = Show::All;
};

} // namespace steadysync
