#include "singleinstance.h"

#include <QCryptographicHash>
#include <QDir>
#include <QLocalServer>
#include <QLocalSocket>
#include <QLockFile>

#include <unistd.h>

#include <utility>

namespace steadysync {

namespace {

const QByteArray ActivateRequest = "activate\n";
const QByteArray ActivatedReply = "shown\n";

} // namespace

SingleInstance::SingleInstance(QString serverName, QObject *parent)
    : QObject(parent), m_name(std::move(serverName))
{}

SingleInstance::~SingleInstance() = default; // QLockFile must be complete here

QString SingleInstance::defaultServerName()
{
    const QString user = QString::number(::getuid());
    const QString runtime = qEnvironmentVariable("XDG_RUNTIME_DIR");
    if (!runtime.isEmpty() && QDir(runtime).exists())
        return runtime + QStringLiteral("/steadysync-%1.socket").arg(user);
    // No per-user runtime folder: the shared temporary one, told apart by user and HOME.
    const QByteArray home =
        QCryptographicHash::hash(QDir::homePath().toUtf8(), QCryptographicHash::Sha1).toHex();
    return QDir::tempPath() +
           QStringLiteral("/steadysync-%1-%2.socket").arg(user, QString::fromLatin1(home.left(12)));
}

bool SingleInstance::handOver(int timeoutMs) const
{
    QLocalSocket socket;
    socket.connectToServer(m_name);
    if (!socket.waitForConnected(timeoutMs))
        return false;
    socket.write(ActivateRequest);
    if (!socket.waitForBytesWritten(timeoutMs))
        return false;
    while (socket.bytesAvailable() < ActivatedReply.size()) {
        if (!socket.waitForReadyRead(timeoutMs))
            return false;
    }
    return socket.readAll().startsWith(ActivatedReply);
}

bool SingleInstance::listen()
{
    // The lock decides who runs (QLocalServer::listen() would silently replace a live socket);
    // a lock left by a crashed instance names a dead process and is taken over.
    auto lock = std::make_unique<QLockFile>(m_name + QStringLiteral(".lock"));
    lock->setStaleLockTime(0);
    if (!lock->tryLock(0))
        return false;
    QLocalServer::removeServer(m_name); // a crashed instance's leftover
    auto server = std::make_unique<QLocalServer>(this);
    server->setSocketOptions(QLocalServer::UserAccessOption);
    connect(server.get(), &QLocalServer::newConnection, this, &SingleInstance::onNewConnection);
    if (!server->listen(m_name))
        return false;
    m_lock = std::move(lock);
    m_server = server.release();
    return true;
}

void SingleInstance::onNewConnection()
{
    while (QLocalSocket *socket = m_server->nextPendingConnection()) {
        connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QLocalSocket::readyRead, this, [this, socket] {
            if (!socket->canReadLine())
                return;
            if (socket->readLine() == ActivateRequest) {
                Q_EMIT activationRequested(); // shows the dashboard before the reply goes out
                socket->write(ActivatedReply);
            }
            socket->disconnectFromServer();
        });
    }
}

} // namespace steadysync
