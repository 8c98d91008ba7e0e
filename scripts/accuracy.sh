#!/usr/bin/env bash
# Accuracy parity with chemprop v1 (docs/ACCURACY.md): trains the default D-MPNN with chemprop v1
# defaults on ESOL, FreeSolv and Lipophilicity, random and scaffold splits 0.8/0.1/0.1, seeds 0 1 2
# (18 runs, at most 2 at a time, 1 thread each), then prints a Markdown table of test RMSE mean ± std.
#
# Usage: scripts/accuracy.sh [OUT_DIR]        (default OUT_DIR: accuracy-runs)
# Environment: GEAR_DATA (data directory, default ../shared/data), GEAR_JAR (default target/gear.jar,
#   built when missing), JOBS (parallel runs, default 2), SEEDS (default "0 1 2"), EPOCHS (default 30),
#   SUMMARY_ONLY=1 (only summarize existing runs).
# Runs whose test_metrics.json exists are not repeated (the script is resumable).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-accuracy-runs}"
data="${GEAR_DATA:-$root/../shared/data}"
jar="${GEAR_JAR:-$root/target/gear.jar}"
jobs="${JOBS:-2}"
seeds="${SEEDS:-0 1 2}"
epochs="${EPOCHS:-30}"
if [ ! -f "$jar" ]; then
  (cd "$root" && mvn -B -q -o -DskipTests package)
fi
mkdir -p "$out"

# name|file|target column
sets="esol|esol_delaney_logS.csv|logS_exp_molL
freesolv|freesolv_hydration.csv|dG_hyd_expt_kcalmol
lipophilicity|lipophilicity_logD74.csv|logD74"

if [ "${SUMMARY_ONLY:-0}" != 1 ]; then
  jobfile="$out/jobs.txt"
  : > "$jobfile"
  # largest data set first, so that the two workers finish at about the same time
  for split in random scaffold; do
    for seed in $seeds; do
      for ds in lipophilicity esol freesolv; do
        line="$(printf '%s\n' "$sets" | grep "^$ds|")"
        file="$(cut -d'|' -f2 <<<"$line")"
        col="$(cut -d'|' -f3 <<<"$line")"
        dir="$out/$ds/$split/seed$seed"
        [ -f "$dir/test_metrics.json" ] && continue
        echo "$dir|$data/$file|$col|$split|$seed" >> "$jobfile"
      done
    done
  done
  export jar epochs
  run_one() {
    IFS='|' read -r dir file col split seed <<<"$1"
    mkdir -p "$dir"
    OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 java --enable-native-access=ALL-UNNAMED -Djava.awt.headless=true \
      -jar "$jar" train -i "$file" -t "$col" -o "$dir" --split-type "$split" --split-sizes 0.8 0.1 0.1 \
      --seed "$seed" --epochs "$epochs" --threads 1 --invalid skip -q > "$dir/stdout.txt" 2> "$dir/stderr.txt" \
      || { echo "FAILED: $dir (see $dir/stderr.txt)" >&2; return 0; }
    echo "done: $dir $(grep -o 'test RMSE [0-9.]*' "$dir/stdout.txt")" >&2
  }
  export -f run_one
  tr '\n' '\0' < "$jobfile" | xargs -0 -r -n 1 -P "$jobs" bash -c 'run_one "$0"'
fi

# summary: mean ± sample std of test RMSE (and MAE, R²) per data set and split type
num() { grep -o "\"$2\" : [-0-9.eE]*" "$1" | head -1 | awk '{print $3}'; }
echo "| data set | split | n runs | test RMSE (mean ± std) | test MAE | test R² | n_train/n_val/n_test |"
echo "|---|---|---|---|---|---|---|"
for ds in esol freesolv lipophilicity; do
  for split in random scaffold; do
    vals=""; maes=""; r2s=""; sizes=""
    for f in "$out/$ds/$split"/seed*/test_metrics.json; do
      [ -f "$f" ] || continue
      vals="$vals $(num "$f" test_rmse)"; maes="$maes $(num "$f" test_mae)"; r2s="$r2s $(num "$f" test_r2)"
      sizes="$(num "$f" n_train)/$(num "$f" n_val)/$(num "$f" n_test)"
    done
    [ -n "$vals" ] || continue
    ms() { awk '{n=NF; s=0; for(i=1;i<=n;i++) s+=$i; m=s/n; v=0; for(i=1;i<=n;i++) v+=($i-m)^2; sd=(n>1)?sqrt(v/(n-1)):0; printf "%.3f ± %.3f", m, sd}' <<<"$1"; }
    n="$(wc -w <<<"$vals")"
    echo "| $ds | $split | $n | $(ms "$vals") | $(ms "$maes") | $(ms "$r2s") | $sizes |"
  done
done
