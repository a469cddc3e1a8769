#include "versionsview.h"

#include "offguithread.h"
#include "versionpanel.h"

#include "versions/versionrestorer.h"
#include "versions/versionstore.h"

#include <QCheckBox>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPointer>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QThreadPool>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace steadysync {

namespace {

QString chooseWithDialog(QWidget *parent, const QString &suggested)
{
    return QFileDialog::getSaveFileName(parent, VersionsView::tr("Restore To"), suggested);
}

} // namespace

VersionsView::VersionsView(const QString &pairName, const QString &localRoot, QWidget *parent)
    : QDialog(parent), m_localRoot(QDir(localRoot).absolutePath()), m_chooser(chooseWithDialog),
      m_model(new VersionsModel(this)), m_search(new QLineEdit(this)),
      m_deletedOnly(new QCheckBox(tr("Deleted files only"), this)),
      m_preview(new VersionPanel(tr("Preview"), this)),
      m_restore(new QPushButton(tr("Restore"), this)),
      m_restoreTo(new QPushButton(tr("Restore To…"), this)), m_status(new QLabel(this))
{
    qRegisterMetaType<VersionFacts>();
    setWindowTitle(tr("Versions of “%1”").arg(pairName));
    m_search->setPlaceholderText(tr("Search files"));
    m_search->setClearButtonEnabled(true);
    m_deletedOnly->setToolTip(tr("Show only files that are no longer in the folder"));
    m_restore->setToolTip(tr("Put this version back in its place; the file there now is kept "
                             "as a version first."));
    m_restoreTo->setToolTip(tr("Save this version as another file"));
    // Enter does not restore: the dialog is for looking first.
    m_restore->setAutoDefault(false);
    m_restoreTo->setAutoDefault(false);
    m_status->setWordWrap(true);
    auto *layout = new QVBoxLayout(this);
    auto *filters = new QHBoxLayout;
    filters->addWidget(m_search, 1);
    filters->addWidget(m_deletedOnly);
    layout->addLayout(filters);
    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(createLists());
    splitter->addWidget(m_preview);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    layout->addWidget(splitter, 1);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_status, 1);
    buttons->addWidget(m_restore);
    buttons->addWidget(m_restoreTo);
    auto *close = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addWidget(close);
    layout->addLayout(buttons);
    connect(close, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connectControls();
    resize(1000, 620);
    updateButtons();
    reload();
}

void VersionsView::connectControls()
{
    connect(m_search, &QLineEdit::textChanged, m_model, &VersionsModel::setSearchText);
    connect(m_deletedOnly, &QCheckBox::toggled, m_model, &VersionsModel::setDeletedOnly);
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        if (m_model->rowCount() > 0)
            m_files->selectRow(std::max(0, m_model->rowOf(m_current.path)));
        showVersionsOfCurrentFile();
    });
    connect(m_restore, &QPushButton::clicked, this, [this] {
        if (currentVersion() || currentServerEntry())
            restoreTo(m_localRoot + QLatin1Char('/') + m_current.path);
    });
    connect(m_restoreTo, &QPushButton::clicked, this, [this] {
        if (!currentVersion() && !currentServerEntry())
            return;
        const QString suggested = QDir::home().filePath(QFileInfo(m_current.path).fileName());
        const QString destination = m_chooser(this, suggested);
        if (!destination.isEmpty())
            restoreTo(destination);
    });
}

