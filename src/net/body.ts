import type { Readable } from "node:stream";

/**
 * Reads an HTTP response body into bytes; past `maxBytes` it stops reading and rejects with
 * a SyntaxError (a body that big is not the service's answer). Also the AWS SDK's
 * `streamCollector`: the SDK's own collector first checks whether the body is a web
 * ReadableStream, and merely naming that global makes Node load its whole web-streams
 * implementation — for a body that, with the Node HTTP handler, never is one.
 */
export function collectBody(body: unknown, maxBytes = Infinity): Promise<Uint8Array> {
  if (body === undefined || body === null) return Promise.resolve(new Uint8Array());
  if (body instanceof Uint8Array) return Promise.resolve(body);
  const stream = body as Readable;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on("data", (chunk: Buffer | string) => {
      const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      size += bytes.length;
      if (size > maxBytes) {
        stream.destroy();
        reject(Object.assign(new Error(`an answer of more than ${maxBytes} bytes`), { name: "SyntaxError" }));
      } else chunks.push(bytes);
    });
    stream.once("error", reject);
    stream.once("end", () => {
      const all = Buffer.concat(chunks);
      resolve(new Uint8Array(all.buffer, all.byteOffset, all.byteLength));
    });
  });
}
