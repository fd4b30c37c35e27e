#pragma once

#include <QList>
#include <QLocale>

class QObject;
class QTranslator;

namespace ferry {

// Installs the console's translation for locale (ferry_*.qm, embedded under :/i18n) and
// Qt's own (qtbase_*.qm from Qt's translations directory, Debian's qt6-translations-l10n:
// standard buttons, dock buttons, file and message dialogs). Returns the translators
// installed, owned by parent; none when neither catalog has the language (English).
QList<QTranslator *> installTranslations(const QLocale &locale, QObject *parent);

} // namespace ferry
