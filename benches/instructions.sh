#!/usr/bin/env bash
# Instructions per message (and per CURVE handshake) under valgrind's callgrind,
# which counts steadily where wall time on a shared 2-vCPU machine does not:
#   - the Rust inproc_thr (examples/) in a debug and a release build;
#   - libzmq's own C perf tools (inproc_thr; local_thr + remote_thr over tcp)
#     against the vendored libzmq of the release build and against the system's
#     libzmq (pkg-config; skipped with a message when missing), 1 and 1024 bytes;
#   - CURVE handshakes over tcp loopback (benches/curve_handshake.rs), debug and
#     release;
#   - with --as-profile also the builds with libzmq and libsodium compiled as
#     the profile says (ZMQ_SYS_FOLLOW_PROFILE=1, libsodium at opt-level 0 in
#     debug), which is how every build was before zmq-sys optimised them: the
#     Rust tools in debug and the C tools against that release libzmq. They
#     build in their own target directory (minutes more the first time);
#   - with --c-only just the C tools against the release libzmq (and the
#     system's): a quick way to compare compiler flags, which reach libzmq
#     through CXXFLAGS after zmq-sys's own (zmq-sys/README.md), e.g.
#     `CXXFLAGS=-fno-lto CARGO_TARGET_DIR=target/flags benches/instructions.sh --c-only`.
# A figure is (I(N) - I(1)) / (N - 1): the instructions of a run with N
# messages less those of a run with one, so start-up (and the dynamic loading
# of a shared libzmq) does not count; the median of --reps runs. tcp figures add
# both processes. Not a test: nothing here runs under `cargo test`.
#
# usage: benches/instructions.sh [--reps N] [--quick] [--as-profile | --c-only]
set -euo pipefail
cd "$(dirname "$0")/.."

reps=3
messages=100000
handshakes=20
as_profile=0
rust=1
while [ $# -gt 0 ]; do
    case "$1" in
        --reps) reps=$2; shift ;;
        --quick) reps=1; messages=20000; handshakes=5 ;;
        --as-profile) as_profile=1 ;;
        --c-only) rust=0 ;;
        *) echo "usage: $0 [--reps N] [--quick] [--as-profile | --c-only]"; exit 2 ;;
    esac
    shift
done
[ $rust = 1 ] || as_profile=0
command -v valgrind >/dev/null || { echo "needs valgrind (Debian: apt-get install valgrind)"; exit 2; }

work=target/bench-instructions
mkdir -p "$work"

# build PROFILE_FLAG... -> builds the perf tools and the handshake program,
# leaves cargo's JSON messages in $work/build.json
build() {
    cargo build "$@" --examples --bench curve_handshake \
        --message-format=json-render-diagnostics >"$work/build.json"
}
# executable NAME -> the path cargo reported for the last build's target NAME
executable() {
    python3 - "$work/build.json" "$1" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == sys.argv[2] and m.get("executable"):
        print(m["executable"])
PY
}
# out_dir PACKAGE -> the OUT_DIR of PACKAGE's build script in the last build
out_dir() {
    python3 - "$work/build.json" "$1" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    m = json.loads(line)
    if m.get("reason") == "build-script-executed" and (f"#{sys.argv[2]}@" in m["package_id"] or f"/{sys.argv[2]}#" in m["package_id"]):
        print(m["out_dir"])
PY
}

if [ $rust = 1 ]; then
    echo "== building the debug and release perf tools"
    build
    debug_thr=$(executable inproc_thr)
    debug_curve=$(executable curve_handshake)
    build --release
    release_thr=$(executable inproc_thr)
    release_curve=$(executable curve_handshake)
else
    echo "== building the release libzmq"
    cargo build --release -p zmq-sys --message-format=json-render-diagnostics >"$work/build.json"
