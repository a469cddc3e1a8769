#pragma once

#include <QObject>
#include <QString>

#include <memory>

class QLocalServer;
class QLockFile;

namespace steadysync {

// One Steadysync per user (DESIGN §8, issue 15 case 7): the first start listens on a local socket
// named after the user (in $XDG_RUNTIME_DIR, else the temporary folder with the uid and a hash
// of HOME); a later start connects, asks it to show its dashboard, and leaves.
class SingleInstance : public QObject
{
    Q_OBJECT
public:
    explicit SingleInstance(QString serverName = defaultServerName(), QObject *parent = nullptr);
    ~SingleInstance() override;

    // Asks a running instance to show its dashboard; true once it confirmed.
    bool handOver(int timeoutMs = 5000) const;
    // Becomes the running instance, holding a lock file beside the socket. What a crashed
    // instance left is taken over. False when another instance runs (try handOver() again) or
    // the socket cannot be created.
    bool listen();
    QString serverName() const { return m_name; }

    static QString defaultServerName();

Q_SIGNALS:
    // A later start asked for the dashboard.
    void activationRequested();

private:
    void onNewConnection();

    QString m_name;
    QLocalServer *m_server = nullptr;
    std::unique_ptr<QLockFile> m_lock; // held while this instance runs
};

} // namespace steadysync
