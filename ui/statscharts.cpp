#include "statscharts.h"

#include <QChart>
#include <QChartView>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QStackedWidget>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace steadysync {

namespace {

QLineSeries *makeSeries(const QString &name, const QColor &color, QObject *parent)
{
    auto *series = new QLineSeries(parent);
    series->setName(name);
    QPen pen(color);
    pen.setWidthF(2.0);
    series->setPen(pen);
    return series;
}

// Queue lengths are whole numbers: at least 0..4, so that five ticks get distinct labels.
constexpr qreal minimumQueueMaximum = 4;
// The queue axis steps by whole numbers (1, 2 or 5 times a power of ten), at most this often.
constexpr qreal maximumQueueSteps = 5;
// Below this, throughput labels get a decimal (else 0..1 KiB/s reads "0 0 0 1 1").
constexpr qreal fractionalThroughputBelow = 10;
// With few samples the points are drawn too: one sample alone makes no line.
constexpr qsizetype markedSamplesBelow = 60;

// A nice upper bound for a value axis so that the lines do not touch the top.
qreal niceMaximum(qreal value)
{
    if (value <= 1)
        return 1;
    qreal step = 1;
    while (step * 10 < value)
        step *= 10;
    return std::ceil(value * 1.1 / step) * step;
}

// Whole-number ticks at a fixed interval from 0. applyNiceNumbers() sets the tick count after
// the range, and the labels were at times laid out with the previous count: 0..15 in five
// ticks, labelled "0 4 8 11 15".
void setWholeNumberRange(QValueAxis *axis, qreal maximum)
{
    const qreal rawStep = std::max<qreal>(1, maximum / maximumQueueSteps);
    const qreal magnitude = std::pow(10, std::floor(std::log10(rawStep)));
    qreal step = 10 * magnitude;
    for (const qreal factor : {5.0, 2.0, 1.0}) {
        if (factor * magnitude >= rawStep)
            step = factor * magnitude;
    }
    axis->setTickAnchor(0);
    axis->setTickInterval(step);
    axis->setRange(0, std::ceil(maximum / step) * step);
}

} // namespace

StatsCharts::StatsCharts(QWidget *parent)
    : QWidget(parent), m_pages(new QStackedWidget(this)),
      m_noData(
          new QLabel(tr("No data yet. The charts fill in while this folder pair syncs."), this)),
      m_successRate(makeSeries(tr("Success rate"), QColor(0x2e, 0x7d, 0x32), this)),
      m_pending(makeSeries(tr("Pending"), QColor(0x15, 0x65, 0xc0), this)),
      m_retry(makeSeries(tr("Retry queue"), QColor(0xef, 0x6c, 0x00), this)),
      m_failed(makeSeries(tr("Failed"), QColor(0xc6, 0x28, 0x28), this)),
      m_up(makeSeries(tr("Upload"), QColor(0x6a, 0x1b, 0x9a), this)),
      m_down(makeSeries(tr("Download"), QColor(0x00, 0x83, 0x8f), this)),
      m_rateAxis(new QValueAxis(this)), m_queueAxis(new QValueAxis(this)),
      m_throughputAxis(new QValueAxis(this))
{
    m_rateAxis->setRange(0, 100);
    // The charts localize their numbers, and then Qt Charts only understands label formats
    // with an explicit precision: "%d" draws every tick label as an empty string.
    m_rateAxis->setLabelFormat(QStringLiteral("%.0f %"));
    m_queueAxis->setLabelFormat(QStringLiteral("%.0f"));
    m_queueAxis->setTickType(QValueAxis::TicksDynamic);
    setWholeNumberRange(m_queueAxis, minimumQueueMaximum);
    m_throughputAxis->setLabelFormat(QStringLiteral("%.1f"));
    m_throughputAxis->setRange(0, 1);
    m_throughputAxis->applyNiceNumbers();
    m_throughputAxis->setTitleText(tr("KiB/s"));
    auto *chartsPage = new QWidget(m_pages);
    auto *layout = new QHBoxLayout(chartsPage);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(createChart(tr("Success rate"), {m_successRate}, m_rateAxis));
    layout->addWidget(createChart(tr("Queues"), {m_pending, m_retry, m_failed}, m_queueAxis));
    layout->addWidget(createChart(tr("Throughput"), {m_up, m_down}, m_throughputAxis));
    m_noData->setObjectName(QStringLiteral("noData"));
    m_noData->setAlignment(Qt::AlignCenter);
    m_noData->setWordWrap(true);
    m_pages->addWidget(chartsPage);
    m_pages->addWidget(m_noData);
    m_pages->setCurrentWidget(m_noData);
    auto *outer = new QHBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(m_pages);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    setTimeRange(now - 3600 * 1000, now);
}

