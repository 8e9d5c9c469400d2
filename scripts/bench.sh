#!/usr/bin/env bash
# Throughput and peak memory of `ecsdiagd replay`, side by side with cat, grep -F and rg -F on the same file
# (issue 6). One command from a clean checkout: `make bench` (or `bash scripts/bench.sh`).
#
#   1. installs what is missing (ripgrep, GNU time; fail2ban when BENCH_FAIL2BAN=1) with apt-get;
#   2. builds ecsdiagd in release mode (scratch path .build-bench, so it never fights another build's lock);
#   3. writes the prefilter's literal set, printed by Benchmarks' `prefilter-literals` (SignalMatcher.prefilterLiterals,
#      default settings): grep and rg search for exactly the literals ecsdiagd's prefilter looks for;
#   4. generates the corpus with scripts/corpus.py (deterministic; cached in bench-out/ by size, tasks, seed and the
#      generator's checksum) and warms the page cache;
#   5. measures, round-robin over BENCH_RUNS rounds, on the same file:
#        ecsdiagd replay --output json FILE     (MB/s, records/s from its stderr summary, peak RSS)
#        cat FILE                                (the I/O ceiling)
#        grep -c -F -f patterns FILE
#        rg -j1 -c -F -f patterns FILE            (and with the first 8 literals only: rg's fast path)
#        fail2ban-regex on a prefix               (when installed, or BENCH_FAIL2BAN=1; it is ~100x slower)
#      Output goes to files, not /dev/null: GNU grep -c stops at the first match when stdout is /dev/null
#      (cat alone writes to /dev/null: its output is the whole file).
#   6. the memory series: one replay each of 0.25 and 0.5 GiB corpora and of a corpus with BENCH_BIG_TASKS tasks;
#   7. prints the table, ratios and target checks, and writes them to bench-out/results.md (+ raw runs.tsv).
#
# Environment (defaults in brackets):
#   BENCH_SIZE_MB [1024]     main corpus size in MiB          BENCH_TASKS [1000]      distinct tasks
#   BENCH_RUNS [3]           rounds (best and median)         BENCH_SEED [1]          corpus seed
#   BENCH_SERIES ["256 512"] extra sizes (MiB) for the memory-flatness series ("" to skip)
#   BENCH_BIG_TASKS [100000] tasks of the many-tasks RSS run ("0" to skip); BENCH_BIG_SIZE_MB [BENCH_SIZE_MB]
#   BENCH_FAIL2BAN [auto]    time fail2ban-regex on a BENCH_FAIL2BAN_MB [16] MiB prefix when it is installed; 1: also
#                            install fail2ban (its package enables a service: not done by default); 0: skip
#   BENCH_OUT [bench-out]    output directory                 BENCH_SCRATCH [.build-bench]  release build dir
#   BENCH_BIN                use this ecsdiagd binary instead of building one
#   BENCH_KEEP_CORPUS [1]    0: delete the generated corpora at the end
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

SIZE_MB=${BENCH_SIZE_MB:-1024}
TASKS=${BENCH_TASKS:-1000}
RUNS=${BENCH_RUNS:-3}
SEED=${BENCH_SEED:-1}
SERIES=${BENCH_SERIES-256 512}
BIG_TASKS=${BENCH_BIG_TASKS:-100000}
BIG_SIZE_MB=${BENCH_BIG_SIZE_MB:-$SIZE_MB}
FAIL2BAN=${BENCH_FAIL2BAN:-auto}
FAIL2BAN_MB=${BENCH_FAIL2BAN_MB:-16}
OUT=${BENCH_OUT:-bench-out}
SCRATCH=${BENCH_SCRATCH:-.build-bench}
KEEP=${BENCH_KEEP_CORPUS:-1}
SWIFT=${SWIFT:-swift}

log() { printf 'bench: %s\n' "$*" >&2; }
die() { printf 'bench: error: %s\n' "$*" >&2; exit 1; }

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
RUNS_TSV=$OUT/runs.tsv
WORK=$OUT/work
mkdir -p "$WORK"

