#pragma once

#include "pairconfig.h"
#include "sync/selectionchange.h"

#include <QDialog>

class QDialogButtonBox;
class QLabel;
class QTreeView;

namespace steadysync {

class FolderTreeModel;

// "Choose folders" (selective sync): the pair's remote folders as a lazily listed tree with
// tri-state checkboxes and sizes, the total selected and the free space of the local disk.
// Save asks before the local copy of a folder it leaves out goes (naming its size), then
// emits selectionChosen(); the caller applies it (PairSession::changeFolderSelection).
class ChooseFoldersDialog : public QDialog
{
    Q_OBJECT
public:
    // password: for a WebDAV remote that needs one (the editor's or the keychain's).
    ChooseFoldersDialog(const PairConfig &config, const QString &password,
                        QWidget *parent = nullptr);
    ~ChooseFoldersDialog() override;

    FolderTreeModel *model() const { return m_model; }
    QTreeView *view() const { return m_view; }
    // "Selected: … · Free on this computer: …"
    QLabel *summaryLabel() const { return m_summary; }
    QLabel *messageLabel() const { return m_message; }
    // The local disk's free bytes as shown (measured when the dialog opened); -1 unknown.
    qint64 freeBytes() const { return m_freeBytes; }
    // Checks the tree's change, asks about local copies, then emits selectionChosen().
    void save();

    // The local copy of folder below localRoot: bytes and files (a walk; not in the GUI thread).
    struct LocalSize
    {
        qint64 bytes = 0;
        qint64 files = 0;
    };
    static LocalSize localSizeOf(const QString &localRoot, const QString &folder);
    // The free bytes of the disk that holds path (or its nearest existing parent); -1 unknown.
    static qint64 freeBytesFor(const QString &path);

Q_SIGNALS:
    void selectionChosen(const steadysync::SelectionChange &change);

private:
    void showSummary();
    void onFolderListed(const QString &path, const QString &error);
    // Asks whether the synced local copies of the folders left out may go; false to stay.
    bool confirmRemoval(const QVector<QPair<QString, LocalSize>> &local);
    void measureThenConfirm(const SelectionChange &change, const QStringList &localFolders);

    PairConfig m_config;
    FolderTreeModel *m_model = nullptr;
    QTreeView *m_view;
    QLabel *m_summary;
    QLabel *m_message;
    QDialogButtonBox *m_buttons;
    qint64 m_freeBytes = -1;
    bool m_measuring = false;
};

// Reads the selection (excluded and held-back folders) from the pair's journal; empty lists
// when the pair never synced.
void readFolderSelection(const QString &localRoot, QStringList *excluded, QStringList *heldBack);

} // namespace steadysync