QWidget *VersionsView::createLists()
{
    auto *lists = new QSplitter(Qt::Vertical, this);
    m_files = new QTableView(lists);
    m_files->setModel(m_model);
    m_files->verticalHeader()->hide();
    m_files->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_files->setSelectionMode(QAbstractItemView::SingleSelection);
    QHeaderView *header = m_files->horizontalHeader();
    header->setStretchLastSection(false);
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(VersionsModel::PathColumn, QHeaderView::Stretch);
    connect(m_files->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this] { showVersionsOfCurrentFile(); });
    m_versions = new QTreeWidget(lists);
    m_versions->setRootIsDecorated(false);
    m_versions->setHeaderLabels({tr("Kept"), tr("Reason"), tr("Size"), tr("Where")});
    m_versions->header()->setStretchLastSection(false);
    m_versions->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_versions->header()->setSectionResizeMode(1, QHeaderView::Stretch);
    connect(m_versions, &QTreeWidget::currentItemChanged, this, &VersionsView::onVersionChosen);
    lists->addWidget(m_files);
    lists->addWidget(m_versions);
    return lists;
}

void VersionsView::showFile(const QString &path)
{
    m_wantedPath = path;
    m_serverPath = path;
    m_search->setText(path);
    if (m_loaded)
        selectWantedFile();
}

void VersionsView::reload()
{
    m_loaded = false;
    const int generation = ++m_loadGeneration;
    const QString root = m_localRoot;
    runOffGuiThread(
        this, [root] { return VersionsModel::read(root); },
        [this, generation](const VersionsSnapshot &snapshot) { onLoaded(generation, snapshot); });
}

void VersionsView::onLoaded(int generation, const VersionsSnapshot &snapshot)
{
    if (generation != m_loadGeneration)
        return;
    m_localFiles = snapshot.files;
    m_model->setFiles(snapshot.files);
    if (!snapshot.error.isEmpty())
        m_status->setText(tr("The versions could not be read: %1").arg(snapshot.error));
    else if (snapshot.files.isEmpty())
        m_status->setText(tr("No version has been kept in this folder yet."));
    selectWantedFile();
    m_loaded = true;
    Q_EMIT loadedChanged();
    loadServerHistory(generation);
}

void VersionsView::selectWantedFile()
{
    if (m_wantedPath.isEmpty())
        return;
    const int row = m_model->rowOf(std::exchange(m_wantedPath, {}));
    if (row >= 0)
        m_files->selectRow(row);
}

QString VersionsView::currentFilePath() const
{
    return m_current.path;
}

void VersionsView::showVersionsOfCurrentFile()
{
    const VersionedFile *file = m_model->fileAt(m_files->currentIndex().row());
    m_current = file ? *file : VersionedFile();
    QSignalBlocker block(m_versions);
    m_versions->clear();
    const QLocale locale;
    for (int i = 0; i < m_current.versions.size(); ++i) {
        const VersionEntry &entry = m_current.versions[i];
        auto *item = new QTreeWidgetItem(
            m_versions,
            {locale.toString(QDateTime::fromMSecsSinceEpoch(entry.savedMs), QLocale::ShortFormat),
             VersionsModel::reasonText(entry.reason), locale.formattedDataSize(entry.size),
             entry.isOnRemote() ? tr("Server") : tr("This computer")});
        item->setData(0, Qt::UserRole, i);
    }
    addServerRows();
    block.unblock();
    if (m_versions->topLevelItemCount() > 0)
        m_versions->setCurrentItem(m_versions->topLevelItem(0));
    else
        onVersionChosen();
}

const VersionEntry *VersionsView::currentVersion() const
{
    const QTreeWidgetItem *item = m_versions->currentItem();
    const int i = item ? item->data(0, Qt::UserRole).toInt() : -1;
    return i >= 0 && i < m_current.versions.size() ? &m_current.versions[i] : nullptr;
}

