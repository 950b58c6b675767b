import { toStsError } from "../src/sts/errors.js";

const ctx = {
  operation: "AssumeRoleWithWebIdentity",
  roleArn: "arn:aws:iam::123456789012:role/r",
  endpoint: "https://sts.us-east-1.amazonaws.com",
};
const sdk = (name: string, message: string, status: number) =>
  Object.assign(new Error(message), { name, Code: name, $metadata: { httpStatusCode: status } });

describe("toStsError classification", () => {
  it.each([
    ["Throttling", 400],
    ["IDPCommunicationError", 400],
    ["InternalFailure", 500],
    ["ServiceUnavailable", 503],
    ["SomethingNew", 502],
    ["TooManyRequestsException", 429],
  ])("retries %s (HTTP %d)", (code, status) => {
    expect(toStsError(sdk(code, "x", status), ctx).retryable).toBe(true);
  });

  it.each([
    ["AccessDenied", 403, "Not authorized to perform sts:AssumeRoleWithWebIdentity"],
    ["ValidationError", 400, "1 validation error detected"],
    ["ExpiredTokenException", 400, "Token expired"],
    ["InvalidIdentityToken", 400, "Incorrect token audience"],
    ["PackedPolicyTooLarge", 400, "too large"],
  ])("does not retry %s", (code, status, message) => {
    const error = toStsError(sdk(code, message, status), ctx);
    expect(error.retryable).toBe(false);
    expect(error.code).toBe(code);
    expect(error.operation).toBe("AssumeRoleWithWebIdentity");
  });

  it("retries InvalidIdentityToken only when STS could not fetch the provider's keys", () => {
    const keys = sdk("InvalidIdentityToken", "Couldn't retrieve verification key from your identity provider", 400);
    expect(toStsError(keys, ctx).retryable).toBe(true);
  });

  it("retries resets and timeouts, not refused connections or unknown hosts", () => {
    const net = (code: string) => Object.assign(new Error(`connect ${code}`), { code });
    expect(toStsError(net("ECONNRESET"), ctx).retryable).toBe(true);
    expect(toStsError(net("ETIMEDOUT"), ctx).retryable).toBe(true);
    expect(toStsError(net("ECONNREFUSED"), ctx)).toMatchObject({
      retryable: false,
      message: expect.stringContaining("Could not reach STS at https://sts.us-east-1.amazonaws.com"),
    });
    expect(toStsError(net("ENOTFOUND"), ctx).retryable).toBe(false);
  });
});
