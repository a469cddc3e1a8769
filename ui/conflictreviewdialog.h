#pragma once

#include "journal/journal.h"
#include "sync/engine.h"
#include "versionfacts.h"

#include <QDialog>

class QCheckBox;
class QLabel;
class QPushButton;

namespace steadysync {

class PairSession;
class VersionPanel;

// Shows the open conflicts of one pair one by one, both versions side by side, and sends
// the user's choice to the engine (DESIGN §4 "ask", §8).
class ConflictReviewDialog : public QDialog
{
    Q_OBJECT
public:
    ConflictReviewDialog(PairSession *session, const QVector<ConflictRecord> &conflicts,
                         QWidget *parent = nullptr);

    QPushButton *keepLocalButton() const { return m_keepLocal; }
    QPushButton *keepRemoteButton() const { return m_keepRemote; }
    QPushButton *keepBothButton() const { return m_keepBoth; }
    QCheckBox *applyToAllBox() const { return m_applyToAll; }
    // Shows the checksums of both versions (hidden at first).
    QCheckBox *detailsBox() const { return m_details; }
    VersionPanel *localPanel() const { return m_localPanel; }
    VersionPanel *remotePanel() const { return m_remotePanel; }
    QString currentPath() const;
    // True once both versions of the current conflict are shown.
    bool factsLoaded() const { return m_factsLoaded; }
    QPushButton *versionsButton() const { return m_versions; }

Q_SIGNALS:
    // "Show Versions": the user wants the kept versions of this file.
    void versionsRequested(const QString &path);

private:
    void showConflict(int index);
    void loadFacts();
    void onFactsLoaded(int generation, const VersionFacts &local, const VersionFacts &remote);
    void choose(ConflictChoice choice);

    PairSession *m_session;
    QVector<ConflictRecord> m_conflicts;
    int m_index = 0;
    int m_generation = 0;
    bool m_factsLoaded = false;
    QLabel *m_title;
    VersionPanel *m_localPanel;
    VersionPanel *m_remotePanel;
    QCheckBox *m_applyToAll;
    QCheckBox *m_details;
    QPushButton *m_keepLocal;
    QPushButton *m_keepRemote;
    QPushButton *m_keepBoth;
    QPushButton *m_versions;
};

} // namespace steadysync
