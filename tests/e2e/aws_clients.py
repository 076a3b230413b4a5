"""boto3 clients and AWS CLI runs pointed at a dynemu server, for the e2e tests."""

import json
import os
import subprocess

import boto3
import botocore.config


def client(server, retries=0):
    """A low-level DynamoDB client for `server` (no retries unless asked).

    The SDK's own parameter validation is off: the tests check the server's
    answers to invalid requests, which a validating SDK would never send.
    """
    return boto3.client(
        "dynamodb",
        endpoint_url=server.endpoint_url,
        region_name="us-east-1",
        aws_access_key_id="fake",
        aws_secret_access_key="fake",
        config=botocore.config.Config(retries={"max_attempts": retries, "mode": "standard"},
                                      parameter_validation=False),
    )


def batch_put(ddb, table, items):
    """Writes `items` into `table` with BatchWriteItem, 25 at a time; every
    request must be processed."""
    for i in range(0, len(items), 25):
        reply = ddb.batch_write_item(
            RequestItems={table: [{"PutRequest": {"Item": it}} for it in items[i:i + 25]]})
        assert reply["UnprocessedItems"] == {}, reply


class ErrorAssertions:
    """For unittest.TestCase classes whose client is `self.client`."""

    def error(self, operation, **kwargs):
        """The Error member of the ClientError that `operation` must raise."""
        from botocore.exceptions import ClientError
        with self.assertRaises(ClientError) as caught:
            getattr(self.client, operation)(**kwargs)
        return caught.exception.response["Error"]

    def assertValidation(self, message, operation, **kwargs):
        err = self.error(operation, **kwargs)
        self.assertEqual(err["Code"], "ValidationException", err)
        self.assertEqual(err["Message"], message)


def sdk_knows(ddb, operation, member):
    """Whether this SDK's service model has `member` in `operation`'s input."""
    return member in ddb.meta.service_model.operation_model(operation).input_shape.members


def resource(server):
    return boto3.resource(
        "dynamodb",
        endpoint_url=server.endpoint_url,
        region_name="us-east-1",
        aws_access_key_id="fake",
        aws_secret_access_key="fake",
    )


def cli(server, *args):
    """Runs `aws dynamodb <args>` against `server`. Returns (exit code, stdout, stderr)."""
    aws = os.environ.get("DYNEMU_AWS") or "aws"
    env = dict(os.environ)
    env.update(AWS_ACCESS_KEY_ID="fake", AWS_SECRET_ACCESS_KEY="fake",
               AWS_DEFAULT_REGION="us-east-1", AWS_PAGER="")
    proc = subprocess.run(
        [aws, "dynamodb", "--endpoint-url", server.endpoint_url, "--output", "json", *args],
        capture_output=True, text=True, env=env, timeout=120)
    return proc.returncode, proc.stdout, proc.stderr


def cli_json(server, *args):
    """Runs the CLI and returns its parsed JSON output; fails on a non-zero exit."""
    code, out, err = cli(server, *args)
    if code != 0:
        raise AssertionError("aws dynamodb %s failed (%d): %s" % (" ".join(args), code, err))
    return json.loads(out) if out.strip() else {}
