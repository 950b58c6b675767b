import type { Readable } from "node:stream";

/**
 * Reads an HTTP response body into bytes, for the AWS SDK's `streamCollector` setting.
 * The SDK's own collector first checks whether the body is a web ReadableStream, and merely
 * naming that global makes Node load its whole web-streams implementation (about a
 * millisecond at start-up) — for a body that, with the Node HTTP handler, never is one.
 */
export function collectBody(body: unknown): Promise<Uint8Array> {
  if (body === undefined || body === null) return Promise.resolve(new Uint8Array());
  if (body instanceof Uint8Array) return Promise.resolve(body);
  const stream = body as Readable;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer | string) => chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk));
    stream.once("error", reject);
    stream.once("end", () => {
      const all = Buffer.concat(chunks);
      resolve(new Uint8Array(all.buffer, all.byteOffset, all.byteLength));
    });
  });
}
