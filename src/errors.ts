/**
 * Typed errors. Every error the user can see says what went wrong and, in `hint`,
 * what to change. Messages never contain a secret: callers pass only non-secret
 * values (input names, ARNs, regions, error codes) into them.
 */
/**
 * Messages quote what users typed; control characters and Unicode line separators in such
 * values are shown escaped, so no value can start a line of its own in a log (a workflow
 * command) or hide text. Plain newlines stay: the runner protocol escapes those itself.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point.
const UNSEEN = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g;

export function visible(text: string): string {
  return text.replace(UNSEEN, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

export abstract class AwsOidcError extends Error {
  abstract readonly kind: string;
  /** Whether the same call may succeed if made again (throttling, 5xx, a reset connection). */
  retryable = false;
  readonly hint?: string;
  constructor(message: string, hint?: string) {
    super(visible(message));
    if (hint !== undefined) this.hint = visible(hint);
    this.name = new.target.name;
  }

  /** Marks the error as worth retrying; returns it for `throw x.transient()`. */
  transient(): this {
    this.retryable = true;
    return this;
  }

  /** The message and the hint, as printed by the entry points. */
  describe(): string {
    return this.hint ? `${this.message}\n  Hint: ${this.hint}` : this.message;
  }
}

/** A configuration value (action input, CLI flag or environment variable) is wrong. */
export class InputError extends AwsOidcError {
  readonly kind = "input";
  constructor(
    /** The input's name as the user wrote it, e.g. `role-duration-seconds`. */
    readonly input: string,
    /** What is wrong with the value, without the input's name. */
    readonly problem: string,
    hint?: string,
  ) {
    super(`Input '${input}': ${problem}`, hint);
    this.problem = visible(problem);
  }
}

/** The OIDC token could not be obtained from its source. */
export class TokenError extends AwsOidcError {
  readonly kind = "token";
}

/** STS refused or could not be reached. */
export class StsError extends AwsOidcError {
  readonly kind = "sts";
  /** The STS operation that failed, when known. */
  operation = "";
  constructor(
    message: string,
    /** The STS error code (`AccessDenied`, `InvalidIdentityToken`…) or a transport code. */
    readonly code: string,
    hint?: string,
    /** STS's own message, without our framing (for diagnosis). */
    readonly detail = "",
  ) {
    super(message, hint);
  }
}

/** Credentials could not be written where they were asked to go. */
export class SinkError extends AwsOidcError {
  readonly kind = "sink";
}

/** Text for any thrown value, for the entry points' last-resort report. */
export function describeError(error: unknown): string {
  if (error instanceof AwsOidcError) return error.describe();
  if (error instanceof Error) return error.message;
  return String(error);
}
