#!/usr/bin/env python3
"""Secondary-index benchmark (issue 6; not part of ctest).

1. PutItem throughput on a table without GSIs and on one with --gsis GSIs (ALL
   projection, keyed on the `n` attribute every put of dynemu-bench writes), in
   one dynemu-bench run: two dynemu servers (LevelDB on disk, temporary
   directories), each holding table `bench`, measured in alternating rounds
   (A B, B A, ...), so both see the same machine conditions. The driver prints
   the ratio (req/s without GSIs / with them).
2. Backfill rate: --backfill-items items (~1 KB each, stored by dynemu-bench
   --preload-only) in table `backfill`, then UpdateTable creates a GSI on `n`
   (ALL); DescribeTable is polled every 10 ms until the index is ACTIVE.
   items/s = items / (time from the UpdateTable answer to the first ACTIVE).

Usage: tools/bench/index_overhead.py [--build DIR] [--gsis 5] [--rounds 4]
           [--duration-ms 3000] [--connections 32] [--backfill-items 100000]
The build directory (default $DYNEMU_BUILD_DIR, else <repo>/build) must hold
server/dynemu and tools/dynemu-bench.
"""

import argparse
import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "e2e"))

from aws_clients import client  # noqa: E402
from dynemu_server import DynemuServer  # noqa: E402


def key_schema(*names):
    return [{"AttributeName": n, "KeyType": t} for n, t in zip(names, ("HASH", "RANGE"))]


def create_bench_table(ddb, name, gsis):
    definitions = [{"AttributeName": "id", "AttributeType": "S"}]
    kwargs = {}
    if gsis:
        definitions.append({"AttributeName": "n", "AttributeType": "N"})
        # Every index holds every put: hashed on n, half of them sorted by id.
        kwargs["GlobalSecondaryIndexes"] = [
            {"IndexName": "gsi%d" % i,
             "KeySchema": key_schema("n", "id") if i % 2 else key_schema("n"),
             "Projection": {"ProjectionType": "ALL"}}
            for i in range(gsis)]
    ddb.create_table(TableName=name, AttributeDefinitions=definitions,
                     KeySchema=key_schema("id"), BillingMode="PAY_PER_REQUEST", **kwargs)


def index_status(ddb, table, index):
    for i in ddb.describe_table(TableName=table)["Table"].get("GlobalSecondaryIndexes", []):
        if i["IndexName"] == index:
            return i
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", default=os.environ.get("DYNEMU_BUILD_DIR")
                        or os.path.join(ROOT, "build"))
    parser.add_argument("--gsis", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--duration-ms", type=int, default=3000)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--backfill-items", type=int, default=100000)
    args = parser.parse_args()
    dynemu = os.path.join(args.build, "server", "dynemu")
    bench = os.path.join(args.build, "tools", "dynemu-bench")

    plain = DynemuServer(binary=dynemu, data_dir="temp").start()
    indexed = DynemuServer(binary=dynemu, data_dir="temp").start()
    try:
        create_bench_table(client(plain), "bench", 0)
        create_bench_table(client(indexed), "bench", args.gsis)
        names = ("gsi0", "gsi%d" % args.gsis)
        command = [bench, "--endpoint", "%s=%s" % (names[0], plain.endpoint_url),
                   "--endpoint", "%s=%s" % (names[1], indexed.endpoint_url),
                   "--workloads", "put", "--no-setup", "--rounds", str(args.rounds),
                   "--duration-ms", str(args.duration_ms), "--connections",
                   str(args.connections)]
        print("$ " + " ".join(command), flush=True)
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        print(output, flush=True)
        rates = dict(re.findall(r"RESULT workload=put endpoint=(\S+) available=1 rps=(\d+)", output))
        errors = re.findall(r"RESULT workload=put endpoint=\S+ .* errors=(\d+) wrong=(\d+)", output)
        if any(e != ("0", "0") for e in errors):
            print("errors or wrong answers during the put runs: %s" % errors)
            return 1
        # Every put reached every index.
        for i in range(args.gsis):
            count = index_status(client(indexed), "bench", "gsi%d" % i)["ItemCount"]
            table_count = client(indexed).describe_table(TableName="bench")["Table"]["ItemCount"]
            if count != table_count:
                print("gsi%d holds %d entries, the table %d items" % (i, count, table_count))
                return 1
        print("PutItem req/s: %s GSIs %s, %d GSIs %s; ratio %.2f (%.0f%% of the rate without GSIs)"
              % (0, rates[names[0]], args.gsis, rates[names[1]],
                 float(rates[names[0]]) / float(rates[names[1]]),
                 100.0 * float(rates[names[1]]) / float(rates[names[0]])))
    finally:
        indexed.close()

    try:
        n = args.backfill_items
        command = [bench, "--endpoint", "a=%s" % plain.endpoint_url, "--table", "backfill",
                   "--preload-only", str(n), "--connections", str(args.connections)]
        print("\n$ " + " ".join(command), flush=True)
        print(subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip())
        ddb = client(plain)
        table = ddb.describe_table(TableName="backfill")["Table"]
        start = time.monotonic()
        ddb.update_table(
            TableName="backfill",
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"},
                                  {"AttributeName": "n", "AttributeType": "N"}],
            GlobalSecondaryIndexUpdates=[{"Create": {
                "IndexName": "byN", "KeySchema": key_schema("n"),
                "Projection": {"ProjectionType": "ALL"},
                # dynemu-bench creates its tables PROVISIONED.
                "ProvisionedThroughput": {"ReadCapacityUnits": 1000,
                                          "WriteCapacityUnits": 1000}}}])
        answered = time.monotonic()
        while True:
            index = index_status(ddb, "backfill", "byN")
            if index["IndexStatus"] == "ACTIVE":
                break
            time.sleep(0.01)
        elapsed = time.monotonic() - answered
        if index["ItemCount"] != n or table["ItemCount"] != n:
            print("backfill: %d items in the table, %d in the index, %d expected"
                  % (table["ItemCount"], index["ItemCount"], n))
            return 1
        print("Backfill of %d items (%.1f MB): UpdateTable answered in %.3f s, ACTIVE after "
              "%.2f s: %.0f items/s" % (n, table["TableSizeBytes"] / 1e6, answered - start,
                                        elapsed, n / elapsed))
    finally:
        plain.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
