import { randomBytes, randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { applyTransportFault, FaultPlan } from "./faults.js";
import { listenLocal, send, type LocalServer } from "./http.js";
import { CI_SHAPES, type CiName } from "./ci-claims.js";
import { newSigningKey, signJwt, type Claims, type SigningKey } from "./jwt.js";

/** The GitHub run the emulated runtime token service speaks for. */
export interface GithubRun {
  owner: string;
  ownerId: string;
  repo: string;
  repoId: string;
  ref: string;
  sha: string;
  workflow: string;
  actor: string;
  actorId: string;
  eventName: string;
  runId: string;
  runNumber: string;
  runAttempt: string;
  environment?: string;
  /** The 2026 default `sub` format that carries the owner's and repository's immutable ids. */
  immutableSub?: boolean;
}

export const DEFAULT_GITHUB_RUN: GithubRun = {
  owner: "octo-org",
  ownerId: "5678901",
  repo: "octo-repo",
  repoId: "123456789",
  ref: "refs/heads/main",
  sha: "7c5e3b1d2f4a6b8c9d0e1f2a3b4c5d6e7f8a9b0c",
  workflow: "deploy",
  actor: "octocat",
  actorId: "583231",
  eventName: "push",
  runId: "4242424242",
  runNumber: "17",
  runAttempt: "1",
};

/**
 * A local OIDC issuer: discovery, JWKS, and an emulation of GitHub Actions' runtime
 * token service (bearer check, `audience` query parameter → `aud`, GitHub's claim set).
 */
export class Issuer {
  readonly key: SigningKey = newSigningKey();
  /** The bearer the runtime token service accepts (ACTIONS_ID_TOKEN_REQUEST_TOKEN). */
  readonly requestBearer = randomBytes(24).toString("hex");
  readonly faults = new FaultPlan();
  /** Audiences asked for, in order, with whether the bearer was right. */
  readonly tokenRequests: { audience: string | null; authorized: boolean }[] = [];
  /** Every token this issuer signed, so tests can look for leaks. */
  readonly issued: string[] = [];
  github: GithubRun = { ...DEFAULT_GITHUB_RUN };
  private server?: LocalServer;

  get url(): string {
    if (!this.server) throw new Error("issuer not started");
    return this.server.url;
  }

  /** ACTIONS_ID_TOKEN_REQUEST_URL as the runner sets it (already carrying a query). */
  get githubRequestUrl(): string {
    return `${this.url}/_apis/distributedtask/hubs/Actions/plans/${randomUUID()}/jobs/1/idtoken?api-version=2.0`;
  }

  async start(): Promise<this> {
    this.server = await listenLocal((req, res) => void this.handle(req, res));
    return this;
  }

  async stop(): Promise<void> {
    await this.server?.stop();
  }

  /** Signs a token with this issuer's key; `iss`, `iat`, `nbf`, `exp`, `jti` filled in. */
  mint(claims: Claims, lifetimeSeconds = 300): string {
    const now = Math.floor(Date.now() / 1000);
    const token = signJwt(this.key, {
      jti: randomUUID(),
      iss: this.url,
      iat: now,
      nbf: now,
      exp: now + lifetimeSeconds,
      ...claims,
    });
    this.issued.push(token);
    return token;
  }

  /** A token in the claim shape of another CI, for its default audience unless one is given. */
  mintFor(ci: CiName, audience?: string): string {
    const shape = CI_SHAPES[ci];
    return this.mint({ ...shape.claims, aud: audience ?? shape.audience });
  }

  /** The bearer Azure DevOps' token service accepts (SYSTEM_ACCESSTOKEN). */
  readonly azureAccessToken = randomBytes(24).toString("hex");

  /** SYSTEM_OIDCREQUESTURI as an Azure DevOps job has it. */
  get azureRequestUri(): string {
    return `${this.url}/acme/${randomUUID()}/_apis/distributedtask/hubs/build/plans/${randomUUID()}/jobs/${randomUUID()}/oidctoken`;
  }

  /** GitHub's claim set for the current run. */
  githubClaims(audience: string): Claims {
    const g = this.github;
    const repository = `${g.owner}/${g.repo}`;
    const subject = g.environment ? `environment:${g.environment}` : `ref:${g.ref}`;
    const repoPart = g.immutableSub ? `${g.owner}@${g.ownerId}/${g.repo}@${g.repoId}` : repository;
    const workflowRef = `${repository}/.github/workflows/${g.workflow}.yml@${g.ref}`;
    return {
      sub: `repo:${repoPart}:${subject}`,
      aud: audience,
      ref: g.ref,
      sha: g.sha,
      repository,
      repository_owner: g.owner,
      repository_owner_id: g.ownerId,
      repository_id: g.repoId,
      repository_visibility: "private",
      run_id: g.runId,
      run_number: g.runNumber,
      run_attempt: g.runAttempt,
      actor: g.actor,
      actor_id: g.actorId,
      workflow: g.workflow,
      head_ref: "",
      base_ref: "",
      event_name: g.eventName,
      ref_type: "branch",
      ref_protected: "true",
      workflow_ref: workflowRef,
      workflow_sha: g.sha,
      job_workflow_ref: workflowRef,
      job_workflow_sha: g.sha,
      runner_environment: "github-hosted",
      ...(g.environment ? { environment: g.environment } : {}),
    };
  }

  /** The variables a GitHub runner sets for a job with `id-token: write`. */
  githubEnv(): Record<string, string> {
    const g = this.github;
    return {
      GITHUB_ACTIONS: "true",
      GITHUB_REPOSITORY: `${g.owner}/${g.repo}`,
      GITHUB_REPOSITORY_OWNER: g.owner,
      GITHUB_RUN_ID: g.runId,
      GITHUB_RUN_NUMBER: g.runNumber,
      GITHUB_RUN_ATTEMPT: g.runAttempt,
      GITHUB_WORKFLOW: g.workflow,
      GITHUB_ACTOR: g.actor,
      GITHUB_SHA: g.sha,
      GITHUB_REF: g.ref,
      GITHUB_EVENT_NAME: g.eventName,
      ACTIONS_ID_TOKEN_REQUEST_URL: this.githubRequestUrl,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: this.requestBearer,
    };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.url);
    if (url.pathname === "/.well-known/openid-configuration") {
      return send(res, 200, "application/json", JSON.stringify(this.discovery()));
    }
    if (url.pathname === "/.well-known/jwks") {
      return send(res, 200, "application/json", JSON.stringify({ keys: [this.key.jwk] }));
    }
    if (url.pathname === "/_sandbox/mint") {
      // For tests in another process: a token with the given aud, sub and lifetime (seconds, may be negative).
      const token = this.mint(
        { aud: url.searchParams.get("aud") ?? "sts.amazonaws.com", sub: url.searchParams.get("sub") ?? "sandbox" },
        Number(url.searchParams.get("ttl") ?? "300"),
      );
      return send(res, 200, "text/plain", token);
    }
    if (url.pathname.endsWith("/idtoken") && req.method === "GET") return this.githubToken(req, res, url);
    if (url.pathname.endsWith("/oidctoken") && req.method === "POST") return this.azureToken(req, res, url);
    send(res, 404, "text/plain", "not found\n");
  }

  private discovery() {
    return {
      issuer: this.url,
      jwks_uri: `${this.url}/.well-known/jwks`,
      subject_types_supported: ["public", "pairwise"],
      response_types_supported: ["id_token"],
      id_token_signing_alg_values_supported: ["RS256"],
      claims_supported: [
        "sub",
        "aud",
        "exp",
        "iat",
        "iss",
        "jti",
        "nbf",
        "ref",
        "repository",
        "repository_id",
        "job_workflow_ref",
      ],
      scopes_supported: ["openid"],
    };
  }

  /** Azure DevOps: POST …/oidctoken?api-version=7.1&serviceConnectionId=… with the job's access token. */
  private async azureToken(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const authorized = req.headers.authorization === `Bearer ${this.azureAccessToken}`;
    this.tokenRequests.push({ audience: url.searchParams.get("serviceConnectionId"), authorized });
    const fault = this.faults.take();
    if (fault && (await applyTransportFault(fault, res))) return;
    if (!authorized) return send(res, 401, "application/json", JSON.stringify({ message: "Unauthorized" }));
    if (url.searchParams.get("api-version") !== "7.1" || !url.searchParams.get("serviceConnectionId")) {
      return send(
        res,
        400,
        "application/json",
        JSON.stringify({ message: "api-version and serviceConnectionId are required" }),
      );
    }
    send(res, 200, "application/json", JSON.stringify({ oidcToken: this.mintFor("azure-devops") }));
  }

  private async githubToken(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const authorized = req.headers.authorization === `Bearer ${this.requestBearer}`;
    const audience = url.searchParams.get("audience");
    this.tokenRequests.push({ audience, authorized });
    const fault = this.faults.take();
    if (fault && (await applyTransportFault(fault, res))) return;
    if (!authorized) return send(res, 401, "application/json", JSON.stringify({ message: "Unauthorized" }));
    if (fault?.kind === "error") {
      return send(
        res,
        fault.status ?? 500,
        "application/json",
        JSON.stringify({ message: fault.message ?? fault.code }),
      );
    }
    if (fault?.kind === "truncated") return send(res, 200, "application/json", '{"value":"eyJ');
    const aud = audience ?? `https://github.com/${this.github.owner}`;
    send(res, 200, "application/json", JSON.stringify({ count: 1, value: this.mint(this.githubClaims(aud)) }));
  }
}
