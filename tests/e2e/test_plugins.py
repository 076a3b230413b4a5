"""Plugins loaded into the real server (--plugin), driven with boto3.

Each verdict as a client sees it (a failure boto3 raises and retries, a delay
in the latency, a replaced new image in GetItem), misbehaving plugins that must
not take the server down, start-up refusals, and the trace plugin's lines.

The plugins come from the build: the shipped ones (trace, reject_writes) from
$DYNEMU_PLUGIN_DIR, the test ones (scripted, v1_plugin, future_major, no_entry)
from $DYNEMU_TEST_PLUGIN_DIR; ctest sets both (tests/CMakeLists.txt). These
tests are about dynemu's plugins, so unlike the other e2e modules they have no
counterpart against real DynamoDB.
"""

import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
import unittest

from botocore.exceptions import ClientError

from aws_clients import client
from dynemu_server import DynemuServer, default_binary

_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_BUILD = os.path.dirname(os.path.dirname(default_binary()))
PLUGIN_DIR = os.environ.get("DYNEMU_PLUGIN_DIR") or os.path.join(_BUILD, "plugins")
TEST_PLUGIN_DIR = os.environ.get("DYNEMU_TEST_PLUGIN_DIR") or os.path.join(_BUILD, "tests", "abi")


def shipped(name, config=None):
    path = os.path.join(PLUGIN_DIR, name + ".so")
    return ["--plugin", path if config is None else "%s=%s" % (path, config)]


def test_plugin(name, config=None):
    path = os.path.join(TEST_PLUGIN_DIR, name + ".so")
    return ["--plugin", path if config is None else "%s=%s" % (path, config)]


def create_table(ddb, name):
    ddb.create_table(
        TableName=name,
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        BillingMode="PAY_PER_REQUEST")


