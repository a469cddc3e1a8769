#pragma once

#include "sync/cyclereport.h"

#include <QElapsedTimer>

namespace steadysync::cli {

// The live progress line on stderr (DESIGN §7): files done/total, bytes, rate. Only drawn when
// stderr is a terminal; otherwise silent.
class ProgressLine
{
public:
    explicit ProgressLine(bool enabled);
    void update(const StatusSnapshot &status);
    void clear();

    static QString formatBytes(qint64 bytes);

private:
    bool m_enabled;
    bool m_drawn = false;
    QElapsedTimer m_elapsed;
};

} // namespace steadysync::cli
