#include "remote/strictxmlreader.h"

#include <QStringDecoder>

#include <algorithm>
#include <cstring>

namespace steadysync {

namespace {

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n';
}

bool isNameStart(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

bool isNameChar(char c)
{
    return isNameStart(c) || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == ':';
}

// A character XML 1.0 allows in a document (§2.2).
bool isXmlChar(uint code)
{
    return code == 0x9 || code == 0xA || code == 0xD || (code >= 0x20 && code <= 0xD7FF) ||
           (code >= 0xE000 && code <= 0xFFFD) || (code >= 0x10000 && code <= 0x10FFFF);
}

QLatin1String view(const char *from, const char *to)
{
    return {from, qsizetype(to - from)};
}

QLatin1String prefixOf(QLatin1String qualifiedName)
{
    const qsizetype colon = qualifiedName.indexOf(QLatin1Char(':'));
    return colon < 0 ? QLatin1String() : qualifiedName.left(colon);
}

} // namespace

StrictXmlReader::StrictXmlReader(const QByteArray &document)
    : m_document(document), m_begin(m_document.constData()), m_at(m_begin),
      m_end(m_begin + m_document.size())
{
    m_open.reserve(16);
    m_bindings.reserve(16);
}

bool StrictXmlReader::atEnd() const
{
    return m_type == QXmlStreamReader::EndDocument || m_type == QXmlStreamReader::Invalid;
}

qint64 StrictXmlReader::lineNumber() const
{
    return 1 + std::count(m_begin, m_at, '\n');
}

QXmlStreamReader::TokenType StrictXmlReader::fail(const QString &why)
{
    if (m_error.isEmpty())
        m_error = why;
    m_type = QXmlStreamReader::Invalid;
    return m_type;
}

void StrictXmlReader::skipSpace()
{
    while (m_at < m_end && isSpace(*m_at))
        ++m_at;
}

QXmlStreamReader::TokenType StrictXmlReader::readNext()
{
    if (hasError() || m_type == QXmlStreamReader::EndDocument)
        return fail(QStringLiteral("read past the end"));
    if (m_pendingEnd)
        return emitEnd();
    if (m_type == QXmlStreamReader::NoToken) {
        if (!readDeclaration())
            return fail(QStringLiteral("unsupported XML declaration"));
        m_type = QXmlStreamReader::StartDocument;
        return m_type;
    }
    if (m_open.isEmpty()) {
        skipSpace(); // only white space around the root element
        if (m_at == m_end && m_rootSeen) {
            m_type = QXmlStreamReader::EndDocument;
            return m_type;
        }
    }
    if (m_at == m_end)
        return fail(QStringLiteral("premature end of document"));
    if (*m_at != '<')
        return m_open.isEmpty() ? fail(QStringLiteral("text outside the root element"))
                                : readText();
    return readMarkup();
}

QXmlStreamReader::TokenType StrictXmlReader::readMarkup()
{
    if (m_end - m_at < 2)
        return fail(QStringLiteral("premature end of document"));
    if (m_at[1] == '/')
        return readEndTag();
    if (m_at[1] == '?' || m_at[1] == '!')
        return fail(QStringLiteral("unsupported markup (comment, CDATA, DOCTYPE or PI)"));
    return readStartTag();
}

// "<?xml version="1.0" encoding="utf-8"?>", or none at all.
bool StrictXmlReader::readDeclaration()
{
    static const char opening[] = "<?xml";
    const qsizetype openingLength = qsizetype(sizeof(opening)) - 1;
    if (m_end - m_at < openingLength + 1 || std::memcmp(m_at, opening, openingLength) != 0 ||
        !isSpace(m_at[openingLength]))
        return m_at == m_end || *m_at == '<' || isSpace(*m_at);
    const char *close = m_at + openingLength;
    while (close + 1 < m_end && !(close[0] == '?' && close[1] == '>'))
        ++close;
    if (close + 1 >= m_end)
        return false;
    const QByteArray declaration(m_at + openingLength, qsizetype(close - m_at - openingLength));
    m_at = close + 2;
    const QByteArray simplified = declaration.simplified().toLower().replace('\'', '"');
    if (!simplified.startsWith("version=\"1.0\""))
        return false;
    const QList<QByteArray> parts = simplified.split(' ');
    for (const QByteArray &part : parts) {
        if (part != "version=\"1.0\"" && part != "encoding=\"utf-8\"" &&
            part != "standalone=\"yes\"" && part != "standalone=\"no\"")
            return false;
    }
    return true;
}

bool StrictXmlReader::readName(QLatin1String *name)
{
    const char *start = m_at;
    if (m_at == m_end || !isNameStart(*m_at))
        return false;
    while (m_at < m_end && isNameChar(*m_at))
        ++m_at;
    *name = view(start, m_at);
    const qsizetype colon = name->indexOf(QLatin1Char(':'));
    // At most one colon, with a name on each side.
    return colon != 0 && colon != name->size() - 1 &&
           (colon < 0 || name->indexOf(QLatin1Char(':'), colon + 1) < 0) &&
           (colon < 0 || isNameStart(name->at(colon + 1).toLatin1()));
}

bool StrictXmlReader::resolve(QLatin1String qualifiedName, QLatin1String *uri, QLatin1String *local,
                              bool isAttribute) const
{
    const QLatin1String prefix = prefixOf(qualifiedName);
    *local = prefix.isEmpty() ? qualifiedName : qualifiedName.mid(prefix.size() + 1);
    if (prefix.isEmpty() && isAttribute) {
        *uri = QLatin1String();
        return true;
    }
    for (qsizetype i = m_bindings.size() - 1; i >= 0; --i) {
        if (m_bindings.at(i).prefix == prefix) {
            *uri = m_bindings.at(i).uri;
            return true;
        }
    }
    *uri = QLatin1String();
    return prefix.isEmpty(); // no default namespace declared: none
}

bool StrictXmlReader::readAttribute(qsizetype bindingsBefore)
{
    QLatin1String name;
    if (!readName(&name) || m_attributeNames.contains(name))
        return false;
    m_attributeNames.append(name);
    skipSpace();
    if (m_at == m_end || *m_at != '=')
        return false;
    ++m_at;
    skipSpace();
    QLatin1String value;
    if (!readAttributeValue(&value))
        return false;
    if (name == QLatin1String("xmlns")) {
        m_bindings.append({QLatin1String(), value});
        return true;
    }
    // A prefixed attribute is checked once all of this element's declarations are read.
    return prefixOf(name) != QLatin1String("xmlns") || bind(name.mid(6), value, bindingsBefore);
}

// Printable ASCII without references: namespace URIs and the like, nothing to decode.
bool StrictXmlReader::readAttributeValue(QLatin1String *value)
{
    if (m_at == m_end || (*m_at != '"' && *m_at != '\''))
        return false;
    const char quote = *m_at++;
    const char *start = m_at;
    while (m_at < m_end && *m_at != quote) {
        if (*m_at < 0x20 || *m_at > 0x7e || *m_at == '<' || *m_at == '&')
            return false;
        ++m_at;
    }
    if (m_at == m_end)
        return false;
    *value = view(start, m_at++);
    return true;
}

// xmlns:prefix="uri", once per prefix and element; no empty URI, no xml* prefix.
bool StrictXmlReader::bind(QLatin1String prefix, QLatin1String uri, qsizetype bindingsBefore)
{
    if (uri.isEmpty() || prefix.startsWith(QLatin1String("xml"), Qt::CaseInsensitive))
        return false;
    for (qsizetype i = bindingsBefore; i < m_bindings.size(); ++i)
        if (m_bindings.at(i).prefix == prefix)
            return false;
    m_bindings.append({prefix, uri});
    return true;
}

bool StrictXmlReader::readAttributes(qsizetype bindingsBefore, bool *empty)
{
    m_attributeNames.clear();
    while (true) {
        const char *beforeSpace = m_at;
        skipSpace();
        if (m_at == m_end)
            return false;
        if (*m_at == '>' || *m_at == '/')
            break;
        if (m_at == beforeSpace) // attributes are separated by white space
            return false;
        if (!readAttribute(bindingsBefore))
            return false;
    }
    *empty = *m_at == '/';
    if (*empty && (m_end - m_at < 2 || m_at[1] != '>'))
        return false;
    m_at += *empty ? 2 : 1;
    return prefixedAttributesAreSound();
}

// Prefixed attributes need their prefix declared (here or above), as elements do, and two of
// them may not be the same name in the same namespace.
bool StrictXmlReader::prefixedAttributesAreSound() const
{
    QVector<std::pair<QLatin1String, QLatin1String>> expanded;
    for (const QLatin1String &name : m_attributeNames) {
        const QLatin1String prefix = prefixOf(name);
        if (prefix.isEmpty() || prefix == QLatin1String("xmlns"))
            continue;
        QLatin1String uri;
        QLatin1String local;
        if (!resolve(name, &uri, &local, true) || uri.isEmpty() ||
            expanded.contains(std::pair(uri, local)))
            return false;
        expanded.append(std::pair(uri, local));
    }
    return true;
}

QXmlStreamReader::TokenType StrictXmlReader::readStartTag()
{
    if (m_rootSeen && m_open.isEmpty())
        return fail(QStringLiteral("content after the root element"));
    ++m_at; // '<'
    Element element;
    element.bindingsBefore = m_bindings.size();
    if (!readName(&element.qualifiedName))
        return fail(QStringLiteral("unsupported or malformed element name"));
    bool empty = false;
    if (!readAttributes(element.bindingsBefore, &empty))
        return fail(QStringLiteral("unsupported or malformed attributes"));
    if (prefixOf(element.qualifiedName).startsWith(QLatin1String("xml"), Qt::CaseInsensitive) ||
        !resolve(element.qualifiedName, &element.namespaceUri, &element.name, false))
        return fail(QStringLiteral("undeclared namespace prefix"));
    m_rootSeen = true;
    m_open.append(element);
    m_pendingEnd = empty;
    m_name = element.name;
    m_namespaceUri = element.namespaceUri;
    m_type = QXmlStreamReader::StartElement;
    return m_type;
}

QXmlStreamReader::TokenType StrictXmlReader::readEndTag()
{
    m_at += 2; // "</"
    QLatin1String name;
    if (!readName(&name))
        return fail(QStringLiteral("malformed end tag"));
    skipSpace();
    if (m_at == m_end || *m_at != '>')
        return fail(QStringLiteral("malformed end tag"));
    ++m_at;
    if (m_open.isEmpty() || m_open.constLast().qualifiedName != name)
        return fail(QStringLiteral("end tag does not match"));
    return emitEnd();
}

QXmlStreamReader::TokenType StrictXmlReader::emitEnd()
{
    m_pendingEnd = false;
    const Element element = m_open.takeLast();
    m_bindings.resize(element.bindingsBefore);
    m_name = element.name;
    m_namespaceUri = element.namespaceUri;
    m_type = QXmlStreamReader::EndElement;
    return m_type;
}

QXmlStreamReader::TokenType StrictXmlReader::readText()
{
    const char *start = m_at;
    const char *stop = static_cast<const char *>(std::memchr(m_at, '<', size_t(m_end - m_at)));
    if (!stop)
        return fail(QStringLiteral("premature end of document"));
    m_at = stop;
    m_text.clear();
    if (!appendText(start, stop, &m_text))
        return fail(QStringLiteral("unsupported or malformed text"));
    m_type = QXmlStreamReader::Characters;
    return m_type;
}

// Appends [from, to) decoded: UTF-8 and character references; false for anything XML (or
// this reader) does not allow there.
bool StrictXmlReader::appendText(const char *from, const char *to, QString *out)
{
    bool ascii = true;
    bool references = false;
    for (const char *c = from; c < to; ++c) {
        const auto byte = static_cast<unsigned char>(*c);
        if (byte < 0x20 && byte != '\t' && byte != '\n')
            return false; // controls, and CR (which XML would normalise)
        if (byte == ']' && to - c >= 3 && c[1] == ']' && c[2] == '>')
            return false; // "]]>" is not allowed in text
        ascii &= byte < 0x80;
        references |= byte == '&';
    }
    if (!ascii) {
        QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
        QString decoded = decoder(QByteArrayView(from, to - from));
        if (decoder.hasError() || decoded.contains(QChar(0xFFFE)) ||
            decoded.contains(QChar(0xFFFF)))
            return false;
        if (references)
            return false; // rare: left to QXmlStreamReader
        out->append(decoded);
        return true;
    }
    if (!references) {
        out->append(QLatin1String(from, qsizetype(to - from)));
        return true;
    }
    while (from < to) {
        const char *amp = static_cast<const char *>(std::memchr(from, '&', size_t(to - from)));
        const char *plainEnd = amp ? amp : to;
        out->append(QLatin1String(from, qsizetype(plainEnd - from)));
        from = plainEnd;
        if (amp && !appendReference(&from, to, out))
            return false;
    }
    return true;
}

// At *cursor: "&name;" with a predefined name, or "&#N;" / "&#xN;".
bool StrictXmlReader::appendReference(const char **cursor, const char *to, QString *out)
{
    const char *start = *cursor + 1;
    const char *semicolon = start;
    while (semicolon < to && *semicolon != ';' && semicolon - start < 12)
        ++semicolon;
    if (semicolon == to || *semicolon != ';')
        return false;
    const QLatin1String name = view(start, semicolon);
    *cursor = semicolon + 1;
    static const struct
    {
        const char *name;
        char value;
    } predefined[] = {{"lt", '<'}, {"gt", '>'}, {"amp", '&'}, {"quot", '"'}, {"apos", '\''}};
    for (const auto &entity : predefined) {
        if (name == QLatin1String(entity.name)) {
            out->append(QLatin1Char(entity.value));
            return true;
        }
    }
    if (name.size() < 2 || name.at(0) != QLatin1Char('#'))
        return false;
    const bool hex = name.at(1) == QLatin1Char('x');
    return appendCharacter(name.mid(hex ? 2 : 1), hex, out);
}

// The character of "&#digits;" (hex: "&#xdigits;"), where XML allows it.
bool StrictXmlReader::appendCharacter(QLatin1String digits, bool hex, QString *out)
{
    const auto isDigit = [hex](char c) {
        return (c >= '0' && c <= '9') ||
               (hex && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')));
    };
    if (digits.isEmpty() || !std::all_of(digits.begin(), digits.end(), isDigit))
        return false;
    bool ok = false;
    const uint code = QByteArray(digits.data(), digits.size()).toUInt(&ok, hex ? 16 : 10);
    if (!ok || !isXmlChar(code))
        return false;
    const char32_t character = code;
    out->append(QString::fromUcs4(&character, 1));
    return true;
}

bool StrictXmlReader::readNextStartElement()
{
    while (readNext() != QXmlStreamReader::Invalid) {
        if (m_type == QXmlStreamReader::EndElement || m_type == QXmlStreamReader::EndDocument)
            return false;
        if (m_type == QXmlStreamReader::StartElement)
            return true;
    }
    return false;
}

void StrictXmlReader::skipCurrentElement()
{
    int depth = 1;
    while (depth > 0 && readNext() != QXmlStreamReader::Invalid) {
        if (m_type == QXmlStreamReader::EndElement)
            --depth;
        else if (m_type == QXmlStreamReader::StartElement)
            ++depth;
    }
}

QString StrictXmlReader::readElementText(QXmlStreamReader::ReadElementTextBehaviour behaviour)
{
    QString result;
    if (m_type != QXmlStreamReader::StartElement)
        return result;
    while (readNext() != QXmlStreamReader::Invalid) {
        switch (m_type) {
        case QXmlStreamReader::Characters:
            if (result.isEmpty())
                result = m_text;
            else
                result += m_text;
            break;
        case QXmlStreamReader::EndElement:
            return result;
        case QXmlStreamReader::StartElement:
            if (behaviour == QXmlStreamReader::IncludeChildElements) {
                result += readElementText(behaviour);
            } else if (behaviour == QXmlStreamReader::SkipChildElements) {
                skipCurrentElement();
            } else {
                fail(QStringLiteral("Expected character data."));
                return result;
            }
            break;
        default:
            break;
        }
    }
    return result;
}

} // namespace steadysync
