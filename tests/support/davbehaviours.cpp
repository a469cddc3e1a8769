#include "davbehaviours.h"

#include <QDateTime>
#include <QLocale>
#include <QTimeZone>

#include <array>

namespace steadysync::test::behaviours {

namespace {

// An answer taken apart, to be changed and put together again.
struct RawResponse
{
    QByteArray statusLine;
    QList<QByteArray> headerLines;
    QByteArray body;

    int status() const { return statusLine.split(' ').value(1).toInt(); }
    void removeHeader(const QByteArray &name)
    {
        headerLines.removeIf([&name](const QByteArray &line) {
            return line.toLower().startsWith(name.toLower() + ':');
        });
    }
    void setHeader(const QByteArray &name, const QByteArray &value)
    {
        removeHeader(name);
        headerLines.append(name + ": " + value);
    }
    QByteArray joined() const
    {
        QByteArray bytes = statusLine + "\r\n";
        for (const QByteArray &line : headerLines)
            bytes += line + "\r\n";
        return bytes + "\r\n" + body;
    }
};

std::optional<RawResponse> split(const QByteArray &bytes)
{
    const qsizetype end = bytes.indexOf("\r\n\r\n");
    if (end < 0)
        return std::nullopt;
    QList<QByteArray> lines = bytes.left(end).split('\n');
    for (QByteArray &line : lines)
        line = line.trimmed();
    RawResponse response;
    response.statusLine = lines.takeFirst();
    response.headerLines = lines;
    response.body = bytes.mid(end + 4);
    return response;
}

// Applies `change` to 207 answers only; anything else passes unchanged.
Behaviour rewriteMultistatus(std::function<void(const Request &, RawResponse &)> change)
{
    Behaviour behaviour;
    behaviour.rewrite = [change = std::move(change)](const Request &request,
                                                     const QByteArray &bytes) {
        std::optional<RawResponse> response = split(bytes);
        if (!response || response->status() != 207)
            return bytes;
        change(request, *response);
        return response->joined();
    };
    return behaviour;
}

quint32 crc32Of(const QByteArray &data)
{
    static const std::array<quint32, 256> table = [] {
        std::array<quint32, 256> entries{};
        for (quint32 n = 0; n < 256; ++n) {
            quint32 c = n;
            for (int k = 0; k < 8; ++k)
                c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            entries[n] = c;
        }
        return entries;
    }();
    quint32 crc = 0xFFFFFFFFu;
    for (const char byte : data)
        crc = table[(crc ^ quint8(byte)) & 0xFF] ^ (crc >> 8);
    return crc ^ 0xFFFFFFFFu;
}

QByteArray littleEndian32(quint32 value)
{
    QByteArray bytes(4, '\0');
    for (int i = 0; i < 4; ++i)
        bytes[i] = char((value >> (8 * i)) & 0xFF);
    return bytes;
}

QByteArray httpDateIn(int seconds)
{
    return QLocale::c()
        .toString(QDateTime::currentDateTimeUtc().addSecs(seconds),
                  QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'"))
        .toLatin1();
}

} // namespace

RequestFilter methodAndPath(const QByteArray &method, const QByteArray &targetSuffix)
{
    return [method, targetSuffix](const Request &request) {
        return request.method == method && request.target.endsWith(targetSuffix);
    };
}

RequestFilter propfinds()
{
    return [](const Request &request) {
        return request.method == "PROPFIND";
    };
}

Behaviour record(std::shared_ptr<ArrivalLog> log)
{
    Behaviour behaviour;
    behaviour.instead = [log](const Request &) -> std::optional<QByteArray> {
        log->arrivalsMs.append(log->clock.elapsed());
        return std::nullopt;
    };
    return behaviour;
}

Behaviour throttle(RequestFilter which, int refusals, int seconds, RetryAfterForm form,
                   std::shared_ptr<ArrivalLog> log)
{
    Behaviour behaviour;
    auto refused = std::make_shared<int>(0);
    behaviour.instead = [=](const Request &request) -> std::optional<QByteArray> {
        if (!which(request))
            return std::nullopt;
        log->arrivalsMs.append(log->clock.elapsed());
        if (*refused >= refusals)
            return std::nullopt;
        ++*refused;
        const QByteArray retryAfter =
            form == RetryAfterForm::Seconds ? QByteArray::number(seconds) : httpDateIn(seconds);
        return HostileWebDavServer::response(429, "slow down\n", {{"Retry-After", retryAfter}});
    };
    return behaviour;
}

Behaviour chunkedListings(int chunkBytes)
{
    return rewriteMultistatus([chunkBytes](const Request &, RawResponse &response) {
        QByteArray chunked;
        for (qsizetype at = 0; at < response.body.size(); at += chunkBytes) {
            const QByteArray chunk = response.body.mid(at, chunkBytes);
            chunked += QByteArray::number(chunk.size(), 16) + "\r\n" + chunk + "\r\n";
        }
        response.body = chunked + "0\r\n\r\n";
        response.removeHeader("Content-Length");
        response.setHeader("Transfer-Encoding", "chunked");
    });
}

Behaviour gzippedListings(bool corrupt)
{
    return rewriteMultistatus([corrupt](const Request &, RawResponse &response) {
        QByteArray compressed = gzip(response.body);
        if (corrupt) {
            // Past the 10-byte header, inside the deflate stream.
            for (qsizetype i = 12; i < compressed.size() - 8; i += 7)
                compressed[i] = char(compressed.at(i) ^ 0x5A);
        }
        response.body = compressed;
        response.setHeader("Content-Encoding", "gzip");
        response.setHeader("Content-Length", QByteArray::number(compressed.size()));
    });
}

Behaviour truncatedListings(double fraction)
{
    return rewriteMultistatus([fraction](const Request &request, RawResponse &response) {
        if (request.header("Depth") != "1")
            return;
        response.body.truncate(qsizetype(response.body.size() * fraction));
        response.setHeader("Content-Length", QByteArray::number(response.body.size()));
    });
}

Behaviour htmlListings()
{
    return rewriteMultistatus([](const Request &, RawResponse &response) {
        response.body = "<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body>"
                        "<p>Please sign in to continue.</p></body></html>\n";
        response.setHeader("Content-Type", "text/html; charset=utf-8");
        response.setHeader("Content-Length", QByteArray::number(response.body.size()));
    });
}

Behaviour okInsteadOfMultistatus()
{
    return rewriteMultistatus(
        [](const Request &, RawResponse &response) { response.statusLine = "HTTP/1.1 200 OK"; });
}

Behaviour redirectPrefix(const QByteArray &oldPrefix, int status)
{
    Behaviour behaviour;
    behaviour.instead = [oldPrefix, status](const Request &request) -> std::optional<QByteArray> {
        QByteArray target = request.target;
        if (target.startsWith("http://"))
            target = target.mid(target.indexOf('/', 7));
        if (!target.startsWith(oldPrefix))
            return std::nullopt;
        const QByteArray moved = "/dav/" + target.mid(oldPrefix.size());
        return HostileWebDavServer::response(status, "moved\n", {{"Location", moved}});
    };
    return behaviour;
}

Behaviour redirect(RequestFilter which, const QByteArray &location, int status)
{
    Behaviour behaviour;
    behaviour.instead = [=](const Request &request) -> std::optional<QByteArray> {
        if (!which(request))
            return std::nullopt;
        return HostileWebDavServer::response(status, "moved\n", {{"Location", location}});
    };
    return behaviour;
}

Behaviour basicAuth(const QByteArray &user, const QByteArray &password,
                    std::shared_ptr<AuthLog> log)
{
    const QByteArray expected = "Basic " + (user + ':' + password).toBase64();
    Behaviour behaviour;
    behaviour.instead = [=](const Request &request) -> std::optional<QByteArray> {
        if (request.header("Authorization") == expected)
            return std::nullopt;
        ++log->challenges;
        log->refusedBodyBytes += request.body.size();
        log->refused.append(request.method + ' ' + request.target + " [" +
                            request.header("Authorization") + "]");
        return HostileWebDavServer::response(401, "sign in\n",
                                             {{"WWW-Authenticate", "Basic realm=\"dav\""}});
    };
    return behaviour;
}

QByteArray gzip(const QByteArray &data)
{
    // qCompress: 4-byte length, then a zlib stream (2-byte header, deflate, 4-byte Adler-32).
    const QByteArray zlib = qCompress(data, 6);
    const QByteArray deflate = zlib.mid(6, zlib.size() - 6 - 4);
    const QByteArray header("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", 10);
    return header + deflate + littleEndian32(crc32Of(data)) + littleEndian32(quint32(data.size()));
}

} // namespace steadysync::test::behaviours
