import fc from "fast-check";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { parseQueryError, parseWebIdentityResult, postQuery, unescapeXml } from "../src/sts/query.js";
import { VERSION } from "../src/version.js";

/** An answer shaped as STS's API reference shows it, with every field the real service sends. */
function answer(fields: { key: string; secret: string; token: string; arn: string; expires: string }): string {
  return `<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleWithWebIdentityResult>
    <SubjectFromWebIdentityToken>repo:octo-org/octo-repo:ref:refs/heads/main</SubjectFromWebIdentityToken>
    <Audience>sts.amazonaws.com</Audience>
    <AssumedRoleUser>
      <Arn>${fields.arn}</Arn>
      <AssumedRoleId>AROACLKWSDQRAOEXAMPLE:app1</AssumedRoleId>
    </AssumedRoleUser>
    <Credentials>
      <SessionToken>${fields.token}</SessionToken>
      <SecretAccessKey>${fields.secret}</SecretAccessKey>
      <Expiration>${fields.expires}</Expiration>
      <AccessKeyId>${fields.key}</AccessKeyId>
    </Credentials>
    <SourceIdentity>SourceIdentityValue</SourceIdentity>
    <Provider>token.actions.githubusercontent.com</Provider>
  </AssumeRoleWithWebIdentityResult>
  <ResponseMetadata>
    <RequestId>ad4156e9-bce1-11e2-82e6-6b6efEXAMPLE</RequestId>
  </ResponseMetadata>
</AssumeRoleWithWebIdentityResponse>
`;
}

const FIELDS = {
  key: "ASIAIOSFODNN7EXAMPLE",
  secret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY",
  token: "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQ+EXAMPLE=",
  arn: "arn:aws:sts::123456789012:assumed-role/deploy/app1",
  expires: "2026-11-22T05:00:00Z",
};

const escapeXml = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");

describe("reading STS's answer to AssumeRoleWithWebIdentity", () => {
  it("takes the credentials and the assumed role's ARN, whatever the order of the elements", () => {
    expect(parseWebIdentityResult(answer(FIELDS))).toEqual({
      accessKeyId: FIELDS.key,
      secretAccessKey: FIELDS.secret,
      sessionToken: FIELDS.token,
      expiration: new Date(FIELDS.expires),
      assumedRoleArn: FIELDS.arn,
    });
  });

  it("undoes XML's escapes in every value", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), (value) => {
        fc.pre(value.trim() === value);
        const doc = answer({ ...FIELDS, secret: escapeXml(value), arn: escapeXml(value) });
        const read = parseWebIdentityResult(doc);
        expect(read.secretAccessKey).toBe(value);
        expect(read.assumedRoleArn).toBe(value);
      }),
    );
  });

  it("refuses every cut-off answer rather than read part of it", () => {
    const doc = answer(FIELDS).trimEnd();
    for (let end = 0; end < doc.length; end += 7) {
      expect(() => parseWebIdentityResult(doc.slice(0, end))).toThrow(/XML parse error/);
    }
  });

  it("refuses a document that is not an AssumeRoleWithWebIdentity answer, and a date that is not one", () => {
    expect(() => parseWebIdentityResult("<html><body>Welcome to nginx</body></html>")).toThrow(/XML parse error/);
    expect(() => parseWebIdentityResult(answer({ ...FIELDS, expires: "soon" }))).toThrow(/not a date/);
  });

  it("leaves missing credentials to the caller", () => {
    const doc = answer(FIELDS).replace(/<SessionToken>.*<\/SessionToken>/, "");
    expect(parseWebIdentityResult(doc).sessionToken).toBeUndefined();
  });
});

