# Shared by the benchmark scripts (sourced, not run).

median3() {  # one warm-up, then the median wall time of three runs of "$@"
  "$@" >/dev/null 2>&1 || true
  local times=() start end
  for _ in 1 2 3; do
    start=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || true
    end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | bc)")
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n 2p
}
