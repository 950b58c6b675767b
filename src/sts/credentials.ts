/** Credentials as STS (or the user) gave them, plus who they belong to. */
export interface AssumedCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  /** Absent for long-term keys used as they are. */
  readonly expiration?: Date;
  /** `arn:aws:sts::<account>:assumed-role/<role>/<session>` (or the user's ARN for keys). */
  readonly assumedRoleArn: string;
  readonly accountId: string;
}

/** The account id in an ARN such as `arn:aws:sts::123456789012:assumed-role/r/s`. */
export function accountIdFromArn(arn: string): string | undefined {
  const account = arn.split(":")[4];
  return account && /^[0-9]{12}$/.test(account) ? account : undefined;
}