QChartView *StatsCharts::createChart(const QString &title, const QList<QLineSeries *> &series,
                                     QValueAxis *valueAxis)
{
    auto *chart = new QChart;
    chart->setTitle(title);
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->legend()->setVisible(series.size() > 1);
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->setLocalizeNumbers(true); // "0,5" in German and French
    auto *timeAxis = new QDateTimeAxis(chart);
    timeAxis->setTickCount(4);
    chart->addAxis(timeAxis, Qt::AlignBottom);
    chart->addAxis(valueAxis, Qt::AlignLeft);
    for (QLineSeries *line : series) {
        chart->addSeries(line);
        line->attachAxis(timeAxis);
        line->attachAxis(valueAxis);
    }
    m_timeAxes.append(timeAxis);
    auto *view = new QChartView(chart, m_pages);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumSize(260, 220);
    return view;
}

void StatsCharts::setTimeRange(qint64 fromMs, qint64 toMs)
{
    const bool longRange = toMs - fromMs > 36LL * 3600 * 1000;
    for (QDateTimeAxis *axis : std::as_const(m_timeAxes)) {
        axis->setFormat(longRange ? QStringLiteral("dd.MM") : QStringLiteral("HH:mm"));
        axis->setRange(QDateTime::fromMSecsSinceEpoch(fromMs),
                       QDateTime::fromMSecsSinceEpoch(toMs));
    }
}

bool StatsCharts::showsNoData() const
{
    return m_pages->currentWidget() == m_noData;
}

void StatsCharts::setSamples(const QVector<StatsSample> &samples, qint64 fromMs, qint64 toMs)
{
    m_pages->setCurrentWidget(samples.isEmpty() ? static_cast<QWidget *>(m_noData)
                                                : m_pages->widget(0));
    QList<QPointF> rate, pending, retry, failed, up, down;
    qreal queueMax = 0;
    qreal throughputMax = 0;
    for (qsizetype i = 0; i < samples.size(); ++i) {
        const StatsSample &s = samples[i];
        const qreal t = qreal(s.timeMs);
        rate.append({t, s.successRate * 100.0});
        pending.append({t, qreal(s.pending)});
        retry.append({t, qreal(s.retryQueue)});
        failed.append({t, qreal(s.failedPermanent)});
        queueMax =
            std::max({queueMax, qreal(s.pending), qreal(s.retryQueue), qreal(s.failedPermanent)});
        if (i == 0)
            continue;
        // Throughput is the growth of the cumulative byte counters between two samples.
        const StatsSample &previous = samples[i - 1];
        const qreal seconds = std::max<qreal>(1.0, qreal(s.timeMs - previous.timeMs) / 1000.0);
        const qreal upKiBs =
            std::max<qreal>(0, qreal(s.bytesUp - previous.bytesUp)) / 1024.0 / seconds;
        const qreal downKiBs =
            std::max<qreal>(0, qreal(s.bytesDown - previous.bytesDown)) / 1024.0 / seconds;
        up.append({t, upKiBs});
        down.append({t, downKiBs});
        throughputMax = std::max({throughputMax, upKiBs, downKiBs});
    }
    m_successRate->replace(rate);
    m_pending->replace(pending);
    m_retry->replace(retry);
    m_failed->replace(failed);
    m_up->replace(up);
    m_down->replace(down);
    const bool marked = samples.size() < markedSamplesBelow;
    for (QLineSeries *series : {m_successRate, m_pending, m_retry, m_failed, m_up, m_down})
        series->setPointsVisible(marked);
    setWholeNumberRange(m_queueAxis, std::max(minimumQueueMaximum, niceMaximum(queueMax)));
    m_throughputAxis->setLabelFormat(throughputMax < fractionalThroughputBelow
                                         ? QStringLiteral("%.1f")
                                         : QStringLiteral("%.0f"));
    m_throughputAxis->setRange(0, niceMaximum(throughputMax));
    m_throughputAxis->applyNiceNumbers();
    setTimeRange(fromMs, toMs);
}

} // namespace steadysync
