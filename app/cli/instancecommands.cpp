#include "instancecommands.h"

#include "clioutput.h"
#include "pairclient.h"
#include "sync/pairlock.h"

#include <QDBusMessage>
#include <QDeadlineTimer>
#include <QJsonDocument>

namespace steadysync::cli {

namespace {

using dbus::PairClient;

constexpr int WaitChunkMs = 60'000; // one WaitUntilIdle call; the wait repeats them

QString holderText(const QString &localRoot)
{
    const std::optional<qint64> holder = PairLock::holder(localRoot);
    if (!holder)
        return QStringLiteral("no running Steadysync instance holds %1 (start `steadysync-cli "
                              "watch` or the app)")
            .arg(localRoot);
    return QStringLiteral("%1 is held by process %2, which offers no D-Bus control (a one-shot "
                          "sync, or no session bus)")
        .arg(localRoot, *holder ? QString::number(*holder) : QStringLiteral("(unknown)"));
}

std::optional<PairClient> findOrSay(const QString &localRoot)
{
    std::optional<PairClient> client = PairClient::find(localRoot);
    if (!client)
        printLine(stderr, QStringLiteral("steadysync-cli: %1").arg(holderText(localRoot)));
    return client;
}

bool succeeded(const QDBusMessage &reply)
{
    if (reply.type() == QDBusMessage::ReplyMessage)
        return true;
    printLine(stderr, QStringLiteral("steadysync-cli: the running instance did not answer: %1")
                          .arg(reply.errorMessage()));
    return false;
}

// The state the pair settled in, or nullopt (timed out, or the instance went away: said).
std::optional<QString> waitUntilIdle(const PairClient &client, qint64 timeoutS)
{
    const QDeadlineTimer deadline =
        timeoutS > 0 ? QDeadlineTimer(timeoutS * 1000) : QDeadlineTimer(QDeadlineTimer::Forever);
    for (;;) {
        const qint64 chunk = deadline.isForever()
                                 ? WaitChunkMs
                                 : qBound(qint64(1), deadline.remainingTime(), qint64(WaitChunkMs));
        const QDBusMessage reply =
            client.call(QStringLiteral("WaitUntilIdle"), {uint(chunk)}, int(chunk) + 15'000);
        if (reply.type() == QDBusMessage::ReplyMessage)
            return reply.arguments().value(0).toString();
        if (reply.errorName() != dbus::TimeoutError) {
            [[maybe_unused]] const bool answered = succeeded(reply); // says why
            return std::nullopt;
        }
        if (deadline.hasExpired()) {
            printLine(stderr,
                      QStringLiteral("steadysync-cli: timed out: %1").arg(reply.errorMessage()));
            return std::nullopt;
        }
    }
}

// What a settled state means as sync's exit codes (DESIGN §7).
int exitCodeForState(const QString &state)
{
    if (state == QStringLiteral("up-to-date") || state == QStringLiteral("paused"))
        return InSync;
    if (state == QStringLiteral("decision-needed"))
        return MassDeleteStop;
    if (state == QStringLiteral("offline") || state == QStringLiteral("sign-in-needed") ||
        state == QStringLiteral("error"))
        return RemoteUnavailable;
    return Incomplete; // conflict, failed-items, paused-with-pending, syncing (retries queued)
}

} // namespace

int runInstanceCommand(const Invocation &invocation)
{
    const QString root = invocation.engine.localRoot;
    const std::optional<PairClient> client = findOrSay(root);
    if (!client)
        return UsageError;
    switch (invocation.command) {
    case Command::Pause:
        return succeeded(client->call(QStringLiteral("Pause"))) ? InSync : UsageError;
    case Command::Resume:
        return succeeded(client->call(QStringLiteral("Resume"))) ? InSync : UsageError;
    case Command::SyncNow:
        return succeeded(client->call(QStringLiteral("SyncNow"))) ? InSync : UsageError;
    default:
        break;
    }
    const std::optional<QString> state = waitUntilIdle(*client, invocation.waitTimeoutS);
    if (!state)
        return Incomplete;
    printLine(stdout, *state);
    return exitCodeForState(*state);
}

std::optional<QJsonObject> instanceStatus(const QString &localRoot)
{
    const std::optional<PairClient> client = PairClient::find(localRoot);
    if (!client)
        return std::nullopt;
    const QDBusMessage reply = client->call(QStringLiteral("Status"));
    if (reply.type() != QDBusMessage::ReplyMessage)
        return std::nullopt;
    const QJsonDocument document =
        QJsonDocument::fromJson(reply.arguments().value(0).toString().toUtf8());
    return document.isObject() ? std::optional(document.object()) : std::nullopt;
}

std::optional<int> runDelegatedSync(const Invocation &invocation)
{
    const QString root = invocation.engine.localRoot;
    if (!PairLock::holder(root))
        return std::nullopt;
    const std::optional<PairClient> client = PairClient::find(root);
    if (!client)
        return std::nullopt;
    const QUrl served(client->stringProperty(QStringLiteral("RemoteUrl")));
    const QUrl asked = invocation.engine.remoteUrl.adjusted(QUrl::RemoveUserInfo);
    if (served.adjusted(QUrl::StripTrailingSlash) != asked.adjusted(QUrl::StripTrailingSlash)) {
        printLine(stderr, QStringLiteral("steadysync-cli: %1 is synced with %2 by a running "
                                         "instance, not with %3")
                              .arg(root, served.toString(), asked.toString()));
        return UsageError;
    }
    if (!invocation.quiet)
        printLine(stderr,
                  QStringLiteral("a running instance holds %1: it syncs now, and this waits "
                                 "until it is idle")
                      .arg(root));
    if (!succeeded(client->call(QStringLiteral("SyncNow"))))
        return UsageError;
    const std::optional<QString> state = waitUntilIdle(*client, 0);
    if (!state)
        return Incomplete;
    if (invocation.json) {
        const QDBusMessage status = client->call(QStringLiteral("Status"));
        printLine(stdout, status.arguments().value(0).toString());
    } else if (!invocation.quiet) {
        printLine(stderr, QStringLiteral("the running instance is idle: %1").arg(*state));
    }
    return exitCodeForState(*state);
}

} // namespace steadysync::cli
