#!/usr/bin/env python3
"""Runs a command and prints the peak resident memory (MB) of its whole process tree (the
command and every descendant, summed, sampled every 5 ms from /proc): what a server must
budget for a run with its inspection workers. The command's output is discarded; its exit
status is ignored."""
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


def main():
    process = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    while process.poll() is None:
        peak = max(peak, sum(rss(pid) for pid in tree(process.pid)))
        time.sleep(0.005)
    print(round(peak / 1048576))


if __name__ == "__main__":
    main()
