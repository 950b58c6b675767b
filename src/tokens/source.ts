/** The shape every token source shares (see DESIGN.md, "Token sources"). */

export type Env = Readonly<Record<string, string | undefined>>;

/** Non-secret facts about the run, for default session names and session tags. */
export interface RunMetadata {
  /** Short CI label used as the session-name prefix, e.g. `gha`. */
  readonly ci: string;
  /** The project the run belongs to, e.g. `octo-org/octo-repo`. */
  readonly project?: string;
  /** The run's id and attempt, which make a session name unique in CloudTrail. */
  readonly runId?: string;
  readonly attempt?: string;
  /** Candidate session tags (key → value), not yet sanitized. */
  readonly tags: Readonly<Record<string, string>>;
}

export interface TokenRequestOptions {
  /** Upper bound for one request to the token service. */
  readonly timeoutMs: number;
  /** For what the user should know but that does not stop the exchange (an audience that could not be honoured). */
  readonly warn?: (line: string) => void;
}

/** What the user told us about where the token is, beyond auto-detection. */
export interface TokenSourceOptions {
  /** The variable that holds the token (GitLab's id_tokens name, TFC's tagged variable, any variable). */
  readonly variable?: string;
  /** A command line that prints a token. */
  readonly command?: string;
  /** A file that holds the token. */
  readonly file?: string;
  /** Azure DevOps: the service connection the token is issued for. */
  readonly serviceConnectionId?: string;
  readonly cwd: string;
}

export interface TokenSource {
  /** The name users give to pick this source, e.g. `github`. */
  readonly name: string;
  /** Whether the environment shows that this CI is running us. */
  detect(): boolean;
  /** An OIDC ID token whose `aud` is `audience`. */
  getToken(audience: string, options: TokenRequestOptions): Promise<string>;
  metadata(): RunMetadata;
  /** Non-secret claims worth showing when STS refuses this source's token. */
  readonly diagnosticClaims: readonly string[];
}
