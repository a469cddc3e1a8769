#include "settingsdialog.h"

#include "autostartentry.h"
#include "choosefoldersdialog.h"
#include "credentialfetcher.h"
#include "paireditor.h"
#include "pairmanager.h"
#include "selectionwriter.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QVBoxLayout>

#include <utility>

namespace steadysync {

SettingsDialog::SettingsDialog(PairManager *manager, const AutostartEntry &autostart,
                               QWidget *parent)
    : QDialog(parent), m_manager(manager), m_autostart(autostart), m_pairs(new QListWidget(this)),
      m_editor(new PairEditor(this)), m_message(new QLabel(this)),
      m_remove(new QPushButton(tr("Remove"), this)),
      m_startAtLogin(new QCheckBox(tr("Start Steadysync when I log in"), this))
{
    setWindowTitle(tr("Settings")); // the window manager adds " — Steadysync"
    auto *add = new QPushButton(tr("Add Folder Pair"), this);
    auto *save = new QPushButton(tr("Save Pair"), this);
    m_save = save;
    m_message->setStyleSheet(QStringLiteral("color: #c62828;"));
    m_message->setWordWrap(true);
    // Space kept for a message: the Save button must not move when one appears.
    m_message->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_message->setMinimumHeight(3 * m_message->fontMetrics().lineSpacing());

    auto *listColumn = new QVBoxLayout;
    listColumn->addWidget(m_pairs, 1);
    auto *listButtons = new QHBoxLayout;
    listButtons->addWidget(add);
    listButtons->addWidget(m_remove);
    listColumn->addLayout(listButtons);

    auto *editorColumn = new QVBoxLayout;
    editorColumn->addWidget(m_editor);
    editorColumn->addWidget(m_message);
    editorColumn->addWidget(save, 0, Qt::AlignRight);
    editorColumn->addStretch();

    auto *columns = new QHBoxLayout;
    columns->addLayout(listColumn, 1);
    columns->addLayout(editorColumn, 2);

    auto *close = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(columns, 1);
    layout->addWidget(m_startAtLogin);
    layout->addWidget(close);

    m_startAtLogin->setChecked(autostart.isEnabled());
    connect(m_startAtLogin, &QCheckBox::toggled, this, [this](bool enabled) {
        if (!m_autostart.setEnabled(enabled))
            showMessage(tr("Cannot change the autostart entry %1.").arg(AutostartEntry::filePath()),
                        MessageKind::Problem);
    });
    connect(add, &QPushButton::clicked, this, &SettingsDialog::addPair);
    connect(save, &QPushButton::clicked, this, &SettingsDialog::saveCurrentPair);
    connect(m_editor->chooseFoldersButton(), &QPushButton::clicked, this,
            &SettingsDialog::chooseFolders);
    connect(m_remove, &QPushButton::clicked, this, [this] {
        const auto answer = QMessageBox::question(
            this, tr("Remove Folder Pair"),
            tr("Stop syncing this folder pair? No file is deleted on either side."));
        if (answer == QMessageBox::Yes)
            removeCurrentPair();
    });
    connect(close, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_pairs, &QListWidget::currentRowChanged, this, &SettingsDialog::onCurrentRowChanged);
    resize(820, 460);
    reloadPairs(QString());
}

void SettingsDialog::reloadPairs(const QString &selectId)
{
    QSignalBlocker block(m_pairs);
    m_pairs->clear();
    int selectRow = 0;
    for (const PairConfig &pair : m_manager->configs()) {
        auto *item = new QListWidgetItem(pair.displayName(), m_pairs);
        item->setData(Qt::UserRole, pair.id);
        item->setToolTip(pair.localRoot);
        if (pair.id == selectId)
            selectRow = m_pairs->count() - 1;
    }
    m_pairs->setCurrentRow(m_pairs->count() > 0 ? selectRow : -1);
    showSelectedPair();
}

void SettingsDialog::selectPair(const QString &id)
{
    if (id.isEmpty())
        return showNewPair();
    for (int row = 0; row < m_pairs->count(); ++row) {
        if (m_pairs->item(row)->data(Qt::UserRole).toString() == id) {
            QSignalBlocker block(m_pairs);
            m_pairs->setCurrentRow(row);
            return showSelectedPair();
        }
    }
}

void SettingsDialog::onCurrentRowChanged(int row)
{
    if (row == m_shownRow)
        return;
    const QString targetId =
        row >= 0 ? m_pairs->item(row)->data(Qt::UserRole).toString() : QString();
    {
        // The list shows the edited pair until the user has answered.
        QSignalBlocker block(m_pairs);
        m_pairs->setCurrentRow(m_shownRow);
    }
    const auto next = [this, targetId] {
        selectPair(targetId);
    };
    if (settleUnsavedChanges(next) == UnsavedAnswer::GoOn)
        next();
}

void SettingsDialog::showSelectedPair()
{
    m_message->clear();
    m_message->setToolTip(QString());
    m_shownRow = m_pairs->currentRow();
    const QListWidgetItem *item = m_pairs->currentItem();
    m_remove->setEnabled(item != nullptr);
    if (!item)
        return showNewPair();
    if (const PairSession *session = m_manager->session(item->data(Qt::UserRole).toString()))
        m_editor->setConfig(session->config());
}

void SettingsDialog::addPair()
{
    const auto next = [this] {
        showNewPair();
    };
    if (settleUnsavedChanges(next) == UnsavedAnswer::GoOn)
        next();
}

void SettingsDialog::showNewPair()
{
    QSignalBlocker block(m_pairs);
    m_pairs->setCurrentRow(-1);
    m_shownRow = -1;
    m_remove->setEnabled(false);
    PairConfig fresh;
    fresh.id.clear();
    m_editor->setConfig(fresh);
}

void SettingsDialog::reject()
{
    const auto next = [this] {
        QDialog::reject();
    };
    if (settleUnsavedChanges(next) == UnsavedAnswer::GoOn)
        next();
}

SettingsDialog::UnsavedAnswer SettingsDialog::settleUnsavedChanges(std::function<void()> next)
{
    if (m_saving) {
        m_afterSave = std::move(next); // the save under way decides
        return UnsavedAnswer::AfterSave;
    }
    if (!m_editor->isModified())
        return UnsavedAnswer::GoOn;
    QMessageBox question(QMessageBox::Question, tr("Unsaved Changes"),
                         tr("This folder pair has changes that are not saved yet."),
                         QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, this);
    question.setObjectName(QStringLiteral("unsavedChanges"));
    question.setInformativeText(tr("Save them before going on?"));
    question.setDefaultButton(QMessageBox::Save);
    const int answer = question.exec();
    if (answer == QMessageBox::Discard) {
        m_editor->discardChanges();
        return UnsavedAnswer::GoOn;
    }
    if (answer != QMessageBox::Save || !saveCurrentPair())
        return UnsavedAnswer::Stay;
    if (!m_saving)
        return UnsavedAnswer::GoOn;
    m_afterSave = std::move(next);
    return UnsavedAnswer::AfterSave;
}

bool SettingsDialog::saveCurrentPair()
{
    if (m_saving)
        return false; // the button is disabled meanwhile; this is for callers in code
    const QString error = m_editor->validationError();
    if (!error.isEmpty()) {
        showMessage(error, MessageKind::Problem);
        return false;
    }
    const PairConfig config = m_editor->config();
    for (const PairConfig &other : m_manager->configs()) {
        if (other.id != config.id && other.localRoot == config.localRoot) {
            showMessage(tr("This folder is already synced by another pair."), MessageKind::Problem);
            return false;
        }
    }
    const QString password = m_editor->password();
    if (password.isEmpty() || !CredentialFetcher::needsPassword(config)) {
        reloadPairs(m_manager->addOrUpdate(config)->config().id);
        return true;
    }
    // The engine reads the password when it starts: store it first. One save at a time, so
    // the last password typed is the one kept and a new pair is added once.
    setSaving(true);
    showMessage(tr("Saving the password in the keychain…"), MessageKind::Progress);
    CredentialFetcher::storePassword(config, password, this, [this, config](const QString &fault) {
        setSaving(false);
        reloadPairs(m_manager->addOrUpdate(config)->config().id);
        std::function<void()> afterSave = std::exchange(m_afterSave, {});
        // Every store ends here (done, failed or timed out): the progress line never stays.
        if (fault.isEmpty() && afterSave)
            afterSave(); // what the user asked for when choosing Save
        else if (fault.isEmpty())
            showMessage(tr("The password is saved in the keychain."), MessageKind::Success);
        else
            showMessage(tr("The password could not be saved in the keychain. The folder pair "
                           "cannot sign in until it is saved."),
                        MessageKind::Problem, fault);
    });
    return true;
}

void SettingsDialog::setSaving(bool saving)
{
    m_saving = saving;
    m_save->setEnabled(!saving);
}

void SettingsDialog::showMessage(const QString &text, MessageKind kind, const QString &detail)
{
    static const char *const colours[] = {"color: #c62828;", "color: palette(text);",
                                          "color: #2e7d32;"};
    m_message->setStyleSheet(QLatin1String(colours[int(kind)]));
    m_message->setText(text);
    m_message->setToolTip(detail);
}

void SettingsDialog::chooseFolders()
{
    const QString error = m_editor->validationError();
    if (!error.isEmpty())
        return showMessage(error, MessageKind::Problem);
    const PairConfig config = m_editor->config();
    const QString typed = m_editor->password();
    if (!typed.isEmpty() || !CredentialFetcher::needsPassword(config))
        return openChooseFolders(config, typed);
    showMessage(tr("Reading the password from the keychain…"), MessageKind::Progress);
    CredentialFetcher::readPassword(config, this,
                                    [this, config](const QString &password, const QString &) {
                                        m_message->clear();
                                        openChooseFolders(config, password);
                                    });
}

ChooseFoldersDialog *SettingsDialog::chooseFoldersDialog() const
{
    return m_chooseFolders.data();
}

void SettingsDialog::openChooseFolders(const PairConfig &config, const QString &password)
{
    if (m_chooseFolders)
        m_chooseFolders->close();
    auto *dialog = new ChooseFoldersDialog(config, password, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_chooseFolders = dialog;
    connect(dialog, &ChooseFoldersDialog::selectionChosen, this,
            [this, config](const SelectionChange &change) { applySelection(config, change); });
    dialog->open(); // window-modal without a nested event loop
}

// Through the pair's engine while it runs (it waits for a cycle to end), else straight into
// the journal (a pair not saved yet starts with its selection).
void SettingsDialog::applySelection(const PairConfig &config, const SelectionChange &change)
{
    if (change.isEmpty())
        return;
    PairSession *session = config.id.isEmpty() ? nullptr : m_manager->session(config.id);
    if (session && session->config().localRoot == config.localRoot) {
        showMessage(tr("Applying the folder selection…"), MessageKind::Progress);
        connect(session, &PairSession::folderSelectionChanged, this,
                &SettingsDialog::showSelectionOutcome, Qt::SingleShotConnection);
        return session->changeFolderSelection(change);
    }
    const Result<SelectionOutcome> outcome = applySelectionWithoutEngine(config.localRoot, change);
    showSelectionOutcome(outcome.ok() ? *outcome : SelectionOutcome{},
                         outcome.ok() ? QString() : outcome.error().message);
}

void SettingsDialog::showSelectionOutcome(const SelectionOutcome &outcome, const QString &error)
{
    if (!error.isEmpty())
        return showMessage(tr("The folder selection could not be saved."), MessageKind::Problem,
                           error);
    int trashed = 0;
    int kept = 0;
    for (const SelectionOutcome::Removed &folder : outcome.removed) {
        trashed += folder.removal.trashed;
        kept += int(folder.removal.kept.size() + folder.removal.errors.size());
    }
    QString text = tr("The folder selection is saved; the next sync follows it.");
    if (trashed > 0)
        text += QLatin1Char(' ') + tr("Synced files moved to the trash: %1.").arg(trashed);
    if (kept > 0)
        text += QLatin1Char(' ') + tr("Files not on the server that stay here: %1.").arg(kept);
    showMessage(text, kept > 0 ? MessageKind::Problem : MessageKind::Success);
}

void SettingsDialog::removeCurrentPair()
{
    const QListWidgetItem *item = m_pairs->currentItem();
    if (!item)
        return;
    m_manager->remove(item->data(Qt::UserRole).toString());
    reloadPairs(QString());
}

} // namespace steadysync
