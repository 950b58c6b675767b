import { readActionConfig, type InputReader } from "../src/config/action.js";
import { parseRegion, parseRoleArn, parseSessionName, sanitizeSessionName } from "../src/config/aws-names.js";
import { defaultSessionName } from "../src/config/session-name.js";
import { parseBoolean, parseEndpointUrl, parseInteger } from "../src/config/values.js";
import { InputError } from "../src/errors.js";
import type { RunMetadata } from "../src/tokens/source.js";

const ROLE = "arn:aws:iam::123456789012:role/deploy";
const META: RunMetadata = { ci: "gha", project: "octo-org/octo-repo", runId: "4242", attempt: "2", tags: {} };

function reader(values: Record<string, string>): InputReader {
  return (name) => values[name] ?? "";
}

function configError(values: Record<string, string>, env: Record<string, string> = {}): InputError {
  try {
    readActionConfig(reader(values), env, META);
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error("expected an InputError");
}

describe("parseBoolean", () => {
  it.each(["true", "True", "TRUE"])("reads %s as true", (raw) => expect(parseBoolean("x", raw, false)).toBe(true));
  it.each(["false", "False", "FALSE"])("reads %s as false", (raw) => expect(parseBoolean("x", raw, true)).toBe(false));
  it("uses the fallback for an empty value", () => expect(parseBoolean("x", "", true)).toBe(true));
  it.each(["yes", "no", "1", "0", "on", "tru", "true "])(
    "rejects %j with the input name and the allowed words",
    (raw) => {
      expect(() => parseBoolean("output-credentials", raw, false)).toThrow(
        /Input 'output-credentials': '.*' is not a boolean/,
      );
      try {
        parseBoolean("output-credentials", raw, false);
      } catch (error) {
        expect((error as InputError).hint).toMatch(/true or false/);
      }
    },
  );
});

describe("parseInteger", () => {
  const range = { min: 900, max: 43200, fallback: 3600 };
  it("reads the bounds and the fallback", () => {
    expect(parseInteger("d", "900", range)).toBe(900);
    expect(parseInteger("d", "43200", range)).toBe(43200);
    expect(parseInteger("d", "", range)).toBe(3600);
  });
  it.each([
    ["899", /899 is out of range/],
    ["43201", /43201 is out of range/],
    ["1h", /'1h' is not a whole number/],
    ["3600.5", /not a whole number/],
    ["-1", /not a whole number/],
    ["1e4", /not a whole number/],
  ])("rejects %s", (raw, message) => {
    expect(() => parseInteger("role-duration-seconds", raw, range)).toThrow(message);
  });
});

describe("parseRegion", () => {
  it.each(["us-east-1", "eu-central-2", "us-gov-west-1", "cn-north-1", "us-isob-east-1", "ap-southeast-7"])(
    "accepts %s",
    (r) => expect(parseRegion("aws-region", r)).toBe(r),
  );
  it.each(["US East", "us-east", "useast1", "us_east_1", "us-east-1 ", "Us-East-1"])("rejects %j", (r) =>
    expect(() => parseRegion("aws-region", r)).toThrow(/is not an AWS Region code/),
  );
});

describe("parseRoleArn", () => {
  it("splits a role ARN with a path", () => {
    expect(parseRoleArn("r", "arn:aws-us-gov:iam::123456789012:role/ci/deploy+x")).toEqual({
      arn: "arn:aws-us-gov:iam::123456789012:role/ci/deploy+x",
      partition: "aws-us-gov",
      accountId: "123456789012",
      path: "/ci/",
      name: "deploy+x",
    });
  });
  it("explains that a bare role name needs the full ARN", () =>
    expect(() => parseRoleArn("role-to-assume", "deploy")).toThrow("'deploy' is a bare role name, not a role ARN."));
  it.each([
    ["arn:aws:iam::12345678901:role/x", /is not an IAM role ARN/],
    ["arn:aws:iam::123456789012:user/x", /is not an IAM role ARN/],
    ["arn:aws:sts::123456789012:role/x", /is not an IAM role ARN/],
    [`arn:aws:iam::123456789012:role/${"a".repeat(65)}`, /is not an IAM role ARN/],
    ["arn:aws:iam::123456789012:role/", /is not an IAM role ARN/],
    ["arn:aws-mars:iam::123456789012:role/x", /partition 'aws-mars' is unknown/],
  ])("rejects %s", (raw, message) => expect(() => parseRoleArn("role-to-assume", raw)).toThrow(message));
});

describe("session names", () => {
  it("accepts STS's charset and rejects the rest", () => {
    expect(parseSessionName("s", "a.b@c=d,e+f-g_h")).toBe("a.b@c=d,e+f-g_h");
    expect(() => parseSessionName("role-session-name", "my session")).toThrow(/has characters STS does not allow/);
    expect(() => parseSessionName("role-session-name", "x")).toThrow(/is 1 characters long/);
    expect(() => parseSessionName("role-session-name", "x".repeat(65))).toThrow(/is 65 characters long/);
  });
  it("sanitizes free text into a valid name", () => {
    expect(sanitizeSessionName("deploy to prod/eu (β)")).toBe("deploy-to-prod-eu-");
    expect(sanitizeSessionName("x")).toMatch(/^[\w+=,.@-]{2}$/);
    expect(sanitizeSessionName("y".repeat(100))).toHaveLength(64);
  });
  it("builds the default from the run, keeping the run id when the project is long", () => {
    expect(defaultSessionName(META)).toBe("gha-octo-org.octo-repo-4242-2");
    const long = defaultSessionName({ ...META, project: `org/${"r".repeat(90)}` });
    expect(long).toHaveLength(64);
    expect(long.endsWith("-4242-2")).toBe(true);
    expect(defaultSessionName({ ci: "gha", tags: {} })).toBe("gha");
    expect(defaultSessionName({ ...META, project: "ünïcode org/répo" })).toMatch(/^[\w+=,.@-]{2,64}$/);
  });
});

describe("parseEndpointUrl", () => {
  it("normalizes a URL", () => expect(parseEndpointUrl("e", "http://127.0.0.1:4566/")).toBe("http://127.0.0.1:4566"));
  it.each([
    ["sts.amazonaws.com", /is not a URL/],
    ["ftp://x", /scheme 'ftp:'/],
    ["https://h/?a=1", /must not have a query/],
  ])("rejects %s", (raw, message) => expect(() => parseEndpointUrl("sts-endpoint", raw)).toThrow(message));
  it("never echoes credentials in a URL", () => {
    expect(() => parseEndpointUrl("sts-endpoint", "https://user:hunter2@h")).toThrow(
      /must not contain a user name or password/,
    );
    try {
      parseEndpointUrl("sts-endpoint", "https://user:hunter2@h");
    } catch (error) {
      expect(String((error as Error).message)).not.toContain("hunter2");
    }
  });
});

describe("readActionConfig", () => {
  it("needs only role-to-assume and aws-region, with documented defaults", () => {
    const config = readActionConfig(reader({ "role-to-assume": ROLE, "aws-region": "eu-west-1" }), {}, META);
    expect(config.plan).toEqual({
      source: { kind: "web-identity", audience: "sts.amazonaws.com" },
      steps: [
        {
          role: { kind: "arn", arn: ROLE, partition: "aws", accountId: "123456789012", path: "/", name: "deploy" },
          sessionName: "gha-octo-org.octo-repo-4242-2",
          durationSeconds: 3600,
          policyArns: [],
        },
      ],
      endpoint: { region: "eu-west-1", useFips: false, useDualstack: false },
      retry: {
        maxAttempts: 5,
        requestTimeoutMs: 10000,
        totalTimeoutMs: 120000,
        baseDelayMs: 500,
        maxDelayMs: 8000,
        alphanumericSecret: false,
      },
    });
    expect(config).toMatchObject({
      region: "eu-west-1",
      outputCredentials: false,
      outputEnvCredentials: true,
      maskAccountId: false,
      unsetCurrentCredentials: false,
      useExistingCredentials: false,
      allowedAccountIds: [],
      secrets: [],
      warnings: [],
    });
  });

  it("takes the foundation inputs", () => {
    const config = readActionConfig(
      reader({
        "role-to-assume": ROLE,
        "aws-region": "us-west-2",
        audience: "my-aud",
        "role-session-name": "release",
        "role-duration-seconds": "7200",
        "output-credentials": "true",
        "mask-aws-account-id": "TRUE",
        "sts-endpoint": "https://sts.example.test",
      }),
      { AWS_ENDPOINT_URL_STS: "http://ignored:1" },
      META,
    );
    expect(config.plan.source).toEqual({ kind: "web-identity", audience: "my-aud" });
    expect(config.plan.steps[0]).toMatchObject({ sessionName: "release", durationSeconds: 7200 });
    expect(config.plan.endpoint.override).toBe("https://sts.example.test");
    expect(config.outputCredentials).toBe(true);
    expect(config.maskAccountId).toBe(true);
  });

  it("falls back to AWS_ENDPOINT_URL_STS, then AWS_ENDPOINT_URL", () => {
    const base = reader({ "role-to-assume": ROLE, "aws-region": "us-east-1" });
    expect(readActionConfig(base, { AWS_ENDPOINT_URL_STS: "http://127.0.0.1:1" }, META).plan.endpoint.override).toBe(
      "http://127.0.0.1:1",
    );
    expect(readActionConfig(base, { AWS_ENDPOINT_URL: "http://127.0.0.1:2" }, META).plan.endpoint.override).toBe(
      "http://127.0.0.1:2",
    );
  });

  it("falls back to the job's AWS_REGION, and names it when it is wrong", () => {
    expect(
      readActionConfig(reader({ "role-to-assume": ROLE }), { AWS_DEFAULT_REGION: "ap-south-1" }, META).region,
    ).toBe("ap-south-1");
    expect(configError({ "role-to-assume": ROLE }, { AWS_REGION: "Frankfurt" }).input).toBe("AWS_REGION");
  });
});
