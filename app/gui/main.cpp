#include "appcontroller.h"
#include "singleinstance.h"
#include "terminationsignalnotifier.h"
#include "translationloader.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QSystemTrayIcon>

#include <cstdio>
#include <cstring>

using namespace steadysync;

namespace {

// --version must work without a display, so it is answered before QApplication exists.
bool wantsVersion(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--version") == 0 || std::strcmp(argv[i], "-v") == 0)
            return true;
    }
    return false;
}

QCommandLineOption languageOption()
{
    return QCommandLineOption(
        QStringLiteral("lang"),
        QApplication::translate("main", "Use language LANG (e.g. de, fr) instead of the system's."),
        QStringLiteral("LANG"));
}

QLocale requestedLocale(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.addOption(languageOption());
    parser.parse(arguments);
    return parser.isSet(QStringLiteral("lang")) ? QLocale(parser.value(QStringLiteral("lang")))
                                                : QLocale::system();
}

enum class InstanceRole { HandedOver, Running, Unguarded };

// A second start hands over to the running instance; of two starting at once, one listens and
// the other hands over to it.
InstanceRole claimInstance(SingleInstance &instance)
{
    for (int attempt = 0; attempt < 3; ++attempt) {
        if (instance.handOver())
            return InstanceRole::HandedOver;
        if (instance.listen())
            return InstanceRole::Running;
    }
    return InstanceRole::Unguarded; // the pair locks still keep two engines off one folder
}

// True when another instance runs and now shows its dashboard: this start has nothing to do.
bool handedOver(SingleInstance &instance)
{
    const InstanceRole role = claimInstance(instance);
    if (role == InstanceRole::HandedOver) {
        std::printf("%s\n", qPrintable(QApplication::translate(
                                "main", "Steadysync is already running; its window is shown.")));
        return true;
    }
    if (role == InstanceRole::Unguarded)
        std::fprintf(
            stderr, "%s\n",
            qPrintable(QApplication::translate(
                           "main", "Cannot tell whether Steadysync is already running (%1).")
                           .arg(instance.serverName())));
    return false;
}

} // namespace

int main(int argc, char **argv)
{
    if (wantsVersion(argc, argv)) {
        std::printf("steadysync %s\n", STEADYSYNC_VERSION);
        return 0;
    }
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("steadysync"));
    QApplication::setApplicationDisplayName(QStringLiteral("Steadysync"));
    QApplication::setApplicationVersion(QStringLiteral(STEADYSYNC_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("steadysync"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/steadysync.svg")));
    // Closing the dashboard leaves the tray icon running; only "Quit" ends the app.
    QApplication::setQuitOnLastWindowClosed(false);

    // The language comes first so that --help is already translated.
    const QLocale locale = requestedLocale(app.arguments());
    QLocale::setDefault(locale);
    TranslationLoader translations;
    translations.install(locale);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QApplication::translate("main", "Two-way folder sync that never loses a version."));
    parser.addHelpOption();
    parser.addOption(languageOption());
    parser.process(app);

    SingleInstance instance;
    if (handedOver(instance))
        return 0;

    // SIGTERM (logout, kill), SIGINT and SIGHUP leave through the event loop like "Quit", so
    // the controller below is destroyed normally: engines stop, journals close.
    TerminationSignalNotifier terminationSignals;
    QObject::connect(&terminationSignals, &TerminationSignalNotifier::terminationRequested, &app,
                     &QApplication::quit);

    AppController controller{PairStore()};
    QObject::connect(&controller, &AppController::quitRequested, &app, &QApplication::quit);
    QObject::connect(&instance, &SingleInstance::activationRequested, &controller,
                     &AppController::showDashboard);
    controller.start();
    // A signal that came while the first-run dialog was open ended that dialog's loop only.
    if (terminationSignals.received())
        return 0;
    if (!QSystemTrayIcon::isSystemTrayAvailable())
        QApplication::setQuitOnLastWindowClosed(true);
    return app.exec();
}
