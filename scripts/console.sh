#!/usr/bin/env bash
# The console on the built-in three-data-center demo, on a fresh Debian 12 machine:
# installs the packages, builds (-j2) and starts build/app/ferry. Without a display it
# runs under Xvfb (nothing to see then; use a desktop session). Extra arguments go to
# ferry (for example --connect FILE).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j2 --target ferry ferry-node ferryctl
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
    exec xvfb-run -a -s "-screen 0 1600x1000x24" build/app/ferry "$@"
fi
exec build/app/ferry "$@"
