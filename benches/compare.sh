#!/usr/bin/env bash
# Side-by-side benchmark: libzmq's own C perf tools against this crate's Rust
# ports (examples/{local,remote,inproc}_{thr,lat}.rs), linked to the same libzmq.
#
# The C tools are compiled here, at bench time, from the perf/ sources that the
# zeromq-src crate carries (found through `cargo metadata`; never committed),
# against the static libzmq (and libsodium) that the release build of zmq-sys
# produced, or with --system against the system's libzmq, as the Rust tools
# then are too. Runs are interleaved (C, Rust, C, Rust, ...) for tcp and inproc
# at 1, 64, 1024 and 65536 bytes; prints medians, spread and Rust/C ratios.
#
# --legacy adds a third contender to every interleaved round: the same tools
# written against the zmq 0.10 API with `Message::with_capacity_unallocated`
# (examples/legacy_perf.rs), as code written for rust-zmq sends; its column is
# Legacy/C. --pin CPUS runs every tool under `taskset -c CPUS`.
#
# usage: benches/compare.sh [--system] [--legacy] [--pin CPUS] [--reps N] [--quick]
set -euo pipefail
cd "$(dirname "$0")/.."

mode=vendored
reps=5
quick=0
impls=(c rust)
pin=()
while [ $# -gt 0 ]; do
    case "$1" in
        --system) mode=system ;;
        --legacy) impls=(c rust legacy) ;;
        --pin) pin=(taskset -c "$2"); shift ;;
        --reps) reps=$2; shift ;;
        --quick) quick=1 ;;
        *) echo "usage: $0 [--system] [--legacy] [--pin CPUS] [--reps N] [--quick]"; exit 2 ;;
    esac
    shift
done

work=target/bench-compare/$mode
mkdir -p "$work"
export CARGO_TARGET_DIR=target/bench-$mode
cargo_flags=(--release --examples)
if [ $mode = system ]; then
    export ZMQ_SYS_USE_PKG_CONFIG=1
    cargo_flags+=(--no-default-features --features system)
fi

echo "== building the Rust perf tools ($mode)"
cargo build "${cargo_flags[@]}" --message-format=json-render-diagnostics >"$work/build.json"
rust_bin=$CARGO_TARGET_DIR/release/examples

perf_src=$(cargo metadata --format-version 1 | python3 -c '
import json, sys, os
m = json.load(sys.stdin)
p = [p for p in m["packages"] if p["name"] == "zeromq-src"][0]
print(os.path.join(os.path.dirname(p["manifest_path"]), "vendor"))')
echo "== C perf tools from $perf_src/perf"

if [ $mode = vendored ]; then
    read -r zmq_out sodium_out < <(python3 - "$work/build.json" <<'PY'
import json, sys
outs = {}
for line in open(sys.argv[1]):
    m = json.loads(line)
    if m.get("reason") == "build-script-executed":
        name = m["package_id"]
        for key in ("zmq-sys", "libsodium-sys-stable"):
            if f"#{key}@" in name or f"/{key}#" in name:
                outs[key] = m["out_dir"]
print(outs["zmq-sys"], outs["libsodium-sys-stable"])
PY
)
    include="$zmq_out/source/include"
    libs=("$zmq_out/lib/libzmq.a" "$(find "$sodium_out" -name libsodium.a | sed -n 1p)" -lpthread)
else
    include=$(pkg-config --variable=includedir libzmq)
    read -r -a libs < <(pkg-config --libs libzmq)
fi
# inproc_* include libzmq's internal platform.hpp only for its OS macros: on
# Linux an empty one does (the OS is told by the compiler's own macros).
: >"$work/platform.hpp"
for tool in local_thr remote_thr local_lat remote_lat inproc_thr inproc_lat; do
    c++ -O2 -std=c++11 -I"$include" -I"$work" "$perf_src/perf/$tool.cpp" -o "$work/c_$tool" "${libs[@]}"
done

if [ $quick = 1 ]; then
    sizes=(64); reps=1
else
    sizes=(1 64 1024 65536)
fi
count_for() { case $1 in 1|64) echo 1000000 ;; 1024) echo 300000 ;; *) echo 20000 ;; esac; }
rtt_for() { case $1 in 65536) echo 5000 ;; *) echo 20000 ;; esac; }

