#pragma once

#include <QString>

#include <cstdio>

namespace steadysync::cli {

// The exit codes of every command (DESIGN §7, installer/steadysync-cli.1).
enum ExitCode {
    InSync = 0,
    Incomplete = 1,
    UsageError = 2,
    RemoteUnavailable = 3,
    MassDeleteStop = 4
};

// One line, in the locale's encoding, flushed at once (progress and results interleave).
inline void printLine(FILE *stream, const QString &text)
{
    std::fputs(text.toLocal8Bit().constData(), stream);
    std::fputc('\n', stream);
    std::fflush(stream);
}

} // namespace steadysync::cli
