#!/usr/bin/env python3
"""Groups the samples of `perf script -F comm,ip,sym` (with call graphs) by what the server was
doing: each sample counts once, for the first group below any frame of its stack matches (so a
commit's fsync counts as the commit, not as the kernel). Used by bench/profile-orders.sh."""

import collections
import sys

# (group, substrings of frame names), most specific first.
GROUPS = [
    ("SQLite: commit (WAL frames + fsync)", ["sqlite3VdbeHalt", "vdbeCommit", "sqlite3PagerCommitPhaseOne"]),
    ("SQLite: BEGIN/COMMIT statements", ["sqlite3_exec"]),
    ("SQLite: read transaction start, page cache dropped", ["sqlite3PagerSharedLock", "btreeBeginTrans", "pager_reset"]),
    ("SQLite: page reads (pread)", ["readDbPage"]),
    ("SQLite: table and index scans", ["sqlite3BtreeNext", "sqlite3BtreePrevious", "moveToLeftmost", "sqlite3BtreeFirst"]),
    ("SQLite: statement preparation", ["sqlite3Prepare", "sqlite3LockAndPrepare", "sqlite3RunParser"]),
    ("SQLite: executing statements (other)", ["sqlite3VdbeExec", "sqlite3_step"]),
    ("sqlx: hand-off to each connection's thread (flume, wake-ups)", ["flume", "sqlx_sqlite"]),
    ("JSON (serde_json)", ["serde_json"]),
    ("SHA-256, random ids", ["sha2", "getrandom", "random_id"]),
    ("logging (tracing)", ["tracing_subscriber", "tracing_core::event"]),
    ("pricing (billing engine)", ["billing::"]),
    ("HTTP (hyper, axum, tower)", ["hyper::", "hyper_util", "axum::", "tower_http"]),
    ("kernel: thread switches, futex (not under the above)", ["finish_task_switch", "futex", "schedule"]),
    ("tokio runtime", ["tokio::"]),
]


def main(path):
    counts = collections.Counter()
    total = 0
    stack = []
    thread = None

    def flush():
        nonlocal total
        if thread is None:
            return
        total += 1
        frames = "\n".join(stack)
        for group, keys in GROUPS:
            if any(key in frames for key in keys):
                counts[group] += 1
                return
        counts["other"] += 1

    with open(path, encoding="utf-8", errors="replace") as lines:
        for line in lines:
            if not line.strip():
                flush()
                stack, thread = [], None
            elif line[0] in " \t":
                stack.append(line.strip())
            else:
                thread = line.split()[0] if line.split() else "?"
        flush()
    print(f"{total} samples of the server process")
    for group, n in counts.most_common():
        print(f"{100 * n / max(total, 1):5.1f}%  {group}")


if __name__ == "__main__":
    main(sys.argv[1])
