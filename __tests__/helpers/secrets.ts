import { expect } from "@jest/globals";

/**
 * Asserts that each secret is announced with `::add-mask::` before it first shows up
 * anywhere else in the step's stdout, and never shows up in stderr.
 */
export function expectMaskedBeforeUse(stdout: string, stderr: string, secrets: readonly string[]): void {
  for (const secret of secrets) {
    const maskAt = stdout.indexOf(`::add-mask::${secret}\n`);
    if (maskAt < 0)
      throw new Error(`no ::add-mask:: for a secret of ${secret.length} characters starting ${secret.slice(0, 4)}`);
    const firstUse = stdout.replace(`::add-mask::${secret}\n`, "").indexOf(secret);
    if (firstUse !== -1) expect(maskAt).toBeLessThanOrEqual(firstUse);
    expect(stderr).not.toContain(secret);
  }
}

/** Asserts that none of the secrets appears in any of the texts. */
export function expectNoneOf(texts: readonly string[], secrets: readonly string[]): void {
  for (const text of texts) for (const secret of secrets) expect(text).not.toContain(secret);
}
