"""The HTTP layer against bad input, with raw http.client requests.

Run: DYNEMU_BIN=build/server/dynemu python3 -m unittest tests/e2e/test_http_protocol.py

Each test sends one kind of bad input and checks the answer; after every test
the server must still be running and still answer a good request (ListTables
with a fake SigV4 Authorization header). Expected answers are DynamoDB's (as
dynalite, which mirrors them, gives them).
"""

import http.client
import json
import os
import random
import re
import socket
import subprocess
import sys
import time
import unittest
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dynemu_server import DynemuServer, default_binary  # noqa: E402

READ_TIMEOUT_MS = 1000

AMZ_JSON = "application/x-amz-json-1.0"
AUTH = ("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1/dynamodb/aws4_request, "
        "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0123456789abcdef")
HEALTH_BODY = b"healthy: dynamodb.us-east-1.amazonaws.com "
UNKNOWN_OPERATION_404 = b"<UnknownOperationException/>\n"
SERIALIZATION = {"__type": "com.amazon.coral.service#SerializationException"}
UNKNOWN_OPERATION = {"__type": "com.amazon.coral.service#UnknownOperationException"}
MISSING_TOKEN = {"__type": "com.amazon.coral.service#MissingAuthenticationTokenException",
                 "message": "Request is missing Authentication Token"}
REQUEST_ID = re.compile(r"^[0-9A-Z]{52}$")

server = None


def setUpModule():
    global server
    server = DynemuServer(extra_args=["--read-timeout-ms", str(READ_TIMEOUT_MS)]).start()


def tearDownModule():
    if server is not None:
        status = server.stop()
        server.close()
        if status != 0:
            raise AssertionError("dynemu exited with %s after SIGTERM" % status)


def dynamo_headers(target="DynamoDB_20120810.ListTables", content_type=AMZ_JSON, auth=AUTH):
    headers = {"X-Amz-Date": "20240101T000000Z"}
    if target is not None:
        headers["X-Amz-Target"] = target
    if content_type is not None:
        headers["Content-Type"] = content_type
    if auth is not None:
        headers["Authorization"] = auth
    return headers


