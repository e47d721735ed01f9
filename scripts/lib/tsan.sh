# shellcheck shell=bash
# The ThreadSanitizer step of scripts/test: builds only the loop-core and
# session test folders with -DTRIBUTARY_TSAN=ON (clang) and runs them.
# Sourced after common.sh, not executed.

# The folders under tests/unit whose tests run under TSan: every test in them,
# including ones added later (each folder is a Ninja "<dir>/all" target).
TSAN_SUITES=(loop net_loop session)

# TSan sees only what was compiled with it. Qt, libuv and OpenSSL were not:
# reports from inside them (the QtTest watchdog thread's QWaitCondition) are
# not ours to fix, and a synchronisation done only inside them is invisible,
# so TSan checks only accesses made by our code. halt_on_error: the first
# race fails the test, with its stacks.
TSAN_RUNTIME_OPTIONS="ignore_noninstrumented_modules=1 halt_on_error=1 second_deadlock_stack=1"

# Test functions that cannot run under TSan, as "binary:function". The
# death-test of tst_loop_post starts itself again through QProcess, whose
# clone() (Qt's forkfd) trips a CHECK in clang-14's TSan runtime
# (tsan_rtl.cpp:234 "!thr->slot" in ForkAfter) before the child runs.
TSAN_SKIPPED_FUNCTIONS=(tst_loop_post:offThreadUseAborts)

# run_tsan_tests BUILD_DIR [ctest args...]: builds and runs TSAN_SUITES.
run_tsan_tests() {
  local dir=$1
  shift
  local targets=() suite status=0
  for suite in "${TSAN_SUITES[@]}"; do
    targets+=("tests/unit/$suite/all")
  done
  say "building the loop and session tests under TSan ($dir)"
  cmake --build "$dir" -j "$(jobs_count)" --target "${targets[@]}"

  local skipped_binaries=() entry
  for entry in "${TSAN_SKIPPED_FUNCTIONS[@]}"; do
    skipped_binaries+=("${entry%%:*}")
  done
  local exclude
  exclude="^($(IFS='|'; echo "${skipped_binaries[*]}"))\$"
  say "running the loop and session tests under TSan ($dir)"
  for suite in "${TSAN_SUITES[@]}"; do
    TSAN_OPTIONS="$TSAN_RUNTIME_OPTIONS" ctest --test-dir "$dir/tests/unit/$suite" \
      --output-on-failure -j "$(jobs_count)" -E "$exclude" "$@" || status=1
  done
  # The excluded binaries run here, every test function but the skipped ones.
  local binary path functions
  for binary in $(printf '%s\n' "${skipped_binaries[@]}" | sort -u); do
    path=$(find "$dir/tests/unit" -type f -name "$binary" -perm -u+x | head -n 1)
    [ -n "$path" ] || continue
    functions=$("$path" -functions | sed 's/()$//' | while read -r fn; do
      [[ " ${TSAN_SKIPPED_FUNCTIONS[*]} " == *" $binary:$fn "* ]] || echo "$fn"
    done)
    say "running $binary under TSan without: $(printf '%s\n' "${TSAN_SKIPPED_FUNCTIONS[@]}" |
      sed -n "s/^$binary://p" | tr '\n' ' ')"
    # shellcheck disable=SC2086 # one argument per function name
    (cd "$(dirname "$path")" && TSAN_OPTIONS="$TSAN_RUNTIME_OPTIONS" QT_QPA_PLATFORM=offscreen \
      TRIBUTARY_SOURCE_DIR="$TRIBUTARY_ROOT" timeout 300 "$path" $functions) || status=1
  done
  return "$status"
}