# ---------------------------------------------------------------------------------------------------------------
# 1. Tools
# ---------------------------------------------------------------------------------------------------------------
need_pkgs=()
command -v rg >/dev/null 2>&1 || need_pkgs+=(ripgrep)
[ -x /usr/bin/time ] || need_pkgs+=(time)
command -v python3 >/dev/null 2>&1 || need_pkgs+=(python3)
if [ "$FAIL2BAN" = 1 ] && ! command -v fail2ban-regex >/dev/null 2>&1; then need_pkgs+=(fail2ban); fi
if [ ${#need_pkgs[@]} -gt 0 ]; then
    log "installing ${need_pkgs[*]}"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    # policy-rc.d-less containers: fail2ban's postinst must not try to start a service.
    DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 $SUDO apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
fi

# ---------------------------------------------------------------------------------------------------------------
# 2. Release build
# ---------------------------------------------------------------------------------------------------------------
if [ -n "${BENCH_BIN:-}" ]; then
    BIN=$BENCH_BIN
else
    log "building ecsdiagd (release, --scratch-path $SCRATCH)"
    $SWIFT build -c release --product ecsdiagd --scratch-path "$SCRATCH" >"$WORK/build.log" 2>&1 \
        || { tail -40 "$WORK/build.log" >&2; die "release build failed (log: $WORK/build.log)"; }
    BIN=$ROOT/$SCRATCH/release/ecsdiagd
fi
[ -x "$BIN" ] || die "no ecsdiagd binary at $BIN"

# ---------------------------------------------------------------------------------------------------------------
# 3. The prefilter's literal set
# ---------------------------------------------------------------------------------------------------------------
PATTERNS=$OUT/patterns.txt
PATTERNS8=$OUT/patterns-first8.txt
log "writing the prefilter literals (SignalMatcher.prefilterLiterals via Benchmarks' prefilter-literals)"
$SWIFT build -c release --package-path Benchmarks --product prefilter-literals >"$WORK/literals-build.log" 2>&1 \
    || { tail -40 "$WORK/literals-build.log" >&2; die "building Benchmarks' prefilter-literals failed"; }
LITBIN=$($SWIFT build -c release --package-path Benchmarks --show-bin-path)/prefilter-literals
"$LITBIN" >"$PATTERNS"
head -n 8 "$PATTERNS" >"$PATTERNS8"
N_LITERALS=$(wc -l <"$PATTERNS")
[ "$N_LITERALS" -ge 2 ] || die "empty literal set"
# corpus.py keeps its own list (PREFILTER_LITERALS); record how far it is from the real one.
python3 scripts/corpus.py --patterns "$WORK/corpus-patterns.txt"
LITERAL_DIFF=$(python3 - "$PATTERNS" "$WORK/corpus-patterns.txt" <<'EOF'
import sys
a = [l.rstrip("\n") for l in open(sys.argv[1], encoding="utf-8")]
b = [l.rstrip("\n") for l in open(sys.argv[2], encoding="utf-8")]
only_a = [x for x in a if x not in b]
only_b = [x for x in b if x not in a]
print("same set" if not only_a and not only_b else
      f"differs: {len(only_a)} only in SignalMatcher, {len(only_b)} only in corpus.py")
EOF
)

# ---------------------------------------------------------------------------------------------------------------
# 4. Corpora
# ---------------------------------------------------------------------------------------------------------------
GEN_SUM=$(sha256sum scripts/corpus.py | cut -c1-12)
corpus() { # corpus SIZE_MB TASKS -> prints the path; generates it unless cached
    local size=$1 tasks=$2
    local f="$OUT/corpus-${size}m-t${tasks}-s${SEED}-${GEN_SUM}.log"
    if [ ! -s "$f" ]; then
        log "generating ${size} MiB corpus with ${tasks} tasks (seed $SEED)"
        python3 scripts/corpus.py --size-mb "$size" --tasks "$tasks" --seed "$SEED" --out "$f.tmp" \
            --truth "${f%.log}.truth.json" >&2
        mv "$f.tmp" "$f"
    fi
    printf '%s\n' "$f"
}
warm() { cat "$1" >/dev/null; cat "$1" >/dev/null; }

# ---------------------------------------------------------------------------------------------------------------
# 5. Measurements
# ---------------------------------------------------------------------------------------------------------------
printf 'label\tround\tbytes\twall_s\tuser_s\tsys_s\tmaxrss_kb\trecords\tmatches\n' >"$RUNS_TSV"

# measure LABEL ROUND FILE-BYTES CMD... : one timed run; stdout to a file (never /dev/null), stderr kept.
measure() {
    local label=$1 round=$2 bytes=$3; shift 3
    local stdout="$WORK/$label.out" stderr="$WORK/$label.err" tv="$WORK/$label.time"
    local t0 t1 rc=0
    t0=$(date +%s%N)
    # cat's output goes to /dev/null (it reads everything whatever stdout is); the others' to a file.
    [ "$label" = cat ] && stdout=/dev/null
    /usr/bin/time -v -o "$tv" "$@" >"$stdout" 2>"$stderr" || rc=$?
    t1=$(date +%s%N)
    # grep -c exits 1 when nothing matched; anything else is a failure.
    if [ $rc -ne 0 ] && ! { [ $rc -eq 1 ] && [[ $label == grep* || $label == rg* ]]; }; then
        tail -5 "$stderr" >&2
        die "$label failed (exit $rc)"
    fi
    local user sys rss records="" matches=""
    user=$(awk -F': ' '/User time/ {print $2}' "$tv")
    sys=$(awk -F': ' '/System time/ {print $2}' "$tv")
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tv")
    case $label in
        ecsdiagd*) records=$(sed -n 's/.* \([0-9][0-9]*\) records.*/\1/p' "$stderr" | head -1)
                   matches=$(grep -c '"status":"firing"' "$stdout" || true) ;;
        grep*|rg*) matches=$(head -1 "$stdout") ;;
        fail2ban*) matches=$(sed -n 's/^Lines: [0-9]* lines, [0-9]* ignored, \([0-9]*\) matched.*/\1/p' "$stdout" | head -1) ;;
    esac
    local wall
    wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", (b - a) / 1e9 }')
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$round" "$bytes" "$wall" "$user" "$sys" "$rss" \
        "$records" "$matches" >>"$RUNS_TSV"
    log "$(printf '%-16s round %s  %8.3f s  rss %7s KiB  %s' "$label" "$round" "$wall" "$rss" "${records:+$records records}")"
}

