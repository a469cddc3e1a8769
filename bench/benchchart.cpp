// Draws bench/results/results.json's ratios as a PNG bar chart (offscreen, no display needed):
// one bar per (scenario, peer), the factor by which Steadysync is better (> 1) or worse (< 1).
#include <QApplication>
#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QFile>
#include <QHorizontalBarSeries>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLogValueAxis>
#include <QPixmap>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace {

struct Ratio
{
    QString label;
    double advantage = 1.0;
};

QList<Ratio> readRatios(const QString &path, QString *title)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QJsonObject root = QJsonDocument::fromJson(file.readAll()).object();
    *title = QStringLiteral("Steadysync vs peers (x better; >1 = Steadysync wins) — %1")
                 .arg(root.value(QStringLiteral("date")).toString());
    QList<Ratio> ratios;
    for (const QJsonValue &value : root.value(QStringLiteral("ratios")).toArray()) {
        const QJsonObject ratio = value.toObject();
        const double advantage = ratio.value(QStringLiteral("advantage")).toDouble();
        if (advantage <= 0 || !std::isfinite(advantage))
            continue;
        ratios.append({ratio.value(QStringLiteral("scenario")).toString() + QStringLiteral(" · ") +
                           ratio.value(QStringLiteral("peer")).toString(),
                       advantage});
    }
    return ratios;
}

} // namespace

int main(int argc, char *argv[])
{
    qputenv("QT_QPA_PLATFORM",
            qgetenv("QT_QPA_PLATFORM").isEmpty() ? "offscreen" : qgetenv("QT_QPA_PLATFORM"));
    QApplication application(argc, argv);
    const QStringList arguments = application.arguments();
    if (arguments.size() != 3) {
        std::fprintf(stderr, "usage: steadysync-benchchart RESULTS.json OUT.png\n");
        return 2;
    }
    QString title;
    QList<Ratio> ratios = readRatios(arguments.at(1), &title);
    if (ratios.isEmpty()) {
        std::fprintf(stderr, "no ratios in %s\n", qPrintable(arguments.at(1)));
        return 1;
    }
    // A horizontal bar chart lists its first category at the bottom; reverse to read top-down.
    std::reverse(ratios.begin(), ratios.end());

    auto *set = new QBarSet(QStringLiteral("Steadysync advantage (x)"));
    QStringList categories;
    double low = 1.0;
    double high = 1.0;
    for (const Ratio &ratio : ratios) {
        *set << ratio.advantage;
        categories << QStringLiteral("%1  (%2x)").arg(ratio.label).arg(ratio.advantage, 0, 'g', 3);
        low = std::min(low, ratio.advantage);
        high = std::max(high, ratio.advantage);
    }
    auto *series = new QHorizontalBarSeries;
    series->append(set);

    auto *chart = new QChart;
    chart->setTitle(title);
    chart->addSeries(series);
    chart->legend()->hide();
    auto *categoryAxis = new QBarCategoryAxis;
    categoryAxis->append(categories);
    chart->addAxis(categoryAxis, Qt::AlignLeft);
    series->attachAxis(categoryAxis);
    auto *valueAxis = new QLogValueAxis;
    valueAxis->setBase(10);
    valueAxis->setRange(std::pow(10.0, std::floor(std::log10(low))),
                        std::pow(10.0, std::ceil(std::log10(high * 1.01))));
    valueAxis->setLabelFormat(QStringLiteral("%g"));
    valueAxis->setTitleText(QStringLiteral("times better than the peer (log scale)"));
    chart->addAxis(valueAxis, Qt::AlignBottom);
    series->attachAxis(valueAxis);

    QChartView view(chart);
    view.setRenderHint(QPainter::Antialiasing);
    view.resize(1200, 140 + 28 * int(ratios.size()));
    const QPixmap image = view.grab();
    if (!image.save(arguments.at(2))) {
        std::fprintf(stderr, "cannot write %s\n", qPrintable(arguments.at(2)));
        return 1;
    }
    return 0;
}
