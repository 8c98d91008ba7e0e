#!/usr/bin/env bash
# GPU check: on a machine with an NVIDIA GPU (driver for CUDA 12.9), from the project root:
#   scripts/gpu-check.sh [OUTPUT_DIR]
# 1. builds target/gear.jar with the GPU natives (Maven profile -Pgpu: pytorch linux-x86_64-gpu and the
#    CUDA 12.9 runtime from Maven Central; needs network on first use, several GB);
# 2. runs the tests tagged "gpu" (CUDA against CPU within float32 tolerance: the D-MPNN training step, the
#    curvature routes, one GEAR step and one k-task GEAR step with every loss term and weight gradient, and
#    gear transfer, gear train (an ensemble) and gear transfer --task runs of a few epochs whose model files are
#    read back on the CPU) and fails if they fail or were skipped (no usable CUDA device);
# 3. prints the throughput on the GPU with the CPU numbers beside them, from the same jar on the same machine:
#    the curvature routes (gear bench curvature --interleave, --device cpu / cuda), the D-MPNN training step alone
#    (gear.bench.TrainStepDeviceBench), D-MPNN training as gear train runs it (gear bench train --device cpu / cuda)
#    and one GEAR step against two STL steps (gear bench train --method gear --device cpu / cuda).
# Everything is also written to OUTPUT_DIR (default gpu-check-<UTC time>); record the numbers in
# docs/PERFORMANCE.md with the card's name.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out="${1:-gpu-check-$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$out"
data="${GEAR_DATA:-$root/../shared/data}"

if ! command -v nvidia-smi >/dev/null 2>&1; then
  echo "gpu-check: nvidia-smi not found: this check needs a machine with an NVIDIA GPU" >&2
  exit 2
fi
{
  date -u +"date: %Y-%m-%d %H:%M UTC"
  echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader | sed 's/^/gpu: /'
  echo "cpu: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores"
} | tee "$out/machine.txt"

echo "== build (-Pgpu)"
mvn -B -q -Pgpu -DskipTests package

echo "== gpu tests"
rm -f target/surefire-reports/TEST-gear.gpu.*.xml
mvn -B -Pgpu -Dgroups=gpu -Dgear.test.excludedGroups= -Dsurefire.failIfNoSpecifiedTests=false test 2>&1 \
  | tee "$out/gpu-tests.log" | grep -E "Tests run|FAIL|ERROR" || true
reports=(target/surefire-reports/TEST-gear.gpu.*.xml)
if [ ! -f "${reports[0]}" ]; then
  echo "gpu-check: no gpu test report was written" >&2
  exit 1
fi
if grep -qE 'failures="[1-9]|errors="[1-9]' "${reports[@]}"; then
  echo "gpu-check: gpu tests FAILED (see $out/gpu-tests.log)" >&2
  exit 1
fi
if grep -q 'skipped="[1-9]' "${reports[@]}"; then
  echo "gpu-check: gpu tests were SKIPPED: libtorch sees no usable CUDA device (driver, CUDA 12.9 runtime?)" >&2
  exit 1
fi
echo "gpu tests passed"

java=(java --enable-native-access=ALL-UNNAMED -cp target/gear.jar)
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1

echo "== curvature: R and its weight gradient (float32), median ms of forward + backward"
for dev in cpu cuda; do
  "${java[@]}" gear.cli.Main bench curvature --dims 16/32,50/64 --sizes 64,512 --routes gauss,gauss-dense \
    --interleave 5 --timeout 600 --device "$dev" > "$out/curvature-$dev.jsonl"
done
python3 - "$out" <<'EOF'
import json, sys
out = sys.argv[1]
rows = {}
for dev in ("cpu", "cuda"):
    for line in open(f"{out}/curvature-{dev}.jsonl"):
        o = json.loads(line)
        if o.get("bench") != "curvature-interleaved":
            continue
        for route in ("gauss", "gauss-dense"):
            v = o.get(route, {}).get("total_ms_median") if o.get("status") == "ok" else None
            rows.setdefault((o["d_z"], o["d_M"], o["size"], route), {})[dev] = v
print(f"{'d_z/d_M':>8} {'points':>6} {'route':>12} {'CPU ms':>10} {'CUDA ms':>10} {'speed-up':>9}")
for (dz, dm, size, route), v in sorted(rows.items()):
    c, g = v.get("cpu"), v.get("cuda")
    f = lambda x: f"{x:10.1f}" if x else f"{'skipped':>10}"
    print(f"{dz:>5}/{dm:<2} {size:>6} {route:>12} {f(c)} {f(g)} {c / g if c and g else float('nan'):9.1f}")
EOF

echo "== D-MPNN training step alone (forward + backward + Adam, d_h 300, batch 50, float32), molecules/s"
for csv in esol_delaney_logS.csv lipophilicity_logD74.csv; do
  if [ -f "$data/$csv" ]; then
    for dev in cpu cuda; do
      "${java[@]}" gear.bench.TrainStepDeviceBench "$data/$csv" "$dev" 10000 3 | tee -a "$out/train-step.jsonl"
    done
  else
    echo "($data/$csv not found: set GEAR_DATA)"
  fi
done
echo "== GEAR step (d_h 300, d_z 16, d_M 32, curvature on 8 molecules, 50 + 50 molecules) against two STL steps, ms"
for dev in cpu cuda; do
  "${java[@]}" gear.cli.Main bench train --method gear --device "$dev" --threads 1 --steps 15 \
    | tee -a "$out/gear-step.jsonl"
done
python3 - "$out" <<'EOF'
import json, sys
rows = [json.loads(l) for l in open(f"{sys.argv[1]}/gear-step.jsonl") if l.strip().startswith("{")]
print(f"{'device':>8} {'GEAR step ms':>13} {'STL target ms':>14} {'STL source ms':>14} {'ratio':>6}")
for o in rows:
    print(f"{o['device']:>8} {1000 * o['method_step_s']:13.1f} {1000 * o['stl_target_step_s']:14.1f} "
          f"{1000 * o['stl_source_step_s']:14.1f} {o['ratio']:6.2f}")
EOF
echo "== D-MPNN training as gear train runs it (gear bench train: batch pipeline, schedule, Adam; d_h 300, batch 50), molecules/s"
for csv in esol_delaney_logS.csv lipophilicity_logD74.csv; do
  if [ -f "$data/$csv" ]; then
    for dev in cpu cuda; do
      "${java[@]}" gear.cli.Main bench train -i "$data/$csv" --epochs 3 --threads 1 --device "$dev" \
        | tee -a "$out/bench-train.jsonl"
    done
  fi
done
if [ -f "$out/bench-train.jsonl" ]; then
  python3 - "$out" <<'EOF'
import json, sys
rows = {}
for line in open(f"{sys.argv[1]}/bench-train.jsonl"):
    if line.strip().startswith("{"):
        o = json.loads(line)
        if o.get("measurement") == "train_throughput":
            rows.setdefault(o["data"], {})[o.get("device", "cpu")] = o["mol_per_s"]
print(f"{'data':>28} {'CPU mol/s':>10} {'CUDA mol/s':>11} {'speed-up':>9}")
for d, v in rows.items():
    c, g = v.get("cpu"), v.get("cuda")
    print(f"{d:>28} {c or float('nan'):10.0f} {g or float('nan'):11.0f} {g / c if c and g else float('nan'):9.1f}")
EOF
fi
echo "gpu-check: done; results in $out"
