#!/usr/bin/env python3
"""Transaction benchmark: TransactWriteItems throughput and conflict rate.

    python3 tools/bench/transactions.py --endpoint http://127.0.0.1:8000 \
        [--clients 16] [--seconds 10] [--accounts 100]

Two closed-loop phases, each with --clients threads, one keep-alive HTTP
connection per thread (standard library only; requests carry a SigV4-shaped
Authorization header that dynemu does not verify):

  put4      TransactWriteItems of 4 Puts of ~100-byte items on fresh keys:
            committed transactions per second.
  transfer  TransactWriteItems moving a random amount between two of
            --accounts accounts (Update with a balance condition on the
            source, Update of the destination): committed per second and the
            share cancelled with TransactionConflict (and with
            ConditionalCheckFailed). Then one TransactGetItems checks that
            the total of the balances is unchanged.

Creates the tables "txbench" and "txaccounts" (deleting them first if they
exist). The Python client side is bound by the GIL: at high rates the figures
are the client's limit as much as the server's.
"""

import argparse
import http.client
import json
import random
import sys
import threading
import time
import urllib.parse

START_BALANCE = 1000


class Connection:
    def __init__(self, endpoint):
        url = urllib.parse.urlparse(endpoint)
        self.host, self.port = url.hostname, url.port or 80
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)

    def call(self, operation, body):
        data = json.dumps(body) if not isinstance(body, (bytes, str)) else body
        headers = {
            "Content-Type": "application/x-amz-json-1.0",
            "X-Amz-Target": "DynamoDB_20120810." + operation,
            "X-Amz-Date": "20240101T000000Z",
            "Authorization": "AWS4-HMAC-SHA256 Credential=fake/20240101/us-east-1/dynamodb/"
                             "aws4_request, SignedHeaders=host;x-amz-date, Signature=00",
        }
        for attempt in range(2):
            try:
                self.conn.request("POST", "/", body=data, headers=headers)
                response = self.conn.getresponse()
                return response.status, json.loads(response.read() or b"{}")
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
                if attempt == 1:
                    raise
        return 0, {}


def setup(endpoint, accounts):
    c = Connection(endpoint)
    for table in ("txbench", "txaccounts"):
        c.call("DeleteTable", {"TableName": table})
        status, body = c.call("CreateTable", {
            "TableName": table,
            "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
            "BillingMode": "PAY_PER_REQUEST"})
        if status != 200:
            sys.exit("CreateTable %s: %s" % (table, body))
    for i in range(accounts):
        c.call("PutItem", {"TableName": "txaccounts",
                           "Item": {"id": {"S": "a%d" % i}, "balance": {"N": str(START_BALANCE)}}})


def run_phase(endpoint, clients, seconds, make_body):
    counts = {}
    lock = threading.Lock()
    deadline = [0.0]
    barrier = threading.Barrier(clients + 1)

    def worker(n):
        conn = Connection(endpoint)
        rng = random.Random(n)
        local = {}
        seq = 0
        barrier.wait()
        while time.monotonic() < deadline[0]:
            seq += 1
            status, body = conn.call("TransactWriteItems", make_body(n, seq, rng))
            if status == 200:
                key = "committed"
            else:
                reasons = [r.get("Code") for r in body.get("CancellationReasons", [])]
                if "TransactionConflict" in reasons:
                    key = "TransactionConflict"
                elif "ConditionalCheckFailed" in reasons:
                    key = "ConditionalCheckFailed"
                else:
                    key = body.get("__type", str(status)).split("#")[-1]
            local[key] = local.get(key, 0) + 1
        with lock:
            for k, v in local.items():
                counts[k] = counts.get(k, 0) + v

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    deadline[0] = time.monotonic() + seconds
    start = time.monotonic()
    barrier.wait()
    for t in threads:
        t.join()
    return counts, time.monotonic() - start


def put4_body(n, seq, rng):
    return {"TransactItems": [
        {"Put": {"TableName": "txbench",
                 "Item": {"id": {"S": "c%d-%d-%d" % (n, seq, k)}, "payload": {"S": "x" * 100}}}}
        for k in range(4)]}


def transfer_body(accounts):
    def make(n, seq, rng):
        src, dst = rng.sample(range(accounts), 2)
        amount = {"N": str(rng.randint(1, 200))}
        return {"TransactItems": [
            {"Update": {"TableName": "txaccounts", "Key": {"id": {"S": "a%d" % src}},
                        "UpdateExpression": "SET balance = balance - :a",
                        "ConditionExpression": "balance >= :a",
                        "ExpressionAttributeValues": {":a": amount}}},
            {"Update": {"TableName": "txaccounts", "Key": {"id": {"S": "a%d" % dst}},
                        "UpdateExpression": "SET balance = balance + :a",
                        "ExpressionAttributeValues": {":a": amount}}}]}
    return make


def report(name, counts, elapsed):
    total = sum(counts.values())
    committed = counts.get("committed", 0)
    print("%-8s %6d requests in %.1f s: %7.0f committed/s, %7.0f requests/s" %
          (name, total, elapsed, committed / elapsed, total / elapsed))
    for key, value in sorted(counts.items()):
        print("           %-24s %7d  (%.2f%%)" % (key, value, 100.0 * value / max(total, 1)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--endpoint", default="http://127.0.0.1:8000")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--accounts", type=int, default=100)
    args = parser.parse_args()

    setup(args.endpoint, args.accounts)
    print("%d clients, %.0f s per phase, %d accounts" % (args.clients, args.seconds, args.accounts))
    counts, elapsed = run_phase(args.endpoint, args.clients, args.seconds, put4_body)
    report("put4", counts, elapsed)
    counts, elapsed = run_phase(args.endpoint, args.clients, args.seconds,
                                transfer_body(args.accounts))
    report("transfer", counts, elapsed)

    c = Connection(args.endpoint)
    status, body = c.call("TransactGetItems", {"TransactItems": [
        {"Get": {"TableName": "txaccounts", "Key": {"id": {"S": "a%d" % i}}}}
        for i in range(args.accounts)]})
    if status != 200:
        sys.exit("final TransactGetItems: %s" % body)
    total = sum(int(r["Item"]["balance"]["N"]) for r in body["Responses"])
    expected = START_BALANCE * args.accounts
    print("total balance %d (expected %d): %s" % (total, expected,
                                                  "ok" if total == expected else "WRONG"))
    return 0 if total == expected else 1


if __name__ == "__main__":
    sys.exit(main())
