// Uploads every file of a directory to an S3 bucket through S3Backend, create-only, N at a time,
// and prints the wall time (issue 22: small-file and large-file figures beside rclone copy).
//   steadysync-s3uploadbench S3URL ACCESS_KEY SECRET_KEY DIRECTORY PARALLEL
#include "remote/s3/s3backend.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QTextStream>

#include <cstdio>

using namespace steadysync;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() != 6) {
        std::fprintf(stderr, "usage: %s S3URL ACCESS_KEY SECRET_KEY DIRECTORY PARALLEL\n", argv[0]);
        return 2;
    }
    Result<S3Endpoint> endpoint = S3Endpoint::parse(QUrl(args.at(1)));
    if (!endpoint) {
        std::fprintf(stderr, "%s\n", qPrintable(endpoint.error().message));
        return 2;
    }
    endpoint->accessKeyId = args.at(2);
    endpoint->secretAccessKey = args.at(3);
    BackendOptions options;
    options.parallel = args.at(5).toInt();
    S3Backend backend(*endpoint, options);
    const QDir directory(args.at(4));
    const QStringList names = directory.entryList(QDir::Files);
    int pending = int(names.size());
    int failed = 0;
    QElapsedTimer timer;
    timer.start();
    for (const QString &name : names) {
        RemoteJob *job =
            backend.upload(directory.filePath(name), name, 0, Precondition::mustNotExist());
        QObject::connect(job, &RemoteJob::finished, &app, [&](RemoteJob *finished) {
            if (!finished->succeeded()) {
                ++failed;
                std::fprintf(stderr, "%s\n", qPrintable(finished->error()->message));
            }
            if (--pending == 0)
                app.quit();
        });
    }
    if (pending > 0)
        app.exec();
    std::printf("%lld files in %.2f s (%d failed)\n", qlonglong(names.size()),
                double(timer.elapsed()) / 1000.0, failed);
    return failed == 0 ? 0 : 1;
}
