"""The expression language through boto3: conditions, updates, projections, the
legacy parameters, and DynamoDB's error messages for each kind of mistake.

Every expectation is DynamoDB's own behaviour (its documentation, and messages
captured from the service); none depends on dynemu internals.
"""

import re
import unittest

from botocore.exceptions import ClientError

from aws_clients import client, sdk_knows
from dynemu_server import DynemuServer

TABLE = "ExprItems"


class ExpressionTestBase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = DynemuServer().start()
        cls.ddb = client(cls.server)
        cls.ddb.create_table(
            TableName=TABLE,
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            BillingMode="PAY_PER_REQUEST")
        cls.ddb.create_table(
            TableName="ExprRange",
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                  {"AttributeName": "sk", "AttributeType": "N"}],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                       {"AttributeName": "sk", "KeyType": "RANGE"}],
            BillingMode="PAY_PER_REQUEST")

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def put(self, pk, **attributes):
        item = {"pk": {"S": pk}}
        item.update(attributes)
        self.ddb.put_item(TableName=TABLE, Item=item)
        return item

    def get(self, pk, **kwargs):
        return self.ddb.get_item(TableName=TABLE, Key={"pk": {"S": pk}}, ConsistentRead=True,
                                 **kwargs).get("Item")

    def update(self, pk, expression, values=None, names=None, **kwargs):
        args = dict(TableName=TABLE, Key={"pk": {"S": pk}}, UpdateExpression=expression, **kwargs)
        if values is not None:
            args["ExpressionAttributeValues"] = values
        if names is not None:
            args["ExpressionAttributeNames"] = names
        return self.ddb.update_item(**args)

    def assertError(self, code, message, call, *args, **kwargs):
        with self.assertRaises(ClientError) as ctx:
            call(*args, **kwargs)
        self.assertEqual(ctx.exception.response["Error"]["Code"], code)
        self.assertEqual(ctx.exception.response["Error"]["Message"], message)
        return ctx.exception

    def assertValidation(self, message, call, *args, **kwargs):
        return self.assertError("ValidationException", message, call, *args, **kwargs)


