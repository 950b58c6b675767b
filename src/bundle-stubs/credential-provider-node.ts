/**
 * Bundle stand-in for the SDK's default credential provider chain (environment, profiles,
 * SSO, process, IMDS, containers). aws-oidc never uses it: AssumeRoleWithWebIdentity is
 * unsigned and every signed call gets its credentials explicitly. Leaving it out halves the
 * bundle. Kept out through tsconfig "paths"; should the SDK ever ask it, this says why.
 */
export function defaultProvider(): () => Promise<never> {
  return async () => {
    throw new Error(
      "aws-oidc passes credentials to the AWS SDK explicitly; the SDK's default credential chain is not bundled.",
    );
  };
}
