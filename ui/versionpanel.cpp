#include "versionpanel.h"

#include <QFontDatabase>
#include <QFormLayout>
#include <QLabel>
#include <QLocale>
#include <QSet>
#include <QStackedWidget>
#include <QTextEdit>
#include <QVBoxLayout>

namespace steadysync {

namespace {

// The text as HTML, with the lines that the other version lacks highlighted.
QString markedText(const QString &text, const QString &otherText)
{
    const QStringList otherLines = otherText.split(QLatin1Char('\n'));
    const QSet<QString> other(otherLines.cbegin(), otherLines.cend());
    QString html = QStringLiteral("<pre style=\"margin:0\">");
    for (const QString &line : text.split(QLatin1Char('\n'))) {
        const QString escaped = line.toHtmlEscaped();
        if (other.contains(line))
            html += escaped;
        else
            html += QStringLiteral("<span style=\"background:#fff3b0\">%1</span>").arg(escaped);
        html += QLatin1Char('\n');
    }
    return html + QStringLiteral("</pre>");
}

} // namespace

VersionPanel::VersionPanel(const QString &title, QWidget *parent)
    : QGroupBox(title, parent), m_form(new QFormLayout), m_path(new QLabel(this)),
      m_size(new QLabel(this)), m_modified(new QLabel(this)), m_checksum(new QLabel(this)),
      m_preview(new QStackedWidget(this)), m_text(new QTextEdit(this)), m_image(new QLabel(this)),
      m_noPreview(new QLabel(tr("No preview for this kind of file."), this))
{
    QFormLayout *form = m_form;
    form->addRow(tr("File:"), m_path);
    form->addRow(tr("Size:"), m_size);
    form->addRow(tr("Modified:"), m_modified);
    form->addRow(tr("SHA-256:"), m_checksum);
    form->setRowVisible(m_checksum, false);
    m_checksum->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_checksum->setWordWrap(true);
    m_checksum->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_path->setWordWrap(true);
    m_text->setReadOnly(true);
    m_text->setLineWrapMode(QTextEdit::NoWrap);
    m_image->setAlignment(Qt::AlignCenter);
    m_noPreview->setAlignment(Qt::AlignCenter);
    m_preview->addWidget(m_text);
    m_preview->addWidget(m_image);
    m_preview->addWidget(m_noPreview);
    m_preview->setMinimumHeight(200);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_preview, 1);
}

void VersionPanel::showLoading(const QString &relativePath)
{
    m_path->setText(relativePath);
    for (QLabel *label : {m_size, m_modified, m_checksum})
        label->setText(tr("computing…"));
    m_preview->setCurrentWidget(m_noPreview);
}

void VersionPanel::showFacts(const VersionFacts &facts, const QString &otherText)
{
    const QLocale locale;
    if (!facts.exists) {
        for (QLabel *label : {m_size, m_modified, m_checksum})
            label->setText(tr("missing"));
        m_preview->setCurrentWidget(m_noPreview);
        return;
    }
    m_size->setText(facts.size < 1024 ? tr("%1 bytes").arg(facts.size)
                                      : tr("%1 (%2 bytes)")
                                            .arg(locale.formattedDataSize(facts.size),
                                                 locale.toString(facts.size)));
    m_modified->setText(locale.toString(facts.modified, QLocale::LongFormat));
    m_checksum->setText(facts.sha256Hex);
    if (!facts.image.isNull()) {
        m_image->setPixmap(QPixmap::fromImage(
            facts.image.scaled(360, 240, Qt::KeepAspectRatio, Qt::SmoothTransformation)));
        m_preview->setCurrentWidget(m_image);
    } else if (!facts.text.isEmpty()) {
        m_text->setHtml(markedText(facts.text, otherText));
        m_preview->setCurrentWidget(m_text);
    } else {
        m_preview->setCurrentWidget(m_noPreview);
    }
}

void VersionPanel::setDetailsVisible(bool visible)
{
    m_form->setRowVisible(m_checksum, visible);
}

bool VersionPanel::detailsVisible() const
{
    return m_checksum->isVisibleTo(this);
}

QString VersionPanel::checksumText() const
{
    return m_checksum->text();
}

} // namespace steadysync
