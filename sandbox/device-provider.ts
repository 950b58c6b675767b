import { createServer, type Server } from "node:http";
import type { Socket } from "node:net";
import Provider from "oidc-provider";

/**
 * A certified OpenID provider (oidc-provider) on 127.0.0.1 with the device authorization grant
 * enabled, and a scripted user who completes the device step through its real pages
 * (device code form, login, consent) — for `aws-oidc login` tests.
 */
export interface DeviceProvider {
  issuer: string;
  clientId: string;
  provider: Provider;
  /** Acts as the user: enters the code, signs in as `user`, and approves (or denies). */
  approve(userCode: string, user?: string, decision?: "approve" | "deny"): Promise<void>;
  /** Answers the next `times` token polls with slow_down. */
  slowDown(times: number): void;
  stop(): Promise<void>;
}

export const DEVICE_CLIENT_ID = "aws-oidc-cli";

let quieted = false;
/** oidc-provider reminds every start that its quick-start adapter and keys are for development: true here, and noise in test output. Installed once. */
function quietProviderNotices(): void {
  if (quieted) return;
  quieted = true;
  const warn = console.warn;
  console.warn = (...args: unknown[]) => (String(args[0]).startsWith("oidc-provider") ? undefined : warn(...args));
}

export async function startDeviceProvider(
  options: { idTokenTtl?: number; deviceCodeTtl?: number } = {},
): Promise<DeviceProvider> {
  const server: Server = createServer();
  const sockets = new Set<Socket>();
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("no address");
  const issuer = `http://127.0.0.1:${address.port}`;
  quietProviderNotices();
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: DEVICE_CLIENT_ID,
        grant_types: ["urn:ietf:params:oauth:grant-type:device_code", "refresh_token"],
        response_types: [],
        redirect_uris: [],
        token_endpoint_auth_method: "none",
        application_type: "native",
      },
    ],
    features: { devInteractions: { enabled: true }, deviceFlow: { enabled: true } },
    scopes: ["openid", "offline_access", "profile"],
    claims: { openid: ["sub"], profile: ["name"] },
    findAccount: async (_ctx, id) => ({ accountId: id, claims: async () => ({ sub: id, name: id }) }),
    issueRefreshToken: async () => true,
    ttl: { IdToken: options.idTokenTtl ?? 3600, DeviceCode: options.deviceCodeTtl ?? 600, RefreshToken: 86400 },
  });
  provider.proxy = false;
  // Knob: the next token polls are answered slow_down, as a provider does to a client that polls too fast.
  let slowDowns = 0;
  provider.use(async (ctx, next) => {
    if (slowDowns > 0 && ctx.path === "/token" && ctx.method === "POST") {
      slowDowns -= 1;
      ctx.status = 400;
      ctx.body = { error: "slow_down", error_description: "poll less often" };
      return;
    }
    await next();
  });
  server.on("request", provider.callback());

  async function approve(userCode: string, user = "alice", decision: "approve" | "deny" = "approve"): Promise<void> {
    const jar = new Map<string, string>();
    const go = async (
      url: string,
      init: RequestInit = {},
    ): Promise<{ status: number; location: string | null; body: string }> => {
      const headers = new Headers(init.headers);
      if (jar.size) headers.set("cookie", [...jar].map(([k, v]) => `${k}=${v}`).join("; "));
      const res = await fetch(new URL(url, issuer), { ...init, headers, redirect: "manual" });
      for (const cookie of res.headers.getSetCookie()) {
        const [pair = ""] = cookie.split(";");
        const eq = pair.indexOf("=");
        jar.set(pair.slice(0, eq), pair.slice(eq + 1));
      }
      return { status: res.status, location: res.headers.get("location"), body: await res.text() };
    };
    const form = (fields: Record<string, string>) => ({
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields).toString(),
    });
    const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? "";
    const page = await go("/device");
    const entered = await go("/device", form({ xsrf: hidden(page.body, "xsrf"), user_code: userCode }));
    // The provider shows what is asking for access and wants a confirmation (or an abort).
    const choice = decision === "approve" ? { confirm: "yes" } : { abort: "yes" };
    let step = entered.location
      ? entered
      : await go(
          "/device",
          form({
            xsrf: hidden(entered.body, "xsrf"),
            user_code: hidden(entered.body, "user_code") || userCode,
            ...choice,
          }),
        );
    // Follow the interactions: login, then consent, until the device step says it is done.
    for (let hops = 0; hops < 10 && step.location; hops++) {
      const at = await go(step.location);
      if (at.location) {
        step = at;
        continue;
      }
      if (/name="login"/.test(at.body))
        step = await go(step.location, form({ prompt: "login", login: user, password: "any" }));
      else if (/name="prompt" value="consent"/.test(at.body) || /Authorize/.test(at.body)) {
        step = await go(step.location, form({ prompt: "consent" }));
      } else return;
    }
  }

  return {
    issuer,
    clientId: DEVICE_CLIENT_ID,
    provider,
    approve,
    slowDown: (times: number) => {
      slowDowns = times;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
