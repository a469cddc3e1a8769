#pragma once

#include <QLocale>
#include <QTranslator>

#include <memory>
#include <vector>

namespace steadysync {

// Installs the application's translations (embedded under :/i18n/) and Qt's own for a
// language; English needs none.
class TranslationLoader
{
public:
    // Returns whether the application's own translation was found.
    bool install(const QLocale &locale);

private:
    std::vector<std::unique_ptr<QTranslator>> m_translators;
};

} // namespace steadysync
