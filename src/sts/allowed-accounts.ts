import { InputError } from "../errors.js";

/** allowed-account-ids: checked on the final credentials, before anything is exported. */
export function checkAllowedAccount(accountId: string, allowed: readonly string[], masked: boolean): void {
  if (allowed.length === 0 || allowed.includes(accountId)) return;
  throw new InputError(
    "allowed-account-ids",
    `the credentials are for account ${masked ? "***" : accountId}, which is not in the list; nothing was exported.`,
    "Assume a role in an allowed account, or add the account to allowed-account-ids.",
  );
}