MAIN=$(corpus "$SIZE_MB" "$TASKS")
MAIN_BYTES=$(stat -c %s "$MAIN")

F2B_PREFIX=""
F2B_FILTER=""
if [ "$FAIL2BAN" = auto ] && command -v fail2ban-regex >/dev/null 2>&1; then FAIL2BAN=1; fi
if [ "$FAIL2BAN" = 1 ]; then
    F2B_PREFIX=$WORK/fail2ban-prefix.log
    head -c $((FAIL2BAN_MB * 1048576)) "$MAIN" | sed '$d' >"$F2B_PREFIX"   # whole lines only
    F2B_FILTER=$WORK/ecsdiagd-literals.conf
    python3 - "$PATTERNS" "$F2B_FILTER" <<'EOF'
import re, sys
lits = [l.rstrip("\n") for l in open(sys.argv[1], encoding="utf-8") if l.strip("\n")]
alt = "|".join(re.escape(l).replace("%", "%%") for l in lits)
with open(sys.argv[2], "w", encoding="utf-8") as f:
    f.write("# The prefilter literals as one fail2ban failregex (generated by scripts/bench.sh).\n")
    f.write("[Definition]\n")
    f.write(f"failregex = <F-ID>(?:{alt})</F-ID>\n")
    f.write("datepattern = {NONE}\n")
EOF
fi

log "warming the page cache ($MAIN_BYTES bytes)"
warm "$MAIN"
for round in $(seq 1 "$RUNS"); do
    measure cat "$round" "$MAIN_BYTES" cat "$MAIN"
    measure ecsdiagd "$round" "$MAIN_BYTES" "$BIN" replay --output json "$MAIN"
    measure grep "$round" "$MAIN_BYTES" grep -c -F -f "$PATTERNS" "$MAIN"
    measure rg "$round" "$MAIN_BYTES" rg -j1 -c -F -f "$PATTERNS" "$MAIN"
    measure rg-first8 "$round" "$MAIN_BYTES" rg -j1 -c -F -f "$PATTERNS8" "$MAIN"
    if [ -n "$F2B_PREFIX" ]; then
        measure fail2ban-regex "$round" "$(stat -c %s "$F2B_PREFIX")" \
            fail2ban-regex --print-no-missed "$F2B_PREFIX" "$F2B_FILTER"
    fi
done

# ---------------------------------------------------------------------------------------------------------------
# 6. Memory series (one replay each; RSS is what matters here)
# ---------------------------------------------------------------------------------------------------------------
SERIES_FILES=()
for size in $SERIES; do
    [ "$size" = "$SIZE_MB" ] && continue
    f=$(corpus "$size" "$TASKS")
    SERIES_FILES+=("$f")
    warm "$f"
    measure "ecsdiagd-${size}m" 1 "$(stat -c %s "$f")" "$BIN" replay --output json "$f"