fi
zmq_out=$(out_dir zmq-sys)
sodium_lib=$(find "$(out_dir libsodium-sys-stable)" -name libsodium.a | sed -n 1p)
# (none there when libsodium-sys-stable took the system's: SODIUM_USE_PKG_CONFIG)
sodium_lib=${sodium_lib:--lsodium}
if [ $as_profile = 1 ]; then
    echo "== building the debug perf tools with libzmq and libsodium as the dev profile says"
    ZMQ_SYS_FOLLOW_PROFILE=1 CARGO_TARGET_DIR=target/bench-as-profile \
        build --config 'profile.dev.package.libsodium-sys-stable.opt-level=0'
    plain_thr=$(executable inproc_thr)
    plain_curve=$(executable curve_handshake)
    ZMQ_SYS_FOLLOW_PROFILE=1 CARGO_TARGET_DIR=target/bench-as-profile build --release
    plain_zmq_out=$(out_dir zmq-sys)
    plain_sodium_lib=$(find "$(out_dir libsodium-sys-stable)" -name libsodium.a | sed -n 1p)
fi

perf_src=$(cargo metadata --format-version 1 | python3 -c '
import json, sys, os
m = json.load(sys.stdin)
p = [p for p in m["packages"] if p["name"] == "zeromq-src"][0]
print(os.path.join(os.path.dirname(p["manifest_path"]), "vendor", "perf"))')
# c_tools DIR INCLUDE LIBS... -> compiles libzmq's C perf tools into DIR
c_tools() {
    local dir=$1 include=$2; shift 2
    mkdir -p "$dir"
    # inproc_thr includes libzmq's internal platform.hpp only for its OS
    # macros: on Linux an empty one does.
    : >"$dir/platform.hpp"
    for tool in inproc_thr local_thr remote_thr; do
        c++ -O2 -std=c++11 -I"$include" -I"$dir" "$perf_src/$tool.cpp" -o "$dir/$tool" "$@"
    done
}
echo "== libzmq's C perf tools from $perf_src"
c_tools "$work/c-vendored" "$zmq_out/source/include" "$zmq_out/lib/libzmq.a" "$sodium_lib" -lpthread
if [ $as_profile = 1 ]; then
    c_tools "$work/c-plain" "$plain_zmq_out/source/include" "$plain_zmq_out/lib/libzmq.a" "$plain_sodium_lib" -lpthread
fi
system=0
if pkg-config --exists libzmq; then
    read -r -a system_libs < <(pkg-config --libs libzmq)
    c_tools "$work/c-system" "$(pkg-config --variable=includedir libzmq)" "${system_libs[@]}"
    system=1
    system_name="system $(pkg-config --modversion libzmq)"
else
    echo "-- no system libzmq (pkg-config libzmq; Debian: apt-get install libzmq3-dev): its rows are skipped"
fi

# ir LOG COMMAND... -> the instructions callgrind counted for one run
ir() {
    local log=$1; shift
    if ! timeout 900 valgrind --tool=callgrind --callgrind-out-file=/dev/null --log-file="$log" "$@" >/dev/null; then
        echo "failed under callgrind: $*" >&2
        cat "$log" >&2
        exit 1
    fi
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$log"
}
port=$((20000 + RANDOM % 20000))
# run KIND DIR_OR_EXE SIZE COUNT -> instructions of one run (tcp: both processes)
run() {
    local kind=$1 tool=$2 size=$3 count=$4
    case $kind in
        inproc) ir "$work/a.log" "$tool" "$size" "$count" ;;
        curve) ir "$work/a.log" "$tool" "$count" ;;
        tcp)
            port=$((port + 1))
            local endpoint=tcp://127.0.0.1:$port
            ir "$work/local.log" "$tool/local_thr" "$endpoint" "$size" "$count" >"$work/local.count" &
            local pid=$!
            local remote
            remote=$(ir "$work/remote.log" "$tool/remote_thr" "$endpoint" "$size" "$count")
            wait $pid
            echo $((remote + $(cat "$work/local.count")))
            ;;
    esac
}
# per KIND TOOL SIZE COUNT -> median over $reps of (I(COUNT) - I(1)) / (COUNT - 1)
per() {
    local kind=$1 tool=$2 size=$3 count=$4 base values=""
    base=$(run "$kind" "$tool" "$size" 1)
    for _ in $(seq "$reps"); do
        values="$values $(run "$kind" "$tool" "$size" "$count")"
    done
    python3 -c "
import statistics, sys
base, n = $base, $count
print(f'{statistics.median((int(v) - base) / (n - 1) for v in sys.argv[1:]):.1f}')" $values
}