port=$((20000 + RANDOM % 20000))
results=$work/results.tsv
: >"$results"
# Every tool run is bounded: a stuck run fails the script instead of hanging it.
t() { timeout 120 ${pin[@]+"${pin[@]}"} "$@"; }
tool() { # impl name -> the command words of that tool (paths have no spaces)
    case $1 in
        c) echo "$work/c_$2" ;;
        rust) echo "$rust_bin/$2" ;;
        legacy) echo "$rust_bin/legacy_perf $2" ;;
    esac
}
run_pair() { # transport kind size impl -> prints the figure
    local transport=$1 kind=$2 size=$3 impl=$4
    if [ "$transport" = inproc ]; then
        if [ "$kind" = thr ]; then
            t $(tool "$impl" inproc_thr) "$size" "$(count_for "$size")" | sed -n 's/^mean throughput: \([0-9]*\) \[msg\/s\]$/\1/p'
        else
            t $(tool "$impl" inproc_lat) "$size" "$(rtt_for "$size")" | sed -n 's/^average latency: \([0-9.]*\) \[us\]$/\1/p'
        fi
    else
        port=$((port + 1))
        local endpoint=tcp://127.0.0.1:$port
        if [ "$kind" = thr ]; then
            t $(tool "$impl" local_thr) "$endpoint" "$size" "$(count_for "$size")" >"$work/out" &
            local pid=$!
            sleep 0.2
            t $(tool "$impl" remote_thr) "$endpoint" "$size" "$(count_for "$size")"
            wait $pid
            sed -n 's/^mean throughput: \([0-9]*\) \[msg\/s\]$/\1/p' "$work/out"
        else
            t $(tool "$impl" local_lat) "$endpoint" "$size" "$(rtt_for "$size")" &
            local pid=$!
            sleep 0.2
            t $(tool "$impl" remote_lat) "$endpoint" "$size" "$(rtt_for "$size")" | sed -n 's/^average latency: \([0-9.]*\) \[us\]$/\1/p'
            wait $pid
        fi
    fi
}

for transport in inproc tcp; do
    for kind in thr lat; do
        for size in "${sizes[@]}"; do
            for rep in $(seq "$reps"); do
                for impl in "${impls[@]}"; do
                    value=$(run_pair "$transport" "$kind" "$size" "$impl")
                    port=$((port + 2))
                    printf '%s\t%s\t%s\t%s\t%s\n' "$transport" "$kind" "$size" "$impl" "$value" >>"$results"
                done
            done
        done
    done
done

python3 - "$results" "$mode" <<'PY'
import sys, statistics, collections
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    t, k, s, impl, v = line.rstrip("\n").split("\t")
    if v:
        rows[(t, k, int(s), impl)].append(float(v))
legacy = any(key[3] == "legacy" for key in rows)
print(f"\nlibzmq perf tools, C vs Rust, {sys.argv[2]} libzmq (medians of interleaved runs; spread = min..max)")
head = f"{'transport':9} {'metric':14} {'size':>6} {'C':>14} {'Rust':>14} {'Rust/C':>7}"
if legacy:
    head += f" {'Legacy':>14} {'Legacy/C':>8}"
print(head + "  spread C | Rust" + (" | Legacy" if legacy else ""))
for (t, k, s) in sorted({key[:3] for key in rows}):
    c, r, l = (rows.get((t, k, s, impl), []) for impl in ("c", "rust", "legacy"))
    if not c or not r or (legacy and not l):
        continue
    mc, mr = statistics.median(c), statistics.median(r)
    metric = "msg/s" if k == "thr" else "latency us"
    ratio = lambda m: m / mc if mc else float("nan")
    line = f"{t:9} {metric:14} {s:>6} {mc:>14.1f} {mr:>14.1f} {ratio(mr):>7.3f}"
    spread = f"{min(c):.1f}..{max(c):.1f} | {min(r):.1f}..{max(r):.1f}"
    if legacy:
        ml = statistics.median(l)
        line += f" {ml:>14.1f} {ratio(ml):>8.3f}"
        spread += f" | {min(l):.1f}..{max(l):.1f}"
    print(line + "  " + spread)
PY
