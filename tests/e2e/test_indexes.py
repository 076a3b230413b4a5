"""Secondary indexes through boto3: what DescribeTable shows of them, the write
capacity and item collection metrics they add, the index key checks on writes,
a GSI created online on a loaded table while writes go on, and the lag_index
plugin's stale-but-catching-up GSI.

The lag tests load the shipped lag_index plugin from $DYNEMU_PLUGIN_DIR (ctest
sets it, tests/CMakeLists.txt); they are about dynemu's plugins and have no
counterpart against real DynamoDB. The rest is written to pass there too, with
DynamoDB's own messages; item counts and sizes are exact here, where DynamoDB
refreshes them about every six hours.
"""

import os
import random
import threading
import time
import unittest

from botocore.exceptions import ClientError

import aws_clients
from aws_clients import client
from dynemu_server import DynemuServer, default_binary

_BUILD = os.path.dirname(os.path.dirname(default_binary()))
PLUGIN_DIR = os.environ.get("DYNEMU_PLUGIN_DIR") or os.path.join(_BUILD, "plugins")


def s_size(item):
    """DynamoDB's size of an item whose values are all strings: names plus values, in bytes."""
    return sum(len(k.encode()) + len(v["S"].encode()) for k, v in item.items())


def key_schema(hash_key, range_key=None):
    keys = [{"AttributeName": hash_key, "KeyType": "HASH"}]
    if range_key:
        keys.append({"AttributeName": range_key, "KeyType": "RANGE"})
    return keys


