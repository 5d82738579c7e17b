#!/usr/bin/env bash
# Sets up (if needed), builds and starts the gateway on loopback with safe defaults.
# Extra arguments go to the gateway, e.g. scripts/run.sh --port 9000 --log-level debug
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec "$(swift build -c release --show-bin-path)/godot-mcp-gateway" "$@"
