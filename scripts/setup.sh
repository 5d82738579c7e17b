#!/usr/bin/env bash
# Installs what the gateway needs on Debian and builds it.
#   scripts/setup.sh            system packages + release build
#   scripts/setup.sh --tests    also the Python test environment (.venv-test) and a debug build
set -euo pipefail
cd "$(dirname "$0")/.."

with_tests=false
[ "${1:-}" = "--tests" ] && with_tests=true

say() { printf '==> %s\n' "$*" >&2; }

# System packages: only the missing ones, with apt (as root, or through sudo).
# The service loop runs on libev (epoll) through lws' libev event-loop plugin.
packages=(libwebsockets-dev libwebsockets-evlib-ev libev-dev libnats-dev zlib1g-dev pkg-config)
# Tests also need a Python venv, a real (headless) Godot engine for the interoperability test,
# iproute2 + nftables for the network-fault tests (a namespace, a veth link, packet loss and partitions),
# chromium for the dashboard's browser test (driven by Playwright, which uses this browser), nats-server and haproxy for the
# cluster tests, zip and unzip for scripts/package.sh and the test of what it packs.
$with_tests && packages+=(python3-venv godot3-server iproute2 nftables chromium nats-server haproxy zip unzip)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]}"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >&2
fi

command -v swift >/dev/null || { say "Swift 6 is required (https://www.swift.org/install/linux/)"; exit 1; }

if $with_tests; then
    if [ ! -x .venv-test/bin/python ]; then
        say "creating the Python test environment in .venv-test"
        python3 -m venv .venv-test
    fi
    .venv-test/bin/python -m pip install -q --disable-pip-version-check -r tests/requirements.txt >&2
    say "building (debug)"
    swift build --build-tests >&2
else
    say "building (release)"
    swift build -c release --static-swift-stdlib >&2
fi
