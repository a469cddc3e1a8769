#pragma once

#include <QFile>
#include <QIODevice>

#include <functional>
#include <memory>

namespace steadysync {

class Sha256Stream;

// The body of a PUT under an upload bandwidth limit: reads the file in chunks and, after each,
// reports "no data yet" until the pacer's wait is over, then signals readyRead(). Qt Network
// stops asking meanwhile, so the request goes out at the limited rate without blocking the
// event loop. Random access (seek/size) stays available for a resend after an auth challenge.
// With hashing on, it also takes the SHA-256 of what it reads (a resend starts it afresh).
class WebDavPacedUpload final : public QIODevice
{
    Q_OBJECT
public:
    // reserveMs(bytes): how long to wait after sending `bytes`; chunkSize: bytes per read.
    WebDavPacedUpload(const QString &fileName, qint64 chunkSize,
                      std::function<int(qint64)> reserveMs, bool hashing = false,
                      QObject *parent = nullptr);
    ~WebDavPacedUpload() override;

    bool open(OpenMode mode) override;
    void close() override;
    bool isSequential() const override { return false; }
    qint64 size() const override { return m_file.size(); }
    bool seek(qint64 position) override;
    QString fileErrorString() const { return m_file.errorString(); }
    bool fileExists() const { return m_file.exists(); }
    // With hashing on: lowercase hex of the file's bytes once all were read in one pass from
    // the start; empty before, or after a seek elsewhere.
    QByteArray sha256OfAllRead();

protected:
    qint64 readData(char *data, qint64 maxSize) override;
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    QFile m_file;
    qint64 m_chunkSize;
    std::function<int(qint64)> m_reserveMs;
    bool m_waiting = false;
    std::unique_ptr<Sha256Stream> m_hash; // null: hashing off, or broken by a seek
    qint64 m_hashedBytes = 0;
    QByteArray m_sha256;
};

} // namespace steadysync
