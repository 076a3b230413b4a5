"""Query and Scan end to end through boto3: paging with the SDK's paginators,
parallel scan segments, DynamoDB's order, and the validation messages."""

import unittest

import aws_clients
from dynemu_server import DynemuServer

WALK_ITEMS = 5000
WALK_PARTITIONS = 50


def _create(client, name, sk_type=None):
    defs = [{"AttributeName": "pk", "AttributeType": "S"}]
    keys = [{"AttributeName": "pk", "KeyType": "HASH"}]
    if sk_type:
        defs.append({"AttributeName": "sk", "AttributeType": sk_type})
        keys.append({"AttributeName": "sk", "KeyType": "RANGE"})
    client.create_table(TableName=name, AttributeDefinitions=defs, KeySchema=keys,
                        BillingMode="PAY_PER_REQUEST")


class QueryScanTest(aws_clients.ErrorAssertions, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = DynemuServer()
        cls.server.start()
        cls.client = aws_clients.client(cls.server)
        _create(cls.client, "Walk", "N")
        # 5,000 items of about 520 bytes: 2.6 MB, so unlimited pages end at 1 MB.
        pad = "x" * 500
        items = [{"pk": {"S": "p%d" % (i % WALK_PARTITIONS)}, "sk": {"N": str(i)},
                  "pad": {"S": pad}} for i in range(WALK_ITEMS)]
        aws_clients.batch_put(cls.client, "Walk", items)

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    # ---- walking the table

    def test_query_paginator_returns_every_item_once(self):
        paginator = self.client.get_paginator("query")
        seen = []
        pages = 0
        for p in range(WALK_PARTITIONS):
            for page in paginator.paginate(
                    TableName="Walk", KeyConditionExpression="pk = :p",
                    ExpressionAttributeValues={":p": {"S": "p%d" % p}},
                    PaginationConfig={"PageSize": 7}):
                pages += 1
                sks = [int(it["sk"]["N"]) for it in page["Items"]]
                self.assertEqual(sks, sorted(sks))
                seen.extend(sks)
        self.assertEqual(len(seen), WALK_ITEMS)
        self.assertEqual(sorted(seen), list(range(WALK_ITEMS)))
        # 100 items per partition in pages of 7: 15 pages, the last one empty
        # (Limit reached on item 98 of 100 ... 14 full pages + 2 items + no more).
        self.assertGreaterEqual(pages, WALK_PARTITIONS * 15)

    def test_query_backwards_paginator(self):
        paginator = self.client.get_paginator("query")
        sks = []
        for page in paginator.paginate(
                TableName="Walk", KeyConditionExpression="pk = :p",
                ExpressionAttributeValues={":p": {"S": "p3"}}, ScanIndexForward=False,
                PaginationConfig={"PageSize": 9}):
            sks.extend(int(it["sk"]["N"]) for it in page["Items"])
        self.assertEqual(sks, sorted(range(3, WALK_ITEMS, WALK_PARTITIONS), reverse=True))

    def test_parallel_scan_with_paginators_returns_every_item_once(self):
        paginator = self.client.get_paginator("scan")
        seen = []
        per_segment = []
        owners = {}
        for segment in range(8):
            count = 0
            for page in paginator.paginate(TableName="Walk", Segment=segment, TotalSegments=8,
                                           PaginationConfig={"PageSize": 333}):
                self.assertEqual(page["Count"], len(page["Items"]))
                for it in page["Items"]:
                    seen.append((it["pk"]["S"], int(it["sk"]["N"])))
                    owners.setdefault(it["pk"]["S"], set()).add(segment)
                count += page["ScannedCount"]
            per_segment.append(count)
        self.assertEqual(len(seen), WALK_ITEMS)
        self.assertEqual(len(set(seen)), WALK_ITEMS)
        self.assertEqual(sum(per_segment), WALK_ITEMS)
        # A partition lies in exactly one segment; the segments share the partitions.
        self.assertTrue(all(len(s) == 1 for s in owners.values()), owners)
        self.assertGreater(sum(1 for c in per_segment if c > 0), 4)

    def test_full_scan_pages_at_one_megabyte(self):
        paginator = self.client.get_paginator("scan")
        pages = list(paginator.paginate(TableName="Walk", ReturnConsumedCapacity="TOTAL"))
        self.assertGreaterEqual(len(pages), 3)
        total = sum(p["Count"] for p in pages)
        self.assertEqual(total, WALK_ITEMS)
        first = pages[0]
        self.assertIn("LastEvaluatedKey", first)
        # About 1 MB read eventually consistently: 128 units and a little more.
        self.assertGreaterEqual(first["ConsumedCapacity"]["CapacityUnits"], 128)
        self.assertLessEqual(first["ConsumedCapacity"]["CapacityUnits"], 129)

    def test_scan_start_key_from_another_segment_is_rejected(self):
        page = self.client.scan(TableName="Walk", Segment=2, TotalSegments=8, Limit=1)
        key = page["LastEvaluatedKey"]
        self.assertValidation(
            "The provided starting key is invalid: Invalid ExclusiveStartKey. Please use "
            "ExclusiveStartKey with correct Segment. TotalSegments: 8 Segment: 3",
            "scan", TableName="Walk", Segment=3, TotalSegments=8, ExclusiveStartKey=key)

    def test_filter_count_and_select(self):
        page = self.client.query(
            TableName="Walk", KeyConditionExpression="pk = :p AND sk < :n",
            FilterExpression="sk_missing = :v OR attribute_not_exists(#pad)",
            ExpressionAttributeNames={"#pad": "pad"},
            ExpressionAttributeValues={":p": {"S": "p0"}, ":n": {"N": "1000"}, ":v": {"S": "x"}},
            Limit=5)
        self.assertEqual(page["Count"], 0)
        self.assertEqual(page["ScannedCount"], 5)
        self.assertEqual(page["Items"], [])
        self.assertEqual(page["LastEvaluatedKey"], {"pk": {"S": "p0"}, "sk": {"N": "200"}})
        page = self.client.query(
            TableName="Walk", KeyConditionExpression="pk = :p",
            ExpressionAttributeValues={":p": {"S": "p1"}}, Select="COUNT")
        self.assertEqual(page["Count"], 100)
        self.assertNotIn("Items", page)
        page = self.client.scan(TableName="Walk", Limit=2, Select="SPECIFIC_ATTRIBUTES",
                                ProjectionExpression="sk")
        self.assertEqual([sorted(it) for it in page["Items"]], [["sk"], ["sk"]])

    def test_projections_on_top_level_attributes(self):
        # Projections on whole top-level attributes are written from the stored
        # items; each answer must be the item cut down to the names asked for.
        _create(self.client, "Proj", "N")
        items = []
        for i in range(30):
            item = {"pk": {"S": "p"}, "sk": {"N": str(i)}, "a": {"S": "a%d" % i},
                    "m": {"M": {"x": {"N": str(i)}, "y": {"L": [{"BOOL": True}, {"NULL": True}]}}},
                    "ss": {"SS": ["z", "y%d" % i]}, "\u00e9t\u00e9": {"N": "1"}}
            if i % 3 == 0:
                item["only_some"] = {"B": b"\x00\x01"}
            items.append(item)
        aws_clients.batch_put(self.client, "Proj", items)

        def cut(item, names):
            return {k: v for k, v in item.items() if k in names}

        # The whole items as the server answers them (set order, binaries as
        # boto3 decodes them), to cut down.
        by_sk = {int(it["sk"]["N"]): self.client.get_item(
            TableName="Proj", Key={"pk": it["pk"], "sk": it["sk"]})["Item"] for it in items}
        names = ["only_some", "m", "gone1", "\u00e9t\u00e9", "sk"]
        expression = "#o, m, gone1, #e, sk"
        attr_names = {"#o": "only_some", "#e": "\u00e9t\u00e9"}
        seen = []
        start = None
        while True:
            kwargs = dict(TableName="Proj", KeyConditionExpression="pk = :p",
                          ExpressionAttributeValues={":p": {"S": "p"}},
                          ProjectionExpression=expression, ExpressionAttributeNames=attr_names,
                          Limit=7)
            if start:
                kwargs["ExclusiveStartKey"] = start
            page = self.client.query(**kwargs)
            for got in page["Items"]:
                sk = int(got["sk"]["N"])
                self.assertEqual(got, cut(by_sk[sk], names))
                seen.append(sk)
            start = page.get("LastEvaluatedKey")
            if not start:
                break
        self.assertEqual(seen, list(range(30)))

        page = self.client.scan(TableName="Proj", AttributesToGet=["a", "ss", "nope"])
        self.assertEqual(len(page["Items"]), 30)
        for got in page["Items"]:
            sk = next(k for k, v in by_sk.items() if v["a"] == got["a"])
            self.assertEqual(got, cut(by_sk[sk], ["a", "ss"]))

        key = {"pk": {"S": "p"}, "sk": {"N": "3"}}
        got = self.client.get_item(TableName="Proj", Key=key, ProjectionExpression="#o, a",
                                   ExpressionAttributeNames={"#o": "only_some"},
                                   ReturnConsumedCapacity="TOTAL")
        self.assertEqual(got["Item"], cut(by_sk[3], ["only_some", "a"]))
        self.assertEqual(got["ConsumedCapacity"]["CapacityUnits"], 0.5)
        got = self.client.get_item(TableName="Proj", Key=key, ProjectionExpression="gone1")
        self.assertEqual(got["Item"], {})
        reply = self.client.transact_get_items(TransactItems=[
            {"Get": {"TableName": "Proj", "Key": key, "ProjectionExpression": "m, sk"}},
            {"Get": {"TableName": "Proj", "Key": {"pk": {"S": "p"}, "sk": {"N": "99"}},
                     "ProjectionExpression": "m"}}])
        self.assertEqual(reply["Responses"], [{"Item": cut(by_sk[3], ["m", "sk"])}, {}])

    # ---- order

    def test_order_of_numbers_strings_and_binaries(self):
        _create(self.client, "OrderN", "N")
        numbers = ["-1e3", "-2.5", "0", "0.001", "3", "1E2", "-0.5", "1e-5", "25", "-100",
                   "9.99e125", "-9.99e125", "1e-130"]
        aws_clients.batch_put(self.client, "OrderN",
                   [{"pk": {"S": "a"}, "sk": {"N": n}} for n in numbers])
        expected = sorted(numbers, key=float)
        for forward in (True, False):
            got = [it["sk"]["N"] for it in self.client.query(
                TableName="OrderN", KeyConditionExpression="pk = :p",
                ExpressionAttributeValues={":p": {"S": "a"}}, ScanIndexForward=forward)["Items"]]
            want = expected if forward else expected[::-1]
            self.assertEqual([float(x) for x in got], [float(x) for x in want])

        _create(self.client, "OrderS", "S")
        strings = ["b", "a", "Z", "\u00e9", "aa", "~", "\U0001F600", "A"]
        aws_clients.batch_put(self.client, "OrderS", [{"pk": {"S": "a"}, "sk": {"S": s}} for s in strings])
        expected = sorted(strings, key=lambda s: s.encode("utf-8"))
        for forward in (True, False):
            got = [it["sk"]["S"] for it in self.client.query(
                TableName="OrderS", KeyConditionExpression="pk = :p",
                ExpressionAttributeValues={":p": {"S": "a"}}, ScanIndexForward=forward)["Items"]]
            self.assertEqual(got, expected if forward else expected[::-1])

        _create(self.client, "OrderB", "B")
        blobs = [b"\x00", b"\x01", b"\x7f", b"\x80", b"\xff", b"\x00\x00", b"\xff\x00"]
        aws_clients.batch_put(self.client, "OrderB", [{"pk": {"S": "a"}, "sk": {"B": b}} for b in blobs])
        for forward in (True, False):
            got = [it["sk"]["B"] for it in self.client.query(
                TableName="OrderB", KeyConditionExpression="pk = :p",
                ExpressionAttributeValues={":p": {"S": "a"}}, ScanIndexForward=forward)["Items"]]
            self.assertEqual(got, sorted(blobs) if forward else sorted(blobs)[::-1])
        got = [it["sk"]["B"] for it in self.client.query(
            TableName="OrderB", KeyConditionExpression="pk = :p AND begins_with(sk, :b)",
            ExpressionAttributeValues={":p": {"S": "a"}, ":b": {"B": b"\x00"}})["Items"]]
        self.assertEqual(got, [b"\x00", b"\x00\x00"])

    # ---- validation

    def test_query_validation_messages(self):
        v = {":p": {"S": "p0"}, ":n": {"N": "1"}}
        cases = [
            ("Either the KeyConditions or KeyConditionExpression parameter must be specified in "
             "the request.", dict(TableName="Walk")),
            ("Query condition missed key schema element: pk",
             dict(TableName="Walk", KeyConditionExpression="sk = :n",
                  ExpressionAttributeValues={":n": {"N": "1"}})),
            ("Query key condition not supported",
             dict(TableName="Walk", KeyConditionExpression="pk > :p",
                  ExpressionAttributeValues={":p": {"S": "p0"}})),
            ("One or more parameter values were invalid: Condition parameter type does not "
             "match schema type",
             dict(TableName="Walk", KeyConditionExpression="pk = :p AND sk = :s",
                  ExpressionAttributeValues={":p": {"S": "p0"}, ":s": {"S": "1"}})),
            ("Filter Expression can only contain non-primary key attributes: Primary key "
             "attribute: sk",
             dict(TableName="Walk", KeyConditionExpression="pk = :p", FilterExpression="sk = :n",
                  ExpressionAttributeValues=v)),
            ("The provided starting key is outside query boundaries based on provided conditions",
             dict(TableName="Walk", KeyConditionExpression="pk = :p",
                  ExpressionAttributeValues={":p": {"S": "p0"}},
                  ExclusiveStartKey={"pk": {"S": "p1"}, "sk": {"N": "1"}})),
            ("The provided starting key does not match the range key predicate",
             dict(TableName="Walk", KeyConditionExpression="pk = :p AND sk > :n",
                  ExpressionAttributeValues=v,
                  ExclusiveStartKey={"pk": {"S": "p0"}, "sk": {"N": "0"}})),
            ("The provided starting key is invalid",
             dict(TableName="Walk", KeyConditionExpression="pk = :p",
                  ExpressionAttributeValues={":p": {"S": "p0"}},
                  ExclusiveStartKey={"pk": {"S": "p0"}})),
            ("Cannot specify the ProjectionExpression when choosing to get only the Count",
             dict(TableName="Walk", KeyConditionExpression="pk = :p", Select="COUNT",
                  ProjectionExpression="sk", ExpressionAttributeValues={":p": {"S": "p0"}})),
            ("ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName",
             dict(TableName="Walk", KeyConditionExpression="pk = :p",
                  Select="ALL_PROJECTED_ATTRIBUTES",
                  ExpressionAttributeValues={":p": {"S": "p0"}})),
            ("Must specify the AttributesToGet or ProjectionExpression when choosing to get "
             "SPECIFIC_ATTRIBUTES",
             dict(TableName="Walk", KeyConditionExpression="pk = :p",
                  Select="SPECIFIC_ATTRIBUTES", ExpressionAttributeValues={":p": {"S": "p0"}})),
            ("The table does not have the specified index: byX",
             dict(TableName="Walk", KeyConditionExpression="pk = :p", IndexName="byX",
                  ExpressionAttributeValues={":p": {"S": "p0"}})),
        ]
        for message, kwargs in cases:
            with self.subTest(message=message):
                self.assertValidation(message, "query", **kwargs)
        err = self.error("query", TableName="Nope", KeyConditionExpression="pk = :p",
                         ExpressionAttributeValues={":p": {"S": "p0"}})
        self.assertEqual(err["Code"], "ResourceNotFoundException")

    def test_scan_validation_messages(self):
        cases = [
            ("The TotalSegments parameter is required but was not present in the request when "
             "Segment parameter is present", dict(TableName="Walk", Segment=1)),
            ("The Segment parameter is required but was not present in the request when "
             "parameter TotalSegments is present", dict(TableName="Walk", TotalSegments=4)),
            ("The Segment parameter is zero-based and must be less than parameter "
             "TotalSegments: Segment: 4 is not less than TotalSegments: 4",
             dict(TableName="Walk", Segment=4, TotalSegments=4)),
            ("The provided starting key is invalid: The provided key element does not match "
             "the schema", dict(TableName="Walk", ExclusiveStartKey={"pk": {"S": "p0"}})),
            ("Cannot specify the ProjectionExpression when choosing to get ALL_ATTRIBUTES",
             dict(TableName="Walk", Select="ALL_ATTRIBUTES", ProjectionExpression="sk")),
        ]
        for message, kwargs in cases:
            with self.subTest(message=message):
                self.assertValidation(message, "scan", **kwargs)


if __name__ == "__main__":
    unittest.main()
