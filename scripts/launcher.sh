#!/bin/sh
# Entry point of a release tarball and of the Claude Desktop bundle (copied there as godot-mcp-gateway;
# the executable itself is libexec/godot-mcp-gateway). Before starting it, checks that the system
# libraries it links against are installed; if one is missing it says which one and how to install it,
# instead of leaving a person (or an MCP host's log) with the loader's "error while loading shared
# libraries". It writes to stderr only: stdout belongs to MCP.
# libexec/libraries.tsv, written by scripts/package.sh, holds "soname<TAB>path<TAB>Debian package" for
# each library the build machine resolved, and "plugin<TAB>path<TAB>package" for libwebsockets' libev
# event-loop plugin, which libwebsockets loads at run time (ldd cannot see it).

PATH=${PATH:-/usr/bin:/bin}   # hosts may start us with an empty environment
case $0 in
    */*) here=${0%/*} ;;
    *) here=. ;;
esac
here=$(cd "$here" && pwd -P) || exit 1
binary=$here/libexec/godot-mcp-gateway
table=$here/libexec/libraries.tsv
# `configure` writes this script, not libexec's executable, into a host's configuration.
GODOT_MCP_GATEWAY_LAUNCHER=$here/${0##*/}
export GODOT_MCP_GATEWAY_LAUNCHER

missing=""
if command -v ldd >/dev/null 2>&1; then
    missing=$(ldd "$binary" 2>/dev/null | sed -n 's/^[[:space:]]*\([^[:space:]]*\) => not found.*/\1/p')
fi
if [ -r "$table" ]; then
    plugin=$(sed -n 's/^plugin	\([^	]*\)	.*/\1/p' "$table")
    if [ -n "$plugin" ] && [ ! -e "$plugin" ]; then
        missing="$missing ${plugin##*/}"
    fi
fi
if [ -z "$missing" ]; then
    exec "$binary" "$@"
fi

describe() {
    case $1 in
        libwebsockets-evlib_ev*) echo "the libev event-loop plugin of libwebsockets" ;;
        libwebsockets.*) echo "libwebsockets (the WebSocket server library)" ;;
        libev.*) echo "libev (the event loop)" ;;
        libnats.*) echo "libnats (the NATS client, for --cluster)" ;;
        libssl.* | libcrypto.*) echo "OpenSSL" ;;
        libprotobuf-c.*) echo "protobuf-c (used by libnats)" ;;
        *) echo "$1" ;;
    esac
}

# The Debian package of a library: its own row, else the row of the same library under another
# version number (the package this build was made against).
package_of() {
    [ -r "$table" ] || return 0
    found=$(awk -F '\t' -v name="$1" '$1 == name || ($1 == "plugin" && $2 ~ ("/" name "$")) { print $3; exit }' "$table")
    if [ -z "$found" ]; then
        stem=${1%%.so*}
        found=$(awk -F '\t' -v stem="$stem" 'index($1, stem ".so") == 1 { print $3; exit }' "$table")
    fi
    echo "$found"
}

packages=""
echo "godot-mcp-gateway cannot start: a system library it needs is missing." >&2
for library in $missing; do
    package=$(package_of "$library")
    echo "  missing: $library - $(describe "$library")${package:+ (Debian/Ubuntu package: $package)}" >&2
    case " $packages " in
        *" $package "*) ;;
        *) packages="$packages${package:+ $package}" ;;
    esac
done
built_on=$(sed -n 's/^# built on: //p' "$table" 2>/dev/null)
if [ -n "$packages" ]; then
    echo "Install with:  sudo apt-get install$packages" >&2
fi
echo "This build was made on ${built_on:-Debian}; on another system install libwebsockets 4.x with its libev plugin, libev, libnats 3.x and OpenSSL 3, or build from source (scripts/setup.sh)." >&2
exit 127
