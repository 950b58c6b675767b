import { Sha256 } from "@aws-crypto/sha256-js";
import { SignatureV4 } from "@smithy/signature-v4";
import type { IncomingMessage } from "node:http";

/**
 * Verifies an AWS Signature Version 4 `Authorization` header the way AWS does: re-signs the
 * request with the caller's secret key and compares. Returns the access key id, or a reason.
 */
export async function verifySigV4(
  req: IncomingMessage,
  body: string,
  secretFor: (accessKeyId: string) => { secretAccessKey: string; sessionToken?: string } | undefined,
): Promise<{ accessKeyId: string } | { problem: string }> {
  const auth = req.headers.authorization ?? "";
  const match =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(
      auth,
    );
  if (!match) return { problem: "missing or malformed SigV4 Authorization header" };
  const [, accessKeyId = "", , region = "", service = "", signedHeaders = ""] = match;
  const secret = secretFor(accessKeyId);
  if (!secret) return { problem: `unknown access key ${accessKeyId}` };
  const amzDate = String(req.headers["x-amz-date"] ?? "");
  const date = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!date) return { problem: "missing X-Amz-Date" };
  const signingDate = new Date(`${date[1]}-${date[2]}-${date[3]}T${date[4]}:${date[5]}:${date[6]}Z`);
  if (Math.abs(signingDate.getTime() - Date.now()) > 15 * 60_000)
    return { problem: "signature expired (X-Amz-Date more than 15 minutes off)" };

  const headers: Record<string, string> = {};
  for (const name of signedHeaders.split(";")) {
    const value = req.headers[name];
    if (value === undefined) return { problem: `signed header ${name} is missing` };
    headers[name] = Array.isArray(value) ? value.join(",") : value;
  }
  const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "localhost"}`);
  const signer = new SignatureV4({
    credentials: {
      accessKeyId,
      secretAccessKey: secret.secretAccessKey,
      ...(secret.sessionToken ? { sessionToken: secret.sessionToken } : {}),
    },
    region,
    service,
    sha256: Sha256,
    // Sign exactly the headers the client signed: do not add x-amz-content-sha256.
    applyChecksum: false,
  });
  const signed = await signer.sign(
    {
      method: req.method ?? "POST",
      protocol: "http:",
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      body,
    },
    { signingDate },
  );
  const expected = String(signed.headers.authorization ?? signed.headers.Authorization ?? "");
  return expected === auth ? { accessKeyId } : { problem: "signature does not match" };
}
