import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Fault } from "./faults.js";
import { send } from "./http.js";
import type { Sts } from "./sts.js";

/** The sandbox STS's other doors: the console federation endpoint, the IAM Identity Center portal, and its test controls. */

/** The SSO portal's GetRoleCredentials: GET /federation/credentials with x-amz-sso_bearer_token. */
export function ssoRoleCredentials(sts: Sts, req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? "/", "http://sandbox");
  const login = sts.ssoLogins.get(String(req.headers["x-amz-sso_bearer_token"] ?? ""));
  const fail = (status: number, type: string, message: string) => {
    res
      .writeHead(status, { "content-type": "application/json", "x-amzn-errortype": type })
      .end(JSON.stringify({ message }));
  };
  if (!login) return fail(401, "UnauthorizedException", "Session token not found or invalid");
  const accountId = url.searchParams.get("account_id") ?? "";
  const roleName = url.searchParams.get("role_name") ?? "";
  if (accountId !== login.accountId || !login.roles.includes(roleName))
    return fail(403, "ForbiddenException", "No access");
  const session = sts.issue(
    { RoleArn: `arn:aws:iam::${accountId}:role/${roleName}`, RoleSessionName: "sso-user", DurationSeconds: "3600" },
    [],
  );
  send(
    res,
    200,
    "application/json",
    JSON.stringify({
      roleCredentials: {
        accessKeyId: session.accessKeyId,
        secretAccessKey: session.secretAccessKey,
        sessionToken: session.sessionToken,
        expiration: session.expiration.getTime(),
      },
    }),
  );
}

/**
 * The console federation endpoint: getSigninToken (GET or POST, Session JSON of temporary
 * credentials) answers {"SigninToken"}; login with a valid token redirects to Destination.
 */
export function federation(sts: Sts, req: IncomingMessage, body: string, res: ServerResponse): void {
  const url = new URL(req.url ?? "/", "http://sandbox");
  const params = req.method === "POST" ? new URLSearchParams(body) : url.searchParams;
  if (params.get("Action") === "getSigninToken") {
    let session: { sessionId?: string; sessionKey?: string; sessionToken?: string } = {};
    try {
      session = JSON.parse(params.get("Session") ?? "{}") as typeof session;
    } catch {
      return send(res, 400, "text/plain", "bad Session\n");
    }
    const known = sts.sessions.get(session.sessionId ?? "");
    const duration = params.get("SessionDuration");
    const valid =
      known &&
      known.sessionToken &&
      known.secretAccessKey === session.sessionKey &&
      known.sessionToken === session.sessionToken &&
      known.expiration.getTime() > Date.now();
    if (!valid || (duration !== null && !/^[0-9]+$/.test(duration)))
      return send(res, 400, "text/plain", "invalid credentials\n");
    const token = randomBytes(32).toString("base64url");
    sts.signinTokens.set(token, known);
    return send(res, 200, "application/json", JSON.stringify({ SigninToken: token }));
  }
  if (
    params.get("Action") === "login" &&
    sts.signinTokens.has(params.get("SigninToken") ?? "") &&
    params.get("Destination")
  ) {
    res.writeHead(302, { location: params.get("Destination") ?? "/" }).end();
    return;
  }
  send(res, 400, "text/plain", "bad federation request\n");
}

/**
 * The fault knobs and request log over HTTP, for tests in another process (the shell
 * script's bats tests): POST /_sandbox/fault {"fault": {...}, "times": n}, POST
 * /_sandbox/reset, GET /_sandbox/requests.
 */
export function sandboxControl(sts: Sts, url: string, body: string, res: ServerResponse): void {
  if (url === "/_sandbox/fault") {
    const { fault, times } = JSON.parse(body) as { fault: Fault; times?: number };
    sts.faults.add(fault, times ?? 1);
  } else if (url === "/_sandbox/reset") {
    sts.faults.clear();
    sts.requests.length = 0;
  } else if (url !== "/_sandbox/requests") {
    return send(res, 404, "text/plain", "unknown control\n");
  }
  send(res, 200, "application/json", JSON.stringify({ requests: sts.requests.map((r) => r.action) }));
}
