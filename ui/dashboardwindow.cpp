#include "dashboardwindow.h"

#include "activityfilter.h"
#include "activitymodel.h"
#include "conflictreviewdialog.h"
#include "humanerror.h"
#include "paircard.h"
#include "pairmanager.h"
#include "statscharts.h"
#include "versionsview.h"

#include <QComboBox>
#include <QDateTime>
#include <QDesktopServices>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QToolBar>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>

#include <utility>

namespace steadysync {

namespace {

constexpr int RefreshIntervalMs = 30'000;
constexpr int CoalesceMs = 500;

// The first column (the file) takes the room; the others fit their headers and contents, so
// that no header is cut ("Server-Version gespeichert als" in 100 px).
void fitColumnsButFirst(QTreeWidget *tree)
{
    QHeaderView *header = tree->header();
    header->setStretchLastSection(false);
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(0, QHeaderView::Stretch);
}

} // namespace

DashboardWindow::DashboardWindow(PairManager *manager, QWidget *parent)
    : QMainWindow(parent), m_manager(manager), m_activity(new ActivityModel(this)),
      m_activityFilter(new ActivityFilter(this)),
      m_openUrl([](const QUrl &url) { return QDesktopServices::openUrl(url); })
{
    m_activityFilter->setSourceModel(m_activity);
    setWindowTitle(tr("Steadysync"));
    setWindowIcon(QIcon(QStringLiteral(":/steadysync.svg")));
    QToolBar *toolbar = addToolBar(tr("Actions"));
    toolbar->setMovable(false);
    toolbar->addAction(tr("Sync All Now"), manager, &PairManager::syncAllNow);
    toolbar->addAction(tr("Settings…"), this, &DashboardWindow::settingsRequested);
    toolbar->addAction(tr("Versions…"), this, [this] { showVersions(selectedPairId()); });

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(createOverview());
    splitter->addWidget(createDetails());
    splitter->setStretchFactor(1, 1);
    setCentralWidget(splitter);
    resize(1100, 820);

    m_refreshTimer.setInterval(RefreshIntervalMs);
    m_coalesceTimer.setSingleShot(true);
    m_coalesceTimer.setInterval(CoalesceMs);
    connect(&m_refreshTimer, &QTimer::timeout, this, &DashboardWindow::refreshDetails);
    connect(&m_coalesceTimer, &QTimer::timeout, this, &DashboardWindow::refreshDetails);
    connect(&m_reader, &JournalReader::detailsReady, this, &DashboardWindow::onDetailsReady);
    connect(manager, &PairManager::sessionsChanged, this, &DashboardWindow::rebuildCards);
    m_refreshTimer.start();
    rebuildCards();
}

QWidget *DashboardWindow::createOverview()
{
    m_overview = new QScrollArea(this);
    m_overview->setWidgetResizable(true);
    auto *content = new QWidget(m_overview);
    m_cardsLayout = new QVBoxLayout(content);
    m_noPairs = new QLabel(tr("No folder is synced yet. Choose “Settings…” to add a folder pair."),
                           content);
    m_noPairs->setAlignment(Qt::AlignCenter);
    m_noPairs->setWordWrap(true);
    m_cardsLayout->addWidget(m_noPairs);
    m_overview->setWidget(content);
    m_overview->setMinimumHeight(120);
    return m_overview;
}

QWidget *DashboardWindow::createDetails()
{
    auto *details = new QWidget(this);
    auto *layout = new QVBoxLayout(details);
    auto *selectors = new QHBoxLayout;
    m_pairBox = new QComboBox(details);
    m_rangeBox = new QComboBox(details);
    m_rangeBox->addItem(tr("Last 10 minutes"));
    m_rangeBox->addItem(tr("Last hour"));
    m_rangeBox->addItem(tr("Last 24 hours"));
    m_rangeBox->addItem(tr("Last 7 days"));
    selectors->addWidget(new QLabel(tr("Folder:"), details));
    selectors->addWidget(m_pairBox, 1);
    selectors->addWidget(new QLabel(tr("Range:"), details));
    selectors->addWidget(m_rangeBox);
    m_rangeBox->setCurrentIndex(int(Range::LastHour));
    layout->addLayout(selectors);
    connect(m_pairBox, &QComboBox::currentIndexChanged, this, &DashboardWindow::refreshDetails);
    connect(m_rangeBox, &QComboBox::currentIndexChanged, this, &DashboardWindow::refreshDetails);

    auto *tabs = new QTabWidget(details);
    m_charts = new StatsCharts(tabs);
    tabs->addTab(m_charts, tr("Statistics"));

    tabs->addTab(createActivityPage(tabs), tr("Recent Activity"));
    tabs->addTab(createFailedPage(tabs), tr("Failed Items"));
    tabs->addTab(createConflictPage(tabs), tr("Conflicts"));

    layout->addWidget(tabs, 1);
    return details;
}

// The items that failed or wait for a retry, with Retry Now and their versions.
QWidget *DashboardWindow::createFailedPage(QWidget *parent)
{
    auto *failedPage = new QWidget(parent);
    auto *failedLayout = new QVBoxLayout(failedPage);
    m_failed = new QTreeWidget(failedPage);
    m_failed->setRootIsDecorated(false);
    m_failed->setHeaderLabels({tr("File"), tr("Reason"), tr("Attempts"), tr("Next retry")});
    fitColumnsButFirst(m_failed);
    m_retry = new QPushButton(tr("Retry Now"), failedPage);
    failedLayout->addWidget(m_failed);
    failedLayout->addWidget(m_retry, 0, Qt::AlignRight);
    m_failed->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_failed, &QWidget::customContextMenuRequested, this, [this](const QPoint &at) {
        const QTreeWidgetItem *item = m_failed->itemAt(at);
        if (!item)
            return;
        QMenu menu(this);
        const QString path = item->text(0);
        menu.addAction(tr("Show Versions"), this,
                       [this, path] { showVersions(selectedPairId(), path); });
        menu.exec(m_failed->viewport()->mapToGlobal(at));
    });
    connect(m_retry, &QPushButton::clicked, this, [this] {
        if (PairSession *session = selectedSession())
            session->retryAll();
    });
    return failedPage;
}

