import { jest } from "@jest/globals";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseFileCommands } from "../sandbox/runner.js";
import {
  exportCredentials,
  maskSecret,
  readCleanupState,
  setCredentialOutputs,
  undoExports,
  unsetCredentials,
} from "../src/sinks/github.js";
import type { AssumedCredentials } from "../src/sts/credentials.js";

const CREDS: AssumedCredentials = {
  accessKeyId: "ASIAEXAMPLEKEY000001",
  secretAccessKey: "secret/with+chars=0123456789abcdefghijklm",
  sessionToken: "session-token-value",
  expiration: new Date("2026-11-22T12:00:00Z"),
  assumedRoleArn: "arn:aws:sts::123456789012:assumed-role/deploy/run-1",
  accountId: "123456789012",
};

let dir: string;
let stdout: string;
const saved = { ...process.env };

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sink-"));
  for (const name of ["GITHUB_ENV", "GITHUB_OUTPUT", "GITHUB_STATE"]) {
    const file = join(dir, name);
    writeFileSync(file, "");
    process.env[name] = file;
  }
  stdout = "";
  jest.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    stdout += chunk.toString();
    return true;
  });
});

afterEach(() => {
  jest.restoreAllMocks();
  process.env = { ...saved };
});

const runnerFile = (name: string) => parseFileCommands(readFileSync(join(dir, name), "utf8"));
const masks = () => [...stdout.matchAll(/^::add-mask::(.*)$/gm)].map((m) => m[1]);

describe("GitHub sink", () => {
  it("masks a multi-line value line by line, as the runner matches lines", () => {
    maskSecret("first-line\nsecond-line\n");
    expect(masks()).toEqual(["first-line", "second-line"]);
  });

  it("exports credentials and region through GITHUB_ENV, and records how to undo it", () => {
    exportCredentials(CREDS, "eu-west-1", { AWS_REGION: "us-east-2" });
    expect(runnerFile("GITHUB_ENV")).toEqual({
      AWS_ACCESS_KEY_ID: CREDS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDS.secretAccessKey,
      AWS_SESSION_TOKEN: CREDS.sessionToken,
      AWS_REGION: "eu-west-1",
      AWS_DEFAULT_REGION: "eu-west-1",
    });
    const state = JSON.parse(runnerFile("GITHUB_STATE").cleanup ?? "{}");
    // Secrets are cleared, never saved; the region the job had before comes back.
    expect(state.env).toEqual({
      AWS_ACCESS_KEY_ID: "",
      AWS_SECRET_ACCESS_KEY: "",
      AWS_SESSION_TOKEN: "",
      AWS_REGION: "us-east-2",
      AWS_DEFAULT_REGION: "",
    });
    expect(readFileSync(join(dir, "GITHUB_STATE"), "utf8")).not.toContain(CREDS.secretAccessKey);
  });

  it("exports only the Region with output-env-credentials: false, and clears a stale session token for long-term keys", () => {
    exportCredentials(CREDS, "eu-west-1", {}, false);
    expect(runnerFile("GITHUB_ENV")).toEqual({ AWS_REGION: "eu-west-1", AWS_DEFAULT_REGION: "eu-west-1" });
    writeFileSync(join(dir, "GITHUB_ENV"), "");
    const { sessionToken: _none, ...longTerm } = CREDS;
    exportCredentials(longTerm, "eu-west-1", { AWS_SESSION_TOKEN: "old" });
    expect(runnerFile("GITHUB_ENV").AWS_SESSION_TOKEN).toBe("");
  });

  it("unset-current-credentials empties only the credential variables that are set", () => {
    expect(unsetCredentials({ AWS_ACCESS_KEY_ID: "A", AWS_SECRET_ACCESS_KEY: "B", AWS_REGION: "x" })).toEqual([
      "AWS_ACCESS_KEY_ID",
      "AWS_SECRET_ACCESS_KEY",
    ]);
    expect(runnerFile("GITHUB_ENV")).toEqual({ AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "" });
  });

  it("sets outputs, credentials only with output-credentials, expiration as plain ISO 8601", () => {
    setCredentialOutputs(CREDS, { outputCredentials: false });
    expect(runnerFile("GITHUB_OUTPUT")).toEqual({
      "aws-account-id": CREDS.accountId,
      "authenticated-arn": CREDS.assumedRoleArn,
    });
    setCredentialOutputs(CREDS, { outputCredentials: true });
    expect(runnerFile("GITHUB_OUTPUT")).toMatchObject({
      "aws-access-key-id": CREDS.accessKeyId,
      "aws-secret-access-key": CREDS.secretAccessKey,
      "aws-session-token": CREDS.sessionToken,
      "aws-expiration": "2026-11-22T12:00:00.000Z",
    });
  });

  it("undoes exactly the recorded exports in the post step", () => {
    process.env.STATE_cleanup = JSON.stringify({ env: { AWS_SESSION_TOKEN: "", AWS_REGION: "us-east-2" } });
    const state = readCleanupState();
    expect(state).toBeDefined();
    expect(undoExports(state!)).toEqual(["AWS_SESSION_TOKEN", "AWS_REGION"]);
    expect(runnerFile("GITHUB_ENV")).toEqual({ AWS_SESSION_TOKEN: "", AWS_REGION: "us-east-2" });
  });

  it("finds no state when the main step exported nothing", () => {
    delete process.env.STATE_cleanup;
    expect(readCleanupState()).toBeUndefined();
  });
});