results=$work/results.txt
: >"$results"
row() { # LABEL VALUE... -> one table row, printed and kept
    local label=$1; shift
    printf '%-44s' "$label" | tee -a "$results"
    printf '%10s' "$@" | tee -a "$results"
    echo | tee -a "$results"
}
ratio() { python3 -c "print(f'{$1 / $2:.3f}')"; }

echo "== measuring (reps $reps, $messages messages, $handshakes handshakes)"
{
    echo
    echo "instructions per message, callgrind, (I(N) - I(1)) / (N - 1), N = $messages, median of $reps"
    echo "(C tools: release builds of libzmq; \"as profile\": ZMQ_SYS_FOLLOW_PROFILE=1)"
    printf '%-44s%10s%10s\n' "" "1 B" "1024 B"
} | tee -a "$results"
declare -A v
for size in 1 1024; do
    if [ $rust = 1 ]; then
        v[rd$size]=$(per inproc "$debug_thr" $size $messages)
        v[rr$size]=$(per inproc "$release_thr" $size $messages)
    fi
    if [ $as_profile = 1 ]; then
        v[rp$size]=$(per inproc "$plain_thr" $size $messages)
    fi
    for kind in inproc tcp; do
        if [ $kind = inproc ]; then tool=inproc_thr; else tool=""; fi
        v[cv$kind$size]=$(per $kind "$work/c-vendored${tool:+/$tool}" $size $messages)
        if [ $as_profile = 1 ]; then
            v[cp$kind$size]=$(per $kind "$work/c-plain${tool:+/$tool}" $size $messages)
        fi
        if [ $system = 1 ]; then
            v[cs$kind$size]=$(per $kind "$work/c-system${tool:+/$tool}" $size $messages)
        fi
    done
done
if [ $rust = 1 ]; then
    row "Rust inproc_thr, debug build" "${v[rd1]}" "${v[rd1024]}"
    row "Rust inproc_thr, release build" "${v[rr1]}" "${v[rr1024]}"
    row "  debug / release" "$(ratio "${v[rd1]}" "${v[rr1]}")" "$(ratio "${v[rd1024]}" "${v[rr1024]}")"
fi
if [ $as_profile = 1 ]; then
    row "Rust inproc_thr, debug, as profile" "${v[rp1]}" "${v[rp1024]}"
    row "  that / release" "$(ratio "${v[rp1]}" "${v[rr1]}")" "$(ratio "${v[rp1024]}" "${v[rr1024]}")"
fi
for kind in inproc tcp; do
    if [ $kind = inproc ]; then name="C inproc_thr"; else name="C tcp local_thr+remote_thr"; fi
    row "$name, vendored" "${v[cv${kind}1]}" "${v[cv${kind}1024]}"
    if [ $as_profile = 1 ]; then
        row "$name, as profile" "${v[cp${kind}1]}" "${v[cp${kind}1024]}"
    fi
    if [ $system = 1 ]; then
        row "$name, $system_name" "${v[cs${kind}1]}" "${v[cs${kind}1024]}"
        row "  vendored / system" "$(ratio "${v[cv${kind}1]}" "${v[cs${kind}1]}")" \
            "$(ratio "${v[cv${kind}1024]}" "${v[cs${kind}1024]}")"
        if [ $as_profile = 1 ]; then
            row "  as profile / system" "$(ratio "${v[cp${kind}1]}" "${v[cs${kind}1]}")" \
                "$(ratio "${v[cp${kind}1024]}" "${v[cs${kind}1024]}")"
        fi
    fi
done
if [ $rust = 0 ]; then
    echo "(also in $results)"
    exit 0
fi
{
    echo
    echo "instructions per CURVE handshake over tcp loopback, N = $handshakes, median of $reps"
} | tee -a "$results"
curve_debug=$(per curve "$debug_curve" 0 $handshakes)
curve_release=$(per curve "$release_curve" 0 $handshakes)
row "CURVE handshake, debug build" "$curve_debug"
row "CURVE handshake, release build" "$curve_release"
row "  debug / release" "$(ratio "$curve_debug" "$curve_release")"
if [ $as_profile = 1 ]; then
    curve_plain=$(per curve "$plain_curve" 0 $handshakes)
    row "CURVE handshake, debug, as profile" "$curve_plain"
    row "  that / release" "$(ratio "$curve_plain" "$curve_release")"
fi
echo "(also in $results)"
