import { createServer, request as httpRequest, type IncomingMessage } from "node:http";
import { connect, type Socket } from "node:net";

/**
 * A forward proxy on 127.0.0.1 (CONNECT tunnels and absolute-URI requests) that resolves
 * `*.sandbox.test` to 127.0.0.1, so a request for such a host can only succeed through it.
 * Other hosts are recorded and refused (502): nothing leaves the machine.
 * Records each request's target and Proxy-Authorization; can demand credentials (407).
 */
export interface SandboxProxy {
  url: string;
  seen: { method: string; target: string; auth?: string }[];
  stop(): Promise<void>;
}

export const PROXY_ONLY_DOMAIN = "sandbox.test";

export async function startProxy(requiredAuth?: { user: string; password: string }): Promise<SandboxProxy> {
  const seen: SandboxProxy["seen"] = [];
  const sockets = new Set<Socket>();
  const expected = requiredAuth
    ? `Basic ${Buffer.from(`${requiredAuth.user}:${requiredAuth.password}`).toString("base64")}`
    : undefined;
  const resolveHost = (host: string) =>
    host === PROXY_ONLY_DOMAIN || host.endsWith(`.${PROXY_ONLY_DOMAIN}`) ? "127.0.0.1" : host;
  const authorized = (req: IncomingMessage) => !expected || req.headers["proxy-authorization"] === expected;
  const record = (req: IncomingMessage, target: string) => {
    const auth = req.headers["proxy-authorization"];
    seen.push({ method: req.method ?? "", target, ...(auth ? { auth } : {}) });
  };

  const server = createServer((req, res) => {
    const target = new URL(req.url ?? "");
    record(req, target.host);
    if (!authorized(req)) {
      res.writeHead(407, { "proxy-authenticate": 'Basic realm="sandbox"' }).end();
      return;
    }
    if (resolveHost(target.hostname) !== "127.0.0.1") {
      res.writeHead(502).end();
      return;
    }
    const upstream = httpRequest(
      {
        host: resolveHost(target.hostname),
        port: target.port || 80,
        path: `${target.pathname}${target.search}`,
        method: req.method,
        headers: { ...req.headers, host: target.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  server.on("connect", (req: IncomingMessage, client: Socket, head: Buffer) => {
    const [host = "", port = "443"] = (req.url ?? "").split(":");
    record(req, req.url ?? "");
    if (!authorized(req)) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="sandbox"\r\n\r\n');
      return;
    }
    // Only the sandbox's own names are forwarded (to loopback); anything else is recorded and refused.
    if (resolveHost(host) !== "127.0.0.1") {
      client.end("HTTP/1.1 502 Bad Gateway\r\n\r\n");
      return;
    }
    const upstream = connect(Number(port), resolveHost(host), () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
    sockets.add(upstream);
  });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("proxy has no address");
  return {
    url: `http://127.0.0.1:${address.port}`,
    seen,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
