#include "choosefoldersdialog.h"

#include "foldertreemodel.h"

#include "journal/journal.h"
#include "sync/folderselection.h"

#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QStorageInfo>
#include <QThreadPool>
#include <QTreeView>
#include <QVBoxLayout>

namespace steadysync {

void readFolderSelection(const QString &localRoot, QStringList *excluded, QStringList *heldBack)
{
    excluded->clear();
    heldBack->clear();
    if (localRoot.isEmpty() || !QFileInfo::exists(Journal::databasePath(localRoot)))
        return; // never synced: everything is selected
    Result<std::unique_ptr<Journal>> journal = Journal::open(localRoot);
    if (!journal.ok())
        return;
    *excluded = FolderSelection::excludedFolders(**journal);
    *heldBack = FolderSelection::heldBackFolders(**journal);
}

ChooseFoldersDialog::ChooseFoldersDialog(const PairConfig &config, const QString &password,
                                         QWidget *parent)
    : QDialog(parent), m_config(config), m_view(new QTreeView(this)), m_summary(new QLabel(this)),
      m_message(new QLabel(this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Choose Folders to Sync"));
    setObjectName(QStringLiteral("chooseFolders"));
    auto *intro = new QLabel(tr("Folders on %1 that this computer keeps a copy of. Unchecked "
                                "folders stay on the server only.")
                                 .arg(config.remoteUrl.toDisplayString(QUrl::RemoveUserInfo)),
                             this);
    intro->setWordWrap(true);
    m_message->setWordWrap(true);
    m_message->setStyleSheet(QStringLiteral("color: #c62828;"));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_summary);
    layout->addWidget(m_message);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &ChooseFoldersDialog::save);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    resize(560, 480);

    BackendOptions options = config.engineOptions().backend;
    options.password = password;
    options.parallel = 2;
    QString error;
    std::unique_ptr<RemoteBackend> backend =
        RemoteBackend::create(config.remoteUrl, options, &error);
    if (!backend) {
        m_message->setText(tr("The remote cannot be listed: %1").arg(error));
        m_buttons->button(QDialogButtonBox::Save)->setEnabled(false);
        return;
    }
    m_model = new FolderTreeModel(std::move(backend), this);
    QStringList excluded;
    QStringList heldBack;
    readFolderSelection(config.localRoot, &excluded, &heldBack);
    m_model->setSelection(excluded, heldBack);
    m_view->setModel(m_model);
    m_view->header()->setStretchLastSection(false);
    m_view->header()->setSectionResizeMode(FolderTreeModel::NameColumn, QHeaderView::Stretch);
    m_view->header()->setSectionResizeMode(FolderTreeModel::SizeColumn,
                                           QHeaderView::ResizeToContents);
    connect(m_model, &FolderTreeModel::selectionChanged, this, &ChooseFoldersDialog::showSummary);
    connect(m_model, &FolderTreeModel::folderListed, this, &ChooseFoldersDialog::onFolderListed);
    m_freeBytes = freeBytesFor(config.localRoot);
    m_summary->setText(tr("Listing the folders on the server…"));
    m_model->start();
}

ChooseFoldersDialog::~ChooseFoldersDialog() = default;

qint64 ChooseFoldersDialog::freeBytesFor(const QString &path)
{
    QString existing = QDir::cleanPath(path);
    while (!existing.isEmpty() && !QFileInfo::exists(existing) && existing != QDir::rootPath())
        existing = QFileInfo(existing).absolutePath();
    const QStorageInfo storage(existing.isEmpty() ? QDir::rootPath() : existing);
    return storage.isValid() ? storage.bytesAvailable() : -1;
}

void ChooseFoldersDialog::onFolderListed(const QString &path, const QString &error)
{
    if (error.isEmpty())
        return showSummary();
    m_message->setText(path.isEmpty()
                           ? tr("The server's folders could not be listed: %1").arg(error)
                           : tr("%1 could not be listed: %2").arg(path, error));
}

