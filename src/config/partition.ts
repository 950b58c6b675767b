import { InputError } from "../errors.js";

/** AWS partitions: which Regions belong to each, and the DNS suffix of their endpoints. */
export interface Partition {
  readonly id: string;
  readonly dnsSuffix: string;
  readonly dualStackDnsSuffix: string;
  /** The default audience of the partition's STS. */
  readonly audience: string;
}

const PARTITIONS: readonly (Partition & { regions: RegExp })[] = [
  {
    id: "aws-cn",
    regions: /^cn-/,
    dnsSuffix: "amazonaws.com.cn",
    dualStackDnsSuffix: "api.amazonwebservices.com.cn",
    audience: "sts.amazonaws.com.cn",
  },
  {
    id: "aws-us-gov",
    regions: /^us-gov-/,
    dnsSuffix: "amazonaws.com",
    dualStackDnsSuffix: "api.aws",
    audience: "sts.amazonaws.com",
  },
  {
    id: "aws-iso-b",
    regions: /^us-isob-/,
    dnsSuffix: "sc2s.sgov.gov",
    dualStackDnsSuffix: "api.aws.scloud",
    audience: "sts.amazonaws.com",
  },
  {
    id: "aws-iso-e",
    regions: /^eu-isoe-/,
    dnsSuffix: "cloud.adc-e.uk",
    dualStackDnsSuffix: "api.cloud-aws.adc-e.uk",
    audience: "sts.amazonaws.com",
  },
  {
    id: "aws-iso-f",
    regions: /^us-isof-/,
    dnsSuffix: "csp.hci.ic.gov",
    dualStackDnsSuffix: "api.aws.hci.ic.gov",
    audience: "sts.amazonaws.com",
  },
  {
    id: "aws-iso",
    regions: /^us-iso-/,
    dnsSuffix: "c2s.ic.gov",
    dualStackDnsSuffix: "api.aws.ic.gov",
    audience: "sts.amazonaws.com",
  },
  {
    id: "aws-eusc",
    regions: /^eusc-/,
    dnsSuffix: "amazonaws.eu",
    dualStackDnsSuffix: "api.amazonwebservices.eu",
    audience: "sts.amazonaws.com",
  },
  { id: "aws", regions: /^/, dnsSuffix: "amazonaws.com", dualStackDnsSuffix: "api.aws", audience: "sts.amazonaws.com" },
];

export function partitionOf(region: string): Partition {
  const found = PARTITIONS.find((p) => p.regions.test(region));
  if (!found) throw new Error("unreachable: the 'aws' partition matches every Region");
  const { regions: _regions, ...partition } = found;
  return partition;
}

export interface EndpointChoice {
  readonly region: string;
  readonly useFips: boolean;
  readonly useDualstack: boolean;
  readonly override?: string;
}

/**
 * The STS endpoint for this choice, by the rules of STS's endpoint rule set (a test holds it
 * to the SDK's resolver): regional, `sts-fips` for FIPS, the partition's dual-stack domain on
 * request — except that in GovCloud the regular endpoints are the FIPS ones.
 */
export function stsEndpointUrl(choice: EndpointChoice): string {
  if (choice.override) return choice.override;
  const partition = partitionOf(choice.region);
  if (choice.useFips && !choice.useDualstack && partition.id === "aws-us-gov")
    return `https://sts.${choice.region}.amazonaws.com`;
  const host = choice.useFips ? "sts-fips" : "sts";
  const suffix = choice.useDualstack ? partition.dualStackDnsSuffix : partition.dnsSuffix;
  return `https://${host}.${choice.region}.${suffix}`;
}

/** Checks that a role ARN's partition is the Region's: a role in aws-cn cannot be assumed from us-east-1. */
export function checkSamePartition(input: string, arnPartition: string, region: string): void {
  const expected = partitionOf(region).id;
  if (arnPartition !== expected) {
    throw new InputError(
      input,
      `the role is in partition '${arnPartition}' but Region ${region} is in '${expected}'.`,
      `Use a Region of partition ${arnPartition}, or the role's ARN in ${expected} (arn:${expected}:iam::…).`,
    );
  }
}
