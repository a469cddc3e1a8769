#pragma once

#include <QCoreApplication>
#include <QHash>
#include <QString>
#include <QVector>

#include <deque>
#include <utility>

namespace steadysync {

// The files a pair is moving now, with their bytes, speed and time left. Fed by the engine's
// transferProgress signal; shown (dashboard card, tray tooltip) only for transfers that have
// run for a few seconds, so small files do not flicker past. Pure: the caller passes the time.
class TransferProgress
{
    Q_DECLARE_TR_FUNCTIONS(steadysync::TransferProgress)
public:
    static constexpr qint64 ShowAfterMs = 3'000;
    static constexpr qint64 SpeedWindowMs = 5'000; // speed = bytes moved in the last 5 s

    struct Transfer
    {
        QString path;
        bool upload = true;
        qint64 bytesDone = 0;
        qint64 bytesTotal = 0;
        qint64 startedMs = 0;
        qint64 bytesPerSecond = 0; // 0 until it can be measured
        // Seconds left at the current speed; -1 while unknown.
        qint64 secondsLeft() const;
    };

    void update(const QString &path, bool upload, qint64 bytesDone, qint64 bytesTotal,
                qint64 nowMs);
    void finish(const QString &path);
    void clear();
    bool isEmpty() const { return m_running.isEmpty(); }
    // The transfers running for ShowAfterMs or longer, oldest first.
    QVector<Transfer> shown(qint64 nowMs) const;

    // "Uploading video.bin: 12.0 MiB of 60.0 MiB, 800 KiB/s, 1 min left"
    static QString describe(const Transfer &transfer);
    // "45 s", "3 min", "2 h 5 min"
    static QString durationText(qint64 seconds);

private:
    struct Running
    {
        Transfer transfer;
        std::deque<std::pair<qint64, qint64>> samples; // (ms, bytes) within the speed window
    };
    QHash<QString, Running> m_running;
};

} // namespace steadysync
