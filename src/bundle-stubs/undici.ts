/**
 * Bundle stand-in for `undici`. @actions/http-client imports it only for fetch dispatchers
 * (getAgentDispatcher), which nothing in aws-oidc calls; parsing the real one costs about a
 * third of the action's start-up. Kept out of the bundle through tsconfig "paths".
 */
export class ProxyAgent {
  constructor() {
    throw new Error("aws-oidc: undici is not bundled; @actions/http-client's fetch dispatcher is not supported here.");
  }
}
