#include "remote/propfindhref.h"

#include <QStringDecoder>

namespace steadysync::propfindhref {

namespace {

int defaultPort(const QUrl &url)
{
    return url.scheme().compare(QLatin1String("https"), Qt::CaseInsensitive) == 0 ? 443 : 80;
}

// RFC 3986 §3.1: the length of the scheme that starts ref ("http" in "http://…"), or -1.
qsizetype schemeLength(const QString &ref)
{
    const auto isLetter = [](QChar c) {
        return (c >= QLatin1Char('a') && c <= QLatin1Char('z')) ||
               (c >= QLatin1Char('A') && c <= QLatin1Char('Z'));
    };
    if (ref.isEmpty() || !isLetter(ref.at(0)))
        return -1;
    for (qsizetype i = 1; i < ref.size(); ++i) {
        const QChar c = ref.at(i);
        if (c == QLatin1Char(':'))
            return i;
        if (!isLetter(c) && !c.isDigit() && c != QLatin1Char('+') && c != QLatin1Char('-') &&
            c != QLatin1Char('.'))
            return -1;
    }
    return -1;
}

// RFC 3986 §5.2.4 on a still-encoded absolute path: "." and ".." segments are resolved
// ("%2e%2e" is not a dot segment: decoded, it is refused as a name instead).
QString withoutDotSegments(const QString &path)
{
    if (!path.contains(QLatin1String("/."))) // nearly every href: nothing to do, and fast
        return path;
    const QStringList input = path.split(QLatin1Char('/'));
    QStringList output;
    for (qsizetype i = 1; i < input.size(); ++i) { // input.first() is the empty one before '/'
        const QString &segment = input.at(i);
        const bool last = i == input.size() - 1;
        if (segment == QLatin1String(".") || segment == QLatin1String("..")) {
            if (segment == QLatin1String("..") && !output.isEmpty())
                output.removeLast();
            if (last)
                output.append(QString()); // "a/.." names the collection "a/": keep the '/'
            continue;
        }
        output.append(segment);
    }
    return QLatin1Char('/') + output.join(QLatin1Char('/'));
}

// authority ("host[:port]", maybe with userinfo) of an href against the request URL's origin.
bool isSameOrigin(const QString &scheme, const QString &authority, const QUrl &requestUrl)
{
    const QUrl origin(scheme + QStringLiteral("://") + authority + QLatin1Char('/'),
                      QUrl::StrictMode);
    return origin.isValid() &&
           origin.scheme().compare(requestUrl.scheme(), Qt::CaseInsensitive) == 0 &&
           origin.host().compare(requestUrl.host(), Qt::CaseInsensitive) == 0 &&
           origin.port(defaultPort(origin)) == requestUrl.port(defaultPort(requestUrl));
}

} // namespace

// The raw (still percent-encoded) absolute path an href names, resolved per RFC 3986 §5.2
// against the request URL, or nullopt and an error text. An href to another server is refused
// (*why is set) but still yields its path, so that what it names on this side can be kept out
// of the cycle. A member href has no query or fragment: a raw '?' or '#' is a character a
// server failed to encode (its name is "a#b.txt"), never where the name ends.
std::optional<QString> rawPathOf(const QString &href, const QUrl &requestUrl, QString *why)
{
    const QString ref = href.trimmed();
    QString scheme = requestUrl.scheme();
    QString rest = ref;
    if (const qsizetype length = schemeLength(ref); length > 0) {
        const QString named = ref.left(length);
        const bool web = named.compare(QLatin1String("http"), Qt::CaseInsensitive) == 0 ||
                         named.compare(QLatin1String("https"), Qt::CaseInsensitive) == 0;
        // "a:b.txt" from a server that did not write "./a:b.txt" is a relative name.
        if (web || ref.mid(length + 1).startsWith(QLatin1String("//"))) {
            scheme = named;
            rest = ref.mid(length + 1);
            if (!rest.startsWith(QLatin1String("//"))) {
                *why = QStringLiteral("malformed URL");
                return std::nullopt;
            }
        }
    }
    if (rest.startsWith(QLatin1String("//"))) {
        const qsizetype pathStart = rest.indexOf(QLatin1Char('/'), 2);
        const QString authority = rest.mid(2, pathStart < 0 ? -1 : pathStart - 2);
        if (!isSameOrigin(scheme, authority, requestUrl))
            *why = QStringLiteral("points to another server");
        rest = pathStart < 0 ? QStringLiteral("/") : rest.mid(pathStart);
    } else if (!rest.startsWith(QLatin1Char('/'))) {
        const QString base = QString::fromLatin1(requestUrl.path(QUrl::FullyEncoded).toLatin1());
        rest = base.left(base.lastIndexOf(QLatin1Char('/')) + 1) + rest;
        if (!rest.startsWith(QLatin1Char('/')))
            rest.prepend(QLatin1Char('/'));
    }
    return withoutDotSegments(rest);
}

// True for an href that was not percent-encoded at all: a '%' in it starts no %HH escape
// ("100% done.txt"), which an encoder always writes as "%25". Such an href is read literally:
// decoding it would misread "% d" or turn a raw "50%2F" into a '/'. (A raw "%41" looks
// encoded and cannot be told apart; a raw space alone is decoded as usual, since servers
// that leave spaces raw may still encode other characters.)
bool wasNotPercentEncoded(const QString &href)
{
    const auto isHex = [](QChar c) {
        return c.isDigit() || (c.toLower() >= QLatin1Char('a') && c.toLower() <= QLatin1Char('f'));
    };
    for (qsizetype i = href.indexOf(QLatin1Char('%')); i >= 0;
         i = href.indexOf(QLatin1Char('%'), i + 1)) {
        if (i + 2 >= href.size() || !isHex(href.at(i + 1)) || !isHex(href.at(i + 2)))
            return true;
    }
    return false;
}

// True when a %HH escape in these raw segments stands for an ASCII letter or digit.
bool escapesAlphanumeric(const QStringList &rawSegments)
{
    for (const QString &segment : rawSegments) {
        for (qsizetype i = segment.indexOf(QLatin1Char('%')); i >= 0 && i + 2 < segment.size();
             i = segment.indexOf(QLatin1Char('%'), i + 1)) {
            const char c = QByteArray::fromPercentEncoding(segment.mid(i, 3).toLatin1()).at(0);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
                return true;
        }
    }
    return false;
}

// Percent-decodes one segment as UTF-8 (literal: takes it as it is). Bytes that are not UTF-8
// become U+FFFD and clear *validUtf8; a literal U+FFFD (EF BF BD) is a character like any
// other and keeps it set.
QString decodedSegment(const QString &segment, bool literal, bool *validUtf8)
{
    const QByteArray bytes =
        literal ? segment.toUtf8() : QByteArray::fromPercentEncoding(segment.toUtf8());
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless |
                                                     QStringDecoder::Flag::ConvertInitialBom);
    QString decoded = decoder(bytes);
    if (decoder.hasError() || decoded.toUtf8() != bytes)
        *validUtf8 = false;
    return decoded;
}

