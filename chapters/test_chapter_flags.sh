#!/usr/bin/env bash
# test_chapter_flags.sh BIN_DIR — every chapter checks its flags before it loads data or trains:
# a bad value exits with status 2 and a message naming the flag, the value and the rule; --help
# exits with 0 and shows each default once. MNIST is pointed at an empty folder, so a chapter that
# loaded data before checking its flags would fail differently (status 1, "cannot open"), and
# nothing is trained or written. Registered with CTest by chapters/flags_test.cmake.
set -uo pipefail
bin=${1:?usage: test_chapter_flags.sh BIN_DIR}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export SCRATCH_DATA_DIR=$tmp/no-mnist SCRATCH_PLOTS_DIR=$tmp/plots
failures=0

for program in ch01_computational_graph ch02_layers ch02_full_batch_mnist ch03_gradient_check \
               ch04_train_two_layer_net ch05_optimizers_2d ch05_optimizers_mnist ch06_autoencoder ch06_cbow \
               ch06_spiral ch07_weight_init ch07_batch_norm ch07_overfitting ch07_hyperparameter_search; do
  if [[ ! -x $bin/$program ]]; then
    echo "SKIP: $bin/$program is not built (cmake --build build --target chapters)"
    exit 77  # CTest's SKIP_RETURN_CODE
  fi
done

# expect_error PROGRAM 'MESSAGE' FLAGS...: status 2 and MESSAGE on stderr.
expect_error() {
  local program=$1 message=$2
  shift 2
  local err status
  err=$(timeout 20 "$bin/$program" "$@" 2>&1 >/dev/null)
  status=$?
  if [[ $status -ne 2 || $err != *"$program: $message"* ]]; then
    echo "FAIL: $program $* exited with $status; expected 2 and '$program: $message'. It printed:"
    echo "$err" | head -5 | sed 's/^/    /'
    failures=$((failures + 1))
  else
    echo "ok:   $program $*  ->  $message"
  fi
}

ch04=ch04_train_two_layer_net
expect_error $ch04 "--batch-size: '-5' is not a count (a whole number >= 0)" --batch-size -5
expect_error $ch04 "--train-samples: '-1' is not a count (a whole number >= 0)" --train-samples -1
expect_error $ch04 "--seed: '-1' is not a count (a whole number >= 0)" --seed -1
expect_error $ch04 "--seed: 18446744073709551616 is out of range (at most 18446744073709551615)" --seed 18446744073709551616
expect_error $ch04 "--epochs: '2x' is not a whole number" --epochs 2x
expect_error $ch04 "--epochs given twice" --epochs 2 --epochs=3
expect_error $ch04 "--batch-size: got 0, must be between 1 and --train-samples (60000)" --batch-size 0
expect_error $ch04 "--batch-size: got 7000, must be between 1 and --train-samples (6000)" --quick --batch-size 7000
expect_error $ch04 "--epochs: got 0, must be at least 1" --epochs 0
expect_error $ch04 "--hidden: got 0, must be at least 1" --hidden 0
expect_error $ch04 "--train-samples: got 70000, must be between 1 and 60000, the images in the MNIST training set" \
  --train-samples 70000
expect_error $ch04 "--lr: got -0.1, must be greater than 0" --lr -0.1
expect_error $ch04 "--lr: got 0, must be greater than 0" --lr 0
expect_error $ch04 "--lr: nan is not a finite number" --lr nan
expect_error $ch04 "--threads: got 0, must be at least 1" --threads 0

expect_error ch05_optimizers_mnist "--iterations: got 0, must be at least 1" --iterations 0
expect_error ch05_optimizers_mnist "--batch-size: got 0, must be between 1 and the 60000 training images" --batch-size 0
expect_error ch05_optimizers_mnist "--batch-size: got 6001, must be between 1 and the 6000 training images" \
  --quick --batch-size 6001

expect_error ch06_autoencoder "--batch-size: got 0, must be between 1 and --train-samples (60000)" --batch-size 0
expect_error ch06_autoencoder "--max-grad: got -1, must be at least 0 (0: no clipping)" --max-grad -1
expect_error ch06_autoencoder "--max-grad: inf is not a finite number" --max-grad inf
expect_error ch06_autoencoder "--test-samples: got 0, must be between 1 and 10000, the images in the MNIST test set" \
  --test-samples 0
