#!/usr/bin/env python3
"""Query/Scan benchmark (not part of ctest).

Loads ITEMS items (default 100,000) into table `bench_q` of a running server, in
partitions of 20 items (pk "p<i>", sk 0..19, a 100-byte payload), then measures:
  - a full Scan, page after page (items/s);
  - segment 0 of an 8-segment parallel Scan: the keys it reads (the sum of
    ScannedCount over its pages) against the table's size;
and prints the wrk command for the Query benchmark (tools/bench/wrk/query.lua).

Usage: tools/bench/query_scan.py http://127.0.0.1:PORT [ITEMS]
"""

import sys
import time

import boto3
import botocore.config

PER_PARTITION = 20


def main():
    endpoint = sys.argv[1]
    items = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    partitions = items // PER_PARTITION
    client = boto3.client("dynamodb", endpoint_url=endpoint, region_name="us-east-1",
                          aws_access_key_id="fake", aws_secret_access_key="fake",
                          config=botocore.config.Config(retries={"max_attempts": 0}))
    table = "bench_q"
    if table not in client.list_tables()["TableNames"]:
        client.create_table(
            TableName=table, BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                  {"AttributeName": "sk", "AttributeType": "N"}],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                       {"AttributeName": "sk", "KeyType": "RANGE"}])
        payload = "x" * 100
        start = time.perf_counter()
        batch = []
        for p in range(partitions):
            for s in range(PER_PARTITION):
                batch.append({"PutRequest": {"Item": {"pk": {"S": "p%d" % p}, "sk": {"N": str(s)},
                                                      "d": {"S": payload}}}})
                if len(batch) == 25:
                    client.batch_write_item(RequestItems={table: batch})
                    batch = []
        if batch:
            client.batch_write_item(RequestItems={table: batch})
        print("loaded %d items in %.1f s" % (items, time.perf_counter() - start))

    # Full scan.
    start = time.perf_counter()
    read = pages = 0
    kwargs = {"TableName": table}
    while True:
        page = client.scan(**kwargs)
        read += page["Count"]
        pages += 1
        if "LastEvaluatedKey" not in page:
            break
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    elapsed = time.perf_counter() - start
    print("full scan: %d items in %d pages, %.2f s, %.0f items/s" % (read, pages, elapsed,
                                                                     read / elapsed))

    # One segment of eight.
    start = time.perf_counter()
    scanned = 0
    kwargs = {"TableName": table, "Segment": 0, "TotalSegments": 8}
    while True:
        page = client.scan(**kwargs)
        scanned += page["ScannedCount"]
        if "LastEvaluatedKey" not in page:
            break
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    elapsed = time.perf_counter() - start
    print("segment 0 of 8: read %d keys of %d (%.1f%%, 1/8 = 12.5%%), %.2f s" % (
        scanned, read, 100.0 * scanned / read, elapsed))

    print("Query benchmark:\n  DYNEMU_BENCH_TABLE=%s DYNEMU_BENCH_PARTITIONS=%d "
          "wrk -t2 -c16 -d10s -s tools/bench/wrk/query.lua %s/" % (table, partitions, endpoint))


if __name__ == "__main__":
    main()
