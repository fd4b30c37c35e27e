#!/usr/bin/env bash
# The one command that runs every test on a fresh Debian 12 machine: installs the
# packages, builds with -j2, starts a throw-away PostgreSQL server and runs ctest. With
# FERRY_ASAN_TESTS=1 it then builds the console's tests (tst_widgets, tst_console) a second
# time with AddressSanitizer and UndefinedBehaviorSanitizer (-DFERRY_ASAN=ON) in build-asan,
# only those two targets, and runs them (about ten more minutes on two cores).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j2
bash scripts/with-postgres.sh ctest --test-dir build --output-on-failure -j2 --timeout 600

if [ "${FERRY_ASAN_TESTS:-0}" = 1 ]; then
    # Qt itself is not instrumented; leaks of Qt's own (fontconfig, the offscreen
    # platform's globals) are not the console's and would drown the report.
    export ASAN_OPTIONS="detect_leaks=0:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1"
    export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
    # Everything runs several times slower: a test function may take longer than QtTest's
    # default 5 minutes (the tests' own waits scale by themselves).
    export QTEST_FUNCTION_TIMEOUT=1200000
    cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFERRY_ASAN=ON
    cmake --build build-asan -j2 --target tst_widgets tst_console
    ctest --test-dir build-asan --output-on-failure --timeout 2400 -R '^tst_(widgets|console)$'
fi