class ConditionTest(ExpressionTestBase):
    """ConditionExpression on PutItem, UpdateItem and DeleteItem."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.item = {
            "pk": {"S": "cond"}, "s": {"S": "hello"}, "n": {"N": "5"}, "b": {"B": b"hello"},
            "ss": {"SS": ["a", "b"]}, "ns": {"NS": ["1", "2"]},
            "l": {"L": [{"N": "1"}, {"S": "x"}, {"M": {"k": {"S": "v"}}}]},
            "m": {"M": {"a": {"M": {"b": {"N": "1"}}}, "c": {"L": [{"N": "7"}]}}},
            "t": {"BOOL": True}, "z": {"NULL": True}, "status": {"S": "active"},
        }
        cls.ddb.put_item(TableName=TABLE, Item=cls.item)

    def check(self, condition, values=None, names=None):
        """True when a put of the same item under `condition` succeeds."""
        args = dict(TableName=TABLE, Item=self.item, ConditionExpression=condition)
        # Only the placeholders the condition uses: DynamoDB refuses unused ones.
        used = set(re.findall(r":\w+", condition))
        values = {k: v for k, v in (values or {}).items() if k in used}
        if values:
            args["ExpressionAttributeValues"] = values
        if names:
            args["ExpressionAttributeNames"] = names
        try:
            self.ddb.put_item(**args)
            return True
        except ClientError as e:
            self.assertEqual(e.response["Error"]["Code"], "ConditionalCheckFailedException",
                             e.response["Error"]["Message"])
            self.assertEqual(e.response["Error"]["Message"], "The conditional request failed")
            return False

    def test_comparators(self):
        v = {":s": {"S": "hello"}, ":n": {"N": "5.0"}, ":ten": {"N": "10"}}
        cases = [("s = :s", True), ("s <> :s", False), ("n = :n", True), ("n < :ten", True),
                 ("n <= :n", True), ("n > :ten", False), ("n >= :n", True), ("s < :s", False)]
        for condition, expected in cases:
            used = {k: x for k, x in v.items() if k in condition}
            self.assertEqual(self.check(condition, used), expected, condition)

    def test_different_types_compare_false(self):
        self.assertFalse(self.check("n = :s", {":s": {"S": "5"}}))
        self.assertTrue(self.check("n <> :s", {":s": {"S": "5"}}))
        self.assertFalse(self.check("s > :n", {":n": {"N": "1"}}))

    def test_sets_lists_maps_compare_whole(self):
        self.assertTrue(self.check("ss = :ss", {":ss": {"SS": ["b", "a"]}}))
        self.assertTrue(self.check("ns = :ns", {":ns": {"NS": ["2", "1.0"]}}))
        self.assertTrue(self.check("l = :l", {":l": self.item["l"]}))
        self.assertTrue(self.check("m = :m", {":m": self.item["m"]}))
        self.assertFalse(self.check("ss = :ss", {":ss": {"SS": ["a"]}}))

    def test_between_and_in(self):
        self.assertTrue(self.check("n BETWEEN :a AND :b", {":a": {"N": "1"}, ":b": {"N": "5"}}))
        self.assertFalse(self.check("n BETWEEN :a AND :b", {":a": {"N": "6"}, ":b": {"N": "9"}}))
        self.assertTrue(self.check("s IN (:a, :b)", {":a": {"S": "x"}, ":b": {"S": "hello"}}))
        self.assertFalse(self.check("s IN (:a)", {":a": {"S": "x"}}))

    def test_logical_operators_and_precedence(self):
        v = {":yes": {"S": "hello"}, ":no": {"S": "nope"}, ":f": {"BOOL": False}}
        self.assertTrue(self.check("s = :yes AND NOT s = :no", v))
        # NOT binds tighter than AND, AND tighter than OR.
        self.assertFalse(self.check("s = :no OR s = :yes AND t = :f", v))
        self.assertFalse(self.check("(s = :no OR s = :yes) AND t = :f", v))
        self.assertTrue(self.check("s = :yes OR s = :no AND t = :f", v))
        self.assertTrue(self.check("NOT s = :no AND s = :yes", {":yes": v[":yes"], ":no": v[":no"]}))

    def test_functions(self):
        self.assertTrue(self.check("attribute_exists(m.a.b)"))
        self.assertFalse(self.check("attribute_exists(m.a.c)"))
        self.assertTrue(self.check("attribute_not_exists(nothing)"))
        self.assertTrue(self.check("attribute_exists(l[2].k)"))
        self.assertTrue(self.check("attribute_type(ss, :t)", {":t": {"S": "SS"}}))
        self.assertFalse(self.check("attribute_type(n, :t)", {":t": {"S": "S"}}))
        self.assertTrue(self.check("begins_with(s, :p)", {":p": {"S": "he"}}))
        self.assertTrue(self.check("begins_with(b, :p)", {":p": {"B": b"he"}}))
        self.assertTrue(self.check("contains(s, :p)", {":p": {"S": "ell"}}))
        self.assertTrue(self.check("contains(ss, :p)", {":p": {"S": "b"}}))
        self.assertTrue(self.check("contains(ns, :p)", {":p": {"N": "2"}}))
        self.assertTrue(self.check("contains(l, :p)", {":p": {"S": "x"}}))
        self.assertTrue(self.check("size(s) = :n", {":n": {"N": "5"}}))
        self.assertTrue(self.check("size(l) > :n", {":n": {"N": "2"}}))
        self.assertTrue(self.check("size(m) = :n", {":n": {"N": "2"}}))
        self.assertFalse(self.check("size(n) = :n", {":n": {"N": "1"}}))

    def test_nested_paths_and_placeholders(self):
        self.assertTrue(self.check("m.c[0] = :v", {":v": {"N": "7"}}))
        self.assertTrue(self.check("#m.#a.#b = :v", {":v": {"N": "1"}},
                                   {"#m": "m", "#a": "a", "#b": "b"}))
        self.assertTrue(self.check("#s = :v", {":v": {"S": "active"}}, {"#s": "status"}))

    def test_condition_on_missing_item(self):
        self.assertTrue(self.check_on_new("attribute_not_exists(pk)"))
        self.assertFalse(self.check_on_new("attribute_exists(pk)"))

    def check_on_new(self, condition):
        try:
            self.ddb.put_item(TableName=TABLE, Item={"pk": {"S": "fresh-" + condition}},
                              ConditionExpression=condition)
            return True
        except ClientError as e:
            self.assertEqual(e.response["Error"]["Code"], "ConditionalCheckFailedException")
            return False

    def test_failed_condition_returns_the_item_when_asked(self):
        if not sdk_knows(self.ddb, "PutItem", "ReturnValuesOnConditionCheckFailure"):
            self.skipTest("this botocore predates ReturnValuesOnConditionCheckFailure")
        self.put("ccf", v={"S": "original"})
        error = self.assertError(
            "ConditionalCheckFailedException", "The conditional request failed",
            self.ddb.put_item, TableName=TABLE, Item={"pk": {"S": "ccf"}, "v": {"S": "new"}},
            ConditionExpression="attribute_not_exists(pk)",
            ReturnValuesOnConditionCheckFailure="ALL_OLD")
        self.assertEqual(error.response["Item"], {"pk": {"S": "ccf"}, "v": {"S": "original"}})
        # Without the parameter, no item.
        error = self.assertError(
            "ConditionalCheckFailedException", "The conditional request failed",
            self.ddb.put_item, TableName=TABLE, Item={"pk": {"S": "ccf"}},
            ConditionExpression="attribute_not_exists(pk)")
        self.assertNotIn("Item", error.response)
        error = self.assertError(
            "ConditionalCheckFailedException", "The conditional request failed",
            self.ddb.delete_item, TableName=TABLE, Key={"pk": {"S": "ccf"}},
            ConditionExpression="v = :x", ExpressionAttributeValues={":x": {"S": "other"}},
            ReturnValuesOnConditionCheckFailure="ALL_OLD")
        self.assertEqual(error.response["Item"]["v"], {"S": "original"})
        error = self.assertError(
            "ConditionalCheckFailedException", "The conditional request failed",
            self.update, "ccf", "SET v = :n", {":n": {"S": "n"}, ":x": {"S": "other"}},
            ConditionExpression="v = :x", ReturnValuesOnConditionCheckFailure="ALL_OLD")
        self.assertEqual(error.response["Item"]["v"], {"S": "original"})
        self.assertEqual(self.get("ccf")["v"], {"S": "original"})

    def test_conditional_delete(self):
        self.put("del", n={"N": "1"})
        self.assertError("ConditionalCheckFailedException", "The conditional request failed",
                         self.ddb.delete_item, TableName=TABLE, Key={"pk": {"S": "del"}},
                         ConditionExpression="n > :v", ExpressionAttributeValues={":v": {"N": "1"}})
        old = self.ddb.delete_item(TableName=TABLE, Key={"pk": {"S": "del"}},
                                   ConditionExpression="n >= :v",
                                   ExpressionAttributeValues={":v": {"N": "1"}},
                                   ReturnValues="ALL_OLD")
        self.assertEqual(old["Attributes"], {"pk": {"S": "del"}, "n": {"N": "1"}})
        self.assertIsNone(self.get("del"))


class UpdateTest(ExpressionTestBase):
    """UpdateExpression: every clause, ReturnValues, and the item after it."""

    def test_set_remove_add_delete(self):
        self.put("u1", n={"N": "1"}, gone={"S": "x"}, tags={"SS": ["a", "b"]},
                 l={"L": [{"S": "l0"}, {"S": "l1"}, {"S": "l2"}]})
        self.put("u1b", tags={"SS": ["x", "y"]})
        self.update("u1", "SET n = n + :one, s = :s REMOVE gone, l[0] ADD cnt :one, tags :more",
                    {":one": {"N": "1"}, ":s": {"S": "new"}, ":more": {"SS": ["c"]}})
        self.update("u1", "DELETE tags :less", {":less": {"SS": ["a"]}})
        self.assertEqual(self.get("u1"), {
            "pk": {"S": "u1"}, "n": {"N": "2"}, "s": {"S": "new"}, "cnt": {"N": "1"},
            "tags": {"SS": ["b", "c"]}, "l": {"L": [{"S": "l1"}, {"S": "l2"}]}})
        # One path per action: ADD and DELETE on one attribute overlap.
        self.assertValidation(
            "Invalid UpdateExpression: Two document paths overlap with each other; must remove or "
            "rewrite one of these paths; path one: [tags], path two: [tags]",
            self.update, "u1b", "ADD tags :more DELETE tags :less",
            {":more": {"SS": ["c"]}, ":less": {"SS": ["x"]}})

    def test_creates_the_item_when_absent(self):
        out = self.update("u-new", "SET a = :a ADD c :one", {":a": {"S": "x"}, ":one": {"N": "1"}},
                          ReturnValues="ALL_NEW")
        self.assertEqual(out["Attributes"],
                         {"pk": {"S": "u-new"}, "a": {"S": "x"}, "c": {"N": "1"}})
        # The key is part of a new item and can be read by the expression.
        out = self.update("u-new2", "SET b = if_not_exists(b, pk)", ReturnValues="UPDATED_NEW")
        self.assertEqual(out["Attributes"], {"b": {"S": "u-new2"}})

    def test_every_action_sees_the_old_item(self):
        self.put("swap", a={"S": "A"}, b={"S": "B"})
        self.update("swap", "SET a = b, b = a")
        self.assertEqual(self.get("swap"), {"pk": {"S": "swap"}, "a": {"S": "B"}, "b": {"S": "A"}})

    def test_list_indexes_name_the_old_list(self):
        self.put("list", l={"L": [{"N": str(i)} for i in range(5)]})
        self.update("list", "REMOVE l[1], l[3]")
        self.assertEqual(self.get("list")["l"], {"L": [{"N": "0"}, {"N": "2"}, {"N": "4"}]})
        self.update("list", "SET l[10] = :x, l[0] = :y", {":x": {"S": "end"}, ":y": {"S": "first"}})
        self.assertEqual(self.get("list")["l"],
                         {"L": [{"S": "first"}, {"N": "2"}, {"N": "4"}, {"S": "end"}]})

    def test_if_not_exists_and_list_append(self):
        self.put("fn", l={"L": [{"N": "1"}]})
        self.update("fn", "SET c = if_not_exists(c, :zero) + :one, l = list_append(l, :more)",
                    {":zero": {"N": "0"}, ":one": {"N": "1"}, ":more": {"L": [{"N": "2"}]}})
        self.update("fn", "SET c = if_not_exists(c, :zero) + :one, l = list_append(:front, l)",
                    {":zero": {"N": "0"}, ":one": {"N": "1"}, ":front": {"L": [{"N": "0"}]}})
        item = self.get("fn")
        self.assertEqual(item["c"], {"N": "2"})
        self.assertEqual(item["l"], {"L": [{"N": "0"}, {"N": "1"}, {"N": "2"}]})

    def test_exact_decimal_arithmetic(self):
        self.put("num", n={"N": "0.1"})
        self.update("num", "SET n = n + :x", {":x": {"N": "0.2"}})
        self.assertEqual(self.get("num")["n"], {"N": "0.3"})
        self.update("num", "ADD n :x", {":x": {"N": "-0.3"}})
        self.assertEqual(self.get("num")["n"], {"N": "0"})
        self.assertValidation(
            "Number overflow. Attempting to store a number with magnitude larger than supported range",
            self.update, "num", "SET n = :big + :big",
            {":big": {"N": "9.9999999999999999999999999999999999999E+125"}})

    def test_deep_map_and_list_updates(self):
        self.put("deep", m={"M": {"l": {"L": [{"M": {"x": {"N": "1"}}}]}}})
        self.update("deep", "SET m.l[0].x = m.l[0].x + :one, m.l[0].y = :y, m.k = :k",
                    {":one": {"N": "1"}, ":y": {"S": "y"}, ":k": {"BOOL": True}})
        self.assertEqual(self.get("deep")["m"], {"M": {
            "l": {"L": [{"M": {"x": {"N": "2"}, "y": {"S": "y"}}}]}, "k": {"BOOL": True}}})

    def test_return_values(self):
        self.put("rv", a={"S": "1"}, b={"S": "1"}, m={"M": {"x": {"N": "1"}, "y": {"N": "2"}}})
        out = self.update("rv", "SET a = :v", {":v": {"S": "2"}}, ReturnValues="NONE")
        self.assertNotIn("Attributes", out)
        out = self.update("rv", "SET a = :v", {":v": {"S": "3"}}, ReturnValues="ALL_OLD")
        self.assertEqual(out["Attributes"]["a"], {"S": "2"})
        self.assertEqual(set(out["Attributes"]), {"pk", "a", "b", "m"})
        out = self.update("rv", "SET a = :v, m.x = :v", {":v": {"S": "4"}},
                          ReturnValues="UPDATED_OLD")
        self.assertEqual(out["Attributes"], {"a": {"S": "3"}, "m": {"M": {"x": {"N": "1"}}}})
        out = self.update("rv", "SET a = :v, m.y = :v", {":v": {"S": "5"}},
                          ReturnValues="UPDATED_NEW")
        self.assertEqual(out["Attributes"], {"a": {"S": "5"}, "m": {"M": {"y": {"S": "5"}}}})
        out = self.update("rv", "REMOVE b", ReturnValues="ALL_NEW")
        self.assertEqual(set(out["Attributes"]), {"pk", "a", "m"})
        out = self.update("rv", "REMOVE nothing", ReturnValues="UPDATED_NEW")
        self.assertNotIn("Attributes", out)

    def test_condition_and_update_together(self):
        self.put("cu", state={"S": "open"})
        self.update("cu", "SET #s = :closed", {":closed": {"S": "closed"}, ":open": {"S": "open"}},
                    {"#s": "state"}, ConditionExpression="#s = :open")
        self.assertError("ConditionalCheckFailedException", "The conditional request failed",
                         self.update, "cu", "SET #s = :closed",
                         {":closed": {"S": "closed"}, ":open": {"S": "open"}}, {"#s": "state"},
                         ConditionExpression="#s = :open")
        self.assertError("ConditionalCheckFailedException", "The conditional request failed",
                         self.update, "cu-absent", "ADD hits :one", {":one": {"N": "1"}},
                         ConditionExpression="attribute_exists(pk)")
        self.assertIsNone(self.get("cu-absent"))

    def test_runtime_errors(self):
        self.put("rt", s={"S": "x"}, ss={"SS": ["a"]})
        self.assertValidation(
            "The provided expression refers to an attribute that does not exist in the item",
            self.update, "rt", "SET a = nothing")
        self.assertValidation(
            "An operand in the update expression has an incorrect data type",
            self.update, "rt", "SET a = s + :one", {":one": {"N": "1"}})
        self.assertValidation(
            "An operand in the update expression has an incorrect data type",
            self.update, "rt", "ADD ss :n", {":n": {"NS": ["1"]}})
        self.assertValidation(
            "The document path provided in the update expression is invalid for update",
            self.update, "rt", "SET nothing.a = :v", {":v": {"S": "v"}})
        self.assertValidation(
            "The document path provided in the update expression is invalid for update",
            self.update, "rt", "SET s[0] = :v", {":v": {"S": "v"}})

    def test_key_attributes_cannot_be_updated(self):
        self.assertValidation(
            "One or more parameter values were invalid: Cannot update attribute pk. This "
            "attribute is part of the key",
            self.update, "k", "SET pk = :v", {":v": {"S": "x"}})
        self.assertValidation(
            "One or more parameter values were invalid: Cannot update attribute sk. This "
            "attribute is part of the key",
            self.ddb.update_item, TableName="ExprRange",
            Key={"pk": {"S": "a"}, "sk": {"N": "1"}}, UpdateExpression="ADD sk :one",
            ExpressionAttributeValues={":one": {"N": "1"}})
        self.assertValidation(
            "Key attributes must be scalars; list random access '[]' and map lookup '.' are not "
            "allowed: Key: pk",
            self.update, "k", "SET a = pk.b")

    def test_item_size_limit(self):
        self.put("big", a={"S": "x" * 300000})
        self.assertValidation("Item size to update has exceeded the maximum allowed size",
                              self.update, "big", "SET b = a")
        self.assertEqual(set(self.get("big")), {"pk", "a"})


class ProjectionTest(ExpressionTestBase):
    def test_get_item_projection(self):
        self.put("p", a={"M": {"b": {"S": "bb"}, "c": {"S": "cc"}}},
                 l={"L": [{"S": "l0"}, {"S": "l1"}, {"S": "l2"}]}, name={"S": "n"})
        item = self.get("p", ProjectionExpression="a.b, l[2], l[0], #n",
                        ExpressionAttributeNames={"#n": "name"})
        self.assertEqual(item, {"a": {"M": {"b": {"S": "bb"}}},
                                "l": {"L": [{"S": "l0"}, {"S": "l2"}]}, "name": {"S": "n"}})
        self.assertEqual(self.get("p", ProjectionExpression="nothing"), {})
        self.assertEqual(self.get("p", AttributesToGet=["name", "nothing"]), {"name": {"S": "n"}})

    def test_projection_errors(self):
        self.assertValidation(
            "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved "
            "keyword: name",
            self.get, "p", ProjectionExpression="pk, name")
        self.assertValidation(
            "Invalid ProjectionExpression: Two document paths overlap with each other; must "
            "remove or rewrite one of these paths; path one: [a], path two: [a, b]",
            self.get, "p", ProjectionExpression="#a, #a.#b",
            ExpressionAttributeNames={"#a": "a", "#b": "b"})
        self.assertValidation(
            "Invalid ProjectionExpression: Syntax error; token: \"b\", near: \"a b\"",
            self.get, "p", ProjectionExpression="a b")
        self.assertValidation(
            "Can not use both expression and non-expression parameters in the same request: "
            "Non-expression parameters: {AttributesToGet} Expression parameters: "
            "{ProjectionExpression}",
            self.get, "p", ProjectionExpression="a", AttributesToGet=["a"])


class ErrorTest(ExpressionTestBase):
    """One case of each class of error, with DynamoDB's message."""

    def put_condition(self, condition, **kwargs):
        return self.ddb.put_item(TableName=TABLE, Item={"pk": {"S": "err"}},
                                 ConditionExpression=condition, **kwargs)

    def test_syntax_errors(self):
        self.assertValidation(
            "Invalid UpdateExpression: Syntax error; token: \"INVALID\", near: \"INVALID SYNTAX\"",
            self.update, "e", "INVALID SYNTAX HERE")
        self.assertValidation(
            "Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"foo\"",
            self.put_condition, "foo")
        self.assertValidation(
            "Invalid UpdateExpression: Syntax error; token: \"1\", near: \"+ 1\"",
            self.update, "e", "SET MyStr = myNum + 1")

    def test_empty_expressions(self):
        self.assertValidation("Invalid ConditionExpression: The expression can not be empty;",
                              self.put_condition, "")
        self.assertValidation("Invalid UpdateExpression: The expression can not be empty;",
                              self.update, "e", "")

    def test_reserved_words(self):
        self.assertValidation(
            "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: "
            "status",
            self.update, "e", "SET status = :v", {":v": {"S": "x"}})
        self.assertValidation(
            "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: "
            "Data",
            self.put_condition, "attribute_exists(Data)")

    def test_placeholders(self):
        self.assertValidation(
            "Invalid UpdateExpression: An expression attribute value used in expression is not "
            "defined; attribute value: :v",
            self.update, "e", "SET attr1 = :v")
        self.assertValidation(
            "Invalid ConditionExpression: An expression attribute name used in the document path "
            "is not defined; attribute name: #x",
            self.put_condition, "attribute_exists(#x)")
        self.assertValidation(
            "Value provided in ExpressionAttributeNames unused in expressions: keys: {#unused}",
            self.update, "e", "SET attr1 = :v", {":v": {"S": "x"}}, {"#unused": "u"})
        self.assertValidation(
            "Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}",
            self.update, "e", "SET attr1 = :v", {":v": {"S": "x"}, ":unused": {"S": "y"}})
        self.assertValidation(
            "ExpressionAttributeNames contains invalid key: Syntax error; key: \"s\"",
            self.update, "e", "SET #s = :v", {":v": {"S": "x"}}, {"s": "status"})
        self.assertValidation(
            "ExpressionAttributeValues contains invalid key: Syntax error; key: \"v\"",
            self.update, "e", "SET #s = :v", {"v": {"S": "x"}}, {"#s": "status"})
        self.assertValidation(
            "ExpressionAttributeNames can only be specified when using expressions",
            self.ddb.update_item, TableName=TABLE, Key={"pk": {"S": "e"}},
            ExpressionAttributeNames={"#s": "status"})
        self.assertValidation(
            "ExpressionAttributeValues can only be specified when using expressions: "
            "ConditionExpression is null",
            self.ddb.put_item, TableName=TABLE, Item={"pk": {"S": "e"}},
            ExpressionAttributeValues={":v": {"S": "unused"}})
        self.assertValidation(
            "ExpressionAttributeValues contains invalid value: One or more parameter values were "
            "invalid: An string set  may not be empty for key :v",
            self.put_condition, "a = :v", ExpressionAttributeValues={":v": {"SS": []}})

    def test_functions_and_operands(self):
        self.assertValidation("Invalid ConditionExpression: Invalid function name; function: foo",
                              self.put_condition, "foo(a)")
        self.assertValidation(
            "Invalid ConditionExpression: The function is not allowed to be used this way in an "
            "expression; function: size",
            self.put_condition, "size(a)")
        self.assertValidation(
            "Invalid ConditionExpression: Incorrect number of operands for operator or function; "
            "operator or function: attribute_exists, number of operands: 2",
            self.put_condition, "attribute_exists(a, b)")
        self.assertValidation(
            "Invalid ConditionExpression: The first operand must be distinct from the remaining "
            "operands for this operator or function; operator: contains, first operand: [data]",
            self.put_condition, "contains(#a, #a)", ExpressionAttributeNames={"#a": "data"})
        self.assertValidation(
            "Invalid ConditionExpression: Incorrect operand type for operator or function; "
            "operator or function: begins_with, operand type: N",
            self.put_condition, "begins_with(a, :n)", ExpressionAttributeValues={":n": {"N": "5"}})
        self.assertValidation(
            "Invalid ConditionExpression: The expression has redundant parentheses;",
            self.put_condition, "((attribute_not_exists(pk)))")
        self.assertValidation(
            "Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater "
            "than or equal to lower bound; lower bound operand: AttributeValue: {N:10}, upper "
            "bound operand: AttributeValue: {N:1}",
            self.put_condition, "a BETWEEN :lo AND :hi",
            ExpressionAttributeValues={":lo": {"N": "10"}, ":hi": {"N": "1"}})

    def test_update_expression_errors(self):
        self.assertValidation(
            "Invalid UpdateExpression: The \"SET\" section can only be used once in an update "
            "expression;",
            self.update, "e", "SET a = :v SET b = :v", {":v": {"S": "x"}})
        self.assertValidation(
            "Invalid UpdateExpression: Two document paths overlap with each other; must remove or "
            "rewrite one of these paths; path one: [a], path two: [a, b]",
            self.update, "e", "SET a = :v REMOVE a.b", {":v": {"S": "x"}})
        self.assertValidation(
            "Invalid UpdateExpression: Two document paths conflict with each other; must remove or "
            "rewrite one of these paths; path one: [a, b], path two: [a, [1]]",
            self.update, "e", "SET a.b = :v REMOVE a[1]", {":v": {"S": "x"}})
        self.assertValidation(
            "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: "
            "ADD, operand type: STRING, typeSet: ALLOWED_FOR_ADD_OPERAND",
            self.update, "e", "ADD a :v", {":v": {"S": "x"}})
        self.assertValidation(
            "Invalid UpdateExpression: Incorrect operand type for operator or function; operator "
            "or function: list_append, operand type: S",
            self.update, "e", "SET a = list_append(a, :v)", {":v": {"S": "x"}})
        self.assertValidation(
            "Invalid UpdateExpression: The function is not allowed in an update expression; "
            "function: size",
            self.update, "e", "SET a = size(b)")

    def test_limits(self):
        self.assertValidation(
            "Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; "
            "expression size: 5000",
            self.put_condition, "a = :v" + " " * 4994, ExpressionAttributeValues={":v": {"S": "x"}})
        values = {":v%d" % i: {"N": str(i)} for i in range(101)}
        self.assertValidation(
            "Invalid ConditionExpression: The IN operator is provided with too many operands; "
            "number of operands: 101",
            self.put_condition, "a IN (%s)" % ", ".join(values), ExpressionAttributeValues=values)
        deep = "a" + ".a" * 32
        self.assertValidation(
            "Invalid ConditionExpression: The document path has too many nesting levels; nesting "
            "levels: 33",
            self.put_condition, "attribute_exists(%s)" % deep)

    def test_expression_and_legacy_parameters_do_not_mix(self):
        self.assertValidation(
            "Can not use both expression and non-expression parameters in the same request: "
            "Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}",
            self.put_condition, "attribute_not_exists(pk)", Expected={"pk": {"Exists": False}})
        self.assertValidation(
            "Can not use both expression and non-expression parameters in the same request: "
            "Non-expression parameters: {AttributeUpdates} Expression parameters: "
            "{UpdateExpression}",
            self.update, "e", "SET a = :v", {":v": {"S": "x"}},
            AttributeUpdates={"a": {"Value": {"S": "x"}, "Action": "PUT"}})


