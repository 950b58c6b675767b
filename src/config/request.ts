import type { EndpointChoice } from "./partition.js";
import type { RoleArn } from "./aws-names.js";
import type { SessionTagPlan } from "./session-tags.js";

/** The validated description of one exchange, shared by the action and the CLI. */

export interface StaticCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** A role given by name only: its account is the source credentials' account. */
export interface BareRole {
  readonly kind: "bare";
  readonly name: string;
  readonly partition: string;
}

export type RoleRef = (RoleArn & { readonly kind: "arn" }) | BareRole;

export interface RoleStep {
  readonly role: RoleRef;
  readonly sessionName: string;
  readonly durationSeconds: number;
  readonly externalId?: string;
  readonly policy?: string;
  readonly policyArns: readonly string[];
  /** Sent with AssumeRole only (AssumeRoleWithWebIdentity takes tags from the token). */
  readonly tags?: SessionTagPlan;
}

export type CredentialSource =
  /** An OIDC token, from the CI's token service or from a file. */
  | {
      readonly kind: "web-identity";
      readonly audience: string;
      readonly tokenFile?: string;
      /** A source named by the user (token-source); otherwise it is detected. */
      readonly tokenSource?: string;
      readonly tokenVariable?: string;
      readonly tokenCommand?: string;
      readonly serviceConnectionId?: string;
    }
  /** Credentials given as inputs, or found in the environment (role chaining). */
  | { readonly kind: "static"; readonly origin: "inputs" | "environment"; readonly credentials: StaticCredentials };

export interface RetrySettings {
  /** Attempts per call, the first one included. */
  readonly maxAttempts: number;
  /** Upper bound for one request. */
  readonly requestTimeoutMs: number;
  /** Upper bound for the whole exchange, retries and waits included. */
  readonly totalTimeoutMs: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Re-assume until the secret key has only letters and digits (bounded by attempts and the deadline). */
  readonly alphanumericSecret: boolean;
}

export interface ExchangePlan {
  readonly source: CredentialSource;
  /**
   * Roles to assume in order. With a web-identity source the first is assumed with
   * AssumeRoleWithWebIdentity; every other with AssumeRole, signed by the previous
   * credentials. Empty only for a static source used as it is.
   */
  readonly steps: readonly RoleStep[];
  readonly endpoint: EndpointChoice;
  readonly retry: RetrySettings;
}
