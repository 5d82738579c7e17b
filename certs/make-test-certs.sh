#!/usr/bin/env bash
# Makes throw-away certificates for testing WSS and mutual TLS, with openssl:
#   ca.pem / ca-key.pem            a test certificate authority
#   server.pem / server-key.pem    a server certificate for localhost, 127.0.0.1 and ::1, signed by the CA
#   client.pem / client-key.pem    a client certificate signed by the CA (for --tls-client-ca)
#   other-ca.pem                   an unrelated CA, to check that a wrong CA is refused
# Usage: certs/make-test-certs.sh [OUTPUT_DIR]   (default certs/out, which git ignores)
#        EXTRA_SAN="IP:10.0.0.1" adds names to the server certificate (a gateway on another address).
# These are for tests only. Never commit private keys; use real certificates in production (README).
set -euo pipefail
out="${1:-$(dirname "$0")/out}"
mkdir -p "$out"
cd "$out"
umask 077

subject() { printf '/CN=%s/O=godot-mcp-gateway tests' "$1"; }
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

key ca-key.pem
openssl req -x509 -new -key ca-key.pem -sha256 -days 30 -subj "$(subject 'Test CA')" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out ca.pem

key other-ca-key.pem
openssl req -x509 -new -key other-ca-key.pem -sha256 -days 30 -subj "$(subject 'Unrelated CA')" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out other-ca.pem

issue() {  # name, common name, extensions
    key "$1-key.pem"
    openssl req -new -key "$1-key.pem" -subj "$(subject "$2")" -out "$1.csr"
    printf '%s\n' "$3" > "$1.ext"
    openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 30 -sha256 \
        -extfile "$1.ext" -out "$1.pem" 2>/dev/null
    rm -f "$1.csr" "$1.ext"
}

issue server localhost "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1${EXTRA_SAN:+,$EXTRA_SAN}
extendedKeyUsage=serverAuth
keyUsage=critical,digitalSignature"
issue client "test editor" "extendedKeyUsage=clientAuth
keyUsage=critical,digitalSignature"

chmod 600 ./*-key.pem
echo "test certificates in $(pwd)" >&2
