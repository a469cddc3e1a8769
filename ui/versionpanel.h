#pragma once

#include "versionfacts.h"

#include <QGroupBox>

class QFormLayout;
class QLabel;
class QStackedWidget;
class QTextEdit;

namespace steadysync {

// One side of the conflict dialog: facts about a version and its preview.
class VersionPanel : public QGroupBox
{
    Q_OBJECT
public:
    explicit VersionPanel(const QString &title, QWidget *parent = nullptr);

    void showLoading(const QString &relativePath);
    // otherText: the other version's text, to mark the lines only this one has.
    void showFacts(const VersionFacts &facts, const QString &otherText);
    QString checksumText() const;
    // The technical facts (the SHA-256) show only on request: users compare size, date and
    // content.
    void setDetailsVisible(bool visible);
    bool detailsVisible() const;

private:
    QFormLayout *m_form;
    QLabel *m_path;
    QLabel *m_size;
    QLabel *m_modified;
    QLabel *m_checksum;
    QStackedWidget *m_preview;
    QTextEdit *m_text;
    QLabel *m_image;
    QLabel *m_noPreview;
};

} // namespace steadysync