def read_trace(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


class FailVerdictTest(unittest.TestCase):
    """reject_writes fails matching writes with ProvisionedThroughputExceededException;
    trace (loaded first) records every attempt the SDK makes."""

    @classmethod
    def setUpClass(cls):
        cls.trace_dir = tempfile.mkdtemp(prefix="dynemu-trace-")
        cls.trace_path = os.path.join(cls.trace_dir, "trace.jsonl")
        cls.server = DynemuServer(extra_args=[
            *shipped("trace", "file=%s" % cls.trace_path),
            *shipped("reject_writes",
                     "table=Orders;attribute=status;value=BLOCKED;"
                     "error=ProvisionedThroughputExceededException;"
                     "message=Throughput exceeded (injected)"),
        ]).start()
        create_table(client(cls.server), "Orders")
        create_table(client(cls.server), "Other")

    @classmethod
    def tearDownClass(cls):
        cls.server.close()
        shutil.rmtree(cls.trace_dir, ignore_errors=True)

    def test_boto3_raises_it_after_retrying(self):
        ddb = client(self.server, retries=2)  # standard mode: 2 retries, 3 attempts
        ddb.put_item(TableName="Orders", Item={"id": {"S": "ok"}, "status": {"S": "NEW"}})
        # The same value elsewhere, or in another attribute, is not the rule.
        ddb.put_item(TableName="Other", Item={"id": {"S": "x"}, "status": {"S": "BLOCKED"}})
        ddb.put_item(TableName="Orders", Item={"id": {"S": "y"}, "note": {"S": "BLOCKED"}})
        with self.assertRaises(ClientError) as ctx:
            ddb.put_item(TableName="Orders",
                         Item={"id": {"S": "blocked"}, "status": {"S": "BLOCKED"}})
        error = ctx.exception.response
        self.assertEqual(error["Error"]["Code"], "ProvisionedThroughputExceededException")
        self.assertEqual(error["Error"]["Message"], "Throughput exceeded (injected)")
        self.assertEqual(error["ResponseMetadata"]["HTTPStatusCode"], 400)
        retries = error["ResponseMetadata"]["RetryAttempts"]
        self.assertEqual(retries, 2)
        # Nothing was written.
        self.assertNotIn("Item", ddb.get_item(TableName="Orders", Key={"id": {"S": "blocked"}}))

        # Every attempt reached the server and is in the trace (written on stop).
        self.server.stop()
        lines = [l for l in read_trace(self.trace_path)
                 if l["operation"] == "PutItem" and l["key"] == {"id": {"S": "blocked"}}]
        self.assertEqual(len(lines), retries + 1)
        for line in lines:
            self.assertEqual(line["outcome"], "error")
            self.assertEqual(line["error_type"], "ProvisionedThroughputExceededException")
            self.assertEqual(line["http_status"], 400)
            self.assertEqual(line["table"], "Orders")
        # reject_writes counted them too, and said so in the server log at shutdown.
        self.assertIn("[dynemu.plugin.reject_writes] [info] %d write(s) rejected" % (retries + 1),
                      self.server.log_text())


class DelayAndReplaceTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # One I/O thread: a delay that blocked it would serialize the requests.
        cls.server = DynemuServer(extra_args=[
            "--threads", "1",
            *test_plugin("scripted", "mode=delay;table=Slow;ms=400"),
            *test_plugin("scripted", "mode=replace;table=Replaced"),
        ]).start()
        cls.ddb = client(cls.server)
        for name in ("Slow", "Fast", "Replaced"):
            create_table(cls.ddb, name)

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def timed_put(self, table, key):
        ddb = client(self.server)
        start = time.monotonic()
        ddb.put_item(TableName=table, Item={"id": {"S": key}})
        return time.monotonic() - start

    def test_a_delay_shows_in_latency(self):
        self.timed_put("Fast", "warm-up")
        self.assertGreaterEqual(self.timed_put("Slow", "a"), 0.4)
        self.assertLess(self.timed_put("Fast", "b"), 0.3)

    def test_a_delay_does_not_block_the_io_thread(self):
        # Eight delayed requests on one I/O thread, at once: they wait side by
        # side, so together they take about one delay, not eight.
        durations = []
        threads = [threading.Thread(target=lambda i=i: durations.append(self.timed_put("Slow", "c%d" % i)))
                   for i in range(8)]
        start = time.monotonic()
        for t in threads:
            t.start()
        fast = self.timed_put("Fast", "during")
        for t in threads:
            t.join()
        total = time.monotonic() - start
        self.assertEqual(len(durations), 8)
        self.assertLess(fast, 0.3)
        self.assertLess(total, 2.0)

    def test_a_replaced_new_image_is_what_get_item_returns(self):
        self.ddb.put_item(TableName="Replaced", Item={"id": {"S": "k"}, "n": {"N": "1"}})
        item = self.ddb.get_item(TableName="Replaced", Key={"id": {"S": "k"}})["Item"]
        self.assertEqual(item, {"id": {"S": "k"}, "replaced": {"S": "by-plugin"}})


class MisbehavingPluginsTest(unittest.TestCase):
    """Plugins that answer garbage, throw from C++, fail with an unknown error type
    or block: their requests fail (or wait), the server keeps serving."""

    @classmethod
    def setUpClass(cls):
        cls.server = DynemuServer(extra_args=[
            "--threads", "4",
            *test_plugin("scripted", "mode=garbage;table=Garbage"),
            *test_plugin("scripted", "mode=throw;table=Throw"),
            *test_plugin("scripted", "mode=unknown_error;table=Unknown"),
            *test_plugin("scripted", "mode=block;table=Block;ms=1500"),
            *test_plugin("scripted", "mode=garbage;point=request.pre;table=GarbageEarly"),
        ]).start()
        cls.ddb = client(cls.server)
        for name in ("Garbage", "Throw", "Unknown", "Block", "Plain"):
            create_table(cls.ddb, name)

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def assertServing(self):
        self.assertTrue(self.server.running)
        self.ddb.put_item(TableName="Plain", Item={"id": {"S": "alive"}})
        self.assertIn("Item", self.ddb.get_item(TableName="Plain", Key={"id": {"S": "alive"}}))

    def assertInternalServerError(self, table, log_text):
        with self.assertRaises(ClientError) as ctx:
            self.ddb.put_item(TableName=table, Item={"id": {"S": "x"}})
        self.assertEqual(ctx.exception.response["Error"]["Code"], "InternalServerError")
        self.assertEqual(ctx.exception.response["Error"]["Message"], "Internal server error")
        self.assertEqual(ctx.exception.response["ResponseMetadata"]["HTTPStatusCode"], 500)
        request_id = ctx.exception.response["ResponseMetadata"]["RequestId"]
        # One log line names the plugin, the point, the request and the fault.
        lines = [l for l in self.server.log_text().splitlines() if request_id in l]
        self.assertEqual(len(lines), 1, lines)
        self.assertIn("plugin scripted at ", lines[0])
        self.assertIn(log_text, lines[0])
        self.assertServing()

    def test_garbage_verdict(self):
        self.assertInternalServerError("Garbage", "returned an unknown verdict 12345")

    def test_garbage_verdict_at_request_pre(self):
        self.assertInternalServerError("GarbageEarly", "at request.pre")

    def test_exception_from_cpp(self):
        self.assertInternalServerError("Throw", "threw an exception: scripted failure from C++")

    def test_unknown_error_type(self):
        self.assertInternalServerError("Unknown", "unknown error type 'NoSuchException'")

    def test_a_blocking_plugin_holds_only_its_own_request(self):
        result = {}

        def blocked():
            start = time.monotonic()
            client(self.server).put_item(TableName="Block", Item={"id": {"S": "b"}})
            result["took"] = time.monotonic() - start

        thread = threading.Thread(target=blocked)
        thread.start()
        time.sleep(0.2)  # the blocked request is in the plugin now
        start = time.monotonic()
        for i in range(5):
            client(self.server).put_item(TableName="Plain", Item={"id": {"S": "p%d" % i}})
        self.assertLess(time.monotonic() - start, 1.0)
        thread.join()
        self.assertGreaterEqual(result["took"], 1.5)
        self.assertServing()


class StartupRefusalTest(unittest.TestCase):
    """A plugin that cannot be loaded stops start-up: a non-zero exit and one
    line naming the plugin and the reason."""

    def refuse(self, plugin_arg, *reason_parts):
        proc = subprocess.run(
            [default_binary(), "--in-memory", "--port", "0", "--plugin", plugin_arg],
            stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=30)
        self.assertNotEqual(proc.returncode, 0)
        self.assertNotIn("listening", proc.stdout + proc.stderr)
        lines = [l for l in proc.stderr.splitlines() if l.startswith("dynemu: ")]
        self.assertEqual(len(lines), 1, proc.stderr)
        path = plugin_arg.split("=", 1)[0]
        self.assertIn("cannot load plugin %s: " % path, lines[0])
        for part in reason_parts:
            self.assertIn(part, lines[0])
        return lines[0]

    def test_missing_file(self):
        self.refuse("/nonexistent/plugin.so", "no such file")

    def test_missing_entry_symbol(self):
        self.refuse(os.path.join(TEST_PLUGIN_DIR, "no_entry.so"),
                    "does not export dynemu_plugin_init")

    def test_newer_major_version(self):
        self.refuse(os.path.join(TEST_PLUGIN_DIR, "future_major.so"),
                    "needs hooks ABI 2.0", "speaks hooks ABI 1.1")

    def test_failing_init(self):
        self.refuse(os.path.join(TEST_PLUGIN_DIR, "scripted.so") + "=init=fail",
                    "failed to initialize", "scripted init failure")

    def test_shipped_plugin_with_a_bad_config(self):
        self.refuse(os.path.join(PLUGIN_DIR, "trace.so") + "=points=everything",
                    "unknown hook point in points=everything")


class TracePluginTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.trace_dir = tempfile.mkdtemp(prefix="dynemu-trace-")
        cls.trace_path = os.path.join(cls.trace_dir, "trace.jsonl")
        cls.server = DynemuServer(extra_args=[
            *shipped("trace", "file=%s;points=all;flush=line" % cls.trace_path),
        ]).start()
        cls.ddb = client(cls.server)

    @classmethod
    def tearDownClass(cls):
        cls.server.close()
        shutil.rmtree(cls.trace_dir, ignore_errors=True)

    def test_one_line_per_operation_and_per_point(self):
        create_table(self.ddb, "Traced")
        put = self.ddb.put_item(TableName="Traced", Item={"id": {"S": "t1"}, "v": {"N": "1"}})
        self.ddb.get_item(TableName="Traced", Key={"id": {"S": "t1"}})
        with self.assertRaises(ClientError):
            self.ddb.get_item(TableName="Missing", Key={"id": {"S": "t1"}})
        # flush=line: the lines are in the file as soon as the responses are sent.
        lines = read_trace(self.trace_path)
        ops = [l for l in lines if "point" not in l]
        points = [l for l in lines if "point" in l]

        put_id = put["ResponseMetadata"]["RequestId"]
        put_line, = [l for l in ops if l["request_id"] == put_id]
        self.assertEqual(put_line["operation"], "PutItem")
        self.assertEqual(put_line["table"], "Traced")
        self.assertEqual(put_line["key"], {"id": {"S": "t1"}})
        self.assertEqual(put_line["outcome"], "ok")
        self.assertEqual(put_line["http_status"], 200)
        self.assertEqual(put_line["writes"], 1)
        self.assertNotIn("error_type", put_line)
        stages = put_line["timings"]["points_us"]
        self.assertEqual(list(stages), ["request.pre", "write.pre", "write.post", "response.post"])
        self.assertEqual(stages["request.pre"], 0)
        self.assertLessEqual(stages["write.pre"], stages["write.post"])
        self.assertLessEqual(stages["response.post"], put_line["timings"]["elapsed_us"])
        self.assertEqual([l["point"] for l in points if l["request_id"] == put_id],
                         ["request.pre", "write.pre", "write.post", "response.post"])

        get_line = [l for l in ops if l["operation"] == "GetItem" and l["table"] == "Traced"][0]
        self.assertEqual(get_line["key"], {"id": {"S": "t1"}})
        self.assertEqual(get_line["outcome"], "ok")
        missing = [l for l in ops if l["table"] == "Missing"][0]
        self.assertEqual(missing["outcome"], "error")
        self.assertEqual(missing["error_type"], "ResourceNotFoundException")
        self.assertEqual(missing["http_status"], 400)
        self.assertEqual([l["operation"] for l in ops if l["operation"] == "CreateTable"],
                         ["CreateTable"])


class FrozenV1PluginTest(unittest.TestCase):
    """The plugin built against the frozen 1.0 header, in the real server."""

    def test_it_replaces_and_fails(self):
        with DynemuServer(extra_args=test_plugin("v1_plugin", "from-v1")) as server:
            ddb = client(server)
            create_table(ddb, "v1_replace")
            create_table(ddb, "v1_fail")
            ddb.put_item(TableName="v1_replace", Item={"id": {"S": "a"}, "n": {"N": "1"}})
            self.assertEqual(ddb.get_item(TableName="v1_replace", Key={"id": {"S": "a"}})["Item"],
                             {"id": {"S": "a"}, "v1": {"S": "from-v1"}})
            with self.assertRaises(ClientError) as ctx:
                ddb.put_item(TableName="v1_fail", Item={"id": {"S": "a"}})
            self.assertEqual(ctx.exception.response["Error"]["Code"],
                             "ConditionalCheckFailedException")
            self.assertEqual(ctx.exception.response["Error"]["Message"], "v1 plugin says no")


if __name__ == "__main__":
    unittest.main()
