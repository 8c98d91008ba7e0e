#!/usr/bin/env bash
# The converged pairwise grid (issue 13, docs/RESULTS.md section 0, "Order") and the task-set grid (issue 17,
# docs/KTASKS.md "Evaluation on public task sets"), resumed from any checkout in the documented order: the committed
# finished cells (docs/results/{converged-pv,tasksets,tasksets-pairs}/cells) are copied into runs/ first, where the
# grids keep them by fingerprint (not run again); then pairwise seeds 1 and 2, gear-strong-curv seeds 0-2, the task
# sets' seeds 0, 1, 2. A finished seed or stage is a no-op, so the script can be run again after any interruption;
# a cell stopped in the middle resumes from its checkpoints where runs/ still holds them.
#
# Usage: scripts/converged-grid.sh [STAGE...]    stages: pw0 pw1 pw2 strong ts0 ts1 ts2 (default: all, in that order;
#   pw0, committed, is a check that nothing of it is left)
# Environment: GEAR_DATA (data directory, default ../shared/data), GEAR_JAR (default target/gear.jar, built when
#   missing; copied to runs/grid.jar, which the grid's workers read, so that a rebuild does not touch a running
#   grid), WORKERS (cells at once, default 2). Finished cells are not committed by this script: copy
#   runs/<grid>/cells/<cell>/{result.json,config.json} (and a task set's metrics.csv) to docs/results/<grid>/cells/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
stages=("$@")
if [ ${#stages[@]} -eq 0 ]; then
  stages=(pw0 pw1 pw2 strong ts0 ts1 ts2)
fi
for stage in "${stages[@]}"; do
  case "$stage" in
    pw0|pw1|pw2|strong|ts0|ts1|ts2) ;;
    *) echo "scripts/converged-grid.sh: unknown stage '$stage' (pw0 pw1 pw2 strong ts0 ts1 ts2)" >&2; exit 2 ;;
  esac
done
data="${GEAR_DATA:-../shared/data}"
jar="${GEAR_JAR:-target/gear.jar}"
workers="${WORKERS:-2}"
if [ ! -f "$jar" ]; then
  mvn -B -q -DskipTests package
fi
mkdir -p runs
cp "$jar" runs/grid.jar.new && mv runs/grid.jar.new runs/grid.jar
J=runs/grid.jar
T=docs/results/tune-pv/chosen.json,docs/results/tune-pv-exposure/chosen.json,docs/results/tune-pv-warmstart/chosen.json,docs/results/tune-pv-curvwarmup/chosen.json

for d in converged-pv tasksets tasksets-pairs; do
  mkdir -p "runs/$d/cells"
  for c in docs/results/$d/cells/*/; do
    n="$(basename "$c")"
    if [ ! -f "runs/$d/cells/$n/result.json" ]; then
      mkdir -p "runs/$d/cells/$n"
      cp "$c/config.json" "runs/$d/cells/$n/"
      cp "$c/result.json" "runs/$d/cells/$n/"   # last: the cell counts as finished once its result.json is there
    fi
  done
done
for d in tasksets tasksets-pairs; do # both task-set grids read the pairwise grid's pretraining cache
  ln -sfn ../converged-pv/pretrain "runs/$d/pretrain"
done

pairwise() { # seeds, methods
  echo "== pairwise seeds $1, $2: $(date -u)"
  nice -n 19 java -jar "$J" benchmark --pairs pairs/public.json --protocol pairs/converged-purged.json --rerun-changed \
    --tuned "$T" --methods "$2" --split-types random,scaffold --seeds "$1" --folds 4 --max-folds 1 --workers "$workers" \
    --data-dir "$data" --no-plots -o runs/converged-pv \
    --pair-ids hyd-calc-expt,pbe0-cc2,aqsol-esol,tb-tc,tb-flash,mp-logs,sim-tc,gap-exc,mp-flash
}
tasksets() { # seed
  echo "== task sets seed $1: $(date -u)"
  nice -n 19 java -jar "$J" benchmark --pairs pairs/tasksets.json --protocol pairs/converged-purged.json --tuned "$T" \
    --pair-ids gap-exc-500,mp-esol --methods gear --split-types random,scaffold --seeds "$1" --folds 4 --max-folds 1 \
    --workers "$workers" --no-plots --data-dir "$data" -o runs/tasksets-pairs
  nice -n 19 java -jar "$J" benchmark --pairs pairs/tasksets.json --protocol pairs/converged-purged.json --tuned "$T" \
    --pair-ids tb-mp-flash,tb-sim-tc,gap-pbe0-cc2,aqsol-mp-esol --methods stl,mtl,finetune,gate,gear,gear-no-curv \
    --split-types random,scaffold --seeds "$1" --folds 4 --max-folds 1 --workers "$workers" --no-plots \
    --data-dir "$data" --pairs-from runs/converged-pv,runs/tasksets-pairs -o runs/tasksets
}
for stage in "${stages[@]}"; do
  case "$stage" in
    pw0) pairwise 0 stl,finetune,kd,gspkd,mtl,gate,gear,gear-no-curv ;;
    pw1) pairwise 1 stl,finetune,kd,gspkd,mtl,gate,gear,gear-no-curv ;;
    pw2) pairwise 2 stl,finetune,kd,gspkd,mtl,gate,gear,gear-no-curv ;;
    strong) pairwise 0,1,2 gear-strong-curv ;;
    ts0) tasksets 0 ;;
    ts1) tasksets 1 ;;
    ts2) tasksets 2 ;;
  esac
done
echo "== done: $(date -u)"