QWidget *DashboardWindow::createConflictPage(QWidget *parent)
{
    auto *conflictPage = new QWidget(parent);
    auto *conflictLayout = new QVBoxLayout(conflictPage);
    m_conflicts = new QTreeWidget(conflictPage);
    m_conflicts->setRootIsDecorated(false);
    m_conflicts->setHeaderLabels({tr("File"), tr("Server version saved as"), tr("Detected")});
    fitColumnsButFirst(m_conflicts);
    m_review = new QPushButton(tr("Review…"), conflictPage);
    conflictLayout->addWidget(m_conflicts);
    conflictLayout->addWidget(m_review, 0, Qt::AlignRight);
    connect(m_review, &QPushButton::clicked, this, &DashboardWindow::reviewConflicts);
    return conflictPage;
}

QWidget *DashboardWindow::createActivityPage(QWidget *parent)
{
    auto *page = new QWidget(parent);
    auto *layout = new QVBoxLayout(page);
    auto *controls = new QHBoxLayout;
    m_activitySearch = new QLineEdit(page);
    m_activitySearch->setPlaceholderText(tr("Search files"));
    m_activitySearch->setClearButtonEnabled(true);
    m_activityShow = new QComboBox(page);
    m_activityShow->addItems({tr("All"), tr("Errors"), tr("Conflicts"), tr("Deleted")});
    controls->addWidget(m_activitySearch, 1);
    controls->addWidget(new QLabel(tr("Show:"), page));
    controls->addWidget(m_activityShow);
    layout->addLayout(controls);
    connect(m_activitySearch, &QLineEdit::textChanged, m_activityFilter,
            &ActivityFilter::setSearchText);
    connect(m_activityShow, &QComboBox::currentIndexChanged, this,
            [this](int index) { m_activityFilter->setShow(ActivityFilter::Show(index)); });

    m_activityView = new QTableView(page);
    m_activityView->setModel(m_activityFilter);
    // The short columns fit their contents; the path and the result share the rest (a long
    // error message must not squeeze the path; its full text is the tooltip).
    QHeaderView *header = m_activityView->horizontalHeader();
    header->setStretchLastSection(false);
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(ActivityModel::PathColumn, QHeaderView::Stretch);
    header->setSectionResizeMode(ActivityModel::ResultColumn, QHeaderView::Stretch);
    m_activityView->verticalHeader()->hide();
    m_activityView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_activityView->setContextMenuPolicy(Qt::CustomContextMenu);
    layout->addWidget(m_activityView, 1);
    connect(m_activityView, &QTableView::doubleClicked, this,
            [this](const QModelIndex &index) { openActivity(index, OpenTarget::File); });
    connect(m_activityView, &QWidget::customContextMenuRequested, this, [this](const QPoint &at) {
        const QModelIndex index = m_activityView->indexAt(at);
        if (!index.isValid())
            return;
        QMenu menu(this);
        menu.addAction(tr("Open File"), this,
                       [this, index] { openActivity(index, OpenTarget::File); });
        menu.addAction(tr("Open Containing Folder"), this,
                       [this, index] { openActivity(index, OpenTarget::ContainingFolder); });
        menu.addAction(tr("Show Versions"), this, [this, index] { showVersionsOfActivity(index); });
        menu.exec(m_activityView->viewport()->mapToGlobal(at));
    });
    return page;
}

