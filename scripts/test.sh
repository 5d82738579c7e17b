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

echo "==> unit tests (swift test)"
swift test

echo "==> integration tests (pytest)"
GATEWAY_BIN="$(swift build --show-bin-path)/godot-mcp-gateway" .venv-test/bin/python -m pytest "$@"
