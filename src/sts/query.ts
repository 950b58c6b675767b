import * as http from "node:http";
import * as https from "node:https";
import { collectBody } from "../net/body.js";
import { agentFor } from "../net/proxy.js";
import { VERSION } from "../version.js";

/**
 * STS's Query API for the one call that needs no signature: AssumeRoleWithWebIdentity is a
 * form POST whose only proof is the token in its body, and an XML document back. Making it
 * here, with Node's HTTP client and the same proxy agent, keeps the AWS SDK — whose loading
 * and first request cost more than the rest of the action together — off the path every run
 * takes. Signed calls (AssumeRole, GetCallerIdentity) still go through the SDK.
 */

const STS_API_VERSION = "2011-06-15";
/** STS answers AssumeRoleWithWebIdentity in about 1.5 KB; anything this big is not STS. */
const MAX_BODY_BYTES = 1024 * 1024;

export interface QueryAnswer {
  readonly status: number;
  readonly body: string;
}

/** POSTs `Action=…&Version=…&params` to `url`; resolves with any HTTP answer, rejects on network errors. */
export function postQuery(
  url: string,
  action: string,
  params: Readonly<Record<string, string>>,
  signal: AbortSignal,
): Promise<QueryAnswer> {
  // Percent-encoded as the SDKs and the AWS CLI send it (%20, never "+", for a space).
  const body = Object.entries({ Action: action, Version: STS_API_VERSION, ...params })
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join("&");
  const target = new URL(url);
  const client = target.protocol === "http:" ? http : https;
  return new Promise((resolve, reject) => {
    const request = client.request(
      target,
      {
        method: "POST",
        agent: agentFor(url),
        signal,
        headers: {
          "content-type": "application/x-www-form-urlencoded; charset=utf-8",
          "content-length": Buffer.byteLength(body),
          "user-agent": `aws-oidc/${VERSION}`,
        },
      },
      (response) =>
        collectBody(response, MAX_BODY_BYTES).then(
          (bytes) => resolve({ status: response.statusCode ?? 0, body: Buffer.from(bytes).toString("utf8") }),
          reject,
        ),
    );
    request.once("error", reject);
    request.end(body);
  });
}

/** The credential fields of an STS answer (any may be missing from a broken one). */
export interface StsAnswer {
  readonly accessKeyId?: string;
  readonly secretAccessKey?: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
  readonly assumedRoleArn?: string;
}

/**
 * Reads a successful answer. Throws a SyntaxError (a broken answer, worth another attempt)
 * when the document is cut off or is not STS's; missing fields are left for the caller.
 */
export function parseWebIdentityResult(xml: string): StsAnswer {
  const root = element(xml, "AssumeRoleWithWebIdentityResponse");
  const result = root === undefined ? undefined : element(root, "AssumeRoleWithWebIdentityResult");
  if (result === undefined) throw syntaxError("not an AssumeRoleWithWebIdentity response (or cut off)");
  const credentials = element(result, "Credentials") ?? "";
  const user = element(result, "AssumedRoleUser") ?? "";
  const expires = text(credentials, "Expiration");
  const expiration = expires === undefined ? undefined : new Date(expires);
  if (expiration && Number.isNaN(expiration.getTime())) throw syntaxError("an Expiration that is not a date");
  return {
    ...optional("accessKeyId", text(credentials, "AccessKeyId")),
    ...optional("secretAccessKey", text(credentials, "SecretAccessKey")),
    ...optional("sessionToken", text(credentials, "SessionToken")),
    ...optional("expiration", expiration),
    ...optional("assumedRoleArn", text(user, "Arn")),
  };
}

/** An error as the SDK would have raised it, for toStsError: STS's code and message, and the HTTP status. */
export interface QueryFailure {
  readonly name: string;
  readonly message: string;
  readonly $metadata: { readonly httpStatusCode: number };
}

/**
 * Reads an error answer: STS's `<Error><Code>…<Message>…` document. An answer without one
 * (a proxy's HTML page, an empty 503) becomes a SyntaxError carrying the status.
 */
export function parseQueryError(status: number, xml: string): QueryFailure {
  const error = element(xml, "Error");
  const code = error === undefined ? undefined : text(error, "Code");
  if (error === undefined || !code) {
    return { name: "SyntaxError", message: "not an STS error document", $metadata: { httpStatusCode: status } };
  }
  return { name: code, message: text(error, "Message") ?? "", $metadata: { httpStatusCode: status } };
}

function syntaxError(message: string): Error {
  return Object.assign(new Error(`XML parse error: ${message}`), { name: "SyntaxError" });
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** The content of the first `<name>` element (STS puts no attributes but xmlns on its elements). */
function element(xml: string, name: string): string | undefined {
  const open = new RegExp(`<${name}(?:\\s[^>]*)?>`).exec(xml);
  if (!open) return undefined;
  const start = open.index + open[0].length;
  const end = xml.indexOf(`</${name}>`, start);
  return end < 0 ? undefined : xml.slice(start, end);
}

/** The text of a leaf element, with XML's escapes undone. */
function text(xml: string, name: string): string | undefined {
  const content = element(xml, name);
  return content === undefined ? undefined : unescapeXml(content.trim());
}

const NAMED: Readonly<Record<string, string>> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

export function unescapeXml(value: string): string {
  return value.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);/g, (whole, ref: string) => {
    if (ref[0] !== "#") return NAMED[ref] ?? whole;
    const point = ref[1] === "x" ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    return point <= 0x10ffff ? String.fromCodePoint(point) : whole;
  });
}
