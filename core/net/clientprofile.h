#pragma once

#include <QSslConfiguration>
#include <QString>

namespace ferry {

// The certificate a console or ferryctl presents to nodes, and the deployment CA it
// trusts. A profile file is JSON, paths relative to the file:
//   {"ca": "ca.crt", "certificate": "ops.crt", "key": "ops.key"}
// Lookup order for ferryctl: --ca/--cert/--key, --profile FILE, $FERRY_PROFILE,
// ~/.config/ferry/client.json.
struct ClientProfile
{
    QString caFile;
    QString certificateFile;
    QString keyFile;

    // Throws FerryError naming the file and the field at fault.
    static ClientProfile load(const QString &path);
    static QString defaultPath();

    // mutualTlsConfiguration() of the three files; throws FerryError naming the file.
    QSslConfiguration tlsConfiguration() const;
};

} // namespace ferry
