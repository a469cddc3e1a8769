#pragma once

#include <QWidget>

class QVBoxLayout;

namespace steadysync {

class PairSession;

// On a pair card: the new large remote folders held back until the user chooses (selective
// sync), each with "Download" (taken, however large) and "Keep Excluded" (left out). Hidden
// while none waits.
class HeldFoldersPanel : public QWidget
{
    Q_OBJECT
public:
    explicit HeldFoldersPanel(PairSession *session, QWidget *parent = nullptr);

    // The folders shown, in order.
    QStringList folders() const { return m_folders; }

private:
    void showFolders(const QStringList &folders);
    QWidget *createRow(const QString &folder);

    PairSession *m_session;
    QVBoxLayout *m_rows;
    QStringList m_folders;
};

} // namespace steadysync
