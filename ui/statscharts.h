#pragma once

#include "journal/journal.h"

#include <QWidget>

class QChart;
class QChartView;
class QDateTimeAxis;
class QLabel;
class QStackedWidget;
class QLineSeries;
class QValueAxis;

namespace steadysync {

// Charts of one pair's stats history (DESIGN §8): success rate, queue lengths (pending,
// retry, failed) and throughput (up, down) over a time range. Without a sample in the range
// they say "No data yet" instead of drawing empty axes.
class StatsCharts : public QWidget
{
    Q_OBJECT
public:
    explicit StatsCharts(QWidget *parent = nullptr);

    void setSamples(const QVector<StatsSample> &samples, qint64 fromMs, qint64 toMs);

    bool showsNoData() const;
    QLabel *noDataLabel() const { return m_noData; }

    QLineSeries *successRateSeries() const { return m_successRate; }
    QLineSeries *pendingSeries() const { return m_pending; }
    QLineSeries *retrySeries() const { return m_retry; }
    QLineSeries *failedSeries() const { return m_failed; }
    QLineSeries *uploadSeries() const { return m_up; }
    QLineSeries *downloadSeries() const { return m_down; }

private:
    QChartView *createChart(const QString &title, const QList<QLineSeries *> &series,
                            QValueAxis *valueAxis);
    void setTimeRange(qint64 fromMs, qint64 toMs);

    QStackedWidget *m_pages;
    QLabel *m_noData;
    QLineSeries *m_successRate;
    QLineSeries *m_pending;
    QLineSeries *m_retry;
    QLineSeries *m_failed;
    QLineSeries *m_up;
    QLineSeries *m_down;
    QValueAxis *m_rateAxis;
    QValueAxis *m_queueAxis;
    QValueAxis *m_throughputAxis;
    QList<QDateTimeAxis *> m_timeAxes;
};

} // namespace steadysync
