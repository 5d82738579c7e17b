#!/usr/bin/env bash
# Builds the libFuzzer targets (with AddressSanitizer) and fuzzes for a bounded time: the inbound message
# path (Swift) for SECONDS, the small-message inflater against zlib (C) for half of it.
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
# Each fuzzer's output goes to a file, then its tail to the terminal: a pipe into tail kept the script
# waiting after a crash, so CI would have timed out instead of failing.
run_fuzzer() {  # log, then the fuzzer and its arguments
    local log=$1 status=0
    shift
    ASAN_OPTIONS=detect_leaks=0 "$@" > "$log" 2>&1 || status=$?
    tail -25 "$log"
    return "$status"
}
run_fuzzer work/inbound.log "$binary" work corpus -max_total_time="$seconds" -max_len=65536 \
    -artifact_prefix=crashes/ -print_final_stats=1
echo "fuzzing the inbound path: no crash in ${seconds} s"

# The small-message inflater against zlib (fuzz/inflate/inflate_fuzzer.c), a C target: half the time.
mkdir -p inflate/work
# The Swift toolchain's clang, which has libFuzzer (a distribution's clang may lack it): found from the
# toolchain's own paths, since `swift` on PATH may be a version manager's proxy.
toolchain=$(swift -print-target-info | python3 -c \
    'import json, os, sys; print(os.path.normpath(os.path.join(json.load(sys.stdin)["paths"]["runtimeResourcePath"], "../../bin")))')
cp inflate/corpus/* inflate/work/
"$toolchain/clang" -fuse-ld=lld -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined inflate/inflate_fuzzer.c -lz \
    -o .build/inflate_fuzzer
run_fuzzer inflate/work/fuzz.log .build/inflate_fuzzer inflate/work inflate/corpus \
    -max_total_time="$(( (seconds + 1) / 2 ))" -max_len=4096 -artifact_prefix=crashes/inflate- -print_final_stats=1
echo "fuzzing the inflater: no difference from zlib in $(( (seconds + 1) / 2 )) s"
