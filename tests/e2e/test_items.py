"""PutItem, GetItem and DeleteItem through boto3, compared with DynamoDB's answers."""

import threading
import unittest

from botocore.exceptions import ClientError

from aws_clients import client
from dynemu_server import DynemuServer

MUSIC_TABLE = dict(
    TableName="Music",
    AttributeDefinitions=[{"AttributeName": "Artist", "AttributeType": "S"},
                          {"AttributeName": "Year", "AttributeType": "N"}],
    KeySchema=[{"AttributeName": "Artist", "KeyType": "HASH"},
               {"AttributeName": "Year", "KeyType": "RANGE"}],
    BillingMode="PAY_PER_REQUEST")


class ItemTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = DynemuServer().start()
        cls.ddb = client(cls.server)
        cls.ddb.create_table(**MUSIC_TABLE)
        cls.ddb.create_table(
            TableName="Blobs",
            AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "B"}],
            KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
            ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5})

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def assertError(self, call, code, message, **kwargs):
        with self.assertRaises(ClientError) as ctx:
            call(**kwargs)
        self.assertEqual(ctx.exception.response["Error"]["Code"], code)
        self.assertEqual(ctx.exception.response["Error"]["Message"], message)
        return ctx.exception

    def test_every_type_round_trips_normalized(self):
        item = {
            "Artist": {"S": "Björk"}, "Year": {"N": "1993"},
            "s": {"S": ""}, "b": {"B": b"\x00\xff"}, "n": {"N": "-00012.500"},
            "big": {"N": "1.5E2"}, "tiny": {"N": "1E-5"}, "t": {"BOOL": True},
            "nul": {"NULL": True}, "ss": {"SS": ["b", "a"]}, "ns": {"NS": ["1", "10", "2.0"]},
            "bs": {"BS": [b"x", b"y"]}, "l": {"L": [{"S": "x"}, {"L": []}, {"M": {}}]},
            "m": {"M": {"deep": {"M": {"er": {"N": "0.0"}}}}},
        }
        self.ddb.put_item(TableName="Music", Item=item)
        got = self.ddb.get_item(TableName="Music",
                                Key={"Artist": {"S": "Björk"}, "Year": {"N": "1993"}})["Item"]
        self.assertEqual(got["n"], {"N": "-12.5"})
        self.assertEqual(got["big"], {"N": "150"})
        self.assertEqual(got["tiny"], {"N": "0.00001"})
        self.assertEqual(got["m"], {"M": {"deep": {"M": {"er": {"N": "0"}}}}})
        self.assertEqual(sorted(got["ss"]["SS"]), ["a", "b"])
        self.assertEqual(sorted(got["ns"]["NS"], key=float), ["1", "2", "10"])
        self.assertEqual(got["b"], {"B": b"\x00\xff"})
        self.assertEqual(got["s"], {"S": ""})
        self.assertEqual(got["l"], item["l"])

    def test_control_characters_round_trip(self):
        # Every control character, at many offsets of long strings, in names,
        # values, set members and nested maps: the answers must stay valid
        # JSON (botocore turns an unparsable body into an empty answer).
        for c in range(1, 0x20):
            ch = chr(c)
            text = "".join(ch if i % 7 == 3 else "x" for i in range(80))
            item = {"Artist": {"S": "ctl" + ch}, "Year": {"N": str(c)},
                    "v": {"S": text}, "name" + ch * 20: {"S": ch},
                    "ss": {"SS": [text, ch]},
                    "m": {"M": {"k" + ch: {"L": [{"S": text}]}}}}
            self.ddb.put_item(TableName="Music", Item=item)
            key = {"Artist": item["Artist"], "Year": item["Year"]}
            got = self.ddb.get_item(TableName="Music", Key=key)
            self.assertIn("Item", got, c)
            got["Item"]["ss"]["SS"].sort()
            item["ss"]["SS"].sort()
            self.assertEqual(got["Item"], item)
            queried = self.ddb.query(
                TableName="Music", KeyConditionExpression="Artist = :a",
                ExpressionAttributeValues={":a": item["Artist"]})
            self.assertEqual(queried["Count"], 1, c)
            self.assertEqual(queried["Items"][0]["v"], item["v"])
            self.ddb.delete_item(TableName="Music", Key=key)

    def test_numeric_keys_compare_numerically(self):
        self.ddb.put_item(TableName="Music", Item={"Artist": {"S": "n"}, "Year": {"N": "1000"},
                                                   "v": {"S": "first"}})
        got = self.ddb.get_item(TableName="Music", Key={"Artist": {"S": "n"}, "Year": {"N": "1e3"}})
        self.assertEqual(got["Item"]["v"], {"S": "first"})
        self.assertEqual(got["Item"]["Year"], {"N": "1000"})

    def test_return_values_and_capacity(self):
        key = {"Artist": {"S": "rv"}, "Year": {"N": "1"}}
        first = self.ddb.put_item(TableName="Music", Item={**key, "v": {"S": "1"}},
                                  ReturnValues="ALL_OLD", ReturnConsumedCapacity="TOTAL")
        self.assertNotIn("Attributes", first)
        self.assertEqual(first["ConsumedCapacity"], {"TableName": "Music", "CapacityUnits": 1.0})
        second = self.ddb.put_item(TableName="Music", Item={**key, "v": {"S": "2"}},
                                   ReturnValues="ALL_OLD")
        self.assertEqual(second["Attributes"], {**key, "v": {"S": "1"}})
        read = self.ddb.get_item(TableName="Music", Key=key, ConsistentRead=True,
                                 ReturnConsumedCapacity="INDEXES", AttributesToGet=["v"])
        self.assertEqual(read["Item"], {"v": {"S": "2"}})
        self.assertEqual(read["ConsumedCapacity"],
                         {"TableName": "Music", "CapacityUnits": 1.0,
                          "Table": {"CapacityUnits": 1.0}})
        # 5 KB costs two read units consistently, one eventually; 5 write units.
        big = {**key, "v": {"S": "x" * 5000}}
        put = self.ddb.put_item(TableName="Music", Item=big, ReturnConsumedCapacity="TOTAL")
        self.assertEqual(put["ConsumedCapacity"]["CapacityUnits"], 5.0)
        eventual = self.ddb.get_item(TableName="Music", Key=key, ReturnConsumedCapacity="TOTAL")
        self.assertEqual(eventual["ConsumedCapacity"]["CapacityUnits"], 1.0)
        deleted = self.ddb.delete_item(TableName="Music", Key=key, ReturnValues="ALL_OLD")
        self.assertEqual(deleted["Attributes"], big)
        self.assertNotIn("Item", self.ddb.get_item(TableName="Music", Key=key))
        # Deleting what is not there succeeds and returns nothing.
        self.assertNotIn("Attributes",
                         self.ddb.delete_item(TableName="Music", Key=key, ReturnValues="ALL_OLD"))

    def test_binary_keys(self):
        self.ddb.put_item(TableName="Blobs", Item={"k": {"B": b"\x00\x01"}, "v": {"N": "1"}})
        self.ddb.put_item(TableName="Blobs", Item={"k": {"B": b"\x00"}, "v": {"N": "2"}})
        got = self.ddb.get_item(TableName="Blobs", Key={"k": {"B": b"\x00\x01"}})
        self.assertEqual(got["Item"]["v"], {"N": "1"})
        got = self.ddb.get_item(TableName="Blobs", Key={"k": {"B": b"\x00"}})
        self.assertEqual(got["Item"]["v"], {"N": "2"})

    def test_item_errors(self):
        music = "Music"
        self.assertError(self.ddb.get_item, "ResourceNotFoundException",
                         "Requested resource not found",
                         TableName="Nothing", Key={"a": {"S": "b"}})
        self.assertError(self.ddb.get_item, "ValidationException",
                         "The provided key element does not match the schema",
                         TableName=music, Key={"Artist": {"S": "a"}})
        self.assertError(self.ddb.get_item, "ValidationException",
                         "The provided key element does not match the schema",
                         TableName=music, Key={"Artist": {"S": "a"}, "Year": {"S": "1"}})
        self.assertError(self.ddb.put_item, "ValidationException",
                         "One or more parameter values were invalid: Missing the key Year in the item",
                         TableName=music, Item={"Artist": {"S": "a"}})
        self.assertError(self.ddb.put_item, "ValidationException",
                         "One or more parameter values were invalid: Type mismatch for key Year "
                         "expected: N actual: S",
                         TableName=music, Item={"Artist": {"S": "a"}, "Year": {"S": "x"}})
        self.assertError(self.ddb.put_item, "ValidationException",
                         "One or more parameter values are not valid. The AttributeValue for a key "
                         "attribute cannot contain an empty string value. Key: Artist",
                         TableName=music, Item={"Artist": {"S": ""}, "Year": {"N": "1"}})
        self.assertError(self.ddb.put_item, "ValidationException",
                         "One or more parameter values were invalid: An string set  may not be empty",
                         TableName=music,
                         Item={"Artist": {"S": "a"}, "Year": {"N": "1"}, "s": {"SS": []}})
        self.assertError(self.ddb.put_item, "ValidationException",
                         "One or more parameter values were invalid: Input collection [a, a] "
                         "contains duplicates.",
                         TableName=music,
                         Item={"Artist": {"S": "a"}, "Year": {"N": "1"}, "s": {"SS": ["a", "a"]}})
        self.assertError(self.ddb.put_item, "ValidationException",
                         "Attempting to store more than 38 significant digits in a Number",
                         TableName=music,
                         Item={"Artist": {"S": "a"}, "Year": {"N": "1" * 39}})
        self.assertError(self.ddb.put_item, "ValidationException",
                         "Number overflow. Attempting to store a number with magnitude larger "
                         "than supported range",
                         TableName=music, Item={"Artist": {"S": "a"}, "Year": {"N": "1E126"}})
        self.assertError(self.ddb.put_item, "ValidationException",
                         "Number underflow. Attempting to store a number with magnitude smaller "
                         "than supported range",
                         TableName=music, Item={"Artist": {"S": "a"}, "Year": {"N": "1E-131"}})
        self.assertError(self.ddb.put_item, "ValidationException",
                         "The parameter cannot be converted to a numeric value: abc",
                         TableName=music, Item={"Artist": {"S": "a"}, "Year": {"N": "abc"}})
        self.assertError(self.ddb.put_item, "ValidationException",
                         "Item size has exceeded the maximum allowed size",
                         TableName=music,
                         Item={"Artist": {"S": "a"}, "Year": {"N": "1"},
                               "v": {"S": "x" * (400 * 1024)}})
        self.assertError(self.ddb.put_item, "ValidationException",
                         "ReturnValues can only be ALL_OLD or NONE",
                         TableName=music, Item={"Artist": {"S": "a"}, "Year": {"N": "1"}},
                         ReturnValues="ALL_NEW")
        self.assertError(self.ddb.get_item, "ValidationException",
                         "1 validation error detected: Value 'ab' at 'tableName' failed to "
                         "satisfy constraint: Member must have length greater than or equal to 3",
                         TableName="ab", Key={"a": {"S": "b"}})
        # Item size is checked before the table's existence.
        self.assertError(self.ddb.put_item, "ValidationException",
                         "Item size has exceeded the maximum allowed size",
                         TableName="NoSuchTable",
                         Item={"a": {"S": "x" * (400 * 1024 + 1)}})
        # None of these wrote anything.
        self.assertNotIn("Item", self.ddb.get_item(
            TableName=music, Key={"Artist": {"S": "a"}, "Year": {"N": "1"}}))

    def test_item_size_boundary(self):
        # 400 KB exactly is allowed: names plus values.
        base = {"Artist": {"S": "size"}, "Year": {"N": "1"}}
        used = len("Artist") + len("size") + len("Year") + 2 + len("v")
        ok = {**base, "v": {"S": "x" * (400 * 1024 - used)}}
        self.ddb.put_item(TableName="Music", Item=ok)
        over = {**base, "v": {"S": "x" * (400 * 1024 - used + 1)}}
        self.assertError(self.ddb.put_item, "ValidationException",
                         "Item size has exceeded the maximum allowed size",
                         TableName="Music", Item=over)

    def test_reads_follow_every_kind_of_write(self):
        # GetItem and BatchGetItem answer from the row cache once they have read
        # an item: each kind of write must be seen by the next read.
        run_read_after_write_sequence(self, self.ddb)
        with DynemuServer(extra_args=["--row-cache-mb", "0"]) as plain:
            ddb = client(plain)
            ddb.create_table(**MUSIC_TABLE)
            run_read_after_write_sequence(self, ddb)

    def test_concurrent_reads_never_go_back(self):
        # Writers count up; readers, each on its own connection, must never see
        # a count below one acknowledged before their read began, nor one going back.
        key = {"Artist": {"S": "counter"}, "Year": {"N": "1"}}
        self.ddb.put_item(TableName="Music", Item={**key, "n": {"N": "0"}})
        acknowledged = [0]
        lock = threading.Lock()
        failures = []
        stop = threading.Event()

        def write():
            ddb = client(self.server)
            for _ in range(150):
                got = ddb.update_item(TableName="Music", Key=key, UpdateExpression="ADD n :one",
                                      ExpressionAttributeValues={":one": {"N": "1"}},
                                      ReturnValues="UPDATED_NEW")
                with lock:
                    acknowledged[0] = max(acknowledged[0], int(got["Attributes"]["n"]["N"]))
            stop.set()

        def read(batch):
            ddb = client(self.server)
            last = 0
            while not stop.is_set():
                with lock:
                    floor = acknowledged[0]
                if batch:
                    items = ddb.batch_get_item(
                        RequestItems={"Music": {"Keys": [key]}})["Responses"]["Music"]
                    n = int(items[0]["n"]["N"])
                else:
                    n = int(ddb.get_item(TableName="Music", Key=key)["Item"]["n"]["N"])
                if n < floor or n < last:
                    failures.append((floor, last, n))
                last = n

        threads = [threading.Thread(target=write)] + [
            threading.Thread(target=read, args=(batch,)) for batch in (False, True, False)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(failures, [])
        self.assertEqual(
            self.ddb.get_item(TableName="Music", Key=key, ConsistentRead=True)["Item"]["n"],
            {"N": "150"})


def run_read_after_write_sequence(test, ddb):
    key = {"Artist": {"S": "cached"}, "Year": {"N": "7"}}

    def get():
        return ddb.get_item(TableName="Music", Key=key).get("Item")

    def batch_get():
        items = ddb.batch_get_item(RequestItems={"Music": {"Keys": [key]}})["Responses"]["Music"]
        return items[0] if items else None

    ddb.put_item(TableName="Music", Item={**key, "v": {"S": "one"}})
    for _ in range(2):  # the second read is the cached one
        test.assertEqual(get()["v"], {"S": "one"})
        test.assertEqual(batch_get()["v"], {"S": "one"})
    ddb.update_item(TableName="Music", Key=key, UpdateExpression="SET v = :v",
                    ExpressionAttributeValues={":v": {"S": "two"}})
    test.assertEqual(get()["v"], {"S": "two"})
    test.assertEqual(batch_get()["v"], {"S": "two"})
    ddb.batch_write_item(RequestItems={"Music": [
        {"PutRequest": {"Item": {**key, "v": {"S": "three"}}}}]})
    test.assertEqual(batch_get()["v"], {"S": "three"})
    test.assertEqual(get()["v"], {"S": "three"})
    ddb.transact_write_items(TransactItems=[{"Update": {
        "TableName": "Music", "Key": key, "UpdateExpression": "SET v = :v",
        "ExpressionAttributeValues": {":v": {"S": "four"}}}}])
    test.assertEqual(get()["v"], {"S": "four"})
    test.assertEqual(batch_get()["v"], {"S": "four"})
    with test.assertRaises(ClientError):  # a failed condition writes nothing
        ddb.put_item(TableName="Music", Item={**key, "v": {"S": "five"}},
                     ConditionExpression="attribute_not_exists(v)")
    test.assertEqual(get()["v"], {"S": "four"})
    ddb.delete_item(TableName="Music", Key=key)
    test.assertIsNone(get())
    test.assertIsNone(batch_get())
    ddb.put_item(TableName="Music", Item={**key, "v": {"S": "six"}})
    test.assertEqual(get()["v"], {"S": "six"})
    ddb.batch_write_item(RequestItems={"Music": [{"DeleteRequest": {"Key": key}}]})
    test.assertIsNone(batch_get())
    test.assertIsNone(get())


if __name__ == "__main__":
    unittest.main()
