#include "transferprogress.h"

#include <QLocale>

#include <algorithm>

namespace steadysync {

qint64 TransferProgress::Transfer::secondsLeft() const
{
    if (bytesPerSecond <= 0 || bytesTotal <= bytesDone)
        return -1;
    return (bytesTotal - bytesDone + bytesPerSecond - 1) / bytesPerSecond;
}

void TransferProgress::update(const QString &path, bool upload, qint64 bytesDone, qint64 bytesTotal,
                              qint64 nowMs)
{
    if (bytesTotal > 0 && bytesDone >= bytesTotal)
        return finish(path);
    auto it = m_running.find(path);
    if (it == m_running.end() || it->transfer.upload != upload ||
        bytesDone < it->transfer.bytesDone) {
        // New, or started again (a retry): measured afresh.
        it = m_running.insert(path, Running{Transfer{path, upload, 0, bytesTotal, nowMs, 0}, {}});
    }
    Running &running = *it;
    running.transfer.bytesDone = bytesDone;
    running.transfer.bytesTotal = bytesTotal;
    running.samples.emplace_back(nowMs, bytesDone);
    while (running.samples.size() > 2 && nowMs - running.samples.front().first > SpeedWindowMs)
        running.samples.pop_front();
    const auto &[firstMs, firstBytes] = running.samples.front();
    const qint64 spanMs = nowMs - firstMs;
    if (spanMs >= 500)
        running.transfer.bytesPerSecond = (bytesDone - firstBytes) * 1000 / spanMs;
}

void TransferProgress::finish(const QString &path)
{
    m_running.remove(path);
}

void TransferProgress::clear()
{
    m_running.clear();
}

QVector<TransferProgress::Transfer> TransferProgress::shown(qint64 nowMs) const
{
    QVector<Transfer> transfers;
    for (const Running &running : m_running) {
        if (nowMs - running.transfer.startedMs >= ShowAfterMs)
            transfers.append(running.transfer);
    }
    std::sort(transfers.begin(), transfers.end(), [](const Transfer &a, const Transfer &b) {
        return std::pair(a.startedMs, a.path) < std::pair(b.startedMs, b.path);
    });
    return transfers;
}

QString TransferProgress::describe(const Transfer &transfer)
{
    const QLocale locale;
    const auto size = [&locale](qint64 bytes) {
        return locale.formattedDataSize(bytes, 1, QLocale::DataSizeIecFormat);
    };
    const QString amount = tr("%1 of %2").arg(size(transfer.bytesDone), size(transfer.bytesTotal));
    QString text = transfer.upload ? tr("Uploading %1: %2").arg(transfer.path, amount)
                                   : tr("Downloading %1: %2").arg(transfer.path, amount);
    if (transfer.bytesPerSecond > 0)
        text += tr(", %1/s").arg(size(transfer.bytesPerSecond));
    if (const qint64 left = transfer.secondsLeft(); left >= 0)
        text += tr(", %1 left").arg(durationText(left));
    return text;
}

QString TransferProgress::durationText(qint64 seconds)
{
    if (seconds < 60)
        return tr("%1 s").arg(seconds);
    const qint64 minutes = (seconds + 59) / 60;
    if (minutes < 60)
        return tr("%1 min").arg(minutes);
    return tr("%1 h %2 min").arg(minutes / 60).arg(minutes % 60);
}

} // namespace steadysync