void DashboardWindow::openActivity(const QModelIndex &viewIndex, OpenTarget target)
{
    const QString path = viewIndex.siblingAtColumn(0).data(ActivityModel::LocalPathRole).toString();
    if (path.isEmpty())
        return;
    const QFileInfo file(path);
    // A file that is gone (deleted, moved to the trash) opens as its folder.
    const bool openFile = target == OpenTarget::File && file.exists();
    m_openUrl(QUrl::fromLocalFile(openFile ? file.absoluteFilePath() : file.absolutePath()));
}

QList<PairCard *> DashboardWindow::cards() const
{
    return findChildren<PairCard *>();
}

void DashboardWindow::setRange(Range range)
{
    m_rangeBox->setCurrentIndex(int(range));
}

void DashboardWindow::rebuildCards()
{
    for (PairCard *card : cards())
        delete card;
    // Drop the previous trailing stretch; the "no pair" label stays first.
    while (m_cardsLayout->count() > 1)
        delete m_cardsLayout->takeAt(m_cardsLayout->count() - 1);
    const QString selectedId = m_pairBox->currentData().toString();
    QSignalBlocker block(m_pairBox);
    m_pairBox->clear();
    for (PairSession *session : m_manager->sessions()) {
        auto *card = new PairCard(session, this);
        connect(card, &PairCard::selected, this, &DashboardWindow::selectPair);
        m_cardsLayout->insertWidget(m_cardsLayout->count(), card);
        m_pairBox->addItem(session->config().displayName(), session->config().id);
        connectSession(session);
    }
    m_cardsLayout->addStretch();
    m_noPairs->setVisible(m_manager->sessions().isEmpty());
    fitOverviewToCards();
    const int index = m_pairBox->findData(selectedId);
    m_pairBox->setCurrentIndex(index >= 0 ? index : 0);
    refreshDetails();
}

void DashboardWindow::fitOverviewToCards()
{
    // Up to two cards without scrolling; more scroll, so the charts keep their room.
    constexpr int visibleCards = 2;
    const QList<PairCard *> shown = cards();
    int height = m_cardsLayout->contentsMargins().top() + m_cardsLayout->contentsMargins().bottom();
    if (shown.isEmpty())
        height += m_noPairs->sizeHint().height();
    for (qsizetype i = 0; i < std::min<qsizetype>(shown.size(), visibleCards); ++i)
        height += shown[i]->sizeHint().height() + m_cardsLayout->spacing();
    m_overview->setMinimumHeight(height + 2 * m_overview->frameWidth());
}

