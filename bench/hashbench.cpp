// SHA-256 throughput of Steadysync's own hasher (core/fs/hasher.h) on one file, for
// bench/run.sh: prints {"bytes":N,"seconds":F,"mb_per_s":F,"openssl":B} per run.
#include "fs/hasher.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication application(argc, argv);
    const QStringList arguments = application.arguments();
    if (arguments.size() < 2 || arguments.size() > 3) {
        std::fprintf(stderr, "usage: steadysync-hashbench FILE [RUNS]\n");
        return 2;
    }
    const QString path = arguments.at(1);
    const int runs = arguments.size() == 3 ? qMax(1, arguments.at(2).toInt()) : 1;
    const qint64 bytes = QFileInfo(path).size();
    QTextStream out(stdout);
    // The first digest of a process loads OpenSSL's provider and faults in the code: a client
    // pays that once, not per file, so it stays out of the timed runs.
    steadysync::Hasher::sha256(QByteArray(1024 * 1024, 'w'));
    for (int run = 0; run < runs; ++run) {
        QElapsedTimer timer;
        timer.start();
        const auto digest = steadysync::Hasher::sha256OfFile(path);
        const double seconds = double(timer.nsecsElapsed()) / 1e9;
        if (!digest) {
            std::fprintf(stderr, "cannot hash %s\n", qPrintable(path));
            return 1;
        }
        const QJsonObject result{{QStringLiteral("bytes"), bytes},
                                 {QStringLiteral("seconds"), seconds},
                                 {QStringLiteral("mb_per_s"), double(bytes) / 1e6 / seconds},
                                 {QStringLiteral("openssl"), steadysync::Hasher::usesOpenSsl()}};
        out << QJsonDocument(result).toJson(QJsonDocument::Compact) << '\n';
    }
    return 0;
}
