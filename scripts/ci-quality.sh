#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Quality gates (issue 7), run by .ci/run after the README's test command:
#
#   1. ASan+UBSan build (debug_vm): the unit suite, then the whole fs suite
#      against that daemon, LeakSanitizer on (a leak at daemon exit makes
#      the daemon exit non-zero, and the mount fixture fails the test).
#   2. TSan build (gcc; TSAN_CC=clang for clang): the multi-threaded
#      stress unit tests (suite 'stress').
#   3. libFuzzer (clang): the checked-in corpora are replayed (every crash
#      ever found stays a regression test), then each target fuzzes for
#      FUZZ_SECONDS (60) and must not crash.
#
# Prints a header per stage and a summary; exits non-zero if any stage
# failed (all stages run regardless).  Build directories: build-asan,
# build-tsan, build-fuzz (QUALITY_PREFIX=build-x gives build-x-asan, ...).
# QUALITY_STAGES="asan tsan fuzz" selects stages.
set -uo pipefail
cd "$(dirname "$0")/.."

PREFIX=${QUALITY_PREFIX:-build}
STAGES=${QUALITY_STAGES:-asan tsan fuzz}
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
# a fixed seed keeps a CI run reproducible; FUZZ_SEED=0 lets libFuzzer pick one
FUZZ_SEED=${FUZZ_SEED:-1}
JOBS=${JOBS:-$(nproc)}
PY=/usr/bin/python3
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export LSAN_OPTIONS=${LSAN_OPTIONS:-}
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=0:second_deadlock_stack=1}

declare -a RESULTS=()
rc=0
T0=$(date +%s)

stage() {
	echo
	echo "=================================================================="
	echo "=== quality: $*"
	echo "=================================================================="
}

result() {	# name status seconds
	RESULTS+=("$(printf '%-34s %-5s %5ss' "$1" "$2" "$3")")
	[ "$2" = ok ] || rc=1
}

run_step() {	# name command...
	local name=$1 started=$(date +%s) st=ok
	shift
	"$@" || st=FAIL
	result "$name" "$st" $(( $(date +%s) - started ))
	[ "$st" = ok ]
}

want() { [[ " $STAGES " == *" $1 "* ]]; }

need_clang() {
	command -v clang >/dev/null && return 0
	echo "clang is missing (scripts/deps.sh installs it)"
	return 1
}

setup() {	# dir meson-args...
	local dir=$1
	shift
	if [ ! -f "$dir/build.ninja" ]; then
		meson setup "$dir" "$@" >/dev/null || return 1
	fi
}

# ------------------------------------------------------------------ ASan
if want asan; then
	B=$PREFIX-asan
	stage "ASan+UBSan build ($B: -Db_sanitize=address,undefined -Ddebug_vm=true)"
	build_asan() {
		setup "$B" --buildtype=debugoptimized -Db_sanitize=address,undefined \
			-Db_lundef=false -Ddebug_vm=true && ninja -C "$B" -j "$JOBS" >/dev/null ||
			ninja -C "$B" -j 1
	}
	if run_step "asan: build" build_asan; then
		stage "ASan+UBSan: unit suite"
		run_step "asan: unit suite" meson test -C "$B" --no-rebuild --print-errorlogs --suite unit
		stage "ASan+UBSan: fs suite against $B/fs/mmfs (LeakSanitizer at daemon exit)"
		run_step "asan: fs suite" env MMFS_BIN="$PWD/$B/fs/mmfs" \
			$PY -m pytest -q -p no:cacheprovider tests/fs
	fi
fi