def wait_for(predicate, timeout, interval=0.05, what="condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("timed out after %.0fs waiting for %s" % (timeout, what))
        time.sleep(interval)


def scan_all(ddb, **kwargs):
    """Every item of a paginated Scan."""
    items = []
    for page in ddb.get_paginator("scan").paginate(**kwargs):
        items.extend(page["Items"])
    return items


def batch_put(ddb, table, items):
    for i in range(0, len(items), 25):
        request = {table: [{"PutRequest": {"Item": it}} for it in items[i:i + 25]]}
        while request:
            request = ddb.batch_write_item(RequestItems=request)["UnprocessedItems"]


def index_of(description, name):
    for kind in ("GlobalSecondaryIndexes", "LocalSecondaryIndexes"):
        for index in description.get(kind, []):
            if index["IndexName"] == name:
                return index
    return None


class IndexTest(aws_clients.ErrorAssertions, unittest.TestCase):
    """Table Idx: keys (pk, sk), all strings; GSIs byStatus (status, ts) ALL,
    byOwner (owner) KEYS_ONLY, byStatusInc (status) INCLUDE [title]; LSI byTs
    (pk, ts) KEYS_ONLY."""

    @classmethod
    def setUpClass(cls):
        cls.server = DynemuServer().start()
        cls.client = cls.ddb = client(cls.server)  # ErrorAssertions uses .client
        cls.ddb.create_table(
            TableName="Idx",
            AttributeDefinitions=[{"AttributeName": n, "AttributeType": "S"}
                                  for n in ("pk", "sk", "status", "ts", "owner")],
            KeySchema=key_schema("pk", "sk"),
            BillingMode="PAY_PER_REQUEST",
            GlobalSecondaryIndexes=[
                {"IndexName": "byStatus", "KeySchema": key_schema("status", "ts"),
                 "Projection": {"ProjectionType": "ALL"}},
                {"IndexName": "byOwner", "KeySchema": key_schema("owner"),
                 "Projection": {"ProjectionType": "KEYS_ONLY"}},
                {"IndexName": "byStatusInc", "KeySchema": key_schema("status"),
                 "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["title"]}},
            ],
            LocalSecondaryIndexes=[
                {"IndexName": "byTs", "KeySchema": key_schema("pk", "ts"),
                 "Projection": {"ProjectionType": "KEYS_ONLY"}},
            ])

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def test_1_describe_shows_each_index(self):
        # Runs first (tests run in name order): the table is still empty.
        table = self.ddb.describe_table(TableName="Idx")["Table"]
        arn = table["TableArn"]
        gsis = {i["IndexName"]: i for i in table["GlobalSecondaryIndexes"]}
        self.assertEqual(set(gsis), {"byStatus", "byOwner", "byStatusInc"})
        for name, index in gsis.items():
            self.assertEqual(index["IndexStatus"], "ACTIVE")
            self.assertEqual(index["IndexArn"], arn + "/index/" + name)
            self.assertEqual(index["ItemCount"], 0)
            self.assertEqual(index["IndexSizeBytes"], 0)
            self.assertNotIn("Backfilling", index)
        self.assertEqual(gsis["byStatus"]["KeySchema"], key_schema("status", "ts"))
        self.assertEqual(gsis["byStatus"]["Projection"], {"ProjectionType": "ALL"})
        self.assertEqual(gsis["byOwner"]["Projection"], {"ProjectionType": "KEYS_ONLY"})
        self.assertEqual(gsis["byStatusInc"]["Projection"],
                         {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["title"]})
        [lsi] = table["LocalSecondaryIndexes"]
        self.assertEqual(lsi["IndexName"], "byTs")
        self.assertEqual(lsi["IndexArn"], arn + "/index/byTs")
        self.assertEqual(lsi["KeySchema"], key_schema("pk", "ts"))
        self.assertEqual(lsi["Projection"], {"ProjectionType": "KEYS_ONLY"})
        self.assertNotIn("IndexStatus", lsi)  # local indexes have no status of their own

    def test_2_counts_and_sizes_follow_the_writes(self):
        items = [
            {"pk": {"S": "c1"}, "sk": {"S": "1"}, "status": {"S": "OPEN"}, "ts": {"S": "t1"},
             "owner": {"S": "ann"}, "title": {"S": "first"}, "body": {"S": "x" * 100}},
            {"pk": {"S": "c1"}, "sk": {"S": "2"}, "status": {"S": "OPEN"},
             "title": {"S": "second"}},                                    # no ts: not in byStatus/byTs
            {"pk": {"S": "c2"}, "sk": {"S": "1"}, "owner": {"S": "bob"}},  # byOwner only
        ]
        for item in items:
            self.ddb.put_item(TableName="Idx", Item=item)

        def entry(item, names):
            return {k: v for k, v in item.items() if k in names}

        keys = {"pk", "sk"}
        expected = {
            "byStatus": [items[0]],
            "byOwner": [entry(items[0], keys | {"owner"}), entry(items[2], keys | {"owner"})],
            "byStatusInc": [entry(items[0], keys | {"status", "title"}),
                            entry(items[1], keys | {"status", "title"})],
            "byTs": [entry(items[0], keys | {"ts"})],
        }
        table = self.ddb.describe_table(TableName="Idx")["Table"]
        self.assertEqual(table["ItemCount"], 3)
        self.assertEqual(table["TableSizeBytes"], sum(s_size(i) for i in items))
        for name, entries in expected.items():
            index = index_of(table, name)
            self.assertEqual(index["ItemCount"], len(entries), name)
            self.assertEqual(index["IndexSizeBytes"], sum(s_size(e) for e in entries), name)

        for item in items:
            self.ddb.delete_item(TableName="Idx", Key=entry(item, keys))
        table = self.ddb.describe_table(TableName="Idx")["Table"]
        for name in expected:
            self.assertEqual(index_of(table, name)["ItemCount"], 0, name)
            self.assertEqual(index_of(table, name)["IndexSizeBytes"], 0, name)

    def test_consumed_capacity_per_index(self):
        item = {"pk": {"S": "cap"}, "sk": {"S": "1"}, "status": {"S": "OPEN"}, "ts": {"S": "t"},
                "owner": {"S": "ann"}}
        key = {"pk": {"S": "cap"}, "sk": {"S": "1"}}
        put = self.ddb.put_item(TableName="Idx", Item=item, ReturnConsumedCapacity="INDEXES")
        self.assertEqual(put["ConsumedCapacity"], {
            "TableName": "Idx", "CapacityUnits": 5.0, "Table": {"CapacityUnits": 1.0},
            "GlobalSecondaryIndexes": {"byStatus": {"CapacityUnits": 1.0},
                                       "byOwner": {"CapacityUnits": 1.0},
                                       "byStatusInc": {"CapacityUnits": 1.0}},
            "LocalSecondaryIndexes": {"byTs": {"CapacityUnits": 1.0}}})

        # A new status moves the entries of both status indexes (a delete and a
        # put each); the KEYS_ONLY entries of byOwner and byTs stay as they were.
        update = self.ddb.update_item(
            TableName="Idx", Key=key, UpdateExpression="SET #s = :s",
            ExpressionAttributeNames={"#s": "status"},
            ExpressionAttributeValues={":s": {"S": "DONE"}}, ReturnConsumedCapacity="INDEXES")
        self.assertEqual(update["ConsumedCapacity"], {
            "TableName": "Idx", "CapacityUnits": 5.0, "Table": {"CapacityUnits": 1.0},
            "GlobalSecondaryIndexes": {"byStatus": {"CapacityUnits": 2.0},
                                       "byStatusInc": {"CapacityUnits": 2.0}}})

        total = self.ddb.update_item(
            TableName="Idx", Key=key, UpdateExpression="SET note = :n",
            ExpressionAttributeValues={":n": {"S": "n"}}, ReturnConsumedCapacity="TOTAL")
        # Only the ALL projection holds `note`.
        self.assertEqual(total["ConsumedCapacity"], {"TableName": "Idx", "CapacityUnits": 2.0})

        batch = self.ddb.batch_write_item(
            RequestItems={"Idx": [
                {"DeleteRequest": {"Key": key}},
                {"PutRequest": {"Item": {"pk": {"S": "cap"}, "sk": {"S": "2"},
                                         "owner": {"S": "bob"}}}}]},
            ReturnConsumedCapacity="INDEXES")
        self.assertEqual(batch["ConsumedCapacity"], [{
            "TableName": "Idx", "CapacityUnits": 7.0, "Table": {"CapacityUnits": 2.0},
            "GlobalSecondaryIndexes": {"byStatus": {"CapacityUnits": 1.0},
                                       "byOwner": {"CapacityUnits": 2.0},
                                       "byStatusInc": {"CapacityUnits": 1.0}},
            "LocalSecondaryIndexes": {"byTs": {"CapacityUnits": 1.0}}}])

        deleted = self.ddb.delete_item(TableName="Idx", Key={"pk": {"S": "cap"}, "sk": {"S": "2"}},
                                       ReturnConsumedCapacity="INDEXES")
        self.assertEqual(deleted["ConsumedCapacity"], {
            "TableName": "Idx", "CapacityUnits": 2.0, "Table": {"CapacityUnits": 1.0},
            "GlobalSecondaryIndexes": {"byOwner": {"CapacityUnits": 1.0}}})

    def test_item_collection_metrics(self):
        item = {"pk": {"S": "icm"}, "sk": {"S": "1"}, "ts": {"S": "t"}}
        put = self.ddb.put_item(TableName="Idx", Item=item, ReturnItemCollectionMetrics="SIZE")
        self.assertEqual(put["ItemCollectionMetrics"],
                         {"ItemCollectionKey": {"pk": {"S": "icm"}},
                          "SizeEstimateRangeGB": [0.0, 1.0]})
        update = self.ddb.update_item(
            TableName="Idx", Key={"pk": {"S": "icm"}, "sk": {"S": "1"}},
            UpdateExpression="SET v = :v", ExpressionAttributeValues={":v": {"S": "v"}},
            ReturnItemCollectionMetrics="SIZE")
        self.assertEqual(update["ItemCollectionMetrics"]["ItemCollectionKey"], {"pk": {"S": "icm"}})
        batch = self.ddb.batch_write_item(
            RequestItems={"Idx": [
                {"PutRequest": {"Item": {"pk": {"S": "icm"}, "sk": {"S": "2"}}}},
                {"PutRequest": {"Item": {"pk": {"S": "icm2"}, "sk": {"S": "1"}}}}]},
            ReturnItemCollectionMetrics="SIZE")
        self.assertEqual(batch["ItemCollectionMetrics"], {"Idx": [
            {"ItemCollectionKey": {"pk": {"S": "icm"}}, "SizeEstimateRangeGB": [0.0, 1.0]},
            {"ItemCollectionKey": {"pk": {"S": "icm2"}}, "SizeEstimateRangeGB": [0.0, 1.0]}]})
        deleted = self.ddb.delete_item(TableName="Idx", Key={"pk": {"S": "icm"}, "sk": {"S": "1"}},
                                       ReturnItemCollectionMetrics="SIZE")
        self.assertIn("ItemCollectionMetrics", deleted)
        # Without the parameter: nothing.
        self.assertNotIn("ItemCollectionMetrics",
                         self.ddb.put_item(TableName="Idx", Item=item))

    def test_index_key_type_and_empty_value_errors(self):
        base = {"pk": {"S": "bad"}, "sk": {"S": "1"}}
        mismatch = ("One or more parameter values were invalid: Type mismatch for Index Key "
                    "status Expected: S Actual: N IndexName: byStatus")
        self.assertValidation(mismatch, "put_item", TableName="Idx",
                              Item=dict(base, status={"N": "1"}))
        self.assertValidation(mismatch, "batch_write_item", RequestItems={"Idx": [
            {"PutRequest": {"Item": {"pk": {"S": "ok"}, "sk": {"S": "1"}}}},
            {"PutRequest": {"Item": dict(base, status={"N": "1"})}}]})
        self.assertValidation(
            "One or more parameter values were invalid: Type mismatch for Index Key owner "
            "Expected: S Actual: SS IndexName: byOwner",
            "put_item", TableName="Idx", Item=dict(base, owner={"SS": ["a"]}))
        self.assertValidation(
            "One or more parameter values were invalid: Type mismatch for Index Key ts "
            "Expected: S Actual: BOOL IndexName: byStatus",
            "update_item", TableName="Idx", Key=base, UpdateExpression="SET ts = :t",
            ExpressionAttributeValues={":t": {"BOOL": True}})
        self.assertValidation(
            "One or more parameter values are not valid. A value specified for a secondary "
            "index key is not supported. The AttributeValue for a key attribute cannot contain "
            "an empty string value. IndexName: byOwner, IndexKey: owner",
            "put_item", TableName="Idx", Item=dict(base, owner={"S": ""}))
        self.assertValidation(
            "One or more parameter values are not valid. A value specified for a secondary "
            "index key is not supported. The AttributeValue for a key attribute cannot contain "
            "an empty string value. IndexName: byStatus, IndexKey: ts",
            "batch_write_item", RequestItems={"Idx": [
                {"PutRequest": {"Item": dict(base, ts={"S": ""})}}]})
        self.assertValidation(
            "One or more parameter values are not valid. The update expression attempted to "
            "update a secondary index key to a value that is not supported. The AttributeValue "
            "for a key attribute cannot contain an empty string value. IndexName: byStatus, "
            "IndexKey: status",
            "update_item", TableName="Idx", Key=base, UpdateExpression="SET #s = :s",
            ExpressionAttributeNames={"#s": "status"}, ExpressionAttributeValues={":s": {"S": ""}})
        # Nothing of any of them was written (the batch was refused whole).
        for pk in ("bad", "ok"):
            self.assertNotIn("Item", self.ddb.get_item(
                TableName="Idx", Key={"pk": {"S": pk}, "sk": {"S": "1"}}, ConsistentRead=True))


class OnlineIndexTest(unittest.TestCase):
    """A GSI added to a 20,000-item table while a writer keeps changing it."""

    ITEMS = 20000

    @classmethod
    def setUpClass(cls):
        cls.server = DynemuServer().start()
        cls.ddb = client(cls.server, retries=3)
        cls.ddb.create_table(
            TableName="Online",
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            KeySchema=key_schema("pk"), BillingMode="PAY_PER_REQUEST")
        # Every tenth item has no grp: it stays out of the index (sparse).
        batch_put(cls.ddb, "Online", [
            dict({"pk": {"S": "k%05d" % i}, "n": {"N": str(i)}},
                 **({} if i % 10 == 0 else {"grp": {"S": "g%d" % (i % 37)}}))
            for i in range(cls.ITEMS)])

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def describe_index(self, name):
        return index_of(self.ddb.describe_table(TableName="Online")["Table"], name)

    def test_create_while_writing_then_delete(self):
        stop = threading.Event()
        writes = [0]
        failures = []

        def writer():
            # Its own client (boto3 clients are thread-safe, but keep it simple).
            ddb = client(self.server, retries=3)
            rng = random.Random(7)
            while not stop.is_set():
                key = {"pk": {"S": "k%05d" % rng.randrange(self.ITEMS + 2000)}}
                op = rng.randrange(4)
                try:
                    if op == 0:
                        ddb.put_item(TableName="Online", Item=dict(
                            key, grp={"S": "w%d" % rng.randrange(50)}, n={"N": "1"}))
                    elif op == 1:
                        ddb.update_item(TableName="Online", Key=key,
                                        UpdateExpression="SET grp = :g",
                                        ExpressionAttributeValues={
                                            ":g": {"S": "u%d" % rng.randrange(50)}})
                    elif op == 2:
                        ddb.update_item(TableName="Online", Key=key, UpdateExpression="REMOVE grp")
                    else:
                        ddb.delete_item(TableName="Online", Key=key)
                    writes[0] += 1
                except Exception as e:  # reported by the main thread
                    failures.append(e)
                    return

        thread = threading.Thread(target=writer)
        thread.start()
        try:
            time.sleep(0.3)
            created = self.ddb.update_table(
                TableName="Online",
                AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                      {"AttributeName": "grp", "AttributeType": "S"}],
                GlobalSecondaryIndexUpdates=[{"Create": {
                    "IndexName": "byGrp", "KeySchema": key_schema("grp"),
                    "Projection": {"ProjectionType": "ALL"}}}])
            shown = index_of(created["TableDescription"], "byGrp")
            self.assertEqual(shown["IndexStatus"], "CREATING")
            # One online index change at a time per table (the backfill of 20,000
            # items under a writer takes far longer than this request). botocore
            # retries LimitExceededException as a throttle: ask without retries.
            with self.assertRaises(ClientError) as caught:
                client(self.server).update_table(
                    TableName="Online",
                    AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                    GlobalSecondaryIndexUpdates=[{"Create": {
                        "IndexName": "second", "KeySchema": key_schema("pk"),
                        "Projection": {"ProjectionType": "KEYS_ONLY"}}}])
            error = caught.exception.response["Error"]
            self.assertEqual(error["Code"], "LimitExceededException")
            self.assertEqual(error["Message"],
                             "Subscriber limit exceeded: Only 1 online index can be created "
                             "or deleted simultaneously per table")

            seen = []

            def active():
                index = self.describe_index("byGrp")
                seen.append((index["IndexStatus"], index.get("Backfilling")))
                return index["IndexStatus"] == "ACTIVE"

            wait_for(active, 240, 0.1, "byGrp ACTIVE")
            for status, backfilling in seen:
                self.assertIn(status, ("CREATING", "ACTIVE"))
                if status == "ACTIVE":
                    self.assertIsNone(backfilling)
            time.sleep(0.3)  # a few more writes on the ACTIVE index
        finally:
            stop.set()
            thread.join()
        self.assertEqual(failures, [])
        self.assertGreater(writes[0], 0)

        # Every item holding grp is in the index exactly once, with its current grp.
        table_items = scan_all(self.ddb, TableName="Online", ConsistentRead=True)
        expected = sorted((i["pk"]["S"], i["grp"]["S"]) for i in table_items if "grp" in i)
        entries = scan_all(self.ddb, TableName="Online", IndexName="byGrp")
        got = sorted((i["pk"]["S"], i["grp"]["S"]) for i in entries)
        self.assertEqual(len(got), len(set(got)), "an item is in the index twice")
        self.assertEqual(got, expected)
        table = self.ddb.describe_table(TableName="Online")["Table"]
        self.assertEqual(table["ItemCount"], len(table_items))
        self.assertEqual(index_of(table, "byGrp")["ItemCount"], len(expected))
        # A Query of one partition of the index.
        g5 = [pk for pk, grp in expected if grp == "g5"]
        page = self.ddb.query(TableName="Online", IndexName="byGrp",
                              KeyConditionExpression="grp = :g",
                              ExpressionAttributeValues={":g": {"S": "g5"}})
        self.assertEqual(sorted(i["pk"]["S"] for i in page["Items"]), sorted(g5))

        deleted = self.ddb.update_table(TableName="Online", GlobalSecondaryIndexUpdates=[
            {"Delete": {"IndexName": "byGrp"}}])
        self.assertEqual(index_of(deleted["TableDescription"], "byGrp")["IndexStatus"], "DELETING")
        wait_for(lambda: self.describe_index("byGrp") is None, 120, 0.1, "byGrp removed")
        self.assertNotIn("GlobalSecondaryIndexes",
                         self.ddb.describe_table(TableName="Online")["Table"])


class LagIndexPluginTest(unittest.TestCase):
    """lag_index defers the GSI entries of table Lagged by 1.5 s; its LSI never lags."""

    LAG = 1.5

    @classmethod
    def setUpClass(cls):
        plugin = os.path.join(PLUGIN_DIR, "lag_index.so")
        cls.server = DynemuServer(extra_args=[
            "--plugin", "%s=ms=%d;table=Lagged" % (plugin, int(cls.LAG * 1000))]).start()
        cls.ddb = client(cls.server)
        cls.ddb.create_table(
            TableName="Lagged",
            AttributeDefinitions=[{"AttributeName": n, "AttributeType": "S"}
                                  for n in ("pk", "sk", "status", "ts")],
            KeySchema=key_schema("pk", "sk"), BillingMode="PAY_PER_REQUEST",
            GlobalSecondaryIndexes=[{"IndexName": "byStatus", "KeySchema": key_schema("status"),
                                     "Projection": {"ProjectionType": "ALL"}}],
            LocalSecondaryIndexes=[{"IndexName": "byTs", "KeySchema": key_schema("pk", "ts"),
                                    "Projection": {"ProjectionType": "ALL"}}])

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def by_status(self, status):
        return self.ddb.query(TableName="Lagged", IndexName="byStatus",
                              KeyConditionExpression="#s = :s",
                              ExpressionAttributeNames={"#s": "status"},
                              ExpressionAttributeValues={":s": {"S": status}})["Items"]

    def by_ts(self, ts):
        return self.ddb.query(TableName="Lagged", IndexName="byTs", ConsistentRead=True,
                              KeyConditionExpression="pk = :p AND ts = :t",
                              ExpressionAttributeValues={":p": {"S": "a"}, ":t": {"S": ts}})["Items"]

    def test_gsi_lags_then_catches_up_and_lsi_never_lags(self):
        key = {"pk": {"S": "a"}, "sk": {"S": "1"}}
        start = time.monotonic()
        self.ddb.put_item(TableName="Lagged",
                          Item=dict(key, status={"S": "OPEN"}, ts={"S": "t1"}))
        # The LSI has it at once; the GSI only after the lag.
        self.assertEqual(len(self.by_ts("t1")), 1)
        wait_for(lambda: self.by_status("OPEN"), 10, what="the first entry in byStatus")
        self.assertGreaterEqual(time.monotonic() - start, self.LAG * 0.9)

        written = time.monotonic()
        self.ddb.update_item(
            TableName="Lagged", Key=key, UpdateExpression="SET #s = :s, ts = :t",
            ExpressionAttributeNames={"#s": "status"},
            ExpressionAttributeValues={":s": {"S": "CLOSED"}, ":t": {"S": "t2"}})
        # The table is current...
        item = self.ddb.get_item(TableName="Lagged", Key=key)["Item"]
        self.assertEqual(item["status"], {"S": "CLOSED"})
        # ...and so is the LSI...
        [lsi] = self.by_ts("t2")
        self.assertEqual(lsi["status"], {"S": "CLOSED"})
        self.assertEqual(self.by_ts("t1"), [])
        # ...while the GSI still shows the old state.
        if time.monotonic() - written < self.LAG * 0.8:
            [old] = self.by_status("OPEN")
            self.assertEqual(old["status"], {"S": "OPEN"})
            self.assertEqual(old["ts"], {"S": "t1"})
            self.assertEqual(self.by_status("CLOSED"), [])
        # After the lag it catches up.
        [new] = wait_for(lambda: self.by_status("CLOSED"), 10, what="byStatus catching up")
        self.assertGreaterEqual(time.monotonic() - written, self.LAG * 0.9)
        self.assertEqual(new["ts"], {"S": "t2"})
        self.assertEqual(self.by_status("OPEN"), [])

        # A delete lags the same way.
        self.ddb.delete_item(TableName="Lagged", Key=key)
        self.assertNotIn("Item", self.ddb.get_item(TableName="Lagged", Key=key))
        self.assertEqual(self.by_ts("t2"), [])
        wait_for(lambda: not self.by_status("CLOSED"), 10, what="the delete reaching byStatus")


class LagIndexCatchUpTest(unittest.TestCase):
    """With a lag of ten minutes, nothing reaches the GSI until a request names the
    catch_up table: the plugin then has the server apply every deferred entry
    (apply_deferred_index_changes, hooks ABI 1.1), in order."""

    @classmethod
    def setUpClass(cls):
        plugin = os.path.join(PLUGIN_DIR, "lag_index.so")
        cls.server = DynemuServer(extra_args=[
            "--plugin", "%s=ms=600000;table=Slow;catch_up=Barrier" % plugin]).start()
        cls.ddb = client(cls.server)
        cls.ddb.create_table(
            TableName="Slow",
            AttributeDefinitions=[{"AttributeName": n, "AttributeType": "S"}
                                  for n in ("pk", "status")],
            KeySchema=key_schema("pk"), BillingMode="PAY_PER_REQUEST",
            GlobalSecondaryIndexes=[{"IndexName": "byStatus", "KeySchema": key_schema("status"),
                                     "Projection": {"ProjectionType": "KEYS_ONLY"}}])

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def statuses(self):
        items = self.ddb.scan(TableName="Slow", IndexName="byStatus")["Items"]
        return sorted((i["pk"]["S"], i["status"]["S"]) for i in items)

    def test_catches_up_on_demand_in_order(self):
        for n in range(5):
            self.ddb.put_item(TableName="Slow",
                              Item={"pk": {"S": "k%d" % n}, "status": {"S": "NEW"}})
        self.ddb.update_item(TableName="Slow", Key={"pk": {"S": "k0"}},
                             UpdateExpression="SET #s = :s",
                             ExpressionAttributeNames={"#s": "status"},
                             ExpressionAttributeValues={":s": {"S": "DONE"}})
        self.ddb.delete_item(TableName="Slow", Key={"pk": {"S": "k4"}})
        time.sleep(0.3)
        self.assertEqual(self.statuses(), [])
        gsi = self.ddb.describe_table(TableName="Slow")["Table"]["GlobalSecondaryIndexes"][0]
        self.assertEqual(gsi["ItemCount"], 0)
        # A request naming the Barrier table (it need not exist) makes it catch up.
        with self.assertRaises(self.ddb.exceptions.ResourceNotFoundException):
            self.ddb.describe_table(TableName="Barrier")
        self.assertEqual(self.statuses(), [("k0", "DONE"), ("k1", "NEW"), ("k2", "NEW"),
                                           ("k3", "NEW")])
        gsi = self.ddb.describe_table(TableName="Slow")["Table"]["GlobalSecondaryIndexes"][0]
        self.assertEqual(gsi["ItemCount"], 4)


if __name__ == "__main__":
    unittest.main()
