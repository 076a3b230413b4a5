"""TransactWriteItems and TransactGetItems end to end through boto3: every
action type, the cancellation reasons, idempotency (its 10-minute window driven
through the server's clock), consistent reads under concurrent transfers, and
no lost updates under conditional writes.

The server runs with --clock-offset-file: the tests move its clock forward by
writing a number of milliseconds into that file.
"""

import os
import random
import tempfile
import threading
import time
import unittest

from botocore.exceptions import ClientError

import aws_clients
from dynemu_server import DynemuServer

CANCELLED = "Transaction cancelled, please refer cancellation reasons for specific reasons [%s]"


def _create(client, name, **extra):
    attrs = [{"AttributeName": "pk", "AttributeType": "S"}]
    attrs += extra.pop("more_attributes", [])
    client.create_table(TableName=name, AttributeDefinitions=attrs,
                        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                        BillingMode="PAY_PER_REQUEST", **extra)


def _key(pk):
    return {"pk": {"S": pk}}


class TransactionsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        fd, cls.clock_file = tempfile.mkstemp(prefix="dynemu-clock-")
        os.close(fd)
        cls.set_clock_offset_ms(0)
        cls.server = DynemuServer(extra_args=["--clock-offset-file", cls.clock_file])
        cls.server.start()
        cls.client = aws_clients.client(cls.server)
        _create(cls.client, "Accounts")
        _create(cls.client, "Orders")
        _create(cls.client, "Indexed",
                more_attributes=[{"AttributeName": "g", "AttributeType": "N"}],
                GlobalSecondaryIndexes=[{"IndexName": "ByG",
                                         "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                         "Projection": {"ProjectionType": "ALL"}}])

    @classmethod
    def tearDownClass(cls):
        cls.server.close()
        os.remove(cls.clock_file)

    @classmethod
    def set_clock_offset_ms(cls, millis):
        with open(cls.clock_file, "w") as f:
            f.write("%d\n" % millis)

    def error(self, operation, **kwargs):
        with self.assertRaises(ClientError) as caught:
            getattr(self.client, operation)(**kwargs)
        return caught.exception.response

    def item(self, table, pk):
        return self.client.get_item(TableName=table, Key=_key(pk), ConsistentRead=True).get("Item")

    # ---- TransactWriteItems

    def test_every_action_type(self):
        c = self.client
        c.put_item(TableName="Accounts", Item={"pk": {"S": "t-del"}})
        c.put_item(TableName="Accounts", Item={"pk": {"S": "t-upd"}, "n": {"N": "10"}})
        c.put_item(TableName="Orders", Item={"pk": {"S": "t-chk"}, "open": {"BOOL": True}})
        reply = c.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": "Accounts", "Item": {"pk": {"S": "t-new"}, "v": {"S": "x"}},
                         "ConditionExpression": "attribute_not_exists(pk)"}},
                {"Delete": {"TableName": "Accounts", "Key": _key("t-del")}},
                {"Update": {"TableName": "Accounts", "Key": _key("t-upd"),
                            "UpdateExpression": "SET n = n - :d",
                            "ExpressionAttributeValues": {":d": {"N": "3"}}}},
                {"ConditionCheck": {"TableName": "Orders", "Key": _key("t-chk"),
                                    "ConditionExpression": "#o = :t",
                                    "ExpressionAttributeNames": {"#o": "open"},
                                    "ExpressionAttributeValues": {":t": {"BOOL": True}}}},
            ],
            ReturnConsumedCapacity="TOTAL")
        units = {u["TableName"]: u["CapacityUnits"] for u in reply["ConsumedCapacity"]}
        self.assertEqual(units, {"Accounts": 6.0, "Orders": 2.0})
        self.assertEqual(self.item("Accounts", "t-new"), {"pk": {"S": "t-new"}, "v": {"S": "x"}})
        self.assertIsNone(self.item("Accounts", "t-del"))
        self.assertEqual(self.item("Accounts", "t-upd")["n"], {"N": "7"})
        self.assertEqual(self.item("Orders", "t-chk"), {"pk": {"S": "t-chk"}, "open": {"BOOL": True}})

    def test_capacity_counts_indexes_twice(self):
        reply = self.client.transact_write_items(
            TransactItems=[{"Put": {"TableName": "Indexed",
                                    "Item": {"pk": {"S": "cap"}, "g": {"N": "1"}}}}],
            ReturnConsumedCapacity="INDEXES")
        self.assertEqual(reply["ConsumedCapacity"], [
            {"TableName": "Indexed", "CapacityUnits": 4.0, "Table": {"CapacityUnits": 2.0},
             "GlobalSecondaryIndexes": {"ByG": {"CapacityUnits": 2.0}}}])

    def test_condition_failures_are_reasons_in_order(self):
        c = self.client
        c.put_item(TableName="Accounts", Item={"pk": {"S": "r-a"}, "balance": {"N": "5"}})
        response = self.error(
            "transact_write_items",
            TransactItems=[
                {"Put": {"TableName": "Orders", "Item": {"pk": {"S": "r-order"}}}},
                {"Update": {"TableName": "Accounts", "Key": _key("r-a"),
                            "UpdateExpression": "SET balance = balance - :x",
                            "ConditionExpression": "balance >= :x",
                            "ExpressionAttributeValues": {":x": {"N": "50"}},
                            "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}},
                {"ConditionCheck": {"TableName": "Accounts", "Key": _key("r-missing"),
                                    "ConditionExpression": "attribute_exists(pk)"}},
            ])
        self.assertEqual(response["Error"]["Code"], "TransactionCanceledException")
        self.assertEqual(response["Error"]["Message"],
                         CANCELLED % "None, ConditionalCheckFailed, ConditionalCheckFailed")
        self.assertEqual(response["CancellationReasons"], [
            {"Code": "None"},
            {"Code": "ConditionalCheckFailed", "Message": "The conditional request failed",
             "Item": {"pk": {"S": "r-a"}, "balance": {"N": "5"}}},
            {"Code": "ConditionalCheckFailed", "Message": "The conditional request failed"},
        ])
        self.assertIsNone(self.item("Orders", "r-order"))  # nothing applied
        self.assertEqual(self.item("Accounts", "r-a")["balance"], {"N": "5"})

    def test_validation_errors_found_on_the_items_are_reasons(self):
        c = self.client
        c.put_item(TableName="Indexed", Item={"pk": {"S": "v-1"}})
        big = "x" * (300 * 1024)
        c.put_item(TableName="Accounts", Item={"pk": {"S": "v-big"}, "a": {"S": big}})
        response = self.error(
            "transact_write_items",
            TransactItems=[
                {"Update": {"TableName": "Indexed", "Key": _key("v-1"),
                            "UpdateExpression": "SET g = :s",
                            "ExpressionAttributeValues": {":s": {"S": "not a number"}}}},
                {"Update": {"TableName": "Accounts", "Key": _key("v-big"),
                            "UpdateExpression": "SET b = :b",
                            "ExpressionAttributeValues": {":b": {"S": big}}}},
            ])
        self.assertEqual(response["Error"]["Message"], CANCELLED % "ValidationError, ValidationError")
        reasons = response["CancellationReasons"]
        self.assertEqual(reasons[0]["Code"], "ValidationError")
        self.assertIn("Type mismatch for Index Key g", reasons[0]["Message"])
        self.assertEqual(reasons[1], {
            "Code": "ValidationError",
            "Message": "Item size to update has exceeded the maximum allowed size"})
        self.assertNotIn("g", self.item("Indexed", "v-1"))

    def test_top_level_validation(self):
        def message(**kwargs):
            response = self.error("transact_write_items", **kwargs)
            self.assertEqual(response["Error"]["Code"], "ValidationException", response)
            return response["Error"]["Message"]

        put = {"Put": {"TableName": "Accounts", "Item": {"pk": {"S": "dup"}}}}
        delete = {"Delete": {"TableName": "Accounts", "Key": _key("dup")}}
        self.assertEqual(message(TransactItems=[put, delete]),
                         "Transaction request cannot include multiple operations on one item")
        self.assertEqual(message(TransactItems=[{}]),
                         "TransactItems can only contain one of Check, Put, Update or Delete")
        self.assertEqual(message(TransactItems=[put, dict(delete, Put=put["Put"])]),
                         "TransactItems can only contain one of Check, Put, Update or Delete")
        self.assertIn("Member must have length less than or equal to 100",
                      message(TransactItems=[{"Put": {"TableName": "Accounts",
                                                      "Item": {"pk": {"S": "m%d" % i}}}}
                                             for i in range(101)]))
        empty = message(TransactItems=[{"Delete": {"TableName": "Accounts",
                                                   "Key": {"pk": {"S": ""}}}}])
        self.assertTrue(empty.startswith("One or more parameter values"), empty)
        self.assertIn("cannot contain an empty string value. Key: pk", empty)
        response = self.error("transact_write_items", TransactItems=[
            {"Put": {"TableName": "NoSuchTable", "Item": {"pk": {"S": "a"}}}}])
        self.assertEqual(response["Error"]["Code"], "ResourceNotFoundException")

    def test_conflicts_with_concurrent_transactions_and_writes(self):
        """Transactions on the same items from many threads: some are cancelled with
        TransactionConflict, and single-item writes meeting one get
        TransactionConflictException."""
        c = self.client
        for pk in ("hot-1", "hot-2"):
            c.put_item(TableName="Accounts", Item={"pk": {"S": pk}, "n": {"N": "0"}})
        seen = {"reason": 0, "exception": 0, "ok": 0}
        lock = threading.Lock()
        stop = time.monotonic() + 20

        def transactions():
            client = aws_clients.client(self.server)
            while time.monotonic() < stop and not (seen["reason"] and seen["exception"]):
                try:
                    client.transact_write_items(TransactItems=[
                        {"Update": {"TableName": "Accounts", "Key": _key(pk),
                                    "UpdateExpression": "ADD n :one",
                                    "ExpressionAttributeValues": {":one": {"N": "1"}}}}
                        for pk in ("hot-1", "hot-2")])
                    with lock:
                        seen["ok"] += 1
                except ClientError as e:
                    r = e.response
                    self.assertEqual(r["Error"]["Code"], "TransactionCanceledException", r)
                    codes = [x["Code"] for x in r["CancellationReasons"]]
                    self.assertIn("TransactionConflict", codes)
                    self.assertLessEqual(set(codes), {"TransactionConflict", "None"})
                    for x in r["CancellationReasons"]:
                        if x["Code"] == "TransactionConflict":
                            self.assertEqual(x["Message"], "Transaction is ongoing for the item")
                    with lock:
                        seen["reason"] += 1

        def writes():
            client = aws_clients.client(self.server)
            while time.monotonic() < stop and not (seen["reason"] and seen["exception"]):
                try:
                    client.put_item(TableName="Accounts",
                                    Item={"pk": {"S": "hot-1"}, "n": {"N": "0"}})
                except ClientError as e:
                    err = e.response["Error"]
                    self.assertEqual(err["Code"], "TransactionConflictException", err)
                    self.assertEqual(err["Message"], "Transaction is ongoing for the item")
                    with lock:
                        seen["exception"] += 1

        threads = [threading.Thread(target=transactions) for _ in range(6)]
        threads += [threading.Thread(target=writes) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertGreater(seen["reason"], 0, seen)
        self.assertGreater(seen["exception"], 0, seen)
        self.assertGreater(seen["ok"], 0, seen)

    # ---- Idempotency

    def test_client_request_token(self):
        c = self.client
        c.put_item(TableName="Accounts", Item={"pk": {"S": "idem"}, "n": {"N": "0"}})
        items = [{"Update": {"TableName": "Accounts", "Key": _key("idem"),
                             "UpdateExpression": "ADD n :one",
                             "ExpressionAttributeValues": {":one": {"N": "1"}}}}]
        first = c.transact_write_items(TransactItems=items, ClientRequestToken="token-1",
                                       ReturnConsumedCapacity="TOTAL")
        self.assertEqual(first["ConsumedCapacity"][0]["CapacityUnits"], 2.0)
        again = c.transact_write_items(TransactItems=items, ClientRequestToken="token-1",
                                       ReturnConsumedCapacity="TOTAL")
        # Not applied twice; the replay reports the read of the item.
        self.assertEqual(self.item("Accounts", "idem")["n"], {"N": "1"})
        self.assertEqual(again["ConsumedCapacity"][0]["CapacityUnits"], 1.0)

        other = [{"Put": {"TableName": "Accounts", "Item": {"pk": {"S": "idem-other"}}}}]
        response = self.error("transact_write_items", TransactItems=other,
                              ClientRequestToken="token-1")
        self.assertEqual(response["Error"]["Code"], "IdempotentParameterMismatchException")
        self.assertIsNone(self.item("Accounts", "idem-other"))

        # Nine minutes later by the server's clock the token still holds; after ten
        # it is a new request.
        try:
            self.set_clock_offset_ms(9 * 60 * 1000)
            c.transact_write_items(TransactItems=items, ClientRequestToken="token-1")
            self.assertEqual(self.item("Accounts", "idem")["n"], {"N": "1"})
            self.set_clock_offset_ms(10 * 60 * 1000 + 1000)
            c.transact_write_items(TransactItems=items, ClientRequestToken="token-1")
            self.assertEqual(self.item("Accounts", "idem")["n"], {"N": "2"})
        finally:
            self.set_clock_offset_ms(0)

    def test_failed_transaction_token_can_be_retried(self):
        c = self.client
        items = [{"Put": {"TableName": "Accounts", "Item": {"pk": {"S": "retry"}},
                          "ConditionExpression": "attribute_exists(pk)"}}]
        self.error("transact_write_items", TransactItems=items, ClientRequestToken="token-2")
        c.put_item(TableName="Accounts", Item={"pk": {"S": "retry"}, "v": {"N": "1"}})
        c.transact_write_items(TransactItems=items, ClientRequestToken="token-2")
        self.assertEqual(self.item("Accounts", "retry"), {"pk": {"S": "retry"}})

    # ---- TransactGetItems

    def test_transact_get_items(self):
        c = self.client
        c.put_item(TableName="Accounts", Item={"pk": {"S": "g-1"}, "a": {"N": "1"},
                                               "b": {"M": {"c": {"S": "deep"}}}})
        c.put_item(TableName="Orders", Item={"pk": {"S": "g-2"}})
        reply = c.transact_get_items(TransactItems=[
            {"Get": {"TableName": "Accounts", "Key": _key("g-1"),
                     "ProjectionExpression": "#b.c", "ExpressionAttributeNames": {"#b": "b"}}},
            {"Get": {"TableName": "Orders", "Key": _key("g-2")}},
            {"Get": {"TableName": "Orders", "Key": _key("g-missing")}},
        ], ReturnConsumedCapacity="TOTAL")
        self.assertEqual(reply["Responses"], [{"Item": {"b": {"M": {"c": {"S": "deep"}}}}},
                                              {"Item": {"pk": {"S": "g-2"}}}, {}])
        units = {u["TableName"]: u["CapacityUnits"] for u in reply["ConsumedCapacity"]}
        self.assertEqual(units, {"Accounts": 2.0, "Orders": 4.0})
        response = self.error("transact_get_items", TransactItems=[
            {"Get": {"TableName": "Orders", "Key": _key("g-2")}},
            {"Get": {"TableName": "Orders", "Key": _key("g-2")}}])
        self.assertEqual(response["Error"]["Message"],
                         "Transaction request cannot include multiple operations on one item")

    # ---- Concurrency

    def test_bank_transfers_keep_the_total(self):
        """16 clients move random amounts between 100 accounts with conditional
        transactions while 2 readers take consistent snapshots of all balances."""
        accounts = ["bank-%03d" % i for i in range(100)]
        start_balance = 1000
        total = start_balance * len(accounts)
        for chunk in range(0, 100, 25):
            self.client.batch_write_item(RequestItems={"Accounts": [
                {"PutRequest": {"Item": {"pk": {"S": pk}, "balance": {"N": str(start_balance)}}}}
                for pk in accounts[chunk:chunk + 25]]})
        stats = {"committed": 0, "conflicts": 0, "insufficient": 0, "reads": 0,
                 "read_conflicts": 0}
        lock = threading.Lock()
        failures = []
        done = threading.Event()

        def transfer(seed):
            client = aws_clients.client(self.server)
            rng = random.Random(seed)
            for _ in range(40):
                src, dst = rng.sample(accounts, 2)
                amount = str(rng.randint(1, 300))
                try:
                    client.transact_write_items(TransactItems=[
                        {"Update": {"TableName": "Accounts", "Key": _key(src),
                                    "UpdateExpression": "SET balance = balance - :a",
                                    "ConditionExpression": "balance >= :a",
                                    "ExpressionAttributeValues": {":a": {"N": amount}}}},
                        {"Update": {"TableName": "Accounts", "Key": _key(dst),
                                    "UpdateExpression": "SET balance = balance + :a",
                                    "ExpressionAttributeValues": {":a": {"N": amount}}}}])
                    key = "committed"
                except ClientError as e:
                    codes = [r["Code"] for r in e.response.get("CancellationReasons", [])]
                    if "TransactionConflict" in codes:
                        key = "conflicts"
                    elif "ConditionalCheckFailed" in codes:
                        key = "insufficient"
                    else:
                        failures.append(e.response)
                        continue
                with lock:
                    stats[key] += 1

        def read():
            client = aws_clients.client(self.server)
            while not done.is_set():
                try:
                    reply = client.transact_get_items(TransactItems=[
                        {"Get": {"TableName": "Accounts", "Key": _key(pk)}} for pk in accounts])
                except ClientError as e:
                    codes = [r["Code"] for r in e.response.get("CancellationReasons", [])]
                    if "TransactionConflict" not in codes:
                        failures.append(e.response)
                    with lock:
                        stats["read_conflicts"] += 1
                    continue
                seen = sum(int(r["Item"]["balance"]["N"]) for r in reply["Responses"])
                if seen != total:
                    failures.append("inconsistent read: %d" % seen)
                with lock:
                    stats["reads"] += 1

        writers = [threading.Thread(target=transfer, args=(i,)) for i in range(16)]
        readers = [threading.Thread(target=read) for _ in range(2)]
        for t in writers + readers:
            t.start()
        for t in writers:
            t.join()
        done.set()
        for t in readers:
            t.join()
        print("\nbank transfers: %s" % stats)
        self.assertEqual(failures, [])
        self.assertEqual(stats["committed"] + stats["conflicts"] + stats["insufficient"], 16 * 40)
        self.assertGreater(stats["committed"], 0)
        self.assertGreater(stats["reads"], 0)
        final = self.client.transact_get_items(TransactItems=[
            {"Get": {"TableName": "Accounts", "Key": _key(pk)}} for pk in accounts])
        balances = [int(r["Item"]["balance"]["N"]) for r in final["Responses"]]
        self.assertEqual(sum(balances), total)
        self.assertTrue(all(b >= 0 for b in balances), balances)

    def test_conditional_updates_lose_nothing(self):
        """32 clients read a counter and write it back incremented, on condition that
        it still holds the value read: the final value is the number of successes."""
        self.client.put_item(TableName="Accounts", Item={"pk": {"S": "counter"}, "n": {"N": "0"}})
        successes = []
        failures = []

        def increment():
            client = aws_clients.client(self.server)
            won = 0
            for _ in range(15):
                current = client.get_item(TableName="Accounts", Key=_key("counter"),
                                          ConsistentRead=True)["Item"]["n"]["N"]
                try:
                    client.update_item(TableName="Accounts", Key=_key("counter"),
                                       UpdateExpression="SET n = :new",
                                       ConditionExpression="n = :old",
                                       ExpressionAttributeValues={
                                           ":old": {"N": current},
                                           ":new": {"N": str(int(current) + 1)}})
                    won += 1
                except ClientError as e:
                    if e.response["Error"]["Code"] != "ConditionalCheckFailedException":
                        failures.append(e.response)
            successes.append(won)

        threads = [threading.Thread(target=increment) for _ in range(32)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(failures, [])
        final = int(self.item("Accounts", "counter")["n"]["N"])
        print("\nlost-update test: %d successful increments of %d attempts"
              % (sum(successes), 32 * 15))
        self.assertEqual(final, sum(successes))
        self.assertGreater(final, 0)


if __name__ == "__main__":
    unittest.main()
