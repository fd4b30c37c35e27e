#include "translations.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QTranslator>

namespace ferry {

QList<QTranslator *> installTranslations(const QLocale &locale, QObject *parent)
{
    QList<QTranslator *> installed;
    const auto load = [&](const QString &name, const QString &directory) {
        auto *translator = new QTranslator(parent);
        if (translator->load(locale, name, QStringLiteral("_"), directory) && QCoreApplication::installTranslator(translator))
            installed.append(translator);
        else
            delete translator;
    };
    load(QStringLiteral("qtbase"), QLibraryInfo::path(QLibraryInfo::TranslationsPath));
    load(QStringLiteral("ferry"), QStringLiteral(":/i18n"));   // installed last: asked first
    return installed;
}

} // namespace ferry
