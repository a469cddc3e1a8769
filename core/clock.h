#pragma once

#include <QDateTime>

namespace steadysync {

// Time source for everything time-dependent (debounce, backoff, statistics), so tests can
// drive time by hand instead of sleeping.
class Clock
{
public:
    virtual ~Clock() = default;
    virtual qint64 nowMs() const = 0; // milliseconds since the epoch, UTC

    QDateTime now() const { return QDateTime::fromMSecsSinceEpoch(nowMs(), Qt::UTC); }
};

class SystemClock final : public Clock
{
public:
    qint64 nowMs() const override { return QDateTime::currentMSecsSinceEpoch(); }

    static SystemClock *instance()
    {
        static SystemClock clock;
        return &clock;
    }
};

// A clock that only moves when told to. For tests.
class ManualClock final : public Clock
{
public:
    explicit ManualClock(qint64 startMs = 1'700'000'000'000) : m_nowMs(startMs) {}
    qint64 nowMs() const override { return m_nowMs; }
    void advance(qint64 ms) { m_nowMs += ms; }
    void set(qint64 ms) { m_nowMs = ms; }

private:
    qint64 m_nowMs;
};

} // namespace steadysync
