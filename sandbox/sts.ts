import { randomBytes, randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { JsonWebKey } from "node:crypto";
import { applyTransportFault, FaultPlan } from "./faults.js";
import { listenLocal, readBody, send, type LocalServer } from "./http.js";
import { decodeJwt, verifySignature, type Claims } from "./jwt.js";

/** An IAM OIDC identity provider registered in the emulated account. */
export interface OidcProvider {
  url: string;
  audiences: string[];
}

/** A role's trust conditions: StringEquals on `aud`, StringLike (`*`, `?`) on `sub`. */
export interface TrustRule {
  aud?: string;
  sub?: string;
}

export interface StsOptions {
  providers: OidcProvider[];
  /** Role ARN → trust rule. Unset: every well-formed role trusts every registered provider. */
  roles?: Record<string, TrustRule>;
}

export interface IssuedSession {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  arn: string;
  accountId: string;
  expiration: Date;
}

export interface StsRequest {
  action: string;
  params: Record<string, string>;
}

const NS = "https://sts.amazonaws.com/doc/2011-06-15/";
const ROLE_ARN = /^arn:aws[a-z-]*:iam::([0-9]{12}):role\/(?:[\x21-\x7e]*\/)?([\w+=,.@-]{1,64})$/;
const SESSION_NAME = /^[\w+=,.@-]*$/;

class StsFault extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/**
 * A strict STS on the Query protocol: validates parameters as STS documents them,
 * verifies web identity tokens against the issuer's JWKS (fetched over HTTP through
 * discovery, as STS does), and answers in STS's XML.
 */
export class Sts {
  readonly faults = new FaultPlan();
  readonly requests: StsRequest[] = [];
  readonly sessions = new Map<string, IssuedSession>();
  private server?: LocalServer;
  private readonly jwks = new Map<string, JsonWebKey[]>();

  constructor(readonly options: StsOptions) {}

  get url(): string {
    if (!this.server) throw new Error("sts not started");
    return this.server.url;
  }

  async start(): Promise<this> {
    this.server = await listenLocal((req, res) => void this.handle(req, res));
    return this;
  }

  async stop(): Promise<void> {
    await this.server?.stop();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const params = Object.fromEntries(
      new URLSearchParams(req.method === "POST" ? body : (req.url ?? "").split("?")[1]),
    );
    const action = params.Action ?? "";
    this.requests.push({ action, params });
    const fault = this.faults.take();
    if (fault && (await applyTransportFault(fault, res))) return;
    if (fault?.kind === "truncated") {
      return send(
        res,
        200,
        "text/xml",
        `<${action}Response xmlns="${NS}"><${action}Result><Credentials><AccessKeyId>ASIA`,
      );
    }
    try {
      if (fault?.kind === "error")
        throw new StsFault(
          fault.code,
          fault.message ?? `Injected ${fault.code}`,
          fault.status ?? statusFor(fault.code),
        );
      if (req.method !== "POST" && req.method !== "GET") throw new StsFault("InvalidAction", "Use POST.", 400);
      if (params.Version !== "2011-06-15")
        throw new StsFault(
          "InvalidAction",
          `Could not find operation ${action} for version ${params.Version ?? "NO_VERSION_SPECIFIED"}`,
        );
      const xml = await this.dispatch(action, params, req);
      send(res, 200, "text/xml", xml);
    } catch (error) {
      const f = error instanceof StsFault ? error : new StsFault("InternalFailure", String(error), 500);
      send(res, f.status, "text/xml", errorXml(f));
    }
  }

  private dispatch(action: string, params: Record<string, string>, req: IncomingMessage): Promise<string> | string {
    switch (action) {
      case "AssumeRoleWithWebIdentity":
        return this.assumeRoleWithWebIdentity(params);
      case "GetCallerIdentity":
        return this.getCallerIdentity(req);
      default:
        throw new StsFault("InvalidAction", `Could not find operation ${action} for version 2011-06-15`);
    }
  }

  private async assumeRoleWithWebIdentity(p: Record<string, string>): Promise<string> {
    const problems = validateWebIdentityParams(p);
    if (problems.length) {
      throw new StsFault(
        "ValidationError",
        `${problems.length} validation error${problems.length > 1 ? "s" : ""} detected: ${problems.join("; ")}`,
      );
    }
    const roleArn = p.RoleArn ?? "";
    const token = p.WebIdentityToken ?? "";
    const claims = await this.verifyToken(token);
    const rule = this.options.roles ? this.options.roles[roleArn] : {};
    if (
      !rule ||
      (rule.aud !== undefined && rule.aud !== claims.aud) ||
      (rule.sub !== undefined && !globMatch(rule.sub, String(claims.sub)))
    ) {
      throw new StsFault("AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity", 403);
    }
    const [, accountId = "", roleName = ""] = ROLE_ARN.exec(roleArn) ?? [];
    const duration = Number(p.DurationSeconds ?? "3600");
    const session = this.issue(
      `arn:aws:sts::${accountId}:assumed-role/${roleName}/${p.RoleSessionName}`,
      accountId,
      duration,
    );
    return `<AssumeRoleWithWebIdentityResponse xmlns="${NS}">
  <AssumeRoleWithWebIdentityResult>
    <Audience>${esc(String(claims.aud))}</Audience>
    <AssumedRoleUser>
      <AssumedRoleId>AROA${randomId(17)}:${esc(p.RoleSessionName ?? "")}</AssumedRoleId>
      <Arn>${esc(session.arn)}</Arn>
    </AssumedRoleUser>
    <Provider>${esc(String(claims.iss).replace(/^https?:\/\//, ""))}</Provider>
    <Credentials>
      <AccessKeyId>${session.accessKeyId}</AccessKeyId>
      <SecretAccessKey>${session.secretAccessKey}</SecretAccessKey>
      <SessionToken>${session.sessionToken}</SessionToken>
      <Expiration>${session.expiration.toISOString().replace(/\.\d{3}Z$/, "Z")}</Expiration>
    </Credentials>
    <SubjectFromWebIdentityToken>${esc(String(claims.sub))}</SubjectFromWebIdentityToken>
  </AssumeRoleWithWebIdentityResult>
  <ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata>
</AssumeRoleWithWebIdentityResponse>
`;
  }

  /** Identifies the caller by the access key and session token of a SigV4 request. */
  private getCallerIdentity(req: IncomingMessage): string {
    const credential = /Credential=([A-Z0-9]+)\//.exec(req.headers.authorization ?? "")?.[1];
    const session = credential ? this.sessions.get(credential) : undefined;
    if (!session || req.headers["x-amz-security-token"] !== session.sessionToken) {
      throw new StsFault("InvalidClientTokenId", "The security token included in the request is invalid.", 403);
    }
    if (session.expiration.getTime() < Date.now())
      throw new StsFault("ExpiredToken", "The security token included in the request is expired", 403);
    return `<GetCallerIdentityResponse xmlns="${NS}">
  <GetCallerIdentityResult>
    <Arn>${esc(session.arn)}</Arn>
    <UserId>AROA${randomId(17)}:${esc(session.arn.split("/").pop() ?? "")}</UserId>
    <Account>${session.accountId}</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata>
</GetCallerIdentityResponse>
`;
  }

  private async verifyToken(token: string): Promise<Claims> {
    const jwt = decodeJwt(token);
    if (!jwt)
      throw new StsFault(
        "InvalidIdentityToken",
        "The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)",
      );
    const { claims } = jwt;
    const iss = String(claims.iss ?? "");
    const provider = this.options.providers.find((p) => p.url === iss);
    if (!provider)
      throw new StsFault("InvalidIdentityToken", `No OpenIDConnect provider found in your account for ${iss}`);
    const audiences = Array.isArray(claims.aud) ? claims.aud.map(String) : [String(claims.aud)];
    if (!audiences.some((a) => provider.audiences.includes(a)))
      throw new StsFault("InvalidIdentityToken", "Incorrect token audience");
    const keys = await this.fetchJwks(iss);
    if (!verifySignature(jwt, keys))
      throw new StsFault("InvalidIdentityToken", "Couldn't verify the signature of the web identity token");
    const now = Date.now() / 1000;
    if (typeof claims.exp !== "number" || claims.exp <= now) {
      throw new StsFault(
        "ExpiredTokenException",
        "Token expired: current date/time must be before the expiration date/time",
      );
    }
    if (typeof claims.nbf === "number" && claims.nbf > now + 60)
      throw new StsFault("InvalidIdentityToken", "Token is not yet valid");
    return claims;
  }

  private async fetchJwks(issuer: string): Promise<JsonWebKey[]> {
    const cached = this.jwks.get(issuer);
    if (cached) return cached;
    try {
      const discovery = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as {
        jwks_uri: string;
      };
      const { keys } = (await (await fetch(discovery.jwks_uri)).json()) as { keys: JsonWebKey[] };
      this.jwks.set(issuer, keys);
      return keys;
    } catch {
      throw new StsFault(
        "InvalidIdentityToken",
        "Couldn't retrieve verification key from your identity provider, please reference AssumeRoleWithWebIdentity documentation for requirements",
      );
    }
  }

  private issue(arn: string, accountId: string, durationSeconds: number): IssuedSession {
    const session: IssuedSession = {
      accessKeyId: `ASIA${randomId(16)}`,
      secretAccessKey: randomBytes(30).toString("base64"),
      sessionToken: `IQoJb3JpZ2luX2VjE${randomBytes(300).toString("base64")}`,
      arn,
      accountId,
      expiration: new Date(Math.floor(Date.now() / 1000 + durationSeconds) * 1000),
    };
    this.sessions.set(session.accessKeyId, session);
    return session;
  }
}

function validateWebIdentityParams(p: Record<string, string>): string[] {
  const problems: string[] = [];
  const check = (member: string, value: string | undefined, ok: (v: string) => boolean, constraint: string) => {
    if (value === undefined)
      problems.push(`Value null at '${member}' failed to satisfy constraint: Member must not be null`);
    else if (!ok(value))
      problems.push(
        `Value '${member === "webIdentityToken" ? "***" : value}' at '${member}' failed to satisfy constraint: ${constraint}`,
      );
  };
  check(
    "roleArn",
    p.RoleArn,
    (v) => v.length >= 20 && v.length <= 2048 && ROLE_ARN.test(v),
    "Member must be a valid IAM role ARN of length between 20 and 2048",
  );
  check(
    "roleSessionName",
    p.RoleSessionName,
    (v) => v.length >= 2 && v.length <= 64 && SESSION_NAME.test(v),
    "Member must have length between 2 and 64 and satisfy regular expression pattern: [\\w+=,.@-]*",
  );
  check(
    "webIdentityToken",
    p.WebIdentityToken,
    (v) => v.length >= 4 && v.length <= 20000,
    "Member must have length between 4 and 20000",
  );
  if (p.DurationSeconds !== undefined) {
    const d = Number(p.DurationSeconds);
    if (!Number.isInteger(d) || d < 900 || d > 43200)
      problems.push(
        `Value '${p.DurationSeconds}' at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200`,
      );
  }
  return problems;
}

function statusFor(code: string): number {
  if (code === "AccessDenied") return 403;
  if (code === "ServiceUnavailable") return 503;
  if (code === "InternalFailure") return 500;
  return 400;
}

function errorXml(f: StsFault): string {
  const type = f.status >= 500 ? "Receiver" : "Sender";
  return `<ErrorResponse xmlns="${NS}">
  <Error>
    <Type>${type}</Type>
    <Code>${esc(f.code)}</Code>
    <Message>${esc(f.message)}</Message>
  </Error>
  <RequestId>${randomUUID()}</RequestId>
</ErrorResponse>
`;
}

function globMatch(pattern: string, value: string): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${re}$`).test(value);
}

function esc(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
function randomId(length: number): string {
  return Array.from(randomBytes(length), (b) => ALPHABET[b % 32]).join("");
}