describe("reading STS's error answers", () => {
  it("takes the code and the message, unescaped", () => {
    const doc = `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error><Type>Sender</Type><Code>AccessDenied</Code>
    <Message>Not authorized to perform sts:AssumeRoleWithWebIdentity on &quot;deploy&quot; &amp; more</Message></Error>
  <RequestId>4bb1e8a2-0000-0000-0000-000000000000</RequestId>
</ErrorResponse>`;
    expect(parseQueryError(403, doc)).toEqual({
      name: "AccessDenied",
      message: 'Not authorized to perform sts:AssumeRoleWithWebIdentity on "deploy" & more',
      $metadata: { httpStatusCode: 403 },
    });
  });

  it("says when an error answer is not STS's at all", () => {
    expect(parseQueryError(502, "<html>Bad Gateway</html>")).toEqual({
      name: "SyntaxError",
      message: "not an STS error document",
      $metadata: { httpStatusCode: 502 },
    });
    expect(parseQueryError(503, "")).toMatchObject({ name: "SyntaxError", $metadata: { httpStatusCode: 503 } });
  });

  it("unescapes numeric references and leaves unknown ones alone", () => {
    expect(unescapeXml("a&#38;b&#x3C;c &nbsp; &#x110000;")).toBe("a&b<c &nbsp; &#x110000;");
  });
});

describe("sending the Query API request", () => {
  let server: Server;
  let url: string;
  let seen: {
    method: string | undefined;
    url: string | undefined;
    headers: IncomingMessage["headers"];
    body: string;
  }[] = [];
  let reply: (res: ServerResponse) => void;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        seen.push({ method: req.method, url: req.url, headers: req.headers, body });
        reply(res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    seen = [];
    reply = (res) => res.end("<ok/>");
  });

  it("POSTs a form with the action, the API version and every parameter, encoded", async () => {
    const policy = '{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]} & =+%';
    const answer = await postQuery(
      url,
      "AssumeRoleWithWebIdentity",
      {
        RoleArn: "arn:aws:iam::123456789012:role/r",
        Policy: policy,
        "PolicyArns.member.1.arn": "arn:aws:iam::aws:policy/x",
      },
      AbortSignal.timeout(5000),
    );
    expect(answer).toEqual({ status: 200, body: "<ok/>" });
    expect(seen).toHaveLength(1);
    const [request] = seen;
    expect(request).toMatchObject({ method: "POST", url: "/" });
    expect(request!.headers["content-type"]).toBe("application/x-www-form-urlencoded; charset=utf-8");
    expect(request!.headers["user-agent"]).toBe(`aws-oidc/${VERSION}`);
    expect(request!.body).not.toContain("+");
    expect(Object.fromEntries(new URLSearchParams(request!.body))).toEqual({
      Action: "AssumeRoleWithWebIdentity",
      Version: "2011-06-15",
      RoleArn: "arn:aws:iam::123456789012:role/r",
      Policy: policy,
      "PolicyArns.member.1.arn": "arn:aws:iam::aws:policy/x",
    });
  });

  it("hands back error statuses with their body", async () => {
    reply = (res) => {
      res.statusCode = 400;
      res.end("<ErrorResponse/>");
    };
    await expect(postQuery(url, "AssumeRoleWithWebIdentity", {}, AbortSignal.timeout(5000))).resolves.toEqual({
      status: 400,
      body: "<ErrorResponse/>",
    });
  });

  it("stops reading an answer that is far too big to be STS's", async () => {
    reply = (res) => {
      const chunk = "x".repeat(64 * 1024);
      for (let i = 0; i < 20; i++) res.write(chunk);
      res.end();
    };
    await expect(postQuery(url, "AssumeRoleWithWebIdentity", {}, AbortSignal.timeout(5000))).rejects.toMatchObject({
      name: "SyntaxError",
    });
  });

  it("gives up when the signal fires", async () => {
    reply = () => undefined; // never answers
    const started = Date.now();
    await expect(postQuery(url, "AssumeRoleWithWebIdentity", {}, AbortSignal.timeout(200))).rejects.toMatchObject({
      name: expect.stringMatching(/AbortError|TimeoutError/),
    });
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
