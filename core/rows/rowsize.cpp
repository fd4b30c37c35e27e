#include "rows/rowsize.h"

namespace ferry {

qint64 approximateRowBytes(const Row &row)
{
    qint64 bytes = 32;
    for (const QVariant &value : row) {
        if (value.typeId() == QMetaType::QByteArray)
            bytes += static_cast<const QByteArray *>(value.constData())->size();
        else if (value.typeId() == QMetaType::QString)
            bytes += static_cast<const QString *>(value.constData())->size() * 3;
        else
            bytes += 9;
    }
    return bytes;
}

} // namespace ferry
