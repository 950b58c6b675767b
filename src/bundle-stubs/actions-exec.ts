/**
 * Bundle stand-in for `@actions/exec`. @actions/core imports it only for `core.platform`
 * (running `uname`, `sw_vers`…), which aws-oidc never asks for. Kept out through tsconfig
 * "paths"; should anything call it, this says why.
 */
const notBundled = async (): Promise<never> => {
  throw new Error("aws-oidc: @actions/exec is not bundled (core.platform is not used here).");
};
export const exec = notBundled;
export const getExecOutput = notBundled;
