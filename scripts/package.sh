#!/usr/bin/env bash
# Builds the release (Swift runtime linked in statically) and packs it into dist/:
#   godot-mcp-gateway-VERSION-linux-x86_64.tar.gz   launcher + executable + the list of system libraries
#   godot-mcp-gateway-VERSION-linux-x86_64.mcpb     the same as a Claude Desktop bundle (manifest.json)
#   godot-mcp-gateway-addon-VERSION.zip             the Godot addon for the Asset Library
#   server.json                                     the MCP Registry entry naming the .mcpb and its SHA-256
#   SHA256SUMS
# The version is the executable's own (--version; GatewayVersion in the Swift sources is the one place).
# The registry entry's download URL uses GITHUB_REPOSITORY (owner/name, as GitHub Actions sets it).
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf '==> %s\n' "$*" >&2; }
fail() { printf 'package.sh: %s\n' "$*" >&2; exit 1; }
for tool in zip sha256sum ldd tar strip; do command -v "$tool" >/dev/null || fail "$tool is needed (scripts/setup.sh installs it)"; done

say "building (release, static Swift runtime)"
swift build -c release --static-swift-stdlib >&2
binary="$(swift build -c release --static-swift-stdlib --show-bin-path)/godot-mcp-gateway"
version=$("$binary" --version)
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+ ]] || fail "unexpected version '$version'"
platform=linux-x86_64
repository=${GITHUB_REPOSITORY:-godot-mcp-gateway/godot-mcp-gateway}
epoch=$(git log -1 --format=%ct 2>/dev/null || echo 0)   # fixed file times: the same sources pack the same bytes

dist=dist
stage=$dist/stage
rm -rf "$stage"
mkdir -p "$stage"

say "checking the shared libraries it still needs"
libraries=$(ldd "$binary")
if grep -q "not found" <<<"$libraries"; then fail "unresolved libraries: $(grep 'not found' <<<"$libraries")"; fi
if grep -Eq "libswift|libFoundation|libdispatch" <<<"$libraries"; then fail "the Swift runtime is linked dynamically"; fi
table=$stage/libraries.tsv
{
    echo "# built on: $(. /etc/os-release && echo "$PRETTY_NAME")"
    echo "# soname	path	Debian package"
    while read -r soname arrow path _; do
        [ "$arrow" = "=>" ] || continue
        # dpkg knows a file by the path its package installed (on merged-/usr systems that may be
        # either /lib or /usr/lib), so ask for the path ldd gave, then for the real one.
        package=$({ dpkg -S "$path" || dpkg -S "$(readlink -f "$path")"; } 2>/dev/null | head -1 | cut -d: -f1 || true)
        printf '%s\t%s\t%s\n' "$soname" "$path" "${package:-unknown}"
    done <<<"$libraries"
    # libwebsockets loads its libev plugin at run time; the service loop cannot start without it.
    plugin=$(dpkg -L libwebsockets-evlib-ev 2>/dev/null | grep -m1 'evlib_ev\.so$' || true)
    [ -n "$plugin" ] || fail "libwebsockets-evlib-ev is not installed"
    printf 'plugin\t%s\tlibwebsockets-evlib-ev\n' "$plugin"
} >"$table"
grep -v '^#' "$table" | cut -f1,3 | sed 's/^/    /' >&2

# The server as both packages carry it: the launcher (checks libraries, then execs) and the executable.
lay_out_server() {
    mkdir -p "$1/libexec"
    install -m 0755 scripts/launcher.sh "$1/godot-mcp-gateway"
    # Without the DWARF sections (31 -> 25 MB); the symbol table stays, so a crash backtrace still names functions.
    install -m 0755 "$binary" "$1/libexec/godot-mcp-gateway"
    strip --strip-debug "$1/libexec/godot-mcp-gateway"
    install -m 0644 "$table" "$1/libexec/libraries.tsv"
}
pack_zip() {  # pack_zip ARCHIVE FOLDER: the folder's contents, fixed times, unix modes kept
    find "$2" -exec touch -h -d "@$epoch" {} +
    rm -f "$1"
    (cd "$2" && find . -mindepth 1 -printf '%P\n' | LC_ALL=C sort | zip -q -X -@ "$OLDPWD/$1")
}

say "release tarball"
name=godot-mcp-gateway-$version-$platform
lay_out_server "$stage/$name"
cat >"$stage/$name/README.txt" <<TEXT
godot-mcp-gateway $version ($platform)

  ./godot-mcp-gateway configure claude-desktop   (or claude-code, cursor, vscode, codex, windsurf, gemini)
  ./godot-mcp-gateway configure --list           which hosts are on this machine and configured

