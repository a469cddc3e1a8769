#pragma once

#include "sync/cyclereport.h"

#include <QFrame>
#include <QHash>

class QGridLayout;
class QLabel;
class QPushButton;

namespace steadysync {

class PairSession;

// One folder pair in the dashboard: state, live counters and its own buttons.
class PairCard : public QFrame
{
    Q_OBJECT
public:
    explicit PairCard(PairSession *session, QWidget *parent = nullptr);

    PairSession *session() const { return m_session; }
    QString stateText() const;
    // The problem line under the state (empty when none) and its technical detail (tooltip).
    QString problemText() const;
    QString problemDetail() const;
    QString counterText(const QString &key) const;

private:
    void addCounter(const QString &key, const QString &label, int row, int column);
    void showStatus(const StatusSnapshot &status);

    PairSession *m_session;
    QGridLayout *m_grid;
    QLabel *m_icon;
    QLabel *m_state;
    QLabel *m_error;
    QPushButton *m_pause;
    QHash<QString, QLabel *> m_counters;
};

} // namespace steadysync