void DashboardWindow::connectSession(PairSession *session)
{
    // Rebuilding the cards must not feed the activity twice.
    if (m_connectedSessions.contains(session))
        return;
    m_connectedSessions.insert(session);
    connect(session, &QObject::destroyed, this,
            [this, session] { m_connectedSessions.remove(session); });
    const QString name = session->config().displayName();
    const QString root = session->config().localRoot;
    connect(session, &PairSession::itemDone, m_activity,
            [this, session, name, root](const QString &path, ActionKind kind, bool ok,
                                        const QString &message) {
                if (kind == ActionKind::Conflict && ok)
                    m_activity->addConflict(name, root, path, session->config().conflictPolicy);
                else
                    m_activity->addItem(name, path, kind, ok, message, root);
            });
    connect(session, &PairSession::resolutionDone, m_activity,
            [this, name, root](const QString &path, ConflictChoice choice, bool ok,
                               const QString &message) {
                m_activity->addResolution(name, root, path, choice, ok, message);
            });
    connect(session, &PairSession::statusChanged, this, &DashboardWindow::scheduleRefresh);
    connect(session, &PairSession::conflictResolved, this, &DashboardWindow::scheduleRefresh);
}

PairSession *DashboardWindow::selectedSession() const
{
    return m_manager->session(m_pairBox->currentData().toString());
}

qint64 DashboardWindow::rangeMs() const
{
    switch (Range(m_rangeBox->currentIndex())) {
    case Range::LastTenMinutes:
        return 10 * 60LL * 1000;
    case Range::LastHour:
        return 3600LL * 1000;
    case Range::LastDay:
        return 24 * 3600LL * 1000;
    case Range::LastWeek:
        return 7 * 24 * 3600LL * 1000;
    }
    return 3600LL * 1000;
}

void DashboardWindow::scheduleRefresh()
{
    if (!m_coalesceTimer.isActive())
        m_coalesceTimer.start();
}

void DashboardWindow::refreshDetails()
{
    const PairSession *session = selectedSession();
    if (!session)
        return;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    m_reader.fetch(session->config().localRoot, now - rangeMs(), now);
}

void DashboardWindow::onDetailsReady(const QString &localRoot, const JournalDetails &details)
{
    const PairSession *session = selectedSession();
    if (!session || session->config().localRoot != localRoot)
        return;
    m_details = details;
    m_detailsLoaded = true;
    if (std::exchange(m_reviewWhenLoaded, false))
        QMetaObject::invokeMethod(this, &DashboardWindow::reviewConflicts, Qt::QueuedConnection);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    // The charts end on the status the counters show now: one source for both.
    QVector<StatsSample> samples = details.samples;
    if (!samples.isEmpty() && samples.constLast().timeMs < now)
        samples.append(statsSampleOf(session->status(), now));
    m_charts->setSamples(samples, now - rangeMs(), now);
    showFailedItems(details.retryItems);
    showConflicts(details.conflicts);
    Q_EMIT detailsRefreshed();
}

void DashboardWindow::showFailedItems(const QVector<RetryItem> &items)
{
    m_failed->clear();
    const QLocale locale;
    for (const RetryItem &item : items) {
        const QString nextRetry =
            item.failedPermanently ? tr("only when the file changes or on “Retry Now”")
                                   : locale.toString(QDateTime::fromMSecsSinceEpoch(item.nextDueMs),
                                                     QLocale::ShortFormat);
        // The reason in words; the server's or the system's own, without the path, on hover.
        auto *row = new QTreeWidgetItem(m_failed, {item.path, humanErrorText(item.lastErrorKind),
                                                   locale.toString(item.attempts), nextRetry});
        row->setToolTip(1, technicalDetail(item.lastError, item.path));
    }
    m_retry->setEnabled(!items.isEmpty());
}

void DashboardWindow::showConflicts(const QVector<ConflictRecord> &conflicts)
{
    m_conflicts->clear();
    const QLocale locale;
    for (const ConflictRecord &conflict : conflicts)
        new QTreeWidgetItem(m_conflicts,
                            {conflict.path, conflict.remoteCopy,
                             locale.toString(QDateTime::fromMSecsSinceEpoch(conflict.detectedMs),
                                             QLocale::ShortFormat)});
    m_review->setEnabled(!conflicts.isEmpty());
}