done
if [ "$BIG_TASKS" != 0 ]; then
    f=$(corpus "$BIG_SIZE_MB" "$BIG_TASKS")
    SERIES_FILES+=("$f")
    warm "$f"
    measure "ecsdiagd-${BIG_SIZE_MB}m-t${BIG_TASKS}" 1 "$(stat -c %s "$f")" "$BIN" replay --output json "$f"
fi

# ---------------------------------------------------------------------------------------------------------------
# 7. Report
# ---------------------------------------------------------------------------------------------------------------
MACHINE_CPU=$(lscpu | sed -n 's/^Model name: *//p' | head -1)
MACHINE_CORES=$(nproc)
export BENCH_MAIN_MB=$SIZE_MB BENCH_MAIN_TASKS=$TASKS BENCH_N_LITERALS=$N_LITERALS BENCH_LITERAL_DIFF="$LITERAL_DIFF" \
    BENCH_CPU="$MACHINE_CPU" BENCH_CORES="$MACHINE_CORES" BENCH_RUNS_N=$RUNS BENCH_SEED_N=$SEED \
    BENCH_SWIFT="$($SWIFT --version 2>/dev/null | head -1)" BENCH_RG="$(rg --version | head -1)" \
    BENCH_GREP="$(grep --version | head -1)" BENCH_KERNEL="$(uname -r)" BENCH_PATTERNS="$PATTERNS" \
    BENCH_MEM_MB=$(free -m | awk '/^Mem:/ {print $2}') BENCH_F2B_VERSION="$(fail2ban-regex --version 2>/dev/null | head -1 || true)"
python3 - "$RUNS_TSV" "$OUT/results.md" <<'EOF'
import csv, os, statistics, sys, datetime
runs_tsv, results_md = sys.argv[1], sys.argv[2]
rows = list(csv.DictReader(open(runs_tsv, encoding="utf-8"), delimiter="\t"))
env = os.environ
by = {}
for r in rows:
    by.setdefault(r["label"], []).append(r)

def stats(label):
    rs = by.get(label)
    if not rs:
        return None
    walls = sorted(float(r["wall_s"]) for r in rs)
    b = int(rs[0]["bytes"])
    best, med = walls[0], statistics.median(walls)
    rec = rs[0]["records"]
    cpu = min(float(r["user_s"]) + float(r["sys_s"]) for r in rs)
    return dict(bytes=b, best=best, median=med, mbs=b / 1e6 / best, mbs_med=b / 1e6 / med,
                rss=max(int(r["maxrss_kb"]) for r in rs) / 1024, records=int(rec) if rec else None,
                matches=rs[0]["matches"], cpu=cpu, n=len(rs))

lines = []
w = lines.append
now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
main_mib = float(env["BENCH_MAIN_MB"])
w(f"## ecsdiagd benchmark — {now}")
w("")
w(f"Machine: {env['BENCH_CPU']}, {env['BENCH_CORES']} cores, {env['BENCH_MEM_MB']} MB RAM, Linux {env['BENCH_KERNEL']}; "
  f"{env['BENCH_SWIFT']}; {env['BENCH_GREP']}; {env['BENCH_RG']}.")
w(f"Corpus: `scripts/corpus.py --size-mb {env['BENCH_MAIN_MB']} --tasks {env['BENCH_MAIN_TASKS']} --seed {env['BENCH_SEED_N']}` "
  f"({stats('cat')['bytes']:,} bytes), warm page cache; best of {env['BENCH_RUNS_N']} (median in parentheses); "
  f"MB = 10^6 bytes. Literals: the {env['BENCH_N_LITERALS']} of `SignalMatcher.prefilterLiterals` "
  f"(corpus.py's list: {env['BENCH_LITERAL_DIFF']}).")
w("")
w("| tool | command | wall s best (median) | CPU s best | MB/s best (median) | records/s | peak RSS MiB | count |")
w("|---|---|---|---|---|---|---|---|")
cmds = {
    "ecsdiagd": "`ecsdiagd replay --output json FILE`",
    "cat": "`cat FILE`",
    "grep": "`grep -c -F -f patterns FILE`",
    "rg": "`rg -j1 -c -F -f patterns FILE`",
    "rg-first8": "`rg -j1 -c -F -f first-8-literals FILE`",
    "fail2ban-regex": "`fail2ban-regex PREFIX filter` (on a prefix)",
}
for label in ["ecsdiagd", "cat", "grep", "rg", "rg-first8", "fail2ban-regex"]:
    s = stats(label)
    if not s:
        continue
    recs = f"{s['records'] / s['best'] / 1e6:.2f} M" if s["records"] else ""
    count = s["matches"]
    if label == "ecsdiagd":
        count = f"{s['records']:,} records, {s['matches']} firing"
    elif label.startswith(("grep", "rg")):
        count = f"{int(count):,} lines" if count else ""
    elif label == "fail2ban-regex":
        count = f"{count} matched ({s['bytes'] / 1e6:.0f} MB prefix)"
    w(f"| {label} | {cmds[label]} | {s['best']:.3f} ({s['median']:.3f}) | {s['cpu']:.2f} | {s['mbs']:.0f} ({s['mbs_med']:.0f}) | {recs} "
      f"| {s['rss']:.1f} | {count} |")
