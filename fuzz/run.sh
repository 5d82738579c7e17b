#!/usr/bin/env bash
# Builds the libFuzzer target (with AddressSanitizer) and fuzzes for a bounded time.
#   fuzz/run.sh [SECONDS]   (default 60)
# Inputs that crash are written to fuzz/crashes/; each one must become a regression test.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-60}"
# SwiftPM reaches the gateway package through the gateway-package symlink and does not notice source
# files added or removed behind it (a stale build then misses new types); start clean when the list changed.
sources_list=$(cd gateway-package && find Sources -name '*.swift' -o -name '*.h' | sort | sha256sum)
if [ "$(cat .build/.gateway-sources 2>/dev/null)" != "$sources_list" ]; then rm -rf .build; fi
swift build -c debug -Xswiftc -sanitize=fuzzer,address --product InboundFuzzer >&2
binary="$(swift build -c debug -Xswiftc -sanitize=fuzzer,address --show-bin-path)/InboundFuzzer"
echo "$sources_list" > .build/.gateway-sources
mkdir -p crashes work
cp corpus/* work/ 2>/dev/null || true
ASAN_OPTIONS=detect_leaks=0 "$binary" work corpus -max_total_time="$seconds" -max_len=65536 \
    -artifact_prefix=crashes/ -print_final_stats=1 2>&1 | tail -25
echo "fuzzing: no crash in ${seconds} s"
