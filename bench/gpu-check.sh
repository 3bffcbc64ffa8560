#!/usr/bin/env bash
# The GPU device check (docs/gpu.md, "Device check"): a few minutes on a GPU machine, prints issue 14's table.
#   bash bench/gpu-check.sh                 # on a host with an NVIDIA GPU, driver and a CUDA PyTorch native library
#   bash bench/gpu-check.sh --device cpu    # the same runs on the CPU with tiny synthetic data (checks this script)
# MIXRULE=<command> replaces ./mixrule (e.g. a java -jar mixrule-bench.jar wrapper when the build is current).
# The CUDA PyTorch native library comes either from the -Pcuda build (pytorch-native-cu124 in the jars) or from an
# installed CUDA PyTorch through DJL's variables PYTORCH_LIBRARY_PATH, PYTORCH_VERSION, PYTORCH_FLAVOR, which this
# script derives from `python3 -c 'import torch'` when they are unset. DJL counts GPUs through JNA, which needs a
# file named exactly libcudart.so on jna.library.path: the script links one into .run/gpu-check/jna.
# Packed workers run under CUDA MPS: the script starts the MPS control daemon when it can and none runs (and stops
# it again), otherwise it says the packed figures are plain time-slicing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
DEVICE=gpu
[[ ${1:-} == --device && -n ${2:-} ]] && DEVICE=$2
OUT=.run/gpu-check
mkdir -p "$OUT/jna"
say() { printf '%s\n' "$*" >&2; }
die() { say "gpu-check: $*"; exit 1; }

if [[ $DEVICE == cpu ]]; then
  COMMON=(--device cpu --dataset synthetic --train-limit 512)
  PACK=(2 2)
else
  command -v nvidia-smi >/dev/null || die "no nvidia-smi: this needs an NVIDIA driver (docs/gpu.md)"
  nvidia-smi -L >&2
  if [[ -z ${PYTORCH_LIBRARY_PATH:-} ]] && ! ls mixrule-bench/target/lib/pytorch-native-cu* >/dev/null 2>&1; then
    # no -Pcuda build: use an installed CUDA PyTorch (DJL 0.33 needs its JNI built for that version: docs/gpu.md)
    read -r TORCH_LIB TORCH_VERSION TORCH_CUDA < <(python3 -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"), torch.__version__.split("+")[0], torch.version.cuda or "none")' 2>/dev/null) \
      || die "no CUDA PyTorch native library: build with 'mvn -B -Pcuda -DskipTests package', or install a CUDA torch for python3"
    [[ $TORCH_CUDA != none ]] || die "python3's torch $TORCH_VERSION is a CPU build"
    export PYTORCH_LIBRARY_PATH=$TORCH_LIB PYTORCH_VERSION=$TORCH_VERSION PYTORCH_FLAVOR=cu${TORCH_CUDA//./}
    export LD_LIBRARY_PATH="$TORCH_LIB:$(python3 -c 'import glob, os, site; print(":".join(sorted(glob.glob(os.path.join(site.getsitepackages()[0], "nvidia", "*", "lib")))))' 2>/dev/null):${LD_LIBRARY_PATH:-}"
    say "PyTorch from python3: PYTORCH_LIBRARY_PATH=$PYTORCH_LIBRARY_PATH PYTORCH_VERSION=$PYTORCH_VERSION PYTORCH_FLAVOR=$PYTORCH_FLAVOR"
  fi
  CUDART=$( (ldconfig -p 2>/dev/null | awk '/libcudart\.so/ {print $NF}'; IFS=:; for d in ${LD_LIBRARY_PATH:-} /usr/local/cuda/lib64; do ls "$d"/libcudart.so* 2>/dev/null; done) | head -n 1)
  [[ -n $CUDART ]] || die "no libcudart.so* found (ldconfig, LD_LIBRARY_PATH, /usr/local/cuda/lib64): DJL cannot count GPUs"
  ln -sf "$CUDART" "$OUT/jna/libcudart.so"
  export JAVA_TOOL_OPTIONS="-Djna.library.path=$PWD/$OUT/jna ${JAVA_TOOL_OPTIONS:-}"
  COMMON=(--device "gpu(0)" --train-limit 20000)
  PACK=(8 4)
fi

run() { # NAME ARGS...: one bench gpu run, its JSON kept, its text shown
  local name=$1; shift
  say "== $name"
  ${MIXRULE:-./mixrule} bench gpu "${COMMON[@]}" "$@" --json > "$OUT/$name.json"
  python3 -c 'import json,sys; o=json.load(open(sys.argv[1])); p=o.get("pytorch_eager",{});
print("   %-28s workers %d: %8.0f images/s in all (last epochs %8.0f); PyTorch eager %s" % (sys.argv[2], o["workers"],
  o["train_images_per_second"], o["last_epoch_images_per_second"],
  "%.0f" % p["last_epoch_images_per_second"] if "last_epoch_images_per_second" in p else p.get("not_measured", "-")))' \
    "$OUT/$name.json" "$name" | tee -a "$OUT/table.txt"
}

: > "$OUT/table.txt"
run reference-bp --network reference --rule bp --epochs 3
(export JAVA_TOOL_OPTIONS="-Dmixrule.training.resident-data=false ${JAVA_TOOL_OPTIONS:-}" # batches uploaded each step, as before
 run reference-bp-host-batches --network reference --rule bp --epochs 3 --no-pytorch)
run reference-fa --network reference --rule fa --no-pytorch
run nb201-mixed --network nb201 --epochs 2 --no-pytorch
run nb201-bp --network nb201 --rule bp --epochs 2
STARTED_MPS=""
if [[ $DEVICE != cpu ]] && ! pgrep -x nvidia-cuda-mps-control >/dev/null; then
  if nvidia-cuda-mps-control -d 2>/dev/null; then STARTED_MPS=1; else say "no MPS daemon (start it as root: nvidia-cuda-mps-control -d): packed runs are time-slicing"; fi
fi
run "packed-reference-x${PACK[0]}" --network reference --rule bp --workers "${PACK[0]}" --no-pytorch
run "packed-nb201-x${PACK[1]}" --network nb201 --workers "${PACK[1]}" --no-pytorch
[[ -n $STARTED_MPS ]] && echo quit | nvidia-cuda-mps-control
say "== table (also $OUT/table.txt; each run's JSON in $OUT/)"
cat "$OUT/table.txt"
