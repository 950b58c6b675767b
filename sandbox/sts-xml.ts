import { randomBytes, randomUUID } from "node:crypto";

/** STS's XML documents, as the sandbox writes them. */

export const NS = "https://sts.amazonaws.com/doc/2011-06-15/";

export interface CredentialsDoc {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  arn: string;
  expiration: Date;
  tags: unknown[];
}

export function credentialsXml(action: string, s: CredentialsDoc, sessionName: string, extra: string): string {
  return `<${action}Response xmlns="${NS}">
  <${action}Result>
    <AssumedRoleUser><AssumedRoleId>AROA${randomId(17)}:${esc(sessionName)}</AssumedRoleId><Arn>${esc(s.arn)}</Arn></AssumedRoleUser>
    <Credentials>
      <AccessKeyId>${s.accessKeyId}</AccessKeyId>
      <SecretAccessKey>${s.secretAccessKey}</SecretAccessKey>
      <SessionToken>${s.sessionToken ?? ""}</SessionToken>
      <Expiration>${s.expiration.toISOString().replace(/\.\d{3}Z$/, "Z")}</Expiration>
    </Credentials>
    <PackedPolicySize>${Math.min(99, s.tags.length * 2)}</PackedPolicySize>${extra}
  </${action}Result>
  <ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata>
</${action}Response>
`;
}

export function errorXml(f: { code: string; message: string; status: number }): string {
  return `<ErrorResponse xmlns="${NS}">
  <Error>
    <Type>${f.status >= 500 ? "Receiver" : "Sender"}</Type>
    <Code>${esc(f.code)}</Code>
    <Message>${esc(f.message)}</Message>
  </Error>
  <RequestId>${randomUUID()}</RequestId>
</ErrorResponse>
`;
}

export function esc(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
export function randomId(length: number): string {
  return Array.from(randomBytes(length), (b) => ALPHABET[b % 32]).join("");
}
