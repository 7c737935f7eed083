#!/bin/bash
# Every command's output at scope tiny, for comparing a refactor with what came before it.
#   scripts/cli-outputs.sh run DIR      runs the commands (about 3 minutes), writing stdout, stderr,
#                                      exit codes, traces, JUnit and reports under DIR
#   scripts/cli-outputs.sh compare A B  compares two such runs: files must match once times are
#                                      blanked and column padding folded; progress lines on stderr (their "explored N/M" counts blanked)
#                                      are compared as sets (parallel children finish in any order)
set -u
case "${1:-}" in
run)
  O=$(realpath -m "$2"); rm -rf "$O"; mkdir -p "$O"
  BIN="$(cd "$(dirname "$0")/.." && pwd)/bin/ioasid-verify.mjs"
  run() { local name=$1; shift; (cd "$O" && node "$BIN" "$@" >"$name.out" 2>"$name.err"; echo "exit $?" >>"$name.out"); }
  run explore-nodrain explore --variant no-drain --scope tiny --out ex1
  run explore-nodrain-json explore --variant no-drain --scope tiny --out ex2 --json
  run explore-ref explore --variant reference --scope tiny --out ex3
  run check1 check --scope tiny --jobs 1 --out ck1 --junit ck1.xml --no-proofs
  run check1j check --scope tiny --jobs 1 --out ck1j --json --no-proofs
  run check2 check --scope tiny --jobs 2 --out ck2 --junit ck2.xml --no-proofs
  run report1 report --scope tiny --jobs 1 --out rp1/report.md
  run report2 report --scope tiny --jobs 2 --out rp2/report.md --json
  run matrix matrix --scope tiny --rules recycle,drain --jobs 1 --out mx
  run show show "ex1/$(ls "$O/ex1" | head -1)"
  ;;
compare)
  A=$2; B=$3; bad=0
  norm() { sed -E 's/[0-9]+\.[0-9]+s?\b/T/g; s/"(seconds|time)": ?[0-9.e-]+/"\1":T/g; s/time="[0-9.]+"/time="T"/g; s/[0-9]+ states\/s/N states\/s/g; s/-+/-/g; s/ +/ /g'; }
  diff <(cd "$A" && find . -type f | sort) <(cd "$B" && find . -type f | sort) || bad=1
  for f in $(cd "$A" && find . -type f | sort); do
    [ -f "$B/$f" ] || continue
    if [[ $f == *.err ]]; then d=$(diff <(norm <"$A/$f" | sed -E "s/explored [0-9]+\//explored N\//" | sort) <(norm <"$B/$f" | sed -E "s/explored [0-9]+\//explored N\//" | sort)); else d=$(diff <(norm <"$A/$f") <(norm <"$B/$f")); fi
    if [ -n "$d" ]; then echo "differs: $f"; echo "$d" | head -8; bad=1; fi
  done
  [ $bad = 0 ] && echo "same: $(cd "$A" && find . -type f | wc -l) files"
  exit $bad
  ;;
*) echo "usage: $0 run DIR | compare A B" >&2; exit 2 ;;
esac