class LegacyTest(ExpressionTestBase):
    """Expected, ConditionalOperator, AttributeUpdates and AttributesToGet."""

    def test_expected(self):
        self.put("lg", a={"S": "x"}, n={"N": "5"})
        item = {"pk": {"S": "lg"}, "a": {"S": "x"}, "n": {"N": "5"}}
        self.ddb.put_item(TableName=TABLE, Item=item, Expected={"a": {"Value": {"S": "x"}}})
        self.ddb.put_item(TableName=TABLE, Item=item, Expected={"zz": {"Exists": False}})
        self.ddb.put_item(TableName=TABLE, Item=item, Expected={
            "n": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"N": "1"}, {"N": "9"}]}})
        self.assertError("ConditionalCheckFailedException", "The conditional request failed",
                         self.ddb.put_item, TableName=TABLE, Item=item,
                         Expected={"a": {"Value": {"S": "y"}}, "n": {"Value": {"N": "5"}}})
        self.ddb.put_item(TableName=TABLE, Item=item, ConditionalOperator="OR",
                          Expected={"a": {"Value": {"S": "y"}}, "n": {"Value": {"N": "5"}}})
        self.assertValidation(
            "One or more parameter values were invalid: Value must be provided when Exists is "
            "true for Attribute: a",
            self.ddb.put_item, TableName=TABLE, Item=item, Expected={"a": {"Exists": True}})
        self.assertValidation(
            "One or more parameter values were invalid: Invalid number of argument(s) for the EQ "
            "ComparisonOperator",
            self.ddb.delete_item, TableName=TABLE, Key={"pk": {"S": "lg"}},
            Expected={"a": {"ComparisonOperator": "EQ", "AttributeValueList": []}})

    def test_attribute_updates(self):
        self.put("au", n={"N": "10"}, tags={"SS": ["a", "b", "c"]}, extra={"S": "x"})
        out = self.ddb.update_item(
            TableName=TABLE, Key={"pk": {"S": "au"}}, ReturnValues="UPDATED_NEW",
            AttributeUpdates={"n": {"Action": "ADD", "Value": {"N": "5"}},
                              "tags": {"Action": "DELETE", "Value": {"SS": ["b"]}},
                              "extra": {"Action": "DELETE"},
                              "new": {"Value": {"S": "written"}}})
        self.assertEqual(out["Attributes"], {"n": {"N": "15"}, "tags": {"SS": ["a", "c"]},
                                             "new": {"S": "written"}})
        self.assertEqual(self.get("au"), {"pk": {"S": "au"}, "n": {"N": "15"},
                                          "tags": {"SS": ["a", "c"]}, "new": {"S": "written"}})
        self.assertValidation("Type mismatch for attribute to update",
                              self.ddb.update_item, TableName=TABLE, Key={"pk": {"S": "au"}},
                              AttributeUpdates={"tags": {"Action": "ADD", "Value": {"NS": ["1"]}}})
        self.assertValidation(
            "One or more parameter values were invalid: Cannot update attribute pk. This "
            "attribute is part of the key",
            self.ddb.update_item, TableName=TABLE, Key={"pk": {"S": "au"}},
            AttributeUpdates={"pk": {"Action": "PUT", "Value": {"S": "new-key"}}})
        self.assertValidation(
            "One or more parameter values were invalid: ADD action is not supported for the type S",
            self.ddb.update_item, TableName=TABLE, Key={"pk": {"S": "au"}},
            AttributeUpdates={"n": {"Action": "ADD", "Value": {"S": "1"}}})

    def test_update_with_no_action_creates_the_key(self):
        self.ddb.update_item(TableName=TABLE, Key={"pk": {"S": "bare"}})
        self.assertEqual(self.get("bare"), {"pk": {"S": "bare"}})


if __name__ == "__main__":
    unittest.main()
