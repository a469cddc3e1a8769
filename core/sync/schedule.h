#pragma once

#include "result.h"

#include <QDateTime>
#include <QString>
#include <QVector>

namespace steadysync {

// When a pair may sync (issue 20, schedules). The spec is a comma-separated list of windows
// in local wall-clock time, each "[DAYS ]HH:MM-HH:MM":
//   "22:00-06:00"                                every night
//   "Mon-Fri 19:00-07:00,Sat-Sun 00:00-24:00"    evenings on weekdays, all weekend
// DAYS is one day or a range (Mon Tue Wed Thu Fri Sat Sun, any case; a range may wrap, as in
// Fri-Mon) and names the day a window starts on; without DAYS a window applies every day.
// A window whose end is not after its start runs past midnight into the next day; 24:00 is
// allowed as an end. An empty spec means always.
class SyncWindow
{
public:
    static Result<SyncWindow> parse(const QString &spec);

    bool isAlways() const { return m_windows.isEmpty(); }
    QString spec() const { return m_spec; }
    // `when` in the zone the windows are meant in (the system's local time for the engine).
    bool isOpenAt(const QDateTime &when) const;
    // The first instant after `when` at which a window starts or ends; invalid when isAlways().
    QDateTime nextChangeAfter(const QDateTime &when) const;

private:
    struct Window
    {
        int dayMask = 0x7f; // bit (dayOfWeek - 1): 1 Monday … 7 Sunday
        int startMinute = 0;
        int endMinute = 0; // <= startMinute: on the next day
    };
    QString m_spec;
    QVector<Window> m_windows;
};

// Upload and download limits in KiB/s; 0 = unlimited.
struct BandwidthLimits
{
    qint64 upKiB = 0;
    qint64 downKiB = 0;
    bool operator==(const BandwidthLimits &other) const
    {
        return upKiB == other.upKiB && downKiB == other.downKiB;
    }
};

// A bandwidth timetable in rclone's --bwlimit form: space-separated "HH:MM,RATE" entries, each
// in force from its time until the next entry's (the last one runs past midnight until the
// first), or one RATE for all day. RATE is "off" (unlimited), an amount for both directions,
// or UP:DOWN; an amount is a number with an optional unit K (KiB/s, the default), M, G or B.
//   "08:00,512k 19:00,off"      512 KiB/s both ways in the day, unlimited from 19:00 to 08:00
//   "08:00,512k:1M 23:00,off"   512 KiB/s up and 1 MiB/s down in the day
class BandwidthTimetable
{
public:
    static Result<BandwidthTimetable> parse(const QString &spec);

    bool isEmpty() const { return m_entries.isEmpty(); }
    QString spec() const { return m_spec; }
    BandwidthLimits limitsAt(const QDateTime &when) const;
    // The first instant after `when` at which another entry takes over; invalid when the
    // limits never change.
    QDateTime nextChangeAfter(const QDateTime &when) const;

private:
    struct Entry
    {
        int minute = 0;
        BandwidthLimits limits;
    };
    QString m_spec;
    QVector<Entry> m_entries; // by minute, ascending
};

} // namespace steadysync