def send(method, path="/", body=None, headers=None, conn=None):
    """One request; returns (status, headers as a lower-cased dict, body bytes)."""
    own = conn is None
    if own:
        conn = http.client.HTTPConnection(server.host, server.port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        res = conn.getresponse()
        data = res.read()
        return res.status, {k.lower(): v for k, v in res.getheaders()}, data
    finally:
        if own:
            conn.close()


def raw_connection():
    return socket.create_connection((server.host, server.port), timeout=10)


def wait_closed(sock, within):
    """True when the server closes `sock` (EOF or reset) within `within` seconds.
    Whatever it sends before closing (an error response) is skipped."""
    sock.settimeout(within)
    deadline = time.monotonic() + within
    try:
        while time.monotonic() < deadline:
            if not sock.recv(65536):
                return True
    except (ConnectionResetError, BrokenPipeError):
        return True
    except socket.timeout:
        return False
    return False


class HttpProtocolTest(unittest.TestCase):

    def tearDown(self):
        # Whatever the test sent, the server lives and serves.
        self.assertTrue(server.running, "dynemu died:\n" + server.log_tail())
        self.assertGoodRequestWorks()

    def assertGoodRequestWorks(self, conn=None):
        status, headers, body = send("POST", body=b"{}", headers=dynamo_headers(), conn=conn)
        self.assertEqual(status, 200, body)
        self.assertIn("TableNames", json.loads(body))
        return headers, body

    def assertJsonError(self, status, body, expected):
        self.assertEqual(status, 400, body)
        self.assertEqual(json.loads(body), expected)

    # ---- what the HTTP layer decides

    def test_health_check(self):
        for path in ("/", "/some/path?x=1"):
            status, headers, body = send("GET", path)
            self.assertEqual(status, 200)
            self.assertEqual(body, HEALTH_BODY)
            self.assertEqual(headers["x-amz-crc32"], "3128867991")
            self.assertRegex(headers["x-amzn-requestid"], REQUEST_ID)

    def test_good_request_headers(self):
        headers, body = self.assertGoodRequestWorks()
        self.assertEqual(headers["content-type"], AMZ_JSON)
        self.assertEqual(headers["x-amz-crc32"], str(zlib.crc32(body)))
        self.assertEqual(headers["content-length"], str(len(body)))
        self.assertRegex(headers["x-amzn-requestid"], REQUEST_ID)
        # Asked as application/json, answered as application/json.
        status, headers, body = send("POST", body=b"{}",
                                     headers=dynamo_headers(content_type="application/json"))
        self.assertEqual(status, 200)
        self.assertEqual(headers["content-type"], "application/json")

    def test_keep_alive(self):
        conn = http.client.HTTPConnection(server.host, server.port, timeout=30)
        try:
            for _ in range(5):
                self.assertGoodRequestWorks(conn)
            sock = conn.sock
            self.assertGoodRequestWorks(conn)
            self.assertIs(conn.sock, sock, "the connection was not kept alive")
        finally:
            conn.close()

    def test_wrong_method(self):
        for method in ("PUT", "DELETE", "PATCH", "OPTIONS"):
            status, headers, body = send(method, body=b"{}", headers=dynamo_headers())
            self.assertEqual(status, 404, method)
            self.assertEqual(body, UNKNOWN_OPERATION_404)
            self.assertEqual(headers["x-amz-crc32"], "3552371480")

    def test_wrong_path_is_not_looked_at(self):
        status, _, body = send("POST", "/no/such/path?x=y", body=b"{}", headers=dynamo_headers())
        self.assertEqual(status, 200, body)
        self.assertIn("TableNames", json.loads(body))

    def test_wrong_content_type(self):
        for content_type in ("text/plain", "application/xml", None, "APPLICATION/JSON"):
            status, _, body = send("POST", body=b"{}",
                                   headers=dynamo_headers(content_type=content_type))
            self.assertEqual(status, 404, content_type)
            self.assertEqual(body, UNKNOWN_OPERATION_404)

    def test_cors_preflight(self):
        status, headers, body = send("OPTIONS", headers={
            "Origin": "http://example.com",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type,x-amz-target"})
        self.assertEqual(status, 200)
        self.assertEqual(body, b"")
        self.assertEqual(headers["access-control-allow-origin"], "*")
        self.assertEqual(headers["access-control-allow-methods"], "POST")
        self.assertEqual(headers["access-control-allow-headers"], "content-type,x-amz-target")
        self.assertEqual(headers["access-control-max-age"], "172800")

    def test_body_over_16_mib(self):
        body = b"{\"TableName\":\"" + b"x" * (20 * 1024 * 1024) + b"\"}"
        status, headers, data = send("POST", body=body, headers=dynamo_headers())
        self.assertEqual(status, 413)
        self.assertEqual(data, b"")

    def test_slow_client_that_never_finishes_its_headers(self):
        sock = raw_connection()
        try:
            sock.sendall(b"POST / HTTP/1.1\r\nHost: localhost\r\nX-Amz-Tar")
            start = time.monotonic()
            # Others are served meanwhile.
            self.assertGoodRequestWorks()
            self.assertTrue(wait_closed(sock, READ_TIMEOUT_MS / 1000 + 5))
            self.assertGreaterEqual(time.monotonic() - start, READ_TIMEOUT_MS / 1000 * 0.8)
        finally:
            sock.close()

    def test_slow_client_that_never_finishes_its_body(self):
        sock = raw_connection()
        try:
            sock.sendall(b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
                         b"application/x-amz-json-1.0\r\nContent-Length: 100\r\n\r\n{\"Li")
            self.assertTrue(wait_closed(sock, READ_TIMEOUT_MS / 1000 + 5))
        finally:
            sock.close()

    def test_binary_garbage_instead_of_http(self):
        rng = random.Random(7)
        garbage = bytes([1]) + bytes(rng.randrange(256) for _ in range(8191))
        sock = raw_connection()
        try:
            try:
                sock.sendall(garbage)
            except (ConnectionResetError, BrokenPipeError):
                pass  # closed while we were still sending: also fine
            self.assertTrue(wait_closed(sock, 5))
        finally:
            sock.close()

    # ---- what the core decides (after the HTTP layer passed the request on)

    def test_truncated_json(self):
        status, headers, body = send("POST", body=b"{\"Limit\": 1", headers=dynamo_headers())
        self.assertJsonError(status, body, SERIALIZATION)
        self.assertEqual(headers["x-amz-crc32"], str(zlib.crc32(body)))

    def test_binary_garbage_body(self):
        rng = random.Random(11)
        garbage = bytes(rng.randrange(256) for _ in range(4096))
        status, _, body = send("POST", body=garbage, headers=dynamo_headers())
        self.assertJsonError(status, body, SERIALIZATION)

    def test_json_nested_100000_levels(self):
        for deep in (b"[" * 100000 + b"]" * 100000,
                     b"{\"a\":" * 100000 + b"1" + b"}" * 100000):
            status, _, body = send("POST", body=deep, headers=dynamo_headers())
            self.assertJsonError(status, body, SERIALIZATION)

    def test_missing_target(self):
        status, _, body = send("POST", body=b"{}", headers=dynamo_headers(target=None))
        self.assertJsonError(status, body, UNKNOWN_OPERATION)

    def test_unknown_target(self):
        for target in ("DynamoDB_20120810.NoSuchOperation", "Foo.ListTables",
                       "DynamoDB_20120810", "DynamoDB_20120810.ListTables.Extra", ""):
            status, _, body = send("POST", body=b"{}", headers=dynamo_headers(target=target))
            self.assertJsonError(status, body, UNKNOWN_OPERATION)

    def test_missing_authorization(self):
        status, _, body = send("POST", body=b"{}", headers=dynamo_headers(auth=None))
        self.assertJsonError(status, body, MISSING_TOKEN)

    def test_empty_body(self):
        status, _, body = send("POST", body=b"", headers=dynamo_headers())
        self.assertJsonError(status, body, SERIALIZATION)


class ServerLifecycleTest(unittest.TestCase):

    def test_sigterm_exits_cleanly_and_restart_keeps_the_data(self):
        with DynemuServer(data_dir="temp") as own:
            create = json.dumps({
                "TableName": "restart_test",
                "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
                "BillingMode": "PAY_PER_REQUEST"}).encode()
            conn = http.client.HTTPConnection(own.host, own.port, timeout=30)
            conn.request("POST", "/", body=create,
                         headers=dynamo_headers("DynamoDB_20120810.CreateTable"))
            res = conn.getresponse()
            self.assertEqual(res.status, 200, res.read())
            res.read()
            conn.close()

            port = own.port
            own.restart()
            self.assertEqual(own.port, port)
            self.assertEqual(own.process.returncode, None)
            conn = http.client.HTTPConnection(own.host, own.port, timeout=30)
            conn.request("POST", "/", body=b"{}", headers=dynamo_headers())
            res = conn.getresponse()
            self.assertEqual(res.status, 200)
            self.assertEqual(json.loads(res.read())["TableNames"], ["restart_test"])
            conn.close()
            self.assertEqual(own.stop(), 0)

    def test_port_in_use_fails_with_one_line(self):
        result = subprocess.run(
            [default_binary(), "--in-memory", "--host", "127.0.0.1", "--port", str(server.port)],
            capture_output=True, text=True, timeout=30)
        self.assertEqual(result.returncode, 1)
        lines = [line for line in result.stderr.splitlines() if line.startswith("dynemu:")]
        self.assertEqual(len(lines), 1, result.stderr)
        self.assertIn("in use", lines[0])


if __name__ == "__main__":
    unittest.main()
