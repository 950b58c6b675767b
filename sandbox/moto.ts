import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";

/**
 * moto (the third-party AWS emulator the machine image ships) as a server on 127.0.0.1,
 * for tests that want an STS we did not write. Fails loudly when moto is missing.
 */
export interface Moto {
  url: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === "string") throw new Error("no port");
  return address.port;
}

export async function startMoto(env: Record<string, string> = {}): Promise<Moto> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn("python3", ["-m", "moto.server", "-H", "127.0.0.1", "-p", String(port)], {
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, ...env },
  });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await fetch(`${url}/moto-api/`);
      break;
    } catch {
      const code = await Promise.race([exited, new Promise((r) => setTimeout(r, 200, "running"))]);
      if (code !== "running")
        throw new Error(
          `moto did not start (exit ${String(code)}): ${stderr.slice(-500)} — is moto installed (python3 -m moto.server)?`,
        );
      if (Date.now() > deadline) {
        child.kill("SIGKILL");
        throw new Error(`moto did not answer on ${url} within 30 s: ${stderr.slice(-500)}`);
      }
    }
  }
  return {
    url,
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/**
 * Starts moto with its IAM authentication on (signatures checked, policies enforced) after
 * `setup` unauthenticated IAM Query calls and `openActions` further unauthenticated requests
 * (moto's INITIAL_NO_AUTH_ACTION_COUNT), and runs the setup calls.
 */
export async function startMotoWithAuth(setup: Record<string, string>[], openActions: number): Promise<Moto> {
  const moto = await startMoto({ INITIAL_NO_AUTH_ACTION_COUNT: String(setup.length + openActions) });
  for (const params of setup) {
    const response = await fetch(`${moto.url}/`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        // moto reads the key id from the header even for the calls it does not authenticate.
        authorization:
          "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0",
      },
      body: new URLSearchParams(params).toString(),
    });
    if (!response.ok)
      throw new Error(`moto setup ${params.Action} failed: HTTP ${response.status} ${await response.text()}`);
  }
  return moto;
}
