// libFuzzer target: IgnoreRules on arbitrary pattern files. Input lines are patterns, except
// lines starting with '?', which are paths to test. Besides crashes and sanitizer reports, it
// stops when the two matching entry points disagree on a path whose ancestors are included.
#include "local/ignorerules.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    steadysync::IgnoreRules rules;
    QStringList paths;
    for (const QString &line : text.split(QLatin1Char('\n'))) {
        if (line.startsWith(QLatin1Char('?')))
            paths.append(line.mid(1));
        else
            rules.addPattern(line);
    }
    for (const QString &path : std::as_const(paths)) {
        for (const bool isDir : {false, true}) {
            const bool ignored = rules.isIgnored(path, isDir);
            bool ancestorIgnored = false;
            for (qsizetype slash = path.indexOf(QLatin1Char('/')); slash > 0 && !ancestorIgnored;
                 slash = path.indexOf(QLatin1Char('/'), slash + 1))
                ancestorIgnored = rules.isIgnored(path.left(slash), true);
            if (!ancestorIgnored && !path.contains(QStringLiteral("//")) &&
                !path.startsWith(QLatin1Char('/')) &&
                rules.isIgnoredAssumingParentsIncluded(path, isDir) != ignored) {
                std::fprintf(
                    stderr,
                    "IgnoreRules: isIgnored and isIgnoredAssumingParentsIncluded disagree on %s\n",
                    qPrintable(path));
                std::abort();
            }
        }
    }
    return 0;
}
