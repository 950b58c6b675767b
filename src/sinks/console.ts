import { HttpClient } from "@actions/http-client";
import { InputError, SinkError } from "../errors.js";
import type { AssumedCredentials } from "../sts/credentials.js";

/**
 * An AWS console sign-in URL from temporary credentials, through the federation endpoint:
 * getSigninToken, then the `login` URL with a destination and an issuer. Partition-aware.
 * The URL signs its holder in: it is a secret for its 15 minutes.
 */

const FEDERATION: Record<string, { signin: string; console: string }> = {
  aws: { signin: "https://signin.aws.amazon.com/federation", console: "https://console.aws.amazon.com/" },
  "aws-cn": { signin: "https://signin.amazonaws.cn/federation", console: "https://console.amazonaws.cn/" },
  "aws-us-gov": {
    signin: "https://signin.amazonaws-us-gov.com/federation",
    console: "https://console.amazonaws-us-gov.com/",
  },
};

export interface ConsoleOptions {
  readonly partition: string;
  /** Where the console opens; default the partition's console home. */
  readonly destination?: string;
  /** Shown by AWS as where the user came from. */
  readonly issuer: string;
  /** 900-43200 s; only for credentials from AssumeRole(WithWebIdentity), not chained ones. */
  readonly sessionDuration?: number;
  /** Federation endpoint override (tests, partitions without a public console). */
  readonly endpoint?: string;
  readonly timeoutMs: number;
}

export function federationFor(partition: string): { signin: string; console: string } {
  const found = FEDERATION[partition];
  if (!found)
    throw new InputError(
      "--region",
      `partition '${partition}' has no public console sign-in.`,
      `Console sign-in works in: ${Object.keys(FEDERATION).join(", ")}.`,
    );
  return found;
}

export async function consoleSigninUrl(credentials: AssumedCredentials, options: ConsoleOptions): Promise<string> {
  if (!credentials.sessionToken || credentials.accessKeyId.startsWith("AKIA")) {
    throw new SinkError(
      "Console sign-in needs temporary credentials; long-term access keys are refused.",
      "Assume a role first (this command does, given --role-arn).",
    );
  }
  const federation = federationFor(options.partition);
  const endpoint = options.endpoint ?? federation.signin;
  // POSTed, not put in a GET's URL: the credentials stay out of proxy and server URL logs.
  const form = new URLSearchParams({ Action: "getSigninToken" });
  if (options.sessionDuration !== undefined) form.set("SessionDuration", String(options.sessionDuration));
  form.set(
    "Session",
    JSON.stringify({
      sessionId: credentials.accessKeyId,
      sessionKey: credentials.secretAccessKey,
      sessionToken: credentials.sessionToken,
    }),
  );

  const client = new HttpClient("aws-oidc", [], {
    allowRetries: false,
    socketTimeout: options.timeoutMs,
    keepAlive: false,
  });
  let signinToken: unknown;
  try {
    const response = await client.post(endpoint, form.toString(), {
      accept: "application/json",
      "content-type": "application/x-www-form-urlencoded",
    });
    const status = response.message.statusCode ?? 0;
    const body = await response.readBody();
    if (status !== 200) {
      throw new SinkError(
        `The federation endpoint refused the credentials (HTTP ${status}).`,
        status === 400 && options.sessionDuration !== undefined
          ? "Credentials from role chaining cannot use --session-duration: drop it."
          : "Check that the credentials are temporary and not expired.",
      );
    }
    signinToken = (JSON.parse(body) as { SigninToken?: unknown }).SigninToken;
  } catch (error) {
    if (error instanceof SinkError) throw error;
    throw new SinkError(
      `Could not get a sign-in token from ${endpoint}: ${(error as Error).message}.`,
      "Check network access and any proxy.",
    );
  } finally {
    client.dispose();
  }
  if (typeof signinToken !== "string" || signinToken === "")
    throw new SinkError("The federation endpoint answered without a SigninToken.");
  const login = new URL(endpoint);
  login.searchParams.set("Action", "login");
  login.searchParams.set("Issuer", options.issuer);
  login.searchParams.set("Destination", options.destination ?? federation.console);
  login.searchParams.set("SigninToken", signinToken);
  return login.toString();
}