// Splits an encoded path into decoded segments, dropping the leading '/'. A trailing '/'
// leaves a final empty segment. %2F stays inside its segment as '/'.
QStringList decodedSegments(const QString &rawPath, bool literal, bool *validUtf8)
{
    QString path = rawPath;
    if (path.startsWith(QLatin1Char('/')))
        path.remove(0, 1);
    QStringList segments = path.split(QLatin1Char('/'));
    for (QString &segment : segments)
        segment = decodedSegment(segment, literal, validUtf8);
    return segments;
}

QStringList decodedSegments(const QString &rawPath)
{
    bool validUtf8 = true;
    return decodedSegments(rawPath, false, &validUtf8);
}

QStringList withoutTrailingEmpty(QStringList segments)
{
    if (!segments.isEmpty() && segments.last().isEmpty())
        segments.removeLast();
    return segments;
}

// Unsafe is what could reach outside the root or can name no single local item. Any other
// character is legal, a literal U+FFFD (valid UTF-8 EF BF BD, which a local file may carry
// and which we upload) included; bytes that are not UTF-8 are refused where they are decoded.
QString whyNameIsUnsafe(const QString &name)
{
    if (name.isEmpty())
        return QStringLiteral("empty name");
    if (name == QLatin1String(".") || name == QLatin1String(".."))
        return QStringLiteral("would escape the sync root");
    if (name.contains(QLatin1Char('/')))
        return QStringLiteral("contains '/'");
    if (name.contains(QChar(0)))
        return QStringLiteral("contains NUL");
    return {};
}

// Where a refused member would lie, relative to the listed collection: its segments up to
// the first that is not a safe name by itself ("..", "", one with '/' or NUL). Nothing there
// may look deleted while the server lists it in a form we refuse. nullopt: it names nothing
// inside the collection.
std::optional<QString> pathToKeepFor(const QStringList &rest)
{
    QStringList kept;
    for (const QString &segment : rest) {
        if (!whyNameIsUnsafe(segment).isEmpty())
            break;
        kept.append(segment);
    }
    if (kept.isEmpty())
        return std::nullopt;
    return kept.join(QLatin1Char('/'));
}

} // namespace steadysync::propfindhref
