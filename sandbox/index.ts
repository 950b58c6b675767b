import { Issuer } from "./issuer.js";
import { Sts, type OidcProvider, type TrustRule } from "./sts.js";

export { Issuer } from "./issuer.js";
export { Sts } from "./sts.js";

export interface SandboxOptions {
  /** Audiences the IAM OIDC provider for the issuer accepts. */
  audiences?: string[];
  roles?: Record<string, TrustRule>;
  /** AssumeRole with more session tags than this answers PackedPolicyTooLarge. */
  maxPackedTags?: number;
  /** More IAM OIDC providers the account trusts (e.g. a local OpenID provider). */
  extraProviders?: OidcProvider[];
}

export interface Sandbox {
  issuer: Issuer;
  sts: Sts;
  stop(): Promise<void>;
}

/** Starts the local OIDC issuer and STS on 127.0.0.1 (OS-chosen ports). */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const issuer = await new Issuer().start();
  const sts = await new Sts({
    providers: [
      { url: issuer.url, audiences: options.audiences ?? ["sts.amazonaws.com"] },
      ...(options.extraProviders ?? []),
    ],
    ...(options.roles ? { roles: options.roles } : {}),
    ...(options.maxPackedTags !== undefined ? { maxPackedTags: options.maxPackedTags } : {}),
  }).start();
  return {
    issuer,
    sts,
    stop: async () => {
      await Promise.all([sts.stop(), issuer.stop()]);
    },
  };
}
