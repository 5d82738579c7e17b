#!/usr/bin/env bash
# Sets up (if needed) and runs every test: Swift unit tests, then the integration tests that drive
# the real binary over real sockets with Python websockets clients and the official MCP SDK.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --tests

echo "==> Godot addon: gdparse and gdlint (a parse error or lint problem fails the run)"
addon_scripts=$(find godot -name '*.gd' | sort)
# shellcheck disable=SC2086
.venv-test/bin/gdparse $addon_scripts > /dev/null
# shellcheck disable=SC2086
.venv-test/bin/gdlint $addon_scripts

echo "==> Godot addon: every call, property, constant and signal checked against Godot 4.2 and 4.4 API data"
.venv-test/bin/python tests/godot_api/check_addon.py

echo "==> unit tests (swift test)"
swift test

echo "==> integration tests (pytest)"
GATEWAY_BIN="$(swift build --show-bin-path)/godot-mcp-gateway" .venv-test/bin/python -m pytest "$@"

echo "==> soak: 45 s of accelerated heartbeats while editors are killed, frozen, replaced and flooding"
GATEWAY_BIN="$(swift build --show-bin-path)/godot-mcp-gateway" .venv-test/bin/python tests/soak/soak.py --seconds 45

echo "==> WebSocket conformance: Autobahn testsuite against the gateway's echo mode"
tests/conformance/autobahn.sh "" "$(swift build --show-bin-path)/godot-mcp-gateway"

echo "==> integration tests again, against a gateway built with AddressSanitizer (LeakSanitizer on)"
# Hostile input, floods and disconnects must not corrupt memory, not merely not crash. The quarantine is
# kept at 32 MiB so the memory-bound test measures the gateway rather than ASan's holding of freed blocks.
swift build --sanitize=address --scratch-path .build-asan >&2
ASAN_OPTIONS=detect_leaks=1:quarantine_size_mb=32:halt_on_error=1 \
    GATEWAY_BIN="$(swift build --sanitize=address --scratch-path .build-asan --show-bin-path)/godot-mcp-gateway" \
    .venv-test/bin/python -m pytest "$@"

echo "==> benchmark harness smoke run (checks that it works; never judges the figures)"
bench/run.sh --smoke

echo "==> fuzzing the inbound message path and the small-message inflater (libFuzzer + AddressSanitizer, 60 + 30 s)"
fuzz/run.sh 60

echo "==> integration tests again, against a gateway built with ThreadSanitizer"
# The service thread, the MCP tasks, the stdin reader and the signal handlers share state only
# through locks and lws_cancel_service; ThreadSanitizer checks that claim under real traffic.
swift build --sanitize=thread --scratch-path .build-tsan >&2
TSAN_OPTIONS=halt_on_error=1 \
    GATEWAY_BIN="$(swift build --sanitize=thread --scratch-path .build-tsan --show-bin-path)/godot-mcp-gateway" \
    .venv-test/bin/python -m pytest "$@"
