#pragma once

#include "journalreader.h"
#include "versionsview.h"

#include <QMainWindow>
#include <QPointer>
#include <QSet>
#include <QTimer>
#include <QUrl>

#include <functional>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QScrollArea;
class QTableView;
class QTreeWidget;
class QVBoxLayout;

namespace steadysync {

class ActivityFilter;
class ActivityModel;
class PairCard;
class PairManager;
class PairSession;
class StatsCharts;
class VersionsView;

// The dashboard (DESIGN §8): a card per pair; for the selected pair the stats charts, failed
// items and open conflicts (read from its journal off the GUI thread); the recent activity
// of all pairs.
class DashboardWindow : public QMainWindow
{
    Q_OBJECT
public:
    enum class Range { LastTenMinutes, LastHour, LastDay, LastWeek };

    // Opens a file or folder in the desktop's application (QDesktopServices::openUrl);
    // replaceable so that tests see the URL without launching anything.
    using UrlOpener = std::function<bool(const QUrl &)>;
    enum class OpenTarget { File, ContainingFolder };

    explicit DashboardWindow(PairManager *manager, QWidget *parent = nullptr);

    ActivityModel *activityModel() const { return m_activity; }
    ActivityFilter *activityFilter() const { return m_activityFilter; }
    QTableView *activityView() const { return m_activityView; }
    QLineEdit *activitySearch() const { return m_activitySearch; }
    QComboBox *activityShow() const { return m_activityShow; }
    void setUrlOpener(UrlOpener opener) { m_openUrl = std::move(opener); }
    // Opens the file of a row of the activity view (its folder when the file is gone).
    void openActivity(const QModelIndex &viewIndex, OpenTarget target);
    StatsCharts *charts() const { return m_charts; }
    QTreeWidget *failedList() const { return m_failed; }
    QTreeWidget *conflictList() const { return m_conflicts; }
    QPushButton *retryButton() const { return m_retry; }
    QPushButton *reviewButton() const { return m_review; }
    QList<PairCard *> cards() const;
    void setRange(Range range);
    // Re-reads the selected pair's journal (asynchronously).
    void refreshDetails();
    // The conflicts as last read, for the review dialog.
    QVector<ConflictRecord> openConflicts() const { return m_details.conflicts; }
    bool detailsLoaded() const { return m_detailsLoaded; }
    // Selects the pair and opens the conflict review once its conflicts are read (the
    // notification's "Review conflict").
    void reviewConflictsOf(const QString &pairId);
    // Selects the pair whose details are shown.
    void selectPair(const QString &pairId);
    QString selectedPairId() const;
    // Opens the pair's Versions view, narrowed to path when given (one view at a time).
    VersionsView *showVersions(const QString &pairId, const QString &path = {});
    // The same for the file of an activity row.
    VersionsView *showVersionsOfActivity(const QModelIndex &viewIndex);
    VersionsView *versionsView() const;

Q_SIGNALS:
    void settingsRequested();
    void detailsRefreshed();

private:
    static VersionsView::KeptVersionFetcher keptVersionFetcherFor(PairSession *session);
    QWidget *createOverview();
    QWidget *createDetails();
    QWidget *createActivityPage(QWidget *parent);
    QWidget *createFailedPage(QWidget *parent);
    QWidget *createConflictPage(QWidget *parent);
    void rebuildCards();
    void fitOverviewToCards();
    void connectSession(PairSession *session);
    PairSession *selectedSession() const;
    qint64 rangeMs() const;
    void scheduleRefresh();
    void onDetailsReady(const QString &localRoot, const JournalDetails &details);
    void showFailedItems(const QVector<RetryItem> &items);
    void showConflicts(const QVector<ConflictRecord> &conflicts);
    void reviewConflicts();

    PairManager *m_manager;
    JournalReader m_reader;
    ActivityModel *m_activity;
    ActivityFilter *m_activityFilter;
    QLineEdit *m_activitySearch = nullptr;
    QComboBox *m_activityShow = nullptr;
    UrlOpener m_openUrl;
    QVBoxLayout *m_cardsLayout = nullptr;
    QScrollArea *m_overview = nullptr;
    QLabel *m_noPairs = nullptr; // shown while no pair is configured
    QComboBox *m_pairBox = nullptr;
    QComboBox *m_rangeBox = nullptr;
    StatsCharts *m_charts = nullptr;
    QTreeWidget *m_failed = nullptr;
    QTreeWidget *m_conflicts = nullptr;
    QPushButton *m_retry = nullptr;
    QPushButton *m_review = nullptr;
    QTableView *m_activityView = nullptr;
    QTimer m_refreshTimer;  // periodic refresh of the charts
    QTimer m_coalesceTimer; // merges bursts of status changes into one query
    QSet<PairSession *> m_connectedSessions;
    JournalDetails m_details;
    bool m_detailsLoaded = false;
    bool m_reviewWhenLoaded = false;
    QPointer<VersionsView> m_versionsView;
};

} // namespace steadysync