# ------------------------------------------------------------------ TSan
if want tsan; then
	B=$PREFIX-tsan
	# gcc by default: it defines __SANITIZE_THREAD__, which mm/ checks to keep
	# ThreadSanitizer off the restartable-sequence pcp lock it cannot see
	# (clang 14 does not define it: TSAN_CC=clang reports those as races)
	TSAN_CC=${TSAN_CC:-gcc}
	stage "TSan build ($B: CC=$TSAN_CC -Db_sanitize=thread)"
	build_tsan() {
		{ [ "$TSAN_CC" != clang ] || need_clang; } &&
			CC=$TSAN_CC setup "$B" --buildtype=debugoptimized -Db_sanitize=thread \
			-Db_lundef=false && ninja -C "$B" -j "$JOBS" >/dev/null || ninja -C "$B" -j 1
	}
	if run_step "tsan: build" build_tsan; then
		stage "TSan: stress unit tests (suite 'stress')"
		tsan_stress() {
			meson test -C "$B" --no-rebuild --suite stress && return 0
			# one line per distinct race site, then the first two reports
			local log="$B/meson-logs/testlog.txt"
			echo "--- ThreadSanitizer: $(grep -c '^WARNING: ThreadSanitizer' "$log") reports," \
				"distinct sites (count, site):"
			grep '^SUMMARY: ThreadSanitizer' "$log" | sed 's/^SUMMARY: ThreadSanitizer: //' |
				sed "s|$PWD/$B/../||" | sort | uniq -c | sort -rn | head -40
			awk '/^WARNING: ThreadSanitizer/{n++} n>=1&&n<=2' "$log" | head -120
			grep -E '^ *[0-9]+/[0-9]+ .*(OK|FAIL)' "$log" || true
			echo "--- full log: $log"
			return 1
		}
		run_step "tsan: stress suite" tsan_stress
	fi
fi

# ------------------------------------------------------------------ fuzz
if want fuzz; then
	B=$PREFIX-fuzz
	stage "libFuzzer build ($B: CC=clang -Dfuzz=true -Ddebug_vm=true)"
	build_fuzz() {
		need_clang && CC=clang setup "$B" --buildtype=debugoptimized -Dfuzz=true \
			-Ddebug_vm=true && ninja -C "$B" -j "$JOBS" tests/fuzz/fuzz_mm \
			tests/fuzz/fuzz_control >/dev/null ||
			ninja -C "$B" -j 1 tests/fuzz/fuzz_mm tests/fuzz/fuzz_control
	}
	if run_step "fuzz: build" build_fuzz; then
		stage "libFuzzer: replay the checked-in corpora (regressions)"
		run_step "fuzz: corpus replay" meson test -C "$B" --no-rebuild --print-errorlogs \
			--suite fuzz
		for t in fuzz_mm fuzz_control; do
			stage "libFuzzer: $t for ${FUZZ_SECONDS}s"
			work=$(mktemp -d /tmp/mmfs-$t-XXXXXX)
			# fuzz from the seeds; the crash-* regressions were replayed above
			# (one still crashing must not stop the search for new bugs)
			seed=$work.seed
			mkdir -p "$seed"
			find "tests/fuzz/corpus/$t" -maxdepth 1 -type f ! -name 'crash-*' -exec cp {} "$seed/" \;
			dict=()
			[ -f tests/fuzz/${t#fuzz_}.dict ] && dict=(-dict=tests/fuzz/${t#fuzz_}.dict)
			fuzz_one() {
				"$B/tests/fuzz/$t" -max_total_time="$FUZZ_SECONDS" -timeout=25 \
					-seed="$FUZZ_SEED" \
					-rss_limit_mb=2048 -print_final_stats=1 "${dict[@]}" \
					-artifact_prefix="$work/" "$work" "$seed" \
					> "$work.log" 2>&1
				local st=$?
				grep -E "^#[0-9]+[[:space:]]+(INITED|DONE)|^stat::" "$work.log"
				if [ $st -ne 0 ]; then
					echo "--- $t failed (exit $st); inputs: $(find "$work" -maxdepth 1 -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*')"
					grep -v "^ *#[0-9]" "$work.log" | tail -40
					grep -m1 -A25 "ERROR:" "$work.log"
				fi
				return $st
			}
			run_step "fuzz: $t ${FUZZ_SECONDS}s" fuzz_one
			found=$(find "$work" -maxdepth 1 -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*')
			if [ -n "$found" ]; then
				mkdir -p "$B/fuzz-artifacts/$t"
				cp $found "$B/fuzz-artifacts/$t/"
				echo "--- kept in $B/fuzz-artifacts/$t/ (add to tests/fuzz/corpus/$t/ once understood)"
			fi
			rm -rf "$work" "$work.log" "$seed"
		done
	fi
fi

echo
echo "=================================================================="
echo "=== quality summary ($(( $(date +%s) - T0 ))s in all)"
for r in "${RESULTS[@]}"; do
	echo "    $r"
done
[ $rc -eq 0 ] && echo "=== quality: all stages passed" || echo "=== quality: FAILED"
exit $rc
