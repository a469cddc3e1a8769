#pragma once

#include "sync/cyclereport.h"

#include <QFrame>
#include <QHash>

class QGridLayout;
class QLabel;
class QPushButton;

namespace steadysync {

class HeldFoldersPanel;
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
    // The held mass deletion's question and answers, shown while the engine holds one.
    QWidget *deletionDecision() const { return m_decision; }
    QPushButton *deleteOtherSideButton() const { return m_deleteOtherSide; }
    QPushButton *restoreButton() const { return m_restore; }
    // New large remote folders waiting for "Download" or "Keep Excluded" (selective sync).
    HeldFoldersPanel *heldFoldersPanel() const { return m_heldFolders; }
    QString counterText(const QString &key) const;
    // One line per file moving for a few seconds or longer (bytes, speed, time left).
    QString transfersText() const;
    // "Server space: 3.2 GB free of 10 GB" where the server tells its quota, else "".
    QString serverSpaceText() const;
    static QString describeServerSpace(const std::optional<ServerSpace> &space);

Q_SIGNALS:
    // The card was clicked: the dashboard shows this pair's charts and lists.
    void selected(const QString &pairId);

protected:
    void mousePressEvent(QMouseEvent *event) override;

private:
    void addCounter(const QString &key, const QString &label, int row, int column);
    void showStatus(const StatusSnapshot &status);
    QWidget *createDecision();
    void showDecision();
    void showTransfers();

    PairSession *m_session;
    QGridLayout *m_grid;
    QLabel *m_icon;
    QLabel *m_state;
    QLabel *m_error;
    QLabel *m_transfers;
    QLabel *m_serverSpace;
    QPushButton *m_pause;
    QWidget *m_decision = nullptr;
    QLabel *m_decisionText = nullptr;
    QPushButton *m_deleteOtherSide = nullptr;
    QPushButton *m_restore = nullptr;
    HeldFoldersPanel *m_heldFolders = nullptr;
    QHash<QString, QLabel *> m_counters;
};

} // namespace steadysync
