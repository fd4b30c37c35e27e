#!/usr/bin/env bash
# The one command that runs every test on a fresh Debian 12 machine: installs the
# packages, builds with -j2, starts a throw-away PostgreSQL server and runs ctest.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j2
bash scripts/with-postgres.sh ctest --test-dir build --output-on-failure -j2 --timeout 600
