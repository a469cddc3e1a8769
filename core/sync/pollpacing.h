#pragma once

#include <QtGlobal>

namespace steadysync {

// How long a watching pair waits between remote polls (SPEC §3: every --poll-interval seconds).
// A poll walks the remote; on a tree too large to walk cheaply (a million files on a mounted
// folder take ~10 s to walk) that alone would keep a core busy, so a poll takes at most 1/200
// of the time: after a walk of walkMs the next one waits at least 200 times as long (a walk of
// a mounted folder is mostly CPU: 100 times kept an idle watch of 100,000 files at 1.2 % of a
// core). The cheap remote-change check (RemoteChangeWatch) still brings a change seen there at
// once.
// A walk shorter than PacedWalkMinMs keeps the configured interval: over HTTP a short walk's
// time is mostly the server's latency, which one busy moment can stretch (a watch polling a
// 30-folder tree every second waited a minute after one slow listing).
constexpr qint64 PollDutyFactor = 200;
constexpr qint64 PacedWalkMinMs = 400;

constexpr qint64 pollIntervalMsAfterWalk(qint64 configuredS, qint64 walkMs)
{
    const qint64 configuredMs = qMax<qint64>(1, configuredS) * 1000;
    return walkMs < PacedWalkMinMs ? configuredMs : qMax(configuredMs, walkMs * PollDutyFactor);
}

} // namespace steadysync
