"""The real AWS CLI against dynemu: the commands a developer types first."""

import json
import unittest

from aws_clients import cli, cli_json
from dynemu_server import DynemuServer


class CliTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = DynemuServer().start()

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def test_table_and_item_commands(self):
        s = self.server
        created = cli_json(s, "create-table", "--table-name", "Music",
                           "--attribute-definitions", "AttributeName=Artist,AttributeType=S",
                           "AttributeName=SongTitle,AttributeType=S",
                           "--key-schema", "AttributeName=Artist,KeyType=HASH",
                           "AttributeName=SongTitle,KeyType=RANGE",
                           "--billing-mode", "PAY_PER_REQUEST")
        self.assertEqual(created["TableDescription"]["TableName"], "Music")
        code, _, err = cli(s, "wait", "table-exists", "--table-name", "Music")
        self.assertEqual(code, 0, err)
        self.assertEqual(cli_json(s, "list-tables")["TableNames"], ["Music"])

        item = {"Artist": {"S": "No One You Know"}, "SongTitle": {"S": "Call Me Today"},
                "AlbumTitle": {"S": "Somewhat Famous"}, "Awards": {"N": "1.0"}}
        cli_json(s, "put-item", "--table-name", "Music", "--item", json.dumps(item))
        got = cli_json(s, "get-item", "--table-name", "Music", "--consistent-read",
                       "--key", json.dumps({"Artist": item["Artist"],
                                            "SongTitle": item["SongTitle"]}))
        self.assertEqual(got["Item"]["Awards"], {"N": "1"})
        self.assertEqual(got["Item"]["AlbumTitle"], item["AlbumTitle"])

        table = cli_json(s, "describe-table", "--table-name", "Music")["Table"]
        self.assertEqual(table["ItemCount"], 1)
        self.assertEqual(table["TableStatus"], "ACTIVE")

        old = cli_json(s, "delete-item", "--table-name", "Music", "--return-values", "ALL_OLD",
                       "--key", json.dumps({"Artist": item["Artist"],
                                            "SongTitle": item["SongTitle"]}))
        self.assertEqual(old["Attributes"]["AlbumTitle"], item["AlbumTitle"])
        cli_json(s, "delete-table", "--table-name", "Music")
        self.assertEqual(cli_json(s, "list-tables")["TableNames"], [])

    def test_errors_reach_the_cli_verbatim(self):
        code, _, err = cli(self.server, "describe-table", "--table-name", "Missing")
        self.assertNotEqual(code, 0)
        self.assertIn("(ResourceNotFoundException)", err)
        self.assertIn("Requested resource not found: Table: Missing not found", err)

        code, _, err = cli(self.server, "get-item", "--table-name", "Missing",
                           "--key", '{"a":{"N":"1e999"}}')
        self.assertNotEqual(code, 0)
        self.assertIn("(ValidationException)", err)
        self.assertIn("Number overflow. Attempting to store a number with magnitude larger than "
                      "supported range", err)


if __name__ == "__main__":
    unittest.main()
