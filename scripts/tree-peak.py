#!/usr/bin/env python3
"""Runs a command and prints the peak resident memory (MB) of its whole process tree (the
command and every descendant, summed, sampled every 5 ms from /proc): what a server must
budget for a run with its inspection workers. The command's output is discarded; its exit
status is ignored.

    scripts/tree-peak.py COMMAND...          the peak of the summed RSS (shared library pages
                                             counted once per process: an upper bound)
    scripts/tree-peak.py --both COMMAND...   "RSS PSS": also the peak of the summed proportional
                                             set size (shared pages divided among the processes
                                             that map them: what the tree really occupies)
"""
import os
import subprocess
import sys
import time


def children(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as handle:
            return [int(p) for p in handle.read().split()]
    except OSError:
        return []


def rss(pid):
    try:
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, IndexError, ValueError):
        return 0


def tree(pid):
    found = [pid]
    for child in children(pid):
        found += tree(child)
    return found


def pss(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    return 0


def main():
    both = sys.argv[1] == "--both"
    command = sys.argv[2:] if both else sys.argv[1:]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    peak_pss = 0
    samples = 0
    while process.poll() is None:
        pids = tree(process.pid)
        peak = max(peak, sum(rss(pid) for pid in pids))
        # PSS walks the page tables of every process: every 20th sample (100 ms) only.
        if both and samples % 20 == 0:
            peak_pss = max(peak_pss, sum(pss(pid) for pid in pids))
        samples += 1
        time.sleep(0.005)
    if both:
        print(round(peak / 1048576), round(peak_pss / 1048576))
    else:
        print(round(peak / 1048576))


if __name__ == "__main__":
    main()
