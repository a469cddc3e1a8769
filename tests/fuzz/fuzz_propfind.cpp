// libFuzzer target: PropfindParser::parse on arbitrary bytes. Besides crashes and sanitizer
// reports, it stops on a broken promise of the parser: an entry whose name could escape the
// collection (DESIGN §4 "nothing from the server escapes the sync root").
#include "remote/propfindparser.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace {

void check(bool holds, const char *what)
{
    if (!holds) {
        std::fprintf(stderr, "PropfindParser broke its contract: %s\n", what);
        std::abort();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    static const QUrl requestUrl(QStringLiteral("http://127.0.0.1:8080/dav/folder/"));
    const QByteArray body =
        QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto listing = steadysync::PropfindParser::parse(body, requestUrl, 10'000);
    if (!listing)
        return 0;
    for (const steadysync::RemoteEntry &entry : listing->children) {
        check(!entry.path.isEmpty(), "an empty member name");
        check(!entry.path.contains(QLatin1Char('/')), "a member name with '/'");
        check(entry.path != QStringLiteral(".") && entry.path != QStringLiteral(".."),
              "a member named . or ..");
        check(!entry.path.contains(QChar(0)), "a member name with NUL");
    }
    return 0;
}