expect_error ch06_autoencoder "--resume: needs --checkpoint PATH, the file to continue from" --resume
expect_error ch06_autoencoder "--resume is a switch and takes no value (got 'yes')" --resume=yes

expect_error ch06_cbow "--epochs: got 0, must be at least 1" --epochs 0
expect_error ch06_cbow "--batch-size: got 5000, must be between 1 and the 411 (contexts, target) pairs" --batch-size 5000
expect_error ch06_cbow "--hidden: got 0, must be at least 1" --hidden 0
expect_error ch06_cbow "--lr: got -1, must be greater than 0" --lr=-1

ch02m=ch02_full_batch_mnist
expect_error $ch02m "--epochs: got 0, must be at least 1" --epochs 0
expect_error $ch02m "--train-samples: got 0, must be between 1 and 60000, the images in the MNIST training set" \
  --train-samples 0
expect_error $ch02m "--train-samples: got 60001, must be between 1 and 60000, the images in the MNIST training set" \
  --train-samples 60001
expect_error $ch02m "--lr: got 0, must be greater than 0" --lr 0
expect_error $ch02m "unknown flag --batch-size" --batch-size 100

expect_error ch06_spiral "--epochs: got 0, must be at least 1" --epochs 0
expect_error ch06_spiral "--batch-size: got 301, must be between 1 and the 300 spiral points" --batch-size 301
expect_error ch06_spiral "--batch-size: got 0, must be between 1 and the 300 spiral points" --batch-size 0
expect_error ch06_spiral "--lr: got 0, must be greater than 0" --lr 0

expect_error ch07_weight_init "--iterations: got 0, must be at least 1" --iterations 0
expect_error ch07_weight_init "--batch-size: got 70000, must be between 1 and 60000, the MNIST training images" \
  --batch-size 70000
expect_error ch07_weight_init "--lr: got 0, must be greater than 0" --lr 0
expect_error ch07_batch_norm "--batch-size: got 1, must be between 2 (batch norm needs a batch variance) and --train-samples (1000)" \
  --batch-size 1
expect_error ch07_batch_norm "--scales: got 1, must be at least 2 (the first is 1, the last 1e-4)" --scales 1
expect_error ch07_batch_norm "--train-samples: got 1, must be between 2 and 60000" --train-samples 1
expect_error ch07_overfitting "--dropout: got 1, must be greater than 0 and less than 1" --dropout 1
expect_error ch07_overfitting "--lambda: got -0.1, must be greater than 0" --lambda -0.1
expect_error ch07_overfitting "--test-samples: got 20000, must be between 1 and 10000, the images in the MNIST test set" \
  --test-samples 20000
expect_error ch07_hyperparameter_search "--trials: got 0, must be at least 1" --trials 0
expect_error ch07_hyperparameter_search "--batch-size: got 401, must be between 1 and the 400 images left after validation" \
  --batch-size 401
expect_error ch07_hyperparameter_search "--train-samples: got 5, must be between 10 and 60000" --train-samples 5

expect_error ch01_computational_graph "--threads: '1.5' is not a whole number" --threads 1.5
expect_error ch02_layers "--seed: 'x' is not a count (a whole number >= 0)" --seed x
expect_error ch03_gradient_check "--quick is a switch and takes no value (got '1')" --quick=1
expect_error ch05_optimizers_2d "unknown flag --epochs" --epochs 3

# --help: status 0, and no flag shows its default twice.
for program in ch01_computational_graph ch02_layers ch02_full_batch_mnist ch03_gradient_check \
               ch04_train_two_layer_net ch05_optimizers_2d ch05_optimizers_mnist ch06_autoencoder ch06_cbow \
               ch06_spiral ch07_weight_init ch07_batch_norm ch07_overfitting ch07_hyperparameter_search; do
  out=$(timeout 20 "$bin/$program" --help 2>&1)
  status=$?
  twice=$(grep -E 'default.*default' <<<"$out")
  if [[ $status -ne 0 || -n $twice || $out != *"--seed N"* ]]; then
    echo "FAIL: $program --help exited with $status; lines with two defaults: ${twice:-none}"
    failures=$((failures + 1))
  else
    echo "ok:   $program --help"
  fi
done

echo "$failures failure(s)"
[[ $failures -eq 0 ]]
