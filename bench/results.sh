#!/usr/bin/env bash
# Reproduces every number in docs/results.md (Fashion-MNIST, CPU). Two lanes run side by side, one
# thread each (on 2 cores that moves more images than one process with two threads).
#   bash bench/results.sh            # about 105 minutes on 2 cores
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
./mixrule build >/dev/null
export MIXRULE_THREADS=1
mkdir -p .run
(
  ./mixrule bench rules --epochs 3 --seeds 3 --lrs 0.01,0.05 --json > docs/results-rules.json 2> .run/results-rules.log
  ./mixrule bench mixtures --set nb201 --seeds 5 --epochs 1 --train-limit 6000 --json > docs/results-mixtures-nb201.json 2> .run/results-mixtures-nb201.log
) &
(
  ./mixrule bench mixtures --set lenet --seeds 5 --epochs 2 --train-limit 12000 --json > docs/results-mixtures-lenet.json 2> .run/results-mixtures-lenet.log
) &
wait
# the search study: the mixed arm and the single arm in two processes (five seeds each, the same seeds and
# the same exact_gradient_fraction cap); bench/results_tables.py pairs them by seed
for part in "mixed a" "single b"; do
  set -- $part
  ./mixrule bench mixing --arms "$1" --seeds 5 --budget 8 --epochs 2 --train-limit 12000 --max-exact-gradient-fraction 0.05 \
      --protocol standard --examples 500 --json > "docs/results-mixing-$2.json" 2> ".run/results-mixing-$2.log" &
done
wait