w("")
e, g, r, r8 = stats("ecsdiagd"), stats("grep"), stats("rg"), stats("rg-first8")
ratio = lambda a, b: f"{a['mbs'] / b['mbs']:.2f}× ({a['mbs_med'] / b['mbs_med']:.2f}×)"
w("Ratios (throughput, best (median)):")
w(f"- ecsdiagd / grep = {ratio(e, g)}")
w(f"- ecsdiagd / rg   = {ratio(e, r)}")
w(f"- ecsdiagd / rg with the first 8 literals = {ratio(e, r8)}")
w(f"- ecsdiagd / cat  = {ratio(e, stats('cat'))}")
f2b = stats("fail2ban-regex")
if f2b:
    w(f"- ecsdiagd / fail2ban-regex = {e['mbs'] / f2b['mbs']:.0f}×")
w("")

series = [(l, stats(l)) for l in by if l.startswith("ecsdiagd-")]
w("Memory (one replay each):")
w("")
w("| corpus | bytes | tasks | MB/s | peak RSS MiB |")
w("|---|---|---|---|---|")
def size_label(b):
    return f"{b / 2**30:.2f} GiB" if b >= 2**30 * 0.95 else f"{b / 2**20:.0f} MiB"
mem_rows = [(size_label(e["bytes"]), e, int(env["BENCH_MAIN_TASKS"]))]
for l, s in series:
    parts = l.split("-")[1:]
    size = float(parts[0].rstrip("m"))
    tasks = int(parts[1][1:]) if len(parts) > 1 else int(env["BENCH_MAIN_TASKS"])
    mem_rows.append((size_label(s["bytes"]), s, tasks))
mem_rows.sort(key=lambda x: (x[2], x[1]["bytes"]))
for name, s, tasks in mem_rows:
    w(f"| {name} | {s['bytes']:,} | {tasks:,} | {s['mbs']:.0f} | {s['rss']:.1f} |")
w("")

def check(ok, text):
    w(f"- [{'x' if ok else ' '}] {text}")
w("Targets:")
check(e["mbs"] >= 600, f"replay ≥ 600 MB/s: {e['mbs']:.0f} MB/s")
check(e["mbs"] >= 1.5 * g["mbs"], f"replay ≥ 1.5 × grep -F: {e['mbs'] / g['mbs']:.2f}×")
check(e["mbs"] >= 1.5 * r["mbs"], f"replay ≥ 1.5 × rg -j1 -F: {e['mbs'] / r['mbs']:.2f}×")
few = [s for _, s, t in mem_rows if t <= int(env["BENCH_MAIN_TASKS"])]
many = [s for _, s, t in mem_rows if t > int(env["BENCH_MAIN_TASKS"])]
check(max(s["rss"] for s in few) <= 64, f"peak RSS ≤ 64 MiB ({int(env['BENCH_MAIN_TASKS']):,} tasks): "
      + ", ".join(f"{s['rss']:.1f}" for s in sorted(few, key=lambda s: s['bytes'])) + " MiB")
if many:
    check(max(s["rss"] for s in many) <= 128, f"peak RSS ≤ 128 MiB with many tasks: "
          + ", ".join(f"{s['rss']:.1f}" for s in many) + " MiB")
if len(few) > 1:
    lo, hi = min(few, key=lambda s: s["bytes"]), max(few, key=lambda s: s["bytes"])
    check(hi["rss"] <= lo["rss"] * 1.25 + 4, f"memory flat as input grows: {lo['rss']:.1f} → {hi['rss']:.1f} MiB "
          f"for {size_label(lo['bytes'])} → {size_label(hi['bytes'])}")
w("")
text = "\n".join(lines) + "\n"
open(results_md, "w", encoding="utf-8").write(text)
print(text)
EOF
log "results: $OUT/results.md (raw runs: $RUNS_TSV)"

if [ "$KEEP" = 0 ]; then
    rm -f "$MAIN" "${SERIES_FILES[@]}"
fi
