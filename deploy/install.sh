#!/usr/bin/env bash
# Installs the gateway as a systemd service on this machine (run as root, from the repository):
#   deploy/install.sh --host 0.0.0.0 --cert /etc/ssl/studio/gateway.pem --key /etc/ssl/studio/gateway-key.pem
# Builds the release binary, installs it to /usr/local/bin, creates the godot-mcp user, writes
# /etc/default/godot-mcp-gateway and the unit, and starts the service. The access token is created on
# first start in /var/lib/godot-mcp-gateway/token (mode 0600); give it to editors and MCP hosts.
set -euo pipefail
cd "$(dirname "$0")/.."
host=0.0.0.0 cert="" key="" port=8765
while [ $# -gt 0 ]; do
    case "$1" in
        --host) host=$2; shift 2 ;;
        --port) port=$2; shift 2 ;;
        --cert) cert=$2; shift 2 ;;
        --key) key=$2; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
[ "$(id -u)" -eq 0 ] || { echo "run as root" >&2; exit 1; }
if [ "$host" != "127.0.0.1" ] && [ "$host" != "localhost" ] && { [ -z "$cert" ] || [ -z "$key" ]; }; then
    echo "listening on $host needs --cert and --key (WSS)" >&2
    exit 1
fi
scripts/setup.sh
install -m 0755 "$(swift build -c release --show-bin-path)/godot-mcp-gateway" /usr/local/bin/godot-mcp-gateway
id godot-mcp >/dev/null 2>&1 || useradd --system --home-dir /var/lib/godot-mcp-gateway --shell /usr/sbin/nologin godot-mcp
{
    echo "GODOT_MCP_HOST=$host"
    echo "GODOT_MCP_PORT=$port"
    [ -n "$cert" ] && echo "GODOT_MCP_TLS_CERT=$cert"
    [ -n "$key" ] && echo "GODOT_MCP_TLS_KEY=$key"
} > /etc/default/godot-mcp-gateway
chmod 0644 /etc/default/godot-mcp-gateway
if [ -n "$key" ]; then
    # The service user must read the key; nobody else should.
    chgrp godot-mcp "$key" && chmod 0640 "$key"
fi
install -m 0644 deploy/godot-mcp-gateway.service /etc/systemd/system/godot-mcp-gateway.service
systemctl daemon-reload
systemctl enable --now godot-mcp-gateway
systemctl --no-pager status godot-mcp-gateway | head -5
echo "token: /var/lib/godot-mcp-gateway/token (reload after renewing the certificate: systemctl reload godot-mcp-gateway)"
