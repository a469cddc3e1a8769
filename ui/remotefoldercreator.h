#pragma once

#include "remote/remotebackend.h"

#include <QObject>
#include <QPointer>
#include <QUrl>

namespace steadysync {

// Creates a pair's missing remote folder (the last level of its URL, in the parent folder),
// for the first run's "Create the Folder" after a test found it missing. Asynchronous:
// finished() comes once per start(), from the event loop.
class RemoteFolderCreator : public QObject
{
    Q_OBJECT
public:
    explicit RemoteFolderCreator(QObject *parent = nullptr) : QObject(parent) {}

    void start(const QUrl &url, const BackendOptions &options);
    bool isRunning() const { return m_backend != nullptr; }

Q_SIGNALS:
    // error: empty when the folder now exists.
    void finished(const QString &error);

private:
    void finish(const QString &error);

    QPointer<RemoteBackend> m_backend;
};

} // namespace steadysync
