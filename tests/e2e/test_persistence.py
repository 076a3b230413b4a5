"""Tables and items survive a restart on a LevelDB directory; in-memory ones do not."""

import time
import unittest

from botocore.exceptions import ClientError

from aws_clients import client
from dynemu_server import DynemuServer


class PersistenceTest(unittest.TestCase):
    def test_write_stop_start_read(self):
        with DynemuServer(data_dir="temp") as server:
            ddb = client(server)
            ddb.create_table(
                TableName="Durable", BillingMode="PAY_PER_REQUEST",
                AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "N"}],
                KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}])
            for i in range(300):
                ddb.put_item(TableName="Durable",
                             Item={"pk": {"N": str(i)}, "v": {"S": "value-%d" % i}})
            ddb.delete_item(TableName="Durable", Key={"pk": {"N": "7"}})
            before = ddb.describe_table(TableName="Durable")["Table"]

            server.restart()
            ddb = client(server)
            after = ddb.describe_table(TableName="Durable")["Table"]
            for field in ("TableArn", "TableId", "CreationDateTime", "ItemCount",
                          "TableSizeBytes", "KeySchema", "BillingModeSummary"):
                self.assertEqual(after[field], before[field], field)
            self.assertEqual(after["ItemCount"], 299)
            got = ddb.get_item(TableName="Durable", Key={"pk": {"N": "123"}})
            self.assertEqual(got["Item"]["v"], {"S": "value-123"})
            self.assertNotIn("Item", ddb.get_item(TableName="Durable", Key={"pk": {"N": "7"}}))

            # Once the stored keys are in the key filter (read in the background
            # after the start), every stored item is still found by reads and by
            # the writes that replace it: conditions, ItemCount.
            deadline = time.monotonic() + 10
            while "key filter: " not in server.log_text() and time.monotonic() < deadline:
                time.sleep(0.05)
            self.assertIn("key filter: ", server.log_text())
            for i in range(300):
                got = ddb.get_item(TableName="Durable", Key={"pk": {"N": str(i)}})
                if i == 7:
                    self.assertNotIn("Item", got)
                    continue
                self.assertEqual(got["Item"]["v"], {"S": "value-%d" % i})
                with self.assertRaises(ClientError) as ctx:
                    ddb.put_item(TableName="Durable", Item={"pk": {"N": str(i)}},
                                 ConditionExpression="attribute_not_exists(pk)")
                self.assertEqual(ctx.exception.response["Error"]["Code"],
                                 "ConditionalCheckFailedException")
            ddb.put_item(TableName="Durable", Item={"pk": {"N": "5"}, "v": {"S": "again"}})
            ddb.put_item(TableName="Durable", Item={"pk": {"N": "7"}, "v": {"S": "back"}})
            self.assertEqual(ddb.describe_table(TableName="Durable")["Table"]["ItemCount"], 300)

            # A table deleted before a restart stays deleted, and its name is free.
            ddb.delete_table(TableName="Durable")
            server.restart()
            ddb = client(server)
            self.assertEqual(ddb.list_tables()["TableNames"], [])

    def test_in_memory_forgets(self):
        with DynemuServer() as server:
            ddb = client(server)
            ddb.create_table(
                TableName="Volatile", BillingMode="PAY_PER_REQUEST",
                AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}])
            server.restart()
            self.assertEqual(client(server).list_tables()["TableNames"], [])


if __name__ == "__main__":
    unittest.main()
