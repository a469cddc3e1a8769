#pragma once

#include <QByteArray>
#include <QLatin1String>
#include <QString>
#include <QVector>
#include <QXmlStreamReader>

namespace steadysync {

// A small, strict XML pull reader with the part of QXmlStreamReader's interface that
// PropfindParser uses, for the documents servers send as PROPFIND answers: UTF-8, an optional
// XML declaration, elements with namespace prefixes, attributes, text with the predefined and
// numeric character references. It reads them several times faster than QXmlStreamReader
// (a 100,000-entry Depth: infinity answer is ~40 MB: issue 21). Everything else (a DOCTYPE,
// comments, CDATA, processing instructions, a byte order mark, another encoding, CR, names or
// namespace URIs outside ASCII, invalid UTF-8, an undeclared prefix, anything malformed) is an
// error here: the caller then reads the document again with QXmlStreamReader, which stays the
// reference for every document this reader does not take (PropfindParser::parse). On the
// documents it takes, it gives the tokens, names and texts QXmlStreamReader gives
// (tst_strictxmlreader compares them).
// Names and namespace URIs are views into the document, which must outlive the reader.
class StrictXmlReader
{
public:
    explicit StrictXmlReader(const QByteArray &document);

    QXmlStreamReader::TokenType readNext();
    bool readNextStartElement();
    void skipCurrentElement();
    QString readElementText(QXmlStreamReader::ReadElementTextBehaviour behaviour =
                                QXmlStreamReader::ErrorOnUnexpectedElement);

    QXmlStreamReader::TokenType tokenType() const { return m_type; }
    bool atEnd() const;
    bool hasError() const { return !m_error.isEmpty(); }
    QString errorString() const { return m_error; }
    qint64 lineNumber() const;
    QLatin1String name() const { return m_name; }
    QLatin1String namespaceUri() const { return m_namespaceUri; }
    QStringView text() const { return m_text; }

private:
    struct Binding
    {
        QLatin1String prefix; // empty: the default namespace
        QLatin1String uri;
    };
    struct Element
    {
        QLatin1String qualifiedName;
        QLatin1String name;
        QLatin1String namespaceUri;
        qsizetype bindingsBefore = 0;
    };

    QXmlStreamReader::TokenType fail(const QString &why);
    bool readDeclaration();
    QXmlStreamReader::TokenType readMarkup();
    QXmlStreamReader::TokenType readStartTag();
    QXmlStreamReader::TokenType readEndTag();
    QXmlStreamReader::TokenType readText();
    QXmlStreamReader::TokenType emitEnd();
    bool readAttributes(qsizetype bindingsBefore, bool *empty);
    bool readAttribute(qsizetype bindingsBefore);
    bool readAttributeValue(QLatin1String *value);
    bool bind(QLatin1String prefix, QLatin1String uri, qsizetype bindingsBefore);
    bool prefixedAttributesAreSound() const;
    bool readName(QLatin1String *name);
    bool resolve(QLatin1String qualifiedName, QLatin1String *uri, QLatin1String *local,
                 bool isAttribute) const;
    bool appendText(const char *from, const char *to, QString *out);
    bool appendReference(const char **cursor, const char *to, QString *out);
    static bool appendCharacter(QLatin1String digits, bool hex, QString *out);
    void skipSpace();

    QByteArray m_document;
    const char *m_begin;
    const char *m_at;
    const char *m_end;
    QXmlStreamReader::TokenType m_type = QXmlStreamReader::NoToken;
    QLatin1String m_name;
    QLatin1String m_namespaceUri;
    QString m_text;
    QString m_error;
    QVector<Element> m_open;
    QVector<Binding> m_bindings;
    QVector<QLatin1String> m_attributeNames; // of the start tag being read
    bool m_pendingEnd = false;               // an empty-element tag: its EndElement comes next
    bool m_rootSeen = false;
};

} // namespace steadysync
