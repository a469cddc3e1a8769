#pragma once

#include <QFile>
#include <QIODevice>

#include <functional>

namespace steadysync {

// The body of a PUT under an upload bandwidth limit: reads the file in chunks and, after each,
// reports "no data yet" until the pacer's wait is over, then signals readyRead(). Qt Network
// stops asking meanwhile, so the request goes out at the limited rate without blocking the
// event loop. Random access (seek/size) stays available for a resend after an auth challenge.
class WebDavPacedUpload final : public QIODevice
{
    Q_OBJECT
public:
    // reserveMs(bytes): how long to wait after sending `bytes`; chunkSize: bytes per read.
    WebDavPacedUpload(const QString &fileName, qint64 chunkSize,
                      std::function<int(qint64)> reserveMs, QObject *parent = nullptr);

    bool open(OpenMode mode) override;
    void close() override;
    bool isSequential() const override { return false; }
    qint64 size() const override { return m_file.size(); }
    bool seek(qint64 position) override;
    QString fileErrorString() const { return m_file.errorString(); }
    bool fileExists() const { return m_file.exists(); }

protected:
    qint64 readData(char *data, qint64 maxSize) override;
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    QFile m_file;
    qint64 m_chunkSize;
    std::function<int(qint64)> m_reserveMs;
    bool m_waiting = false;
};

} // namespace steadysync
