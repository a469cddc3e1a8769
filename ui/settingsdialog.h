#pragma once

#include <QDialog>
#include <QPointer>

#include <functional>

class QCheckBox;
class QLabel;
class QListWidget;
class QPushButton;

namespace steadysync {

class AutostartEntry;
class ChooseFoldersDialog;
class PairEditor;
struct PairConfig;
struct SelectionChange;
struct SelectionOutcome;
class PairManager;

// Settings (DESIGN §8): add, edit and remove pairs; start at login.
class SettingsDialog : public QDialog
{
    Q_OBJECT
public:
    SettingsDialog(PairManager *manager, const AutostartEntry &autostart,
                   QWidget *parent = nullptr);

    PairEditor *editor() const { return m_editor; }
    QListWidget *pairList() const { return m_pairs; }
    QCheckBox *startAtLoginBox() const { return m_startAtLogin; }
    // Starts a new, empty pair in the editor.
    void addPair();
    // Saves the editor's pair (new or edited); false with a message shown when invalid.
    bool saveCurrentPair();
    bool isSaving() const { return m_saving; }
    QLabel *messageLabel() const { return m_message; }
    QPushButton *saveButton() const { return m_save; }
    void removeCurrentPair();
    // Close asks first when the editor holds unsaved changes (Save / Discard / Cancel).
    void reject() override;
    // Opens the "Choose folders" tree for the pair in the editor (once its password is read).
    void chooseFolders();
    ChooseFoldersDialog *chooseFoldersDialog() const;

private:
    enum class UnsavedAnswer { GoOn, Stay, AfterSave };
    // Asks what to do with the editor's unsaved changes before next: GoOn when nothing is
    // left to keep, Stay on Cancel or a save that failed at once, AfterSave when next runs
    // once the password is stored.
    UnsavedAnswer settleUnsavedChanges(std::function<void()> next);
    void onCurrentRowChanged(int row);
    void showNewPair();
    void selectPair(const QString &id);
    enum class MessageKind { Problem, Progress, Success };
    void setSaving(bool saving);
    // detail: the technical reason, one hover away (the label's tooltip).
    void showMessage(const QString &text, MessageKind kind, const QString &detail = {});
    void reloadPairs(const QString &selectId);
    void showSelectedPair();
    void openChooseFolders(const PairConfig &config, const QString &password);
    void applySelection(const PairConfig &config, const SelectionChange &change);
    void showSelectionOutcome(const SelectionOutcome &outcome, const QString &error);

    PairManager *m_manager;
    const AutostartEntry &m_autostart;
    QListWidget *m_pairs;
    PairEditor *m_editor;
    QLabel *m_message;
    QPushButton *m_remove;
    QPushButton *m_save = nullptr;
    bool m_saving = false;
    int m_shownRow = -1;               // the row whose pair the editor shows
    std::function<void()> m_afterSave; // what the user chose to do once the save succeeds
    QCheckBox *m_startAtLogin;
    QPointer<ChooseFoldersDialog> m_chooseFolders;
};

} // namespace steadysync