void DashboardWindow::selectPair(const QString &pairId)
{
    const int index = m_pairBox->findData(pairId);
    if (index >= 0)
        m_pairBox->setCurrentIndex(index);
}

QString DashboardWindow::selectedPairId() const
{
    return m_pairBox->currentData().toString();
}

void DashboardWindow::reviewConflictsOf(const QString &pairId)
{
    selectPair(pairId);
    m_reviewWhenLoaded = true;
    refreshDetails();
}

void DashboardWindow::reviewConflicts()
{
    PairSession *session = selectedSession();
    if (!session || m_details.conflicts.isEmpty())
        return;
    // The selected conflict first, then the others.
    QVector<ConflictRecord> ordered = m_details.conflicts;
    const int selected = m_conflicts->indexOfTopLevelItem(m_conflicts->currentItem());
    if (selected > 0 && selected < ordered.size())
        ordered.move(selected, 0);
    auto *dialog = new ConflictReviewDialog(session, ordered, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    const QString pairId = session->config().id;
    connect(dialog, &ConflictReviewDialog::versionsRequested, this,
            [this, pairId](const QString &path) { showVersions(pairId, path); });
    dialog->open();
}

// Versions kept on the server come through the pair's running engine, which has its
// credentials; the answer for this entry is taken once.
VersionsView::KeptVersionFetcher DashboardWindow::keptVersionFetcherFor(PairSession *session)
{
    QPointer<PairSession> pair(session);
    return
        [pair](const VersionEntry &entry, std::function<void(const Result<VersionEntry> &)> done) {
            if (!pair)
                return done(makeError(ErrorKind::Permanent, tr("the pair is no longer set up")));
            auto connection = std::make_shared<QMetaObject::Connection>();
            *connection = connect(pair, &PairSession::keptVersionFetched, pair,
                                  [connection, entry, done](qint64 id, const QByteArray &sha256,
                                                            const QString &error) {
                                      if (id != entry.id)
                                          return;
                                      QObject::disconnect(*connection);
                                      if (!error.isEmpty())
                                          return done(makeError(ErrorKind::Transient, error));
                                      VersionEntry fetched = entry;
                                      fetched.sha256 = sha256;
                                      done(fetched);
                                  });
            pair->fetchKeptVersion(entry);
        };
}

VersionsView *DashboardWindow::showVersions(const QString &pairId, const QString &path)
{
    PairSession *session = m_manager->session(pairId);
    if (!session)
        return nullptr;
    const QString root = session->config().localRoot;
    if (m_versionsView && m_versionsView->localRoot() != QDir(root).absolutePath())
        m_versionsView->close();
    if (!m_versionsView) {
        m_versionsView = new VersionsView(session->config().displayName(), root, this);
        m_versionsView->setAttribute(Qt::WA_DeleteOnClose);
        // A restored file syncs up like any local change; no need to wait for the watcher.
        connect(m_versionsView, &VersionsView::restoredInFolder, session, &PairSession::syncNow);
        m_versionsView->setKeptVersionFetcher(keptVersionFetcherFor(session));
        m_versionsView->setServerHistorySource(VersionsView::serverHistorySourceFor(
            session->config().remoteUrl, session->backendOptions()));
    } else {
        m_versionsView->reload();
    }
    if (!path.isEmpty())
        m_versionsView->showFile(path);
    m_versionsView->show();
    m_versionsView->raise();
    m_versionsView->activateWindow();
    return m_versionsView;
}

VersionsView *DashboardWindow::versionsView() const
{
    return m_versionsView;
}

VersionsView *DashboardWindow::showVersionsOfActivity(const QModelIndex &viewIndex)
{
    const QString file = viewIndex.siblingAtColumn(0).data(ActivityModel::LocalPathRole).toString();
    for (PairSession *session : m_manager->sessions()) {
        const QString root = QDir(session->config().localRoot).absolutePath() + QLatin1Char('/');
        if (file.startsWith(root))
            return showVersions(session->config().id, file.mid(root.size()));
    }
    return nullptr;
}

} // namespace steadysync
