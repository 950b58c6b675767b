import { startSandbox, type Sandbox } from "../sandbox/index.js";
import { runStep } from "../sandbox/runner.js";

/**
 * The bad-input catalog: each malformed input or conflicting combination is rejected by the
 * built action with its own message, and no request reaches the token service or STS.
 */

const ROLE = "arn:aws:iam::123456789012:role/deploy";
const BASE = { "role-to-assume": ROLE, "aws-region": "us-east-1" };
const KEYS = {
  "aws-access-key-id": "AKIAIOSFODNN7EXAMPLE",
  "aws-secret-access-key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
};

type Case = [string, Record<string, string | undefined>, RegExp, Record<string, string>?];

const CATALOG: Case[] = [
  // role-to-assume
  ["missing role", { "role-to-assume": undefined }, /Input 'role-to-assume': is required/],
  [
    "bare role name with a web identity",
    { "role-to-assume": "deploy" },
    /Input 'role-to-assume': 'deploy' is a bare role name, not a role ARN\..*A bare name works only with source credentials/,
  ],
  [
    "short account id",
    { "role-to-assume": "arn:aws:iam::12345678901:role/x" },
    /Input 'role-to-assume': '.*' is not an IAM role ARN/,
  ],
  ["user ARN", { "role-to-assume": "arn:aws:iam::123456789012:user/alice" }, /is not an IAM role ARN/],
  [
    "role name too long",
    { "role-to-assume": `arn:aws:iam::123456789012:role/${"r".repeat(65)}` },
    /is not an IAM role ARN/,
  ],
  [
    "unknown partition",
    { "role-to-assume": "arn:aws-moon:iam::123456789012:role/x" },
    /the partition 'aws-moon' is unknown/,
  ],
  [
    "role in another partition",
    { "role-to-assume": "arn:aws-cn:iam::123456789012:role/x" },
    /the role is in partition 'aws-cn' but Region us-east-1 is in 'aws'/,
  ],
  ["chain role not an ARN", { "chain-roles": "second" }, /Input 'chain-roles': 'second' is a bare role name/],
  // region
  ["missing region", { "aws-region": undefined }, /Input 'aws-region': is required/],
  ["region name", { "aws-region": "US East (N. Virginia)" }, /is not an AWS Region code/],
  ["region with capitals", { "aws-region": "US-EAST-1" }, /is not an AWS Region code/],
  [
    "bad AWS_REGION",
    { "aws-region": undefined },
    /Input 'AWS_REGION': 'virginia' is not an AWS Region code/,
    { AWS_REGION: "virginia" },
  ],
  // audience, session name, duration
  ["audience with spaces", { audience: "sts.amazonaws.com extra" }, /Input 'audience': .* contains whitespace/],
  [
    "session name with a slash",
    { "role-session-name": "ci/main" },
    /Input 'role-session-name': 'ci\/main' has characters STS does not allow/,
  ],
  ["session name too short", { "role-session-name": "x" }, /Input 'role-session-name': is 1 characters long/],
  ["session name too long", { "role-session-name": "s".repeat(65) }, /is 65 characters long/],
  ["duration too short", { "role-duration-seconds": "899" }, /Input 'role-duration-seconds': 899 is out of range/],
  ["duration too long", { "role-duration-seconds": "43201" }, /43201 is out of range/],
  ["duration with a unit", { "role-duration-seconds": "1h" }, /'1h' is not a whole number/],
  [
    "chained duration over an hour",
    { "chain-roles": "arn:aws:iam::123456789012:role/b", "role-duration-seconds": "7200" },
    /7200 is longer than the 1 hour AWS allows/,
  ],
  // booleans
  ["boolean yes", { "output-credentials": "yes" }, /Input 'output-credentials': 'yes' is not a boolean/],
  ["boolean 1", { "mask-aws-account-id": "1" }, /Input 'mask-aws-account-id': '1' is not a boolean/],
  ["boolean typo", { "role-chaining": "ture" }, /Input 'role-chaining': 'ture' is not a boolean/],
  [
    "use-existing-credentials not a boolean",
    { "use-existing-credentials": "maybe" },
    /Input 'use-existing-credentials': 'maybe' is not a boolean/,
  ],
  [
    "bad AWS_USE_FIPS_ENDPOINT",
    {},
    /Input 'AWS_USE_FIPS_ENDPOINT': 'on' is not a boolean/,
    { AWS_USE_FIPS_ENDPOINT: "on" },
  ],
  // tags and policies
  ["custom tags not JSON", { "custom-tags": "Team=payments" }, /Input 'custom-tags': is not valid JSON/],
  ["custom tags an array", { "custom-tags": '["a"]' }, /Input 'custom-tags': must be a JSON object/],
  ["custom tag with an object value", { "custom-tags": '{"Team": {"x": 1}}' }, /the value of 'Team' is not a string/],
  ["custom tag key with aws: prefix", { "custom-tags": '{"aws:team": "x"}' }, /uses the reserved prefix 'aws:'/],
  ["custom tag key too long", { "custom-tags": `{"${"k".repeat(129)}": "x"}` }, /is not a valid tag key/],
  [
    "custom tag value with a bad character",
    { "custom-tags": '{"Team": "a;b"}' },
    /the value of 'Team' is not a valid tag value/,
  ],
  [
    "custom tag clashing with a run tag",
    { "custom-tags": '{"repository": "x"}' },
    /the key 'repository' is already set from the run's metadata/,
  ],
  [
    "transitive key not among the tags",
    { "transitive-tag-keys": "Team" },
    /Input 'transitive-tag-keys': 'Team' is not one of the session tags/,
  ],
  [
    "inline policy not JSON",
    { "inline-session-policy": "{Statement" },
    /Input 'inline-session-policy': is not valid JSON/,
  ],
  [
    "inline policy without Statement",
    { "inline-session-policy": '{"Version":"2012-10-17"}' },
    /is not an IAM policy document/,
  ],
  [
    "inline policy too large",
    {
      "inline-session-policy": JSON.stringify({
        Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "x".repeat(2100) }],
      }),
    },
    /characters without whitespace; STS allows 2048/,
  ],
  [
    "managed policy not an ARN",
    { "managed-session-policies": "ReadOnlyAccess" },
    /Input 'managed-session-policies': 'ReadOnlyAccess' is not an IAM policy ARN/,
  ],
  [
    "too many managed policies",
    { "managed-session-policies": Array.from({ length: 11 }, (_, i) => `arn:aws:iam::aws:policy/P${i}`).join("\n") },
    /lists 11 policies; STS allows 10/,
  ],
  [
    "external id with bad characters",
    { ...KEYS, "role-external-id": "a b" },
    /Input 'role-external-id': is 3 characters long or has characters STS does not allow/,
  ],
  // source credentials and conflicts
  [
    "secret key without key id",
    { "aws-secret-access-key": KEYS["aws-secret-access-key"] },
    /Input 'aws-access-key-id': is required when the other access key input is set/,
  ],
  [
    "key id without secret",
    { "aws-access-key-id": KEYS["aws-access-key-id"] },
    /Input 'aws-secret-access-key': is required/,
  ],
  [
    "malformed key id",
    { "aws-access-key-id": "not-a-key", "aws-secret-access-key": "x" },
    /Input 'aws-access-key-id': does not look like an access key id/,
  ],
  [
    "role-chaining with access keys",
    { ...KEYS, "role-chaining": "true" },
    /Input 'role-chaining': cannot be combined with aws-access-key-id/,
  ],
  [
    "token file with access keys",
    { ...KEYS, "web-identity-token-file": "/tmp/t" },
    /Input 'web-identity-token-file': cannot be combined with aws-access-key-id/,
  ],
  [
    "token file with role-chaining",
    { "role-chaining": "true", "web-identity-token-file": "/tmp/t" },
    /Input 'web-identity-token-file': cannot be combined with role-chaining/,
  ],
  [
    "role-chaining with nothing to chain from",
    { "role-chaining": "true" },
    /Input 'role-chaining': is true but AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set/,
  ],
  // accounts, retries, network
  [
    "allowed account id malformed",
    { "allowed-account-ids": "1234" },
    /Input 'allowed-account-ids': '1234' is not a 12-digit AWS account id/,
  ],
  [
    "role outside the allowed accounts",
    { "allowed-account-ids": "210987654321" },
    /the role-to-assume is in account 123456789012, which is not allowed/,
  ],
  ["retry attempts zero", { "retry-max-attempts": "0" }, /Input 'retry-max-attempts': 0 is out of range/],
  [
    "retry attempts with disable-retry",
    { "retry-max-attempts": "3", "disable-retry": "true" },
    /cannot be set together with disable-retry: true/,
  ],
  ["timeout zero", { "action-timeout-s": "0" }, /Input 'action-timeout-s': 0 is out of range/],
  [
    "sts-endpoint without scheme",
    { "sts-endpoint": "sts.us-east-1.amazonaws.com" },
    /Input 'sts-endpoint': .* is not a URL|scheme/,
  ],
  [
    "sts-endpoint with FIPS",
    { "sts-endpoint": "https://sts.example.test", "use-fips-endpoint": "true" },
    /cannot be combined with use-fips-endpoint/,
  ],
  ["proxy not a URL", { "http-proxy": "http://user:s3cret@[bad" }, /Input 'http-proxy': is not a URL/],
  ["proxy with an odd scheme", { "http-proxy": "socks5://proxy:1080" }, /the scheme 'socks5:' is not supported/],
];

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.stop());

it("has at least 40 entries", () => expect(CATALOG.length).toBeGreaterThanOrEqual(40));

it.each(CATALOG)("rejects %s before any request", async (_name, change, message, env = {}) => {
  const inputs: Record<string, string> = { ...BASE };
  for (const [name, value] of Object.entries(change)) {
    if (value === undefined) delete inputs[name];
    else inputs[name] = value;
  }
  const before = { token: sandbox.issuer.tokenRequests.length, sts: sandbox.sts.requests.length };
  const step = await runStep("dist/main/index.js", {
    inputs,
    env: { ...sandbox.issuer.githubEnv(), AWS_ENDPOINT_URL_STS: sandbox.sts.url, ...env },
  });
  expect(step.code).toBe(1);
  const error = step.stdout.split("\n").find((line) => line.startsWith("::error::")) ?? "";
  expect(error).toMatch(message);
  expect(error).toMatch(/Hint: /);
  expect(error).not.toContain("s3cret");
  expect(sandbox.issuer.tokenRequests.length).toBe(before.token);
  expect(sandbox.sts.requests.length).toBe(before.sts);
  expect(step.env).toEqual({});
  expect(step.outputs).toEqual({});
});