void ChooseFoldersDialog::showSummary()
{
    bool complete = false;
    const qint64 selected = m_model->selectedBytes(&complete);
    const QString free =
        m_freeBytes < 0 ? QStringLiteral("—") : QLocale().formattedDataSize(m_freeBytes);
    m_summary->setText(tr("Selected: %1 · Free on this computer: %2")
                           .arg(FolderTreeModel::formatSize(selected, complete, true), free));
    const bool tooLarge = complete ? selected > m_freeBytes : false;
    m_summary->setStyleSheet(m_freeBytes >= 0 && tooLarge ? QStringLiteral("color: #c62828;")
                                                          : QString());
}

ChooseFoldersDialog::LocalSize ChooseFoldersDialog::localSizeOf(const QString &localRoot,
                                                                const QString &folder)
{
    LocalSize size;
    QDirIterator it(localRoot + QLatin1Char('/') + folder,
                    QDir::Files | QDir::Hidden | QDir::System | QDir::NoSymLinks,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        size.bytes += it.fileInfo().size();
        ++size.files;
    }
    return size;
}

void ChooseFoldersDialog::save()
{
    if (!m_model || m_measuring)
        return;
    const SelectionChange change = m_model->change();
    QStringList localFolders;
    for (const QString &folder : change.exclude) {
        if (QFileInfo(m_config.localRoot + QLatin1Char('/') + folder).isDir())
            localFolders.append(folder);
    }
    if (localFolders.isEmpty()) {
        Q_EMIT selectionChosen(change);
        return accept();
    }
    measureThenConfirm(change, localFolders);
}

// A large local copy takes a while to measure: on a pool thread, the dialog waiting.
void ChooseFoldersDialog::measureThenConfirm(const SelectionChange &change,
                                             const QStringList &localFolders)
{
    m_measuring = true;
    m_buttons->button(QDialogButtonBox::Save)->setEnabled(false);
    m_message->setStyleSheet(QString());
    m_message->setText(tr("Measuring the local copies…"));
    QPointer<ChooseFoldersDialog> self(this);
    const QString root = m_config.localRoot;
    QThreadPool::globalInstance()->start([self, root, localFolders, change] {
        QVector<QPair<QString, LocalSize>> sizes;
        for (const QString &folder : localFolders)
            sizes.append({folder, localSizeOf(root, folder)});
        QMetaObject::invokeMethod(QCoreApplication::instance(), [self, sizes, change] {
            if (!self)
                return;
            self->m_measuring = false;
            self->m_buttons->button(QDialogButtonBox::Save)->setEnabled(true);
            self->m_message->clear();
            self->m_message->setStyleSheet(QStringLiteral("color: #c62828;"));
            if (!self->confirmRemoval(sizes))
                return;
            Q_EMIT self->selectionChosen(change);
            self->accept();
        });
    });
}

bool ChooseFoldersDialog::confirmRemoval(const QVector<QPair<QString, LocalSize>> &local)
{
    QStringList lines;
    qint64 total = 0;
    for (const auto &[folder, size] : local) {
        lines.append(tr("%1: %2 (files: %3)")
                         .arg(folder, QLocale().formattedDataSize(size.bytes))
                         .arg(size.files));
        total += size.bytes;
    }
    QMessageBox question(QMessageBox::Question, tr("Remove Local Copies"),
                         tr("Remove %1 from this computer? The server keeps everything.")
                             .arg(QLocale().formattedDataSize(total)),
                         QMessageBox::Cancel, this);
    question.setObjectName(QStringLiteral("removeLocalCopies"));
    question.setInformativeText(lines.join(QLatin1Char('\n')) + QStringLiteral("\n\n") +
                                tr("Synced files go to the trash. Files changed here that are "
                                   "not on the server yet stay where they are."));
    QPushButton *remove = question.addButton(tr("Remove Local Copies"), QMessageBox::AcceptRole);
    question.setDefaultButton(QMessageBox::Cancel);
    question.exec();
    return question.clickedButton() == remove;
}

} // namespace steadysync
