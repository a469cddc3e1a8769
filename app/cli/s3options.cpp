#include "s3options.h"

#include "clioutput.h"
#include "keychainstore.h"

#include "remote/credentialstore.h"
#include "remote/s3access.h"

#include <QProcessEnvironment>

#include <iostream>
#include <string>

#include <termios.h>
#include <unistd.h>

namespace steadysync::cli {

namespace {

const QString AccessKeyIdOption = QStringLiteral("access-key-id");
const QString RegionOption = QStringLiteral("region");

// One line from stdin; on a terminal after a prompt, and without echo.
QString readSecretLine()
{
    const bool terminal = isatty(STDIN_FILENO) == 1;
    termios saved{};
    if (terminal && tcgetattr(STDIN_FILENO, &saved) == 0) {
        std::fputs("Secret access key: ", stderr);
        std::fflush(stderr);
        termios silent = saved;
        silent.c_lflag &= ~tcflag_t(ECHO);
        tcsetattr(STDIN_FILENO, TCSANOW, &silent);
    }
    std::string line;
    std::getline(std::cin, line);
    if (terminal) {
        tcsetattr(STDIN_FILENO, TCSANOW, &saved);
        std::fputc('\n', stderr);
    }
    QString secret = QString::fromLocal8Bit(line.data(), qsizetype(line.size()));
    if (secret.endsWith(QLatin1Char('\r')))
        secret.chop(1);
    return secret;
}

} // namespace

void addS3Options(QCommandLineParser &parser)
{
    parser.addOptions({
        {AccessKeyIdOption, QStringLiteral("S3: the access key id (the pair's user)."),
         QStringLiteral("ID")},
        {RegionOption, QStringLiteral("S3: the bucket's region."), QStringLiteral("REGION")},
    });
}

bool applyS3Options(const QCommandLineParser &parser, Invocation &invocation)
{
    const QString keyId = parser.value(AccessKeyIdOption).trimmed();
    if (!keyId.isEmpty()) {
        if (!invocation.user.isEmpty() && invocation.user != keyId) {
            invocation.error = QStringLiteral("--access-key-id and --user name different users");
            return false;
        }
        invocation.user = keyId;
        invocation.engine.backend.user = keyId;
    }
    invocation.engine.backend.region = parser.value(RegionOption).trimmed();
    return true;
}

bool fillS3Credentials(EngineOptions &options, bool quiet)
{
    if (!isS3Url(options.remoteUrl))
        return false;
    const QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    options.backend.user = s3AccessKeyId(options.backend.user, environment);
    if (!options.backend.password.isEmpty() ||
        s3SecretInEnvironment(options.backend.user, environment) || options.backend.user.isEmpty())
        return true; // the factory takes the environment's; or none: the store refuses (exit 3)
    const Result<QString> secret =
        CredentialStore().readPassword(options.remoteUrl, options.backend.user);
    if (secret.ok())
        options.backend.password = *secret;
    else if (!quiet)
        printLine(stderr, QStringLiteral("warning: no secret access key for %1: %2")
                              .arg(options.backend.user, secret.error().message));
    return true;
}

int runS3Login(const Invocation &invocation)
{
    const QUrl url(invocation.remoteUrl, QUrl::StrictMode);
    const QString keyId = s3AccessKeyId(invocation.user, QProcessEnvironment::systemEnvironment());
    if (keyId.isEmpty()) {
        printLine(stderr, QStringLiteral("steadysync-cli: login %1 needs --access-key-id ID")
                              .arg(invocation.remoteUrl));
        return UsageError;
    }
    const QString secret = readSecretLine();
    if (secret.isEmpty()) {
        printLine(stderr, QStringLiteral("steadysync-cli: login reads the secret access key from "
                                         "stdin (one line); got none"));
        return UsageError;
    }
    return storeInKeychain(url, {keyId, secret, QStringLiteral("secret access key"),
                                 QStringLiteral("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")});
}

} // namespace steadysync::cli
