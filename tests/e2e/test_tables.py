"""Table operations through boto3: the lifecycle, the waiters, paging and errors."""

import datetime
import unittest

from botocore.exceptions import ClientError

from aws_clients import client, sdk_knows
from dynemu_server import DynemuServer

KEYS = dict(
    AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
    KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
)


class TableTest(unittest.TestCase):
    def setUp(self):
        self.server = DynemuServer().start()
        self.ddb = client(self.server)

    def tearDown(self):
        self.server.close()

    def assertError(self, call, code, message, **kwargs):
        with self.assertRaises(ClientError) as ctx:
            call(**kwargs)
        self.assertEqual(ctx.exception.response["Error"]["Code"], code)
        self.assertEqual(ctx.exception.response["Error"]["Message"], message)
        self.assertEqual(ctx.exception.response["ResponseMetadata"]["HTTPStatusCode"], 400)

    def test_lifecycle(self):
        created = self.ddb.create_table(
            TableName="Orders", BillingMode="PROVISIONED",
            ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 7},
            Tags=[{"Key": "team", "Value": "core"}], **KEYS)["TableDescription"]
        self.assertEqual(created["TableStatus"], "CREATING")
        self.assertEqual(created["TableArn"],
                         "arn:aws:dynamodb:us-east-1:000000000000:table/Orders")
        self.assertIsInstance(created["CreationDateTime"], datetime.datetime)
        self.ddb.get_waiter("table_exists").wait(TableName="Orders",
                                                 WaiterConfig={"Delay": 1, "MaxAttempts": 5})
        table = self.ddb.describe_table(TableName="Orders")["Table"]
        self.assertEqual(table["TableStatus"], "ACTIVE")
        self.assertEqual(table["TableId"], created["TableId"])
        self.assertEqual(table["ItemCount"], 0)
        self.assertEqual(table["TableSizeBytes"], 0)
        self.assertEqual(table["ProvisionedThroughput"]["ReadCapacityUnits"], 5)
        self.assertEqual(table["ProvisionedThroughput"]["WriteCapacityUnits"], 7)
        self.assertEqual(table["KeySchema"], KEYS["KeySchema"])
        self.assertEqual(table["AttributeDefinitions"], KEYS["AttributeDefinitions"])

        self.ddb.put_item(TableName="Orders", Item={"id": {"S": "a"}, "v": {"S": "xyz"}})
        table = self.ddb.describe_table(TableName="Orders")["Table"]
        self.assertEqual(table["ItemCount"], 1)
        self.assertEqual(table["TableSizeBytes"], len("id") + 1 + len("v") + 3)

        tags = self.ddb.list_tags_of_resource(ResourceArn=created["TableArn"])["Tags"]
        self.assertEqual(tags, [{"Key": "team", "Value": "core"}])

        updated = self.ddb.update_table(
            TableName="Orders", BillingMode="PAY_PER_REQUEST")["TableDescription"]
        self.assertEqual(updated["BillingModeSummary"]["BillingMode"], "PAY_PER_REQUEST")
        self.assertEqual(self.ddb.describe_table(TableName="Orders")["Table"]
                         ["BillingModeSummary"]["BillingMode"], "PAY_PER_REQUEST")

        deleted = self.ddb.delete_table(TableName="Orders")["TableDescription"]
        self.assertEqual(deleted["TableStatus"], "DELETING")
        self.ddb.get_waiter("table_not_exists").wait(TableName="Orders",
                                                     WaiterConfig={"Delay": 1, "MaxAttempts": 5})
        self.assertError(self.ddb.describe_table, "ResourceNotFoundException",
                         "Requested resource not found: Table: Orders not found",
                         TableName="Orders")

    def test_list_tables_pages(self):
        names = ["t%03d" % i for i in range(0, 130)]
        for name in reversed(names):
            self.ddb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST", **KEYS)
        first = self.ddb.list_tables(Limit=50)
        self.assertEqual(first["TableNames"], names[:50])
        self.assertEqual(first["LastEvaluatedTableName"], names[49])
        second = self.ddb.list_tables(ExclusiveStartTableName=names[49])
        self.assertEqual(second["TableNames"], names[50:])  # the default limit is 100
        self.assertNotIn("LastEvaluatedTableName", second)
        paged = [n for page in self.ddb.get_paginator("list_tables").paginate(
            PaginationConfig={"PageSize": 7}) for n in page["TableNames"]]
        self.assertEqual(paged, names)

    def test_create_table_errors(self):
        self.ddb.create_table(TableName="Exists", BillingMode="PAY_PER_REQUEST", **KEYS)
        self.assertError(self.ddb.create_table, "ResourceInUseException",
                         "Table already exists: Exists",
                         TableName="Exists", BillingMode="PAY_PER_REQUEST", **KEYS)
        self.assertError(
            self.ddb.create_table, "ValidationException",
            "One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits "
            "must both be specified when BillingMode is PROVISIONED",
            TableName="NoThroughput", **KEYS)
        self.assertError(
            self.ddb.create_table, "ValidationException",
            "One or more parameter values were invalid: Some index key attributes are not defined "
            "in AttributeDefinitions. Keys: [other], AttributeDefinitions: [id]",
            TableName="BadKeys", BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=KEYS["AttributeDefinitions"],
            KeySchema=[{"AttributeName": "other", "KeyType": "HASH"}])
        self.assertError(
            self.ddb.create_table, "ValidationException",
            "1 validation error detected: Value 'a' at 'tableName' failed to satisfy constraint: "
            "Member must have length greater than or equal to 3",
            TableName="a", BillingMode="PAY_PER_REQUEST", **KEYS)

    def test_delete_protection(self):
        if not sdk_knows(self.ddb, "CreateTable", "DeletionProtectionEnabled"):
            self.skipTest("this botocore predates DeletionProtectionEnabled")
        self.ddb.create_table(TableName="Kept", BillingMode="PAY_PER_REQUEST",
                              DeletionProtectionEnabled=True, **KEYS)
        with self.assertRaises(ClientError) as ctx:
            self.ddb.delete_table(TableName="Kept")
        self.assertEqual(ctx.exception.response["Error"]["Code"], "ValidationException")
        self.ddb.update_table(TableName="Kept", DeletionProtectionEnabled=False)
        self.ddb.delete_table(TableName="Kept")

    def test_unsupported_operation_is_unknown(self):
        # An operation dynemu does not implement answers as DynamoDB answers an unknown one.
        with self.assertRaises(ClientError) as ctx:
            self.ddb.list_backups()
        self.assertEqual(ctx.exception.response["Error"]["Code"], "UnknownOperationException")


if __name__ == "__main__":
    unittest.main()
