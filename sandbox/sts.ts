import { randomBytes, randomUUID, type JsonWebKey } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { applyTransportFault, FaultPlan } from "./faults.js";
import { listenLocal, readBody, send, type LocalServer } from "./http.js";
import { decodeJwt, verifySignature, type Claims } from "./jwt.js";
import { federation, sandboxControl, ssoRoleCredentials } from "./portals.js";
import { verifySigV4 } from "./sigv4.js";
import { credentialsXml, errorXml, esc, NS, randomId } from "./sts-xml.js";
import { ROLE_ARN, tagsParam, validateAssumeRole, validateWebIdentity, type Tag } from "./sts-rules.js";

/** An IAM OIDC identity provider registered in the emulated account. */
export interface OidcProvider {
  url: string;
  audiences: string[];
}

/** A role's trust: StringEquals on `aud`, StringLike (`*`, `?`) on `sub`, the external id AssumeRole must send. */
export interface TrustRule {
  aud?: string;
  sub?: string;
  externalId?: string;
}

export interface StsOptions {
  providers: OidcProvider[];
  /** Role ARN → trust rule. Unset: every well-formed role trusts every registered provider and caller. */
  roles?: Record<string, TrustRule>;
  /** AssumeRole with more session tags than this fails with PackedPolicyTooLarge. */
  maxPackedTags?: number;
}

export interface IssuedSession {
  accessKeyId: string;
  secretAccessKey: string;
  /** Absent for a long-term IAM user key. */
  sessionToken?: string;
  arn: string;
  accountId: string;
  expiration: Date;
  tags: Tag[];
}