void VersionsView::onVersionChosen()
{
    updateButtons();
    m_previewLoaded = false;
    if (const ServerHistoryEntry *server = currentServerEntry())
        return showServerFacts(*server);
    const VersionEntry *entry = currentVersion();
    if (!entry)
        return;
    m_preview->showLoading(entry->path);
    const int generation = ++m_previewGeneration;
    const QString blob = VersionStore::blobPathIn(m_localRoot, entry->sha256);
    const QString current = m_localRoot + QLatin1Char('/') + entry->path;
    const qint64 mtimeNs = entry->mtimeNs;
    using Preview = std::pair<VersionFacts, QString>;
    runOffGuiThread(
        this,
        [blob, current, mtimeNs] {
            VersionFacts facts = VersionFacts::gather(blob);
            if (mtimeNs > 0) // the file's own time, not the store's
                facts.modified = QDateTime::fromMSecsSinceEpoch(mtimeNs / 1'000'000);
            const VersionFacts now = VersionFacts::gather(current);
            // Lines that differ from the file in the folder are marked; nothing is when
            // the file is gone.
            return Preview(facts, now.exists ? now.text : facts.text);
        },
        [this, generation](const Preview &preview) {
            onPreviewLoaded(generation, preview.first, preview.second);
        });
}

void VersionsView::onPreviewLoaded(int generation, const VersionFacts &facts,
                                   const QString &currentText)
{
    if (generation != m_previewGeneration)
        return;
    m_preview->showFacts(facts, currentText);
    m_previewLoaded = true;
}

void VersionsView::restoreTo(const QString &destination)
{
    if (const ServerHistoryEntry *server = currentServerEntry())
        return restoreServerEntry(*server, destination);
    const VersionEntry entry = *currentVersion();
    if (!entry.isOnRemote())
        return restoreFromStore(entry, destination);
    if (!m_fetcher) {
        // Its content is on the server; fetching it needs the pair running with its
        // credentials (a pair not served by this app: the command line reads them).
        m_status->setText(tr("This version is kept on the server. Restore it with: "
                             "steadysync-cli versions restore \"%1\" \"%2\" --id %3")
                              .arg(QDir::toNativeSeparators(m_localRoot), entry.path)
                              .arg(entry.id));
        return;
    }
    m_restoring = true;
    updateButtons();
    m_status->setText(tr("Fetching %1 from the server…").arg(entry.path));
    QPointer<VersionsView> view(this);
    m_fetcher(entry, [view, destination](const Result<VersionEntry> &fetched) {
        if (!view)
            return;
        if (!fetched)
            return view->onRestored(destination, fetched.error().message);
        view->restoreFromStore(*fetched, destination);
    });
}

// A version whose content is in the local store (a blob): restored off the GUI thread.
void VersionsView::restoreFromStore(const VersionEntry &entry, const QString &destination)
{
    m_restoring = true;
    updateButtons();
    m_status->setText(tr("Restoring %1…").arg(entry.path));
    const QString root = m_localRoot;
    runOffGuiThread(
        this,
        [root, entry, destination] {
            // A writer of its own on this thread; it waits while the engine saves a version.
            Result<std::unique_ptr<VersionStore>> store = VersionStore::open(root);
            if (!store)
                return store.error().message;
            const Result<VersionRestorer::Outcome> restored =
                VersionRestorer::restore(**store, root, entry, destination);
            return restored ? QString() : restored.error().message;
        },
        [this, destination](const QString &error) { onRestored(destination, error); });
}

void VersionsView::onRestored(const QString &destination, const QString &error)
{
    m_restoring = false;
    updateButtons();
    const QString shown = QDir::toNativeSeparators(QDir::cleanPath(destination));
    if (!error.isEmpty()) {
        m_status->setText(tr("Could not restore to %1: %2").arg(shown, error));
        Q_EMIT restoreFinished(false);
        return;
    }
    m_status->setText(tr("Restored to %1.").arg(shown));
    const QString relative = QDir(m_localRoot).relativeFilePath(QDir::cleanPath(destination));
    if (!VersionRestorer::normalizedPath(relative).isEmpty())
        Q_EMIT restoredInFolder(relative);
    reload(); // the file it replaced is listed now
    Q_EMIT restoreFinished(true);
}

void VersionsView::updateButtons()
{
    const bool canRestore = !m_restoring && (currentVersion() || currentServerEntry());
    m_restore->setEnabled(canRestore);
    m_restoreTo->setEnabled(canRestore);
}

} // namespace steadysync
