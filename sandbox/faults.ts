import type { ServerResponse } from "node:http";
import { send } from "./http.js";

/** Faults a sandbox service injects into its next requests, for retry and timeout tests. */
export type Fault =
  /** Answer with this HTTP status and a short plain body. */
  | { kind: "status"; status: number }
  /** Answer with the service's own error document (STS ErrorResponse XML) for this code. */
  | { kind: "error"; code: string; status?: number; message?: string }
  /** Wait, then answer normally. */
  | { kind: "delay"; ms: number }
  /** Accept the request and never answer. */
  | { kind: "hang" }
  /** Close the connection without an answer. */
  | { kind: "drop" }
  /** Answer 200 with a body that is cut off half way. */
  | { kind: "truncated" };

export class FaultPlan {
  private readonly queue: { fault: Fault; remaining: number }[] = [];

  /** The next `times` requests get `fault` (after faults queued before it). */
  add(fault: Fault, times = 1): this {
    this.queue.push({ fault, remaining: times });
    return this;
  }

  clear(): void {
    this.queue.length = 0;
  }

  take(): Fault | undefined {
    const head = this.queue[0];
    if (!head) return undefined;
    head.remaining -= 1;
    if (head.remaining <= 0) this.queue.shift();
    return head.fault;
  }
}

/**
 * Applies a transport-level fault. Returns true when the request is fully handled,
 * false when the service should go on (after a delay) with its own answer.
 * `error` faults are the service's to render, so they are not handled here.
 */
export async function applyTransportFault(fault: Fault, response: ServerResponse): Promise<boolean> {
  switch (fault.kind) {
    case "status":
      send(response, fault.status, "text/plain", `injected HTTP ${fault.status}\n`);
      return true;
    case "delay":
      await new Promise((resolve) => setTimeout(resolve, fault.ms));
      return false;
    case "hang":
      return true;
    case "drop":
      response.socket?.destroy();
      return true;
    case "truncated":
    case "error":
      return false;
  }
}