export interface StsRequest {
  action: string;
  params: Record<string, string>;
  /** The ARN of the SigV4-authenticated caller, for signed actions. */
  caller?: string;
}

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
 * A strict STS on the Query protocol: validates parameters as STS documents them, verifies
 * web identity tokens against the issuer's JWKS (fetched through discovery, as STS does),
 * verifies SigV4 signatures of signed actions, and answers in STS's XML.
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

  /** IAM Identity Center logins: access token → the account and the roles it may use. */
  readonly ssoLogins = new Map<string, { accountId: string; roles: string[] }>();

  /** An SSO login, as `aws sso login` caches it: returns its access token. */
  addSsoLogin(accountId: string, roles: string[]): string {
    const token = `aoa${randomBytes(40).toString("base64url")}`;
    this.ssoLogins.set(token, { accountId, roles });
    return token;
  }

  /** Sign-in tokens handed out by the federation endpoint, and the sessions they stand for. */
  readonly signinTokens = new Map<string, IssuedSession>();

  /** A long-term IAM user key (for access-key sources). */
  addUser(arn: string): IssuedSession {
    const user: IssuedSession = {
      accessKeyId: `AKIA${randomId(16)}`,
      secretAccessKey: randomBytes(30).toString("base64"),
      arn,
      accountId: arn.split(":")[4] ?? "",
      expiration: new Date(Date.now() + 365 * 86400_000),
      tags: [],
    };
    this.sessions.set(user.accessKeyId, user);
    return user;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    if ((req.url ?? "").startsWith("/_sandbox/")) return sandboxControl(this, req.url ?? "", body, res);
    if ((req.url ?? "").startsWith("/federation/credentials")) return ssoRoleCredentials(this, req, res);
    if ((req.url ?? "").startsWith("/federation")) return federation(this, req, body, res);
    const params = Object.fromEntries(
      new URLSearchParams(req.method === "POST" ? body : (req.url ?? "").split("?")[1]),
    );
    const action = params.Action ?? "";
    const record: StsRequest = { action, params };
    this.requests.push(record);
    const fault = this.faults.take();
    if (fault && (await applyTransportFault(fault, res))) return;
    if (fault?.kind === "truncated")
      return send(
        res,
        200,
        "text/xml",
        `<${action}Response xmlns="${NS}"><${action}Result><Credentials><AccessKeyId>ASIA`,
      );
    try {
      if (fault?.kind === "error")
        throw new StsFault(
          fault.code,
          fault.message ?? `Injected ${fault.code}`,
          fault.status ?? statusFor(fault.code),
        );
      if (params.Version !== "2011-06-15")
        throw new StsFault(
          "InvalidAction",
          `Could not find operation ${action} for version ${params.Version ?? "NO_VERSION_SPECIFIED"}`,
        );
      let xml: string;
      if (action === "AssumeRoleWithWebIdentity") xml = await this.assumeRoleWithWebIdentity(params);
      else if (action === "AssumeRole" || action === "GetCallerIdentity") {
        const caller = await this.authenticate(req, body);
        record.caller = caller.arn;
        xml = action === "AssumeRole" ? this.assumeRole(params, caller) : this.callerIdentity(caller);
      } else throw new StsFault("InvalidAction", `Could not find operation ${action} for version 2011-06-15`);
      send(res, 200, "text/xml", xml);
    } catch (error) {
      const f = error instanceof StsFault ? error : new StsFault("InternalFailure", String(error), 500);
      send(res, f.status, "text/xml", errorXml(f));
    }
  }

  private async assumeRoleWithWebIdentity(p: Record<string, string>): Promise<string> {
    failOnProblems(validateWebIdentity(p));
    const claims = await this.verifyToken(p.WebIdentityToken ?? "");
    const rule = this.rule(p.RoleArn ?? "");
    if (
      !rule ||
      (rule.aud !== undefined && rule.aud !== claims.aud) ||
      (rule.sub !== undefined && !globMatch(rule.sub, String(claims.sub)))
    ) {
      throw new StsFault("AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity", 403);
    }
    const session = this.issue(p, []);
    const extra = `<SubjectFromWebIdentityToken>${esc(String(claims.sub))}</SubjectFromWebIdentityToken><Audience>${esc(String(claims.aud))}</Audience><Provider>${esc(String(claims.iss).replace(/^https?:\/\//, ""))}</Provider>`;
    return credentialsXml("AssumeRoleWithWebIdentity", session, p.RoleSessionName ?? "", extra);
  }

  private assumeRole(p: Record<string, string>, caller: IssuedSession): string {
    failOnProblems(validateAssumeRole(p, caller.sessionToken !== undefined && caller.arn.includes(":assumed-role/")));
    const rule = this.rule(p.RoleArn ?? "");
    if (!rule || (rule.externalId !== undefined && rule.externalId !== p.ExternalId)) {
      throw new StsFault(
        "AccessDenied",
        `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${p.RoleArn}`,
        403,
      );
    }
    const tags = tagsParam(p);
    if (this.options.maxPackedTags !== undefined && tags.length > this.options.maxPackedTags) {
      throw new StsFault(
        "PackedPolicyTooLarge",
        `Serialized token too large for session. It exceeds the packed size limit by ${tags.length - this.options.maxPackedTags}%.`,
      );
    }
    return credentialsXml("AssumeRole", this.issue(p, tags), p.RoleSessionName ?? "", "");
  }

  private callerIdentity(caller: IssuedSession): string {
    return `<GetCallerIdentityResponse xmlns="${NS}"><GetCallerIdentityResult><Arn>${esc(caller.arn)}</Arn><UserId>AROA${randomId(17)}</UserId><Account>${caller.accountId}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`;
  }

  /** Checks the SigV4 signature with the caller's secret key, then its session token and expiry. */
  private async authenticate(req: IncomingMessage, body: string): Promise<IssuedSession> {
    const result = await verifySigV4(req, body, (id) => this.sessions.get(id));
    if ("problem" in result) {
      const code = result.problem.startsWith("unknown access key") ? "InvalidClientTokenId" : "SignatureDoesNotMatch";
      const message =
        code === "InvalidClientTokenId"
          ? "The security token included in the request is invalid."
          : `The request signature we calculated does not match the signature you provided (${result.problem}).`;
      throw new StsFault(code, message, 403);
    }
    const session = this.sessions.get(result.accessKeyId);
    if (!session || req.headers["x-amz-security-token"] !== session.sessionToken)
      throw new StsFault("InvalidClientTokenId", "The security token included in the request is invalid.", 403);
    if (session.expiration.getTime() < Date.now())
      throw new StsFault("ExpiredToken", "The security token included in the request is expired", 403);
    return session;
  }

  private rule(roleArn: string): TrustRule | undefined {
    return this.options.roles ? this.options.roles[roleArn] : {};
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
    if (!verifySignature(jwt, await this.fetchJwks(iss)))
      throw new StsFault("InvalidIdentityToken", "Couldn't verify the signature of the web identity token");
    const now = Date.now() / 1000;
    if (typeof claims.exp !== "number" || claims.exp <= now)
      throw new StsFault(
        "ExpiredTokenException",
        "Token expired: current date/time must be before the expiration date/time",
      );
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

  issue(p: Record<string, string>, tags: Tag[]): IssuedSession {
    const [, accountId = "", roleName = ""] = ROLE_ARN.exec(p.RoleArn ?? "") ?? [];
    const session: IssuedSession = {
      accessKeyId: `ASIA${randomId(16)}`,
      secretAccessKey: randomBytes(30).toString("base64"),
      sessionToken: `IQoJb3JpZ2luX2VjE${randomBytes(300).toString("base64")}`,
      arn: `arn:aws:sts::${accountId}:assumed-role/${roleName}/${p.RoleSessionName}`,
      accountId,
      expiration: new Date(Math.floor(Date.now() / 1000 + Number(p.DurationSeconds ?? "3600")) * 1000),
      tags,
    };
    this.sessions.set(session.accessKeyId, session);
    return session;
  }
}

function failOnProblems(problems: string[]): void {
  if (problems.length)
    throw new StsFault(
      "ValidationError",
      `${problems.length} validation error${problems.length > 1 ? "s" : ""} detected: ${problems.join("; ")}`,
    );
}

function statusFor(code: string): number {
  if (code === "AccessDenied") return 403;
  if (code === "ServiceUnavailable") return 503;
  if (code === "InternalFailure") return 500;
  return 400;
}

function globMatch(pattern: string, value: string): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${re}$`).test(value);
}
