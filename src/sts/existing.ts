import type { ExchangePlan } from "../config/request.js";
import { AwsOidcError } from "../errors.js";
import { getCallerIdentity } from "./calls.js";
import type { AssumedCredentials } from "./credentials.js";

/**
 * use-existing-credentials: when the environment already holds credentials that STS
 * accepts, they are kept. Returns them, or undefined when there are none or STS refuses.
 */
export async function reuseExistingCredentials(
  env: Readonly<Record<string, string | undefined>>,
  plan: ExchangePlan,
  log: (line: string) => void,
): Promise<AssumedCredentials | undefined> {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) {
    log("use-existing-credentials: no credentials in the environment; assuming the role.");
    return undefined;
  }
  const sessionToken = env.AWS_SESSION_TOKEN;
  const credentials = { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
  try {
    const who = await getCallerIdentity(credentials, {
      endpoint: plan.endpoint,
      requestTimeoutMs: plan.retry.requestTimeoutMs,
      deadline: Date.now() + plan.retry.requestTimeoutMs,
    });
    return { ...credentials, assumedRoleArn: who.arn, accountId: who.accountId };
  } catch (error) {
    log(
      `use-existing-credentials: the credentials in the environment do not work (${error instanceof AwsOidcError ? error.message : String(error)}); assuming the role.`,
    );
    return undefined;
  }
}
