// How fast Steadysync's PROPFIND parser (core/remote/propfindparser.h) reads a saved answer,
// for the "parser keeps up with the wire" question of issue 21 (bench/README.md): prints
// {"bytes":N,"entries":N,"seconds":F,"mb_per_s":F,"entries_per_s":F} per run.
//   steadysync-propfindbench BODY.xml REQUEST_URL [RUNS]
// BODY.xml is a 207 body as a server sent it, e.g. saved with
//   curl -u USER:PW -X PROPFIND -H 'Depth: infinity' URL -o BODY.xml
// and REQUEST_URL the URL it was asked of (hrefs are read relative to it).
#include "remote/propfindparser.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication application(argc, argv);
    const QStringList arguments = application.arguments();
    if (arguments.size() < 3 || arguments.size() > 4) {
        std::fprintf(stderr, "usage: steadysync-propfindbench BODY.xml REQUEST_URL [RUNS]\n");
        return 2;
    }
    QFile file(arguments.at(1));
    if (!file.open(QIODevice::ReadOnly)) {
        std::fprintf(stderr, "cannot read %s\n", qPrintable(arguments.at(1)));
        return 1;
    }
    const QByteArray body = file.readAll();
    const QUrl url(arguments.at(2));
    const int runs = arguments.size() == 4 ? qMax(1, arguments.at(3).toInt()) : 1;
    QTextStream out(stdout);
    for (int run = 0; run < runs; ++run) {
        QElapsedTimer timer;
        timer.start();
        const steadysync::Result<steadysync::PropfindListing> listing =
            steadysync::PropfindParser::parse(body, url,
                                              steadysync::PropfindParser::defaultMaxEntries,
                                              steadysync::PropfindParser::Members::All);
        const double seconds = double(timer.nsecsElapsed()) / 1e9;
        if (!listing.ok()) {
            std::fprintf(stderr, "not a listing: %s\n", qPrintable(listing.error().message));
            return 1;
        }
        const auto entries = double(listing->children.size());
        const QJsonObject result{{QStringLiteral("bytes"), double(body.size())},
                                 {QStringLiteral("entries"), entries},
                                 {QStringLiteral("seconds"), seconds},
                                 {QStringLiteral("mb_per_s"), double(body.size()) / 1e6 / seconds},
                                 {QStringLiteral("entries_per_s"), entries / seconds}};
        out << QJsonDocument(result).toJson(QJsonDocument::Compact) << '\n';
    }
    return 0;
}
