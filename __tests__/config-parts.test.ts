import { STSClient } from "@aws-sdk/client-sts";
import { partitionOf, stsEndpointUrl } from "../src/config/partition.js";
import { parseInlinePolicy } from "../src/config/policies.js";
import { readProxySettings } from "../src/config/proxy.js";
import { planSessionTags, runTags, sanitizeTagValue } from "../src/config/session-tags.js";

describe("partitions", () => {
  it.each([
    ["us-east-1", "aws", "https://sts.us-east-1.amazonaws.com"],
    ["cn-northwest-1", "aws-cn", "https://sts.cn-northwest-1.amazonaws.com.cn"],
    ["us-gov-east-1", "aws-us-gov", "https://sts.us-gov-east-1.amazonaws.com"],
    ["us-iso-east-1", "aws-iso", "https://sts.us-iso-east-1.c2s.ic.gov"],
    ["us-isob-east-1", "aws-iso-b", "https://sts.us-isob-east-1.sc2s.sgov.gov"],
    ["eusc-de-east-1", "aws-eusc", "https://sts.eusc-de-east-1.amazonaws.eu"],
  ])("%s is in %s at %s", (region, partition, url) => {
    expect(partitionOf(region).id).toBe(partition);
    expect(stsEndpointUrl({ region, useFips: false, useDualstack: false })).toBe(url);
  });
  it.each([
    "us-east-1",
    "eu-central-1",
    "ap-southeast-2",
    "cn-north-1",
    "us-gov-west-1",
    "us-iso-east-1",
    "us-isob-east-1",
    "eu-isoe-west-1",
    "us-isof-south-1",
    "eusc-de-east-1",
  ])(
    "gives the endpoint the AWS SDK's STS rule set gives in %s, with and without FIPS and dual-stack",
    async (region) => {
      const client = new STSClient({ region });
      try {
        for (const useFips of [false, true]) {
          for (const useDualstack of [false, true]) {
            const sdk = client.config.endpointProvider({
              Region: region,
              UseFIPS: useFips,
              UseDualStack: useDualstack,
              UseGlobalEndpoint: false,
            });
            expect(stsEndpointUrl({ region, useFips, useDualstack })).toBe(sdk.url.href.replace(/\/$/, ""));
          }
        }
      } finally {
        client.destroy();
      }
    },
  );
  it("puts an explicit endpoint first", () => {
    expect(
      stsEndpointUrl({ region: "us-east-1", useFips: true, useDualstack: true, override: "http://127.0.0.1:1" }),
    ).toBe("http://127.0.0.1:1");
  });
});

describe("session tags", () => {
  it("fits run metadata into STS's tag rules", () => {
    expect(sanitizeTagValue("refs/heads/feature#42 (wip)")).toBe("refs/heads/feature_42 _wip_");
    expect(sanitizeTagValue("x".repeat(300))).toHaveLength(256);
    expect(runTags({ Repository: "octo/repo", Empty: "", Workflow: "CI; deploy" })).toEqual([
      { Key: "Repository", Value: "octo/repo" },
      { Key: "Workflow", Value: "CI_ deploy" },
    ]);
  });
  it("rejects more than 50 tags in all", () => {
    const custom = Array.from({ length: 45 }, (_, i) => ({ Key: `K${i}`, Value: "v" }));
    const run = Array.from({ length: 6 }, (_, i) => ({ Key: `R${i}`, Value: "v" }));
    expect(() => planSessionTags(custom, run, "", false)).toThrow(/51 session tags in all; STS allows 50/);
    expect(planSessionTags(custom, run, "", true).run).toEqual([]);
  });
  it("rejects a custom key twice in different case", () => {
    expect(() =>
      planSessionTags(
        [
          { Key: "team", Value: "a" },
          { Key: "Team", Value: "b" },
        ],
        [],
        "",
        false,
      ),
    ).toThrow(/appears twice/);
  });
});

describe("policies and proxies", () => {
  it("sends the inline policy compact", () => {
    expect(parseInlinePolicy("p", '{ "Statement" : [ ] }')).toBe('{"Statement":[]}');
  });
  it("finds the credentials to mask in every proxy variable", () => {
    const settings = readProxySettings("", "a.example, b.example", {
      HTTPS_PROXY: "http://u:p%40ss@proxy:3128",
      http_proxy: "proxy:3128",
    });
    expect(settings.secrets).toEqual(
      expect.arrayContaining(["p@ss", "p%40ss", "u:p%40ss", "http://u:p%40ss@proxy:3128"]),
    );
    expect(settings.noProxy).toBe("a.example,b.example");
  });
});
