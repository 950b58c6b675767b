import * as client from "openid-client";
import { startDeviceProvider } from "./device-provider.js";
const p = await startDeviceProvider();
const config = await client.discovery(new URL(p.issuer), p.clientId, undefined, client.None(), {
  execute: [client.allowInsecureRequests],
});
const da = await client.initiateDeviceAuthorization(config, { scope: "openid offline_access" });
console.log("user code", da.user_code, da.verification_uri, da.interval);
void p.approve(da.user_code).then(
  () => console.log("approved"),
  (e) => console.log("approve failed", e),
);
const tokens = await client.pollDeviceAuthorizationGrant(config, da);
console.log("id_token?", !!tokens.id_token, "refresh?", !!tokens.refresh_token);
const again = await client.refreshTokenGrant(config, tokens.refresh_token!);
console.log("refreshed id_token?", !!again.id_token);
await p.stop();
