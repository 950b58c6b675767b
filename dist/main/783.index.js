export const id = 783;
export const ids = [783];
export const modules = {

/***/ 783:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  explainRefusal: () => (/* binding */ explainRefusal)
});

// EXTERNAL MODULE: ./src/diagnose/claims.ts
var diagnose_claims = __webpack_require__(727);
;// CONCATENATED MODULE: ./src/diagnose/refusal.ts
const DIAGNOSED_CODES = new Set(["AccessDenied", "InvalidIdentityToken", "ExpiredTokenException"]);
const IMMUTABLE_SUB = /^repo:[^/:@]+@[0-9]+\/[^/:@]+@[0-9]+:/;
const NAMED_SUB = /^repo:([^/:@]+)\/([^/:@]+):/;
function diagnoseRefusal(r) {
    const { claims } = r;
    const issuerKey = (claims.iss ?? "").replace(/^https?:\/\//, "").replace(/\/$/, "");
    const account = r.roleArn.split(":")[4] ?? "<account>";
    const lines = [
        `Diagnosis: STS refused the token (${r.code}) for ${r.roleArn}.`,
        "The token's claims (the token itself is never shown):",
    ];
    for (const [name, value] of Object.entries(claims))
        lines.push(`  ${name}: ${name === "exp" || name === "iat" || name === "nbf" ? asTime(value) : value}`);
    lines.push("A trust-policy condition that matches this token:", ...JSON.stringify({ StringEquals: { [`${issuerKey}:aud`]: claims.aud ?? "", [`${issuerKey}:sub`]: claims.sub ?? "" } }, null, 2)
        .split("\n")
        .map((l) => `  ${l}`), `with Principal { "Federated": "arn:${r.roleArn.split(":")[1] ?? "aws"}:iam::${account}:oidc-provider/${issuerKey}" }.`);
    const mistakes = usualMistakes(r, issuerKey, account);
    if (mistakes.length)
        lines.push("Look for these usual mistakes:", ...mistakes.map((m) => `  - ${m}`));
    return lines;
}
function usualMistakes(r, issuerKey, account) {
    const { claims, detail } = r;
    const sub = claims.sub ?? "";
    const aud = claims.aud ?? "";
    const found = [];
    if (/no openidconnect provider/i.test(detail)) {
        found.push(`Missing OIDC provider: account ${account} has no IAM OIDC provider for ${claims.iss ?? "the issuer"}. Create it: aws iam create-open-id-connect-provider --url ${claims.iss ?? "<issuer>"} --client-id-list ${aud}`);
    }
    if (/audience/i.test(detail) || (aud !== "" && aud !== "sts.amazonaws.com" && aud !== "sts.amazonaws.com.cn")) {
        found.push(`Audience mismatch: the token's aud is '${aud}'. The IAM OIDC provider must list '${aud}' as a client id (audience), and the condition ${issuerKey}:aud must equal it — or request the audience the provider has with the audience input.`);
    }
    if (r.code === "ExpiredTokenException" || isPast(claims.exp, r.now)) {
        found.push(`Expired token: it expired at ${asTime(claims.exp ?? "")}. Request the token right before the exchange, and check the runner's clock.`);
    }
    if (r.code === "AccessDenied") {
        if (IMMUTABLE_SUB.test(sub)) {
            found.push(`Immutable subject: this repository's sub carries owner and repository ids (${sub.split(":")[1]}). A condition written with names only (repo:owner/repo:…) does not match it; use the form above.`);
        }
        else {
            const named = NAMED_SUB.exec(sub);
            if (named) {
                found.push(`Subject format: this sub uses names only. Repositories created or renamed since 15 July 2026 get the immutable form repo:${named[1]}@${claims.repository_owner_id ?? "<owner id>"}/${named[2]}@${claims.repository_id ?? "<repo id>"}:…; a condition in that form does not match this token.`);
            }
        }
        if (sub.includes(":environment:")) {
            found.push(`Environment: the job runs in environment '${sub.split(":environment:")[1]}', so its sub ends in :environment:<name>, not :ref:<branch>; a branch condition does not match it.`);
        }
        if (sub.endsWith(":pull_request")) {
            found.push("Pull request: the sub ends in :pull_request, not :ref:<branch>; a branch condition does not match it.");
        }
        found.push("Wildcards: StringEquals compares '*' literally. Use StringLike for a pattern such as repo:octo-org/octo-repo:*.");
        found.push(`Provider: the trust policy's Principal must be the OIDC provider of account ${account}, and its Action sts:AssumeRoleWithWebIdentity.`);
    }
    return found;
}
function isPast(exp, now) {
    return exp !== undefined && Number(exp) * 1000 < now.getTime();
}
function asTime(seconds) {
    const n = Number(seconds);
    return Number.isFinite(n) && n > 0 ? `${new Date(n * 1000).toISOString()} (${seconds})` : seconds;
}

;// CONCATENATED MODULE: ./src/diagnose/explain.ts


/** The diagnosis lines for a refused AssumeRoleWithWebIdentity; none for other failures. */
function explainRefusal(error, token, plan, extraClaims) {
    if (error.operation !== "AssumeRoleWithWebIdentity" || !DIAGNOSED_CODES.has(error.code))
        return [];
    const role = plan.steps[0]?.role;
    const claims = (0,diagnose_claims/* readClaims */.I)(token, extraClaims);
    if (!claims || role?.kind !== "arn")
        return [];
    return diagnoseRefusal({ code: error.code, detail: error.detail, roleArn: role.arn, claims, now: new Date() });
}


/***/ })

};
