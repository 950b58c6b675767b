import { expect } from "@jest/globals";

/**
 * Asserts that each secret is announced with `::add-mask::` before it first shows up in any
 * other line of the step's stdout (add-mask lines are never shown), and never in stderr.
 */
export function expectMaskedBeforeUse(stdout: string, stderr: string, secrets: readonly string[]): void {
  const lines = stdout.split("\n");
  for (const secret of secrets) {
    const maskLine = lines.indexOf(`::add-mask::${secret}`);
    if (maskLine < 0)
      throw new Error(`no ::add-mask:: for a secret of ${secret.length} characters starting ${secret.slice(0, 4)}`);
    const firstUse = lines.findIndex((line) => !line.startsWith("::add-mask::") && line.includes(secret));
    if (firstUse !== -1) expect(maskLine).toBeLessThan(firstUse);
    expect(stderr).not.toContain(secret);
  }
}

/** Asserts that none of the secrets appears in any of the texts. */
export function expectNoneOf(texts: readonly string[], secrets: readonly string[]): void {
  for (const text of texts) for (const secret of secrets) expect(text).not.toContain(secret);
}
