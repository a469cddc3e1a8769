#include "translationloader.h"

#include <QCoreApplication>
#include <QLibraryInfo>

namespace steadysync {

bool TranslationLoader::install(const QLocale &locale)
{
    auto own = std::make_unique<QTranslator>();
    const bool found = own->load(locale, QStringLiteral("steadysync"), QStringLiteral("_"),
                                 QStringLiteral(":/i18n"));
    if (found) {
        QCoreApplication::installTranslator(own.get());
        m_translators.push_back(std::move(own));
    }
    auto qt = std::make_unique<QTranslator>();
    if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        QCoreApplication::installTranslator(qt.get());
        m_translators.push_back(std::move(qt));
    }
    return found;
}

} // namespace steadysync
