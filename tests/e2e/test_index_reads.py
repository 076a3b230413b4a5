"""Query and Scan of secondary indexes end to end through boto3: each projection
type, sparse GSIs, entries moving between GSI partitions, deletes, paging on a
GSI of 3,000 items (paginators and ExclusiveStartKey), parallel scans of an
index, ConsumedCapacity per index and the validation messages of index reads."""

import time
import unittest

from botocore.exceptions import ClientError

import aws_clients
from dynemu_server import DynemuServer

BIG_ITEMS = 3000
GROUPS = 3


def _key_schema(hash_key, range_key=None):
    keys = [{"AttributeName": hash_key, "KeyType": "HASH"}]
    if range_key:
        keys.append({"AttributeName": range_key, "KeyType": "RANGE"})
    return keys


def _gsi(name, hash_key, range_key, projection):
    return {"IndexName": name, "KeySchema": _key_schema(hash_key, range_key),
            "Projection": projection}


def _ids(items):
    return ["%s/%s" % (it["pk"]["S"], it["sk"]["N"]) for it in items]


class IndexReadsTest(aws_clients.ErrorAssertions, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = DynemuServer()
        cls.server.start()
        cls.client = aws_clients.client(cls.server)
        # Proj: pk/sk; GSIs on gpk[/gsk] with each projection; LSI on lsk.
        cls.client.create_table(
            TableName="Proj", BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": n, "AttributeType": t} for n, t in
                                  [("pk", "S"), ("sk", "N"), ("gpk", "S"), ("gsk", "N"),
                                   ("lsk", "N")]],
            KeySchema=_key_schema("pk", "sk"),
            GlobalSecondaryIndexes=[
                _gsi("gAll", "gpk", "gsk", {"ProjectionType": "ALL"}),
                _gsi("gKeys", "gpk", None, {"ProjectionType": "KEYS_ONLY"}),
                _gsi("gInc", "gpk", "gsk", {"ProjectionType": "INCLUDE",
                                            "NonKeyAttributes": ["a"]}),
            ],
            LocalSecondaryIndexes=[
                _gsi("lKeys", "pk", "lsk", {"ProjectionType": "KEYS_ONLY"}),
            ])
        # Big: 3,000 items over GROUPS partitions of GSI byGroup (grp/n, ALL) and
        # of GSI byBucket (grp/bucket, KEYS_ONLY: many ties on the sort key).
        cls.client.create_table(
            TableName="Big", BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": n, "AttributeType": t} for n, t in
                                  [("pk", "S"), ("sk", "N"), ("grp", "S"), ("n", "N"),
                                   ("bucket", "N")]],
            KeySchema=_key_schema("pk", "sk"),
            GlobalSecondaryIndexes=[
                _gsi("byGroup", "grp", "n", {"ProjectionType": "ALL"}),
                _gsi("byBucket", "grp", "bucket", {"ProjectionType": "KEYS_ONLY"}),
            ])
        pad = "x" * 500
        items = [{"pk": {"S": "p%d" % (i % 97)}, "sk": {"N": str(i)},
                  "grp": {"S": "g%d" % (i % GROUPS)}, "n": {"N": str(i)},
                  "bucket": {"N": str(i % 10)}, "pad": {"S": pad}}
                 for i in range(BIG_ITEMS)]
        aws_clients.batch_put(cls.client, "Big", items)
        cls.big_ids = set(_ids(items))

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def put(self, pk, sk, **attrs):
        item = {"pk": {"S": pk}, "sk": {"N": str(sk)}}
        for name, value in attrs.items():
            item[name] = {"N": str(value)} if isinstance(value, int) else {"S": value}
        self.client.put_item(TableName="Proj", Item=item)

    def gquery(self, index, gpk, **kwargs):
        return self.client.query(TableName="Proj", IndexName=index,
                                 KeyConditionExpression="gpk = :g",
                                 ExpressionAttributeValues={":g": {"S": gpk}}, **kwargs)

    # ---- projections, sparse entries, moves, deletes

    def test_projections(self):
        self.put("pr", 1, gpk="proj", gsk=2, lsk=5, a="A", b="B")
        self.put("pr", 2, gpk="proj", gsk=1, lsk=4, a="A2", b="B2")
        page = self.gquery("gAll", "proj")
        self.assertEqual(_ids(page["Items"]), ["pr/2", "pr/1"])
        self.assertEqual(set(page["Items"][0]), {"pk", "sk", "gpk", "gsk", "lsk", "a", "b"})
        page = self.gquery("gKeys", "proj")
        self.assertEqual(sorted(_ids(page["Items"])), ["pr/1", "pr/2"])
        for item in page["Items"]:
            self.assertEqual(set(item), {"pk", "sk", "gpk"})
        page = self.gquery("gInc", "proj", Select="ALL_PROJECTED_ATTRIBUTES")
        for item in page["Items"]:
            self.assertEqual(set(item), {"pk", "sk", "gpk", "gsk", "a"})
        page = self.client.query(TableName="Proj", IndexName="lKeys",
                                 KeyConditionExpression="pk = :p AND lsk < :l",
                                 ExpressionAttributeValues={":p": {"S": "pr"}, ":l": {"N": "5"}})
        self.assertEqual(_ids(page["Items"]), ["pr/2"])
        self.assertEqual(set(page["Items"][0]), {"pk", "sk", "lsk"})
        # An LSI fetches what it does not project from the table.
        page = self.client.query(TableName="Proj", IndexName="lKeys",
                                 KeyConditionExpression="pk = :p",
                                 ExpressionAttributeValues={":p": {"S": "pr"}},
                                 Select="ALL_ATTRIBUTES", ConsistentRead=True)
        self.assertEqual(set(page["Items"][0]), {"pk", "sk", "gpk", "gsk", "lsk", "a", "b"})
        page = self.client.query(TableName="Proj", IndexName="lKeys",
                                 KeyConditionExpression="pk = :p",
                                 ExpressionAttributeValues={":p": {"S": "pr"}},
                                 ProjectionExpression="b, lsk")
        self.assertEqual(page["Items"], [{"b": {"S": "B2"}, "lsk": {"N": "4"}},
                                         {"b": {"S": "B"}, "lsk": {"N": "5"}}])

    def test_sparse_move_and_delete(self):
        self.put("sp", 1, gpk="sparse", gsk=1)
        self.put("sp", 2, gpk="sparse")          # no gsk: only in gKeys
        self.put("sp", 3, b="no index keys")     # in no GSI
        self.assertEqual(_ids(self.gquery("gAll", "sparse")["Items"]), ["sp/1"])
        self.assertEqual(sorted(_ids(self.gquery("gKeys", "sparse")["Items"])), ["sp/1", "sp/2"])
        scanned = self.client.scan(TableName="Proj", IndexName="gKeys")["Items"]
        self.assertNotIn("sp/3", _ids(scanned))
        # Moving sp/1 to partition "moved".
        self.client.update_item(TableName="Proj", Key={"pk": {"S": "sp"}, "sk": {"N": "1"}},
                                UpdateExpression="SET gpk = :m",
                                ExpressionAttributeValues={":m": {"S": "moved"}})
        self.assertEqual(_ids(self.gquery("gAll", "sparse")["Items"]), [])
        self.assertEqual(_ids(self.gquery("gAll", "moved")["Items"]), ["sp/1"])
        self.assertEqual(_ids(self.gquery("gInc", "moved")["Items"]), ["sp/1"])
        self.assertEqual(_ids(self.gquery("gKeys", "sparse")["Items"]), ["sp/2"])
        # Deletes take the entries out.
        self.client.delete_item(TableName="Proj", Key={"pk": {"S": "sp"}, "sk": {"N": "1"}})
        self.client.delete_item(TableName="Proj", Key={"pk": {"S": "sp"}, "sk": {"N": "2"}})
        self.assertEqual(self.gquery("gAll", "moved")["Count"], 0)
        self.assertEqual(self.gquery("gKeys", "sparse")["Count"], 0)

    # ---- paging over 3,000 items

    def test_query_paginator_on_gsi(self):
        paginator = self.client.get_paginator("query")
        seen = []
        for g in range(GROUPS):
            last = -1
            for page in paginator.paginate(
                    TableName="Big", IndexName="byGroup", KeyConditionExpression="grp = :g",
                    ExpressionAttributeValues={":g": {"S": "g%d" % g}},
                    PaginationConfig={"PageSize": 64}):
                for item in page["Items"]:
                    n = int(item["n"]["N"])
                    self.assertGreater(n, last)
                    last = n
                seen.extend(_ids(page["Items"]))
                if "LastEvaluatedKey" in page:
                    self.assertEqual(set(page["LastEvaluatedKey"]), {"grp", "n", "pk", "sk"})
        self.assertEqual(len(seen), BIG_ITEMS)
        self.assertEqual(set(seen), self.big_ids)

    def test_scan_paginator_on_gsi_pages_at_one_megabyte(self):
        paginator = self.client.get_paginator("scan")
        seen = []
        pages = 0
        for page in paginator.paginate(TableName="Big", IndexName="byGroup"):
            pages += 1
            seen.extend(_ids(page["Items"]))
        self.assertEqual(len(seen), BIG_ITEMS)
        self.assertEqual(set(seen), self.big_ids)
        self.assertGreaterEqual(pages, 2)  # about 1.6 MB of projected entries
        # The KEYS_ONLY index's entries are small: one page holds them all.
        page = self.client.scan(TableName="Big", IndexName="byBucket")
        self.assertEqual(page["Count"], BIG_ITEMS)
        self.assertNotIn("LastEvaluatedKey", page)

    def test_manual_paging_through_sort_key_ties(self):
        for forward in (True, False):
            seen = []
            for g in range(GROUPS):
                kwargs = {}
                while True:
                    page = self.client.query(
                        TableName="Big", IndexName="byBucket",
                        KeyConditionExpression="grp = :g AND #b BETWEEN :lo AND :hi",
                        ExpressionAttributeNames={"#b": "bucket"},  # a reserved word
                        ExpressionAttributeValues={":g": {"S": "g%d" % g},
                                                   ":lo": {"N": "2"}, ":hi": {"N": "7"}},
                        Limit=17, ScanIndexForward=forward, **kwargs)
                    seen.extend(_ids(page["Items"]))
                    for item in page["Items"]:
                        self.assertEqual(set(item), {"pk", "sk", "grp", "bucket"})
                    if "LastEvaluatedKey" not in page:
                        break
                    self.assertEqual(set(page["LastEvaluatedKey"]), {"grp", "bucket", "pk", "sk"})
                    kwargs = {"ExclusiveStartKey": page["LastEvaluatedKey"]}
            expected = {i for i in self.big_ids if 2 <= int(i.split("/")[1]) % 10 <= 7}
            self.assertEqual(len(seen), len(expected))
            self.assertEqual(set(seen), expected)

    def test_parallel_scan_of_index(self):
        seen = []
        for segment in range(4):
            kwargs = {}
            while True:
                page = self.client.scan(TableName="Big", IndexName="byBucket", Segment=segment,
                                        TotalSegments=4, Limit=250, **kwargs)
                seen.extend(_ids(page["Items"]))
                if "LastEvaluatedKey" not in page:
                    break
                kwargs = {"ExclusiveStartKey": page["LastEvaluatedKey"]}
                other = (segment + 1) % 4
                self.assertValidation(
                    "The provided starting key is invalid: Invalid ExclusiveStartKey. Please use "
                    "ExclusiveStartKey with correct Segment. TotalSegments: 4 Segment: %d" % other,
                    "scan", TableName="Big", IndexName="byBucket", Segment=other,
                    TotalSegments=4, **kwargs)
        self.assertEqual(len(seen), BIG_ITEMS)
        self.assertEqual(set(seen), self.big_ids)

    # ---- capacity

    def test_consumed_capacity_per_index(self):
        page = self.client.query(TableName="Big", IndexName="byGroup",
                                 KeyConditionExpression="grp = :g",
                                 ExpressionAttributeValues={":g": {"S": "g0"}}, Limit=10,
                                 ReturnConsumedCapacity="INDEXES")
        capacity = page["ConsumedCapacity"]
        self.assertEqual(capacity["TableName"], "Big")
        self.assertEqual(capacity["Table"], {"CapacityUnits": 0.0})
        # 10 entries of about 550 bytes: 2 x 4 KB, eventually consistent.
        self.assertEqual(capacity["GlobalSecondaryIndexes"], {"byGroup": {"CapacityUnits": 1.0}})
        self.assertEqual(capacity["CapacityUnits"], 1.0)
        page = self.client.scan(TableName="Big", IndexName="byBucket", Limit=5,
                                ReturnConsumedCapacity="TOTAL")
        self.assertEqual(page["ConsumedCapacity"], {"TableName": "Big", "CapacityUnits": 0.5})

    # ---- validation

    def test_validation_messages(self):
        invalid = "One or more parameter values were invalid: "
        self.assertValidation("Query condition missed key schema element: gpk", "query",
                              TableName="Proj", IndexName="gAll",
                              KeyConditionExpression="pk = :p",
                              ExpressionAttributeValues={":p": {"S": "x"}})
        self.assertValidation("Query condition missed key schema element: gsk", "query",
                              TableName="Proj", IndexName="gAll",
                              KeyConditionExpression="gpk = :g AND sk = :s",
                              ExpressionAttributeValues={":g": {"S": "x"}, ":s": {"N": "1"}})
        self.assertValidation("Consistent reads are not supported on global secondary indexes",
                              "query", TableName="Proj", IndexName="gAll",
                              KeyConditionExpression="gpk = :g",
                              ExpressionAttributeValues={":g": {"S": "x"}}, ConsistentRead=True)
        self.assertValidation("Consistent reads are not supported on global secondary indexes",
                              "scan", TableName="Proj", IndexName="gKeys", ConsistentRead=True)
        self.assertValidation(
            invalid + "Select type ALL_ATTRIBUTES is not supported for global secondary index "
            "gInc because its projection type is not ALL",
            "query", TableName="Proj", IndexName="gInc", KeyConditionExpression="gpk = :g",
            ExpressionAttributeValues={":g": {"S": "x"}}, Select="ALL_ATTRIBUTES")
        self.assertValidation(
            invalid + "Global secondary index gKeys does not project [b]",
            "scan", TableName="Proj", IndexName="gKeys", ProjectionExpression="pk, b")
        self.assertValidation(
            "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName",
            "scan", TableName="Proj", Select="ALL_PROJECTED_ATTRIBUTES")
        self.assertValidation("The table does not have the specified index: nope", "scan",
                              TableName="Proj", IndexName="nope")
        self.assertValidation(
            "Filter Expression can only contain non-primary key attributes: Primary key "
            "attribute: gsk",
            "query", TableName="Proj", IndexName="gAll", KeyConditionExpression="gpk = :g",
            FilterExpression="gsk > :n",
            ExpressionAttributeValues={":g": {"S": "x"}, ":n": {"N": "1"}})
        # ExclusiveStartKey: index keys and table keys.
        base = dict(TableName="Proj", IndexName="gAll", KeyConditionExpression="gpk = :g",
                    ExpressionAttributeValues={":g": {"S": "x"}})
        self.assertValidation("The provided starting key is invalid", "query",
                              ExclusiveStartKey={"pk": {"S": "a"}, "sk": {"N": "1"}}, **base)
        self.assertValidation("The provided starting key is invalid", "query",
                              ExclusiveStartKey={"gpk": {"S": "x"}, "gsk": {"N": "1"}}, **base)
        self.assertValidation(
            "The provided starting key is invalid: The provided key element does not match the "
            "schema", "query",
            ExclusiveStartKey={"gpk": {"S": "x"}, "gsk": {"N": "1"}, "pk": {"S": "a"},
                               "other": {"N": "1"}}, **base)
        self.assertValidation(
            "The provided key element does not match the schema", "query",
            ExclusiveStartKey={"gpk": {"S": "x"}, "gsk": {"S": "1"}, "pk": {"S": "a"},
                               "sk": {"N": "1"}}, **base)
        self.assertValidation(
            "The provided starting key is outside query boundaries based on provided conditions",
            "query", ExclusiveStartKey={"gpk": {"S": "y"}, "gsk": {"N": "1"}, "pk": {"S": "a"},
                                        "sk": {"N": "1"}}, **base)
        self.assertValidation(
            "The provided starting key is invalid", "scan", TableName="Proj", IndexName="gKeys",
            ExclusiveStartKey={"pk": {"S": "a"}, "sk": {"N": "1"}})

    def test_index_added_and_removed_by_update_table(self):
        self.client.create_table(
            TableName="Online", BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            KeySchema=_key_schema("pk"))
        aws_clients.batch_put(self.client, "Online",
                   [{"pk": {"S": "k%d" % i}, "c": {"S": "c%d" % (i % 5)}} for i in range(500)])
        self.client.update_table(
            TableName="Online",
            AttributeDefinitions=[{"AttributeName": "c", "AttributeType": "S"}],
            GlobalSecondaryIndexUpdates=[{"Create": _gsi("byC", "c", None,
                                                         {"ProjectionType": "KEYS_ONLY"})}])
        deadline = time.time() + 60
        while True:
            # Until ACTIVE, a read is refused; DynamoDB names the backfilling index.
            try:
                page = self.client.scan(TableName="Online", IndexName="byC")
            except ClientError as e:
                self.assertEqual(e.response["Error"]["Message"],
                                 "Cannot read from backfilling global secondary index: byC")
                page = None
            index = self.client.describe_table(TableName="Online")["Table"][
                "GlobalSecondaryIndexes"][0]
            if index["IndexStatus"] == "ACTIVE":
                break
            self.assertLess(time.time(), deadline, index)
            time.sleep(0.05)
        page = self.client.scan(TableName="Online", IndexName="byC")
        self.assertEqual(page["Count"], 500)
        self.client.update_table(TableName="Online",
                                 GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "byC"}}])
        self.assertValidation("The table does not have the specified index: byC", "scan",
                              TableName="Online", IndexName="byC")


if __name__ == "__main__":
    unittest.main()
