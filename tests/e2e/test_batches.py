"""BatchGetItem and BatchWriteItem end to end through boto3."""

import unittest

import aws_clients
from dynemu_server import DynemuServer


def _create(client, name):
    client.create_table(TableName=name,
                        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                        BillingMode="PAY_PER_REQUEST")


def _put(pk, **extra):
    item = {"pk": {"S": pk}}
    item.update(extra)
    return {"PutRequest": {"Item": item}}


def _key(pk):
    return {"pk": {"S": pk}}


class BatchesTest(aws_clients.ErrorAssertions, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = DynemuServer()
        cls.server.start()
        cls.client = aws_clients.client(cls.server)
        _create(cls.client, "One")
        _create(cls.client, "Two")

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def exists(self, table, pk):
        return "Item" in self.client.get_item(TableName=table, Key=_key(pk))

    def test_write_then_get_across_tables(self):
        reply = self.client.batch_write_item(
            RequestItems={"One": [_put("w%d" % i, n={"N": str(i)}) for i in range(20)],
                          "Two": [_put("w%d" % i) for i in range(5)]},
            ReturnConsumedCapacity="TOTAL")
        self.assertEqual(reply["UnprocessedItems"], {})
        self.assertEqual(sorted((c["TableName"], c["CapacityUnits"])
                                for c in reply["ConsumedCapacity"]),
                         [("One", 20.0), ("Two", 5.0)])
        reply = self.client.batch_get_item(
            RequestItems={"One": {"Keys": [_key("w%d" % i) for i in range(20)] + [_key("none")],
                                  "ProjectionExpression": "#n", "ExpressionAttributeNames": {"#n": "n"},
                                  "ConsistentRead": True},
                          "Two": {"Keys": [_key("w0")], "AttributesToGet": ["pk"]}},
            ReturnConsumedCapacity="INDEXES")
        self.assertEqual(sorted(int(it["n"]["N"]) for it in reply["Responses"]["One"]),
                         list(range(20)))
        self.assertEqual(reply["Responses"]["Two"], [{"pk": {"S": "w0"}}])
        self.assertEqual(reply["UnprocessedKeys"], {})
        units = {c["TableName"]: c for c in reply["ConsumedCapacity"]}
        self.assertEqual(units["One"]["CapacityUnits"], 21.0)
        self.assertEqual(units["Two"]["Table"]["CapacityUnits"], 0.5)

        self.client.batch_write_item(RequestItems={"One": [{"DeleteRequest": {"Key": _key("w0")}}]})
        self.assertFalse(self.exists("One", "w0"))

    def test_duplicates_and_limits(self):
        self.assertValidation("Provided list of item keys contains duplicates", "batch_write_item",
                              RequestItems={"One": [_put("d1"), {"DeleteRequest": {"Key": _key("d1")}}]})
        self.assertValidation("Provided list of item keys contains duplicates", "batch_get_item",
                              RequestItems={"One": {"Keys": [_key("d1"), _key("d1")]}})
        self.assertValidation("Too many items requested for the BatchGetItem call",
                              "batch_get_item",
                              RequestItems={"One": {"Keys": [_key("a%d" % i) for i in range(60)]},
                                            "Two": {"Keys": [_key("a%d" % i) for i in range(41)]}})
        self.assertValidation("Too many items requested for the BatchWriteItem call",
                              "batch_write_item",
                              RequestItems={"One": [_put("t%d" % i) for i in range(20)],
                                            "Two": [_put("t%d" % i) for i in range(6)]})
        self.assertFalse(self.exists("One", "t0"))

    def test_whole_batch_validated_before_any_write(self):
        self.assertValidation("The provided key element does not match the schema",
                              "batch_write_item",
                              RequestItems={"One": [_put("v1")],
                                            "Two": [{"PutRequest": {"Item": {"pk": {"N": "1"}}}}]})
        self.assertFalse(self.exists("One", "v1"))
        err = self.error("batch_write_item",
                         RequestItems={"One": [_put("v2")], "Missing": [_put("v2")]})
        self.assertEqual(err["Code"], "ResourceNotFoundException")
        self.assertFalse(self.exists("One", "v2"))

    def test_unprocessed_keys_over_sixteen_megabytes(self):
        big = "x" * (399 * 1024)
        for i in range(0, 50, 10):
            self.client.batch_write_item(
                RequestItems={"One": [_put("big%d" % j, d={"S": big}) for j in range(i, i + 10)]})
        keys = [_key("big%d" % i) for i in range(50)]
        reply = self.client.batch_get_item(
            RequestItems={"One": {"Keys": keys, "ConsistentRead": True}})
        got = reply["Responses"]["One"]
        left = reply["UnprocessedKeys"]["One"]
        self.assertEqual(len(got) + len(left["Keys"]), 50)
        self.assertLess(len(got), 50)
        self.assertTrue(left["ConsistentRead"])
        # Retrying the unprocessed keys finishes the job.
        again = self.client.batch_get_item(RequestItems=reply["UnprocessedKeys"])
        self.assertEqual(len(again["Responses"]["One"]), len(left["Keys"]))
        self.assertEqual(again["UnprocessedKeys"], {})


if __name__ == "__main__":
    unittest.main()
