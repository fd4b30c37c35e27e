#!/usr/bin/env bash
# Installs the Debian 12 packages Ferry builds, tests and runs with. Does nothing when
# they are all present already. Needs root (or sudo).
set -euo pipefail

packages=(
    cmake g++ make pkg-config
    qt6-base-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-translations-l10n
    libqcustomplot-dev libqt6sql6-sqlite libqt6sql6-psql libpq-dev libssl-dev libsqlite3-dev zlib1g-dev
    libqt6svg6 fonts-wqy-microhei postgresql sqlite3 rsync xvfb xauth imagemagick
    clang libclang-rt-14-dev
)

missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${packages[@]}"