Then enable the Godot MCP addon in your project and ask the agent something about the open scene.
It needs these system libraries (Debian/Ubuntu packages in libexec/libraries.tsv); if one is missing,
./godot-mcp-gateway says which and how to install it.
TEXT
[ -f LICENSE ] && install -m 0644 LICENSE "$stage/$name/LICENSE"
find "$stage/$name" -exec touch -h -d "@$epoch" {} +
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$epoch" -C "$stage" -czf "$dist/$name.tar.gz" "$name"

say "Claude Desktop bundle (.mcpb)"
bundle=$stage/mcpb
lay_out_server "$bundle/server"
cat >"$bundle/manifest.json" <<JSON
{
  "manifest_version": "0.3",
  "name": "godot-mcp-gateway",
  "display_name": "Godot MCP gateway",
  "version": "$version",
  "description": "Lets the agent drive Godot editors: scenes, nodes, scripts, play mode, through the Godot MCP addon.",
  "long_description": "A native MCP server on stdio that routes tool calls to every Godot 4 editor running the Godot MCP addon, over WebSocket on 127.0.0.1 with an access token. Enable the addon in your project; it connects by itself.",
  "author": { "name": "godot-mcp-gateway" },
  "repository": { "type": "git", "url": "https://github.com/$repository" },
  "homepage": "https://github.com/$repository",
  "server": {
    "type": "binary",
    "entry_point": "server/godot-mcp-gateway",
    "mcp_config": {
      "command": "\${__dirname}/server/godot-mcp-gateway",
      "args": ["--port", "\${user_config.port}", "--token-file", "\${user_config.token_file}"],
      "env": {}
    }
  },
  "user_config": {
    "port": {
      "type": "number",
      "title": "Port",
      "description": "The port Godot editors connect to (the addon's default is 8765).",
      "default": 8765,
      "min": 1,
      "max": 65535,
      "required": false
    },
    "token_file": {
      "type": "string",
      "title": "Access token file",
      "description": "The file holding the access token editors must present; created (mode 0600) if missing. The addon reads the same default file.",
      "default": "\${HOME}/.config/godot-mcp-gateway/token",
      "required": false
    }
  },
  "keywords": ["godot", "game engine", "editor"],
  "compatibility": { "platforms": ["linux"] }
}
JSON
mcpb=$dist/$name.mcpb
pack_zip "$mcpb" "$bundle"

say "Godot addon (Asset Library zip)"
# One top-level folder: the Asset Library installer skips it (editor_asset_installer.cpp,
# _check_has_toplevel), so addons/godot_mcp lands in res://addons/godot_mcp.
addon_name=godot-mcp-gateway-addon-$version
addon_root=$stage/addon/$addon_name
mkdir -p "$addon_root/addons"
cp -R godot/addons/godot_mcp "$addon_root/addons/"
find "$addon_root" -name '*.uid' -o -name '.DS_Store' | xargs -r rm -f
sed -i "s/^version=.*/version=\"$version\"/" "$addon_root/addons/godot_mcp/plugin.cfg"
[ -f LICENSE ] && install -m 0644 LICENSE "$addon_root/addons/godot_mcp/LICENSE" && install -m 0644 LICENSE "$addon_root/LICENSE"
pack_zip "$dist/$addon_name.zip" "$stage/addon"

say "MCP Registry entry (server.json)"
sha=$(sha256sum "$mcpb" | cut -d' ' -f1)
cat >"$dist/server.json" <<JSON
{
  "\$schema": "https://static.modelcontextprotocol.io/schemas/2025-09-29/server.schema.json",
  "name": "io.github.${repository%%/*}/${repository#*/}",
  "title": "Godot MCP gateway",
  "description": "Drive Godot editors from an agent: scenes, nodes, scripts and play mode.",
  "version": "$version",
  "repository": { "url": "https://github.com/$repository", "source": "github" },
  "packages": [
    {
      "registryType": "mcpb",
      "identifier": "https://github.com/$repository/releases/download/v$version/$name.mcpb",
      "version": "$version",
      "fileSha256": "$sha",
      "transport": { "type": "stdio" }
    }
  ]
}
JSON

rm -rf "$stage"
(cd "$dist" && sha256sum "$name.tar.gz" "$name.mcpb" "$addon_name.zip" server.json >SHA256SUMS)
say "dist/: $(cd "$dist" && ls -1 "$name.tar.gz" "$name.mcpb" "$addon_name.zip" server.json SHA256SUMS | tr '\n' ' ')"
