#pragma once

#include "pairconfig.h"

#include <QString>
#include <QVector>

namespace steadysync {

// Reads and writes the list of pairs in the GUI's INI file (DESIGN §2): by default
// steadysync/steadysync.ini in the per-user config location. Passwords never go here.
class PairStore
{
public:
    explicit PairStore(QString filePath = defaultFilePath());

    static QString defaultFilePath();
    QString filePath() const { return m_filePath; }

    QVector<PairConfig> load() const;
    void save(const QVector<PairConfig> &pairs) const;

private:
    QString m_filePath;
};

} // namespace steadysync
