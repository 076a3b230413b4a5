"""Malformed requests of every kind get DynamoDB's error and leave the data intact.

Each case is sent raw (not through an SDK, which would refuse to send it). The
expected texts are DynamoDB's, as dynalite recorded them from the service.
"""

import http.client
import json
import os
import socket
import time
import unittest

from aws_clients import client
from dynemu_server import DynemuServer

AUTH = {
    "Content-Type": "application/x-amz-json-1.0",
    "X-Amz-Date": "20150101T000000Z",
    "Authorization": "AWS4-HMAC-SHA256 Credential=a/20150101/us-east-1/dynamodb/aws4_request, "
                     "SignedHeaders=host, Signature=b",
}

# (operation, request, error type, message): one wrong JSON type per field kind.
WRONG_TYPES = [
    ('PutItem', {"TableName": 123, "Item": {}}, 'SerializationException', 'NUMBER_VALUE cannot be converted to String'),
    ('PutItem', {"TableName": True, "Item": {}}, 'SerializationException', 'TRUE_VALUE cannot be converted to String'),
    ('PutItem', {"TableName": [], "Item": {}}, 'SerializationException', 'Unrecognized collection type class java.lang.String'),
    ('PutItem', {"TableName": {}, "Item": {}}, 'SerializationException', 'Start of structure or map found where not expected'),
    ('PutItem', {"TableName": "Tbl", "Item": "x"}, 'SerializationException', 'Unexpected field type'),
    ('PutItem', {"TableName": "Tbl", "Item": []}, 'SerializationException', 'Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>'),
    ('PutItem', {"TableName": "Tbl", "Item": {"a": "x"}}, 'SerializationException', 'Unexpected value type in payload'),
    ('PutItem', {"TableName": "Tbl", "Item": {"a": []}}, 'SerializationException', 'Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue'),
    ('PutItem', {"TableName": "Tbl", "Item": {"a": {"S": 1}}}, 'SerializationException', 'NUMBER_VALUE cannot be converted to String'),
    ('PutItem', {"TableName": "Tbl", "Item": {"a": {"B": 1}}}, 'SerializationException', 'only base-64-encoded strings are convertible to bytes'),
    ('PutItem', {"TableName": "Tbl", "Item": {"a": {"B": "abc"}}}, 'SerializationException', 'Base64 encoded length is expected a multiple of 4 bytes but found: 3'),
    ('PutItem', {"TableName": "Tbl", "Item": {"a": {"BOOL": 1.5}}}, 'SerializationException', 'DECIMAL_VALUE cannot be converted to Boolean'),
    ('PutItem', {"TableName": "Tbl", "Item": {"a": {"SS": "x"}}}, 'SerializationException', 'Unexpected field type'),
    ('PutItem', {"TableName": "Tbl", "Item": {"a": {"SS": [1]}}}, 'SerializationException', 'NUMBER_VALUE cannot be converted to String'),
    ('PutItem', {"TableName": "Tbl", "Item": {"a": {"L": {}}}}, 'SerializationException', 'Start of structure or map found where not expected'),
    ('PutItem', {"TableName": "Tbl", "Item": {"a": {"M": []}}}, 'SerializationException', 'Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>'),
    ('PutItem', {"TableName": "Tbl", "Item": {"a": {"N": 5}}}, 'SerializationException', 'NUMBER_VALUE cannot be converted to String'),
    ('PutItem', {"TableName": "Tbl", "Item": {"id": {"S": "x"}}, "ReturnValues": False}, 'SerializationException', 'FALSE_VALUE cannot be converted to String'),
    ('GetItem', {"TableName": "Tbl", "Key": {"id": {"S": "a"}}, "ConsistentRead": {}}, 'SerializationException', 'Start of structure or map found where not expected'),
    ('GetItem', {"TableName": "Tbl", "Key": {"id": {"S": "a"}}, "ConsistentRead": "maybe"}, 'SerializationException', 'Unexpected token received from parser'),
    ('GetItem', {"TableName": "Tbl", "Key": {"id": {"S": "a"}}, "AttributesToGet": "a"}, 'SerializationException', 'Unexpected field type'),
    ('GetItem', {"TableName": "Tbl", "Key": {"id": {"S": "a"}}, "AttributesToGet": [1]}, 'SerializationException', 'NUMBER_VALUE cannot be converted to String'),
    ('ListTables', {"Limit": "5"}, 'SerializationException', 'STRING_VALUE cannot be converted to Integer'),
    ('ListTables', {"Limit": True}, 'SerializationException', 'TRUE_VALUE cannot be converted to Integer'),
    ('ListTables', {"Limit": 1000}, 'ValidationException', "1 validation error detected: Value '1000' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100"),
    ('CreateTable', {"TableName": "Tbl2", "AttributeDefinitions": {}, "KeySchema": []}, 'SerializationException', 'Start of structure or map found where not expected'),
    ('CreateTable', {"TableName": "Tbl2", "AttributeDefinitions": "x", "KeySchema": []}, 'SerializationException', 'Unexpected field type'),
    ('CreateTable', {"TableName": "Tbl2", "AttributeDefinitions": [1], "KeySchema": []}, 'SerializationException', 'Unexpected value type in payload'),
    ('CreateTable', {"TableName": "Tbl2", "AttributeDefinitions": [], "KeySchema": [{"AttributeName": 1}]}, 'SerializationException', 'NUMBER_VALUE cannot be converted to String'),
    ('CreateTable', {"TableName": "Tbl2", "AttributeDefinitions": [], "KeySchema": [], "ProvisionedThroughput": {"ReadCapacityUnits": "1"}}, 'SerializationException', 'STRING_VALUE cannot be converted to Long'),
    ('DescribeTable', {"TableName": "a;b"}, 'ValidationException', "1 validation error detected: Value 'a;b' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"),
]


class BadInputTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = DynemuServer(extra_args=["--read-timeout-ms", "1500"]).start()
        cls.ddb = client(cls.server)
        cls.ddb.create_table(
            TableName="Tbl", BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}])
        cls.items = {"k%d" % i: {"id": {"S": "k%d" % i}, "n": {"N": str(i)},
                                 "blob": {"B": os.urandom(64)}} for i in range(50)}
        for item in cls.items.values():
            cls.ddb.put_item(TableName="Tbl", Item=item)

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def send(self, operation, body, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
        h = dict(AUTH)
        h["X-Amz-Target"] = "DynamoDB_20120810." + operation
        h.update(headers or {})
        conn.request("POST", "/", body=body, headers=h)
        resp = conn.getresponse()
        data = resp.read()
        conn.close()
        return resp.status, data

    def assertIntact(self):
        """The server answers, and every item and the counts are as written."""
        for key, item in self.items.items():
            got = self.ddb.get_item(TableName="Tbl", Key={"id": {"S": key}}, ConsistentRead=True)
            self.assertEqual(got.get("Item"), item)
        table = self.ddb.describe_table(TableName="Tbl")["Table"]
        self.assertEqual(table["ItemCount"], len(self.items))
        self.assertEqual(self.ddb.list_tables()["TableNames"], ["Tbl"])

    def test_wrong_json_types_for_every_field_kind(self):
        for operation, request, error_type, message in WRONG_TYPES:
            with self.subTest(operation=operation, request=request):
                status, data = self.send(operation, json.dumps(request))
                self.assertEqual(status, 400)
                body = json.loads(data)
                self.assertEqual(body["__type"].split("#")[1], error_type)
                self.assertEqual(body.get("Message", body.get("message")), message)
        self.assertIntact()

    def test_truncated_and_garbage_bodies(self):
        full = json.dumps({"TableName": "Tbl", "Item": {"id": {"S": "k1"}, "n": {"N": "999"}}})
        for cut in range(1, len(full)):
            status, data = self.send("PutItem", full[:cut])
            self.assertEqual(status, 400, full[:cut])
            self.assertIn(json.loads(data)["__type"].split("#")[1],
                          ("SerializationException", "ValidationException"))
        for body in (b"\xff\xfe\x00garbage", os.urandom(4096), b"{\"TableName\": \"\xc3\x28\"}",
                     b"{}{}", b"{\"a\":1} trailing"):
            status, data = self.send("PutItem", body)
            self.assertEqual(status, 400)
            self.assertEqual(json.loads(data)["__type"],
                             "com.amazon.coral.service#SerializationException")
        self.assertIntact()

    def test_raw_control_characters_in_strings(self):
        # JSON strings carry control characters escaped; a raw one is refused
        # wherever it falls (an aligned block once let 0x1A..0x1F through).
        for c in range(1, 0x20):
            for at in (0, 5, 16, 21, 33):
                value = "x" * at + chr(c) + "x" * (60 - at)
                body = '{"TableName":"Tbl","Item":{"id":{"S":"k1"},"v":{"S":"%s"}}}' % value
                status, data = self.send("PutItem", body.encode())
                self.assertEqual(status, 400, (c, at))
                self.assertEqual(json.loads(data)["__type"],
                                 "com.amazon.coral.service#SerializationException")
        self.assertIntact()

    def test_deep_nesting(self):
        deep = "[" * 100000 + "]" * 100000
        status, data = self.send("PutItem", deep)
        self.assertEqual(status, 400)
        self.assertEqual(json.loads(data)["__type"], "com.amazon.coral.service#SerializationException")
        # Deeply nested attribute values inside an otherwise valid item.
        value = {"S": "x"}
        for _ in range(40):
            value = {"L": [value]}
        status, data = self.send("PutItem", json.dumps(
            {"TableName": "Tbl", "Item": {"id": {"S": "k1"}, "deep": value}}))
        self.assertEqual(status, 400)
        self.assertIn("Nesting Levels have exceeded supported limits", json.loads(data)["message"])
        self.assertIntact()

    def test_twenty_megabyte_body(self):
        body = json.dumps({"TableName": "Tbl", "Item": {"id": {"S": "k1"},
                                                        "v": {"S": "x" * (20 << 20)}}})
        try:
            status, _ = self.send("PutItem", body)
            self.assertEqual(status, 413)
        except (ConnectionError, http.client.HTTPException):
            pass  # the server may close the connection while the client still sends
        self.assertIntact()

    def test_slow_client_does_not_block_others(self):
        sock = socket.create_connection(("127.0.0.1", self.server.port))
        sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\n")  # and never finishes its headers
        self.assertIntact()
        time.sleep(2.0)  # past --read-timeout-ms: the server has dropped it
        # The connection is closed: reading reaches end-of-file (after at most an
        # error answer) instead of waiting.
        sock.settimeout(5)
        received = b""
        while True:
            chunk = sock.recv(4096)  # raises socket.timeout if the server kept it open
            if not chunk:
                break
            received += chunk
        self.assertTrue(received == b"" or received.startswith(b"HTTP/1.1 4"), received[:100])
        sock.close()
        self.assertIntact()


if __name__ == "__main__":
    unittest.main()
