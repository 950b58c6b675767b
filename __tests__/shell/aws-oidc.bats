#!/usr/bin/env bats
# scripts/aws-oidc.sh under the shell in SHELL_UNDER_TEST ("dash", "bash", "busybox sh"),
# against the sandbox STS (SANDBOX_STS_URL, its fault knobs over HTTP) and moto (MOTO_URL).
# Driven by __tests__/shell-script.test.ts, which starts both.

SCRIPT="$BATS_TEST_DIRNAME/../../scripts/aws-oidc.sh"
ROLE="arn:aws:iam::123456789012:role/ci"

setup() {
  TMP=$(mktemp -d)
  TOKEN=$(curl -sf "$SANDBOX_ISSUER_URL/_sandbox/mint?aud=sts.amazonaws.com&sub=project_path:platform/payments:ref_type:branch:ref:main")
  curl -sf -X POST "$SANDBOX_STS_URL/_sandbox/reset" >/dev/null
}

teardown() {
  rm -rf "$TMP"
}

# Sources the script in the shell under test with a clean environment plus "$@" (NAME=value),
# then prints what a later line of the job would see.
assume() {
  run env -i PATH="$PATH" HOME="$TMP" SCRIPT="$SCRIPT" AWS_OIDC_TOKEN="$TOKEN" AWS_OIDC_ROLE_ARN="$ROLE" \
    AWS_OIDC_REGION=eu-west-1 AWS_OIDC_ENDPOINT="$SANDBOX_STS_URL" "$@" \
    $SHELL_UNDER_TEST -c '. "$SCRIPT" || exit $?; printf "key=%s region=%s\n" "$AWS_ACCESS_KEY_ID" "$AWS_REGION"'
}

fault() {
  curl -sf -X POST "$SANDBOX_STS_URL/_sandbox/fault" -d "$1" >/dev/null
}

requests() {
  curl -sf "$SANDBOX_STS_URL/_sandbox/requests" | grep -o AssumeRoleWithWebIdentity | wc -l | tr -d ' '
}

no_leak() {
  # Nothing printed may hold the token or a secret key the sandbox handed out.
  case "$output" in *"$TOKEN"*) echo "token leaked"; return 1 ;; esac
  case "$output" in *"$(printf '%s' "$TOKEN" | cut -d. -f3)"*) echo "token signature leaked"; return 1 ;; esac
}

@test "exports working credentials into the current shell" {
  assume
  [ "$status" -eq 0 ]
  [[ "$output" == *"key=ASIA"*" region=eu-west-1"* ]]
  [[ "$output" == *"aws-oidc: assumed arn:aws:sts::123456789012:assumed-role/ci/aws-oidc-"* ]]
  no_leak
}

@test "names the session after the GitLab pipeline" {
  assume CI_PIPELINE_ID=987 CI_PROJECT_PATH=platform/payments
  [ "$status" -eq 0 ]
  [[ "$output" == *"(session gitlab-platform.payments-987)"* ]]
}

@test "AccessDenied: the trust-policy hint and the token's claims, one attempt" {
  assume AWS_OIDC_ROLE_ARN=arn:aws:iam::123456789012:role/denied
  [ "$status" -eq 1 ]
  [[ "$output" == *"aws-oidc: error: STS denied AssumeRoleWithWebIdentity on arn:aws:iam::123456789012:role/denied: Not authorized"* ]]
  [[ "$output" == *"hint: The role's trust policy does not accept this token"* ]]
  [[ "$output" == *"  sub: project_path:platform/payments:ref_type:branch:ref:main"* ]]
  [ "$(requests)" -eq 1 ]
  no_leak
}

@test "InvalidIdentityToken: an audience the provider does not list" {
  TOKEN=$(curl -sf "$SANDBOX_ISSUER_URL/_sandbox/mint?aud=other&sub=x")
  assume
  [ "$status" -eq 1 ]
  [[ "$output" == *"STS rejected the OIDC token: Incorrect token audience"* ]]
  [[ "$output" == *"  aud: other"* ]]
}

@test "ExpiredTokenException" {
  TOKEN=$(curl -sf "$SANDBOX_ISSUER_URL/_sandbox/mint?aud=sts.amazonaws.com&sub=x&ttl=-60")
  assume
  [ "$status" -eq 1 ]
  [[ "$output" == *"STS says the OIDC token has expired"* ]]
}

@test "ValidationError from STS" {
  fault '{"fault":{"kind":"error","code":"ValidationError","message":"1 validation error detected"}}'
  assume
  [ "$status" -eq 1 ]
  [[ "$output" == *"STS rejected a parameter: 1 validation error detected"* ]]
}

@test "throttling, then success" {
  fault '{"fault":{"kind":"error","code":"Throttling","message":"Rate exceeded"},"times":2}'
  assume
  [ "$status" -eq 0 ]
  [[ "$output" == *"attempt 1/5 failed (Throttling); retrying in"* ]]
  [ "$(requests)" -eq 3 ]
}

@test "a 503, then success" {
  fault '{"fault":{"kind":"status","status":503}}'
  assume
  [ "$status" -eq 0 ]
  [[ "$output" == *"failed (HTTP 503)"* ]]
}

@test "persistent throttling stops at AWS_OIDC_MAX_ATTEMPTS" {
  fault '{"fault":{"kind":"error","code":"Throttling","message":"Rate exceeded"},"times":50}'
  assume AWS_OIDC_MAX_ATTEMPTS=2
  [ "$status" -eq 1 ]
  [[ "$output" == *"STS failed with Throttling after 2 attempt(s): Rate exceeded"* ]]
  [ "$(requests)" -eq 2 ]
}

@test "a hung STS is cut by the deadline" {
  fault '{"fault":{"kind":"hang"},"times":50}'
  start=$(date +%s)
  assume AWS_OIDC_TIMEOUT=3
  [ "$status" -eq 1 ]
  [ $(($(date +%s) - start)) -lt 8 ]
  [[ "$output" == *"aws-oidc: error: "* ]]
}

@test "bad inputs are refused before any request" {
  for case in "AWS_OIDC_ROLE_ARN=|AWS_OIDC_ROLE_ARN is required" \
    "AWS_OIDC_ROLE_ARN=deploy|is not an IAM role ARN" \
    "AWS_OIDC_REGION=Ireland|is not a Region code" \
    "AWS_OIDC_DURATION=60|AWS_OIDC_DURATION 60 is out of range" \
    "AWS_OIDC_DURATION=1h|is not a whole number" \
    "AWS_OIDC_SESSION_NAME=a b|is not a valid session name" \
    "AWS_OIDC_OUTPUT=stdout|is not an output" \
    "AWS_OIDC_OUTPUT=profile:a]b|profile name in AWS_OIDC_OUTPUT is not usable" \
    "AWS_OIDC_TOKEN=|AWS_OIDC_TOKEN is not set: there is no OIDC token" \
    "AWS_OIDC_TOKEN=not-a-jwt|the OIDC token is not a JWT" \
    "AWS_OIDC_ENDPOINT=sts.example|is not an http(s) URL" \
    "AWS_OIDC_HTTP_CLIENT=fetch|is not curl or wget"; do
    assume "${case%%|*}"
    [ "$status" -eq 1 ] || { echo "accepted: ${case%%|*}"; return 1; }
    [[ "$output" == *"${case#*|}"* ]] || { echo "for ${case%%|*}: $output"; return 1; }
  done
  [ "$(requests)" -eq 0 ]
}

@test "xtrace in the caller never shows a secret" {
  run env -i PATH="$PATH" HOME="$TMP" SCRIPT="$SCRIPT" AWS_OIDC_TOKEN="$TOKEN" AWS_OIDC_ROLE_ARN="$ROLE" \
    AWS_OIDC_REGION=eu-west-1 AWS_OIDC_ENDPOINT="$SANDBOX_STS_URL" \
    $SHELL_UNDER_TEST -c 'set -x; . "$SCRIPT"; printf "%s\n" "$-"'
  [ "$status" -eq 0 ]
  [[ "${lines[-1]}" == *x* ]]
  no_leak
  secret=$(env -i PATH="$PATH" HOME="$TMP" SCRIPT="$SCRIPT" AWS_OIDC_TOKEN="$TOKEN" AWS_OIDC_ROLE_ARN="$ROLE" \
    AWS_OIDC_REGION=eu-west-1 AWS_OIDC_ENDPOINT="$SANDBOX_STS_URL" $SHELL_UNDER_TEST -c '. "$SCRIPT" 2>/dev/null; printf "%s" "$AWS_SECRET_ACCESS_KEY"')
  [ -n "$secret" ]
  [[ "$output" != *"$secret"* ]]
}

@test "bash-env: appends exports for later steps (CircleCI's BASH_ENV)" {
  assume AWS_OIDC_OUTPUT="bash-env:$TMP/bash_env"
  [ "$status" -eq 0 ]
  [[ "$output" == *"key= region="* ]]
  run bash -c ". '$TMP/bash_env'; printf '%s %s' \"\$AWS_ACCESS_KEY_ID\" \"\$AWS_DEFAULT_REGION\""
  [[ "$output" == "ASIA"*" eu-west-1" ]]
}

@test "profile: writes a 0600 profile that the AWS CLI uses, keeping other sections" {
  mkdir -p "$TMP/.aws"
  printf '# mine\n[default]\naws_access_key_id = AKIAMINE\naws_secret_access_key = keep\n' >"$TMP/.aws/credentials"
  assume AWS_OIDC_OUTPUT=profile:ci
  [ "$status" -eq 0 ]
  [ "$(stat -c %a "$TMP/.aws/credentials")" = 600 ]
  grep -q '^aws_secret_access_key = keep$' "$TMP/.aws/credentials"
  assume AWS_OIDC_OUTPUT=profile:ci
  [ "$(grep -c '^\[ci\]$' "$TMP/.aws/credentials")" -eq 1 ]
  run env -i PATH="$PATH" HOME="$TMP" AWS_DEFAULT_REGION=eu-west-1 aws sts get-caller-identity --profile ci --endpoint-url "$SANDBOX_STS_URL" --query Arn --output text
  [ "$status" -eq 0 ]
  [[ "$output" == "arn:aws:sts::123456789012:assumed-role/ci/"* ]]
}

@test "wget works as well as curl" {
  assume AWS_OIDC_HTTP_CLIENT=wget
  [ "$status" -eq 0 ]
  [[ "$output" == *"key=ASIA"* ]]
  assume AWS_OIDC_HTTP_CLIENT=wget AWS_OIDC_ROLE_ARN=arn:aws:iam::123456789012:role/denied
  [ "$status" -eq 1 ]
  [[ "$output" == *"STS denied AssumeRoleWithWebIdentity"* ]]
}

@test "against moto" {
  assume AWS_OIDC_ENDPOINT="$MOTO_URL" AWS_OIDC_ROLE_ARN=arn:aws:iam::210987654321:role/moto
  [ "$status" -eq 0 ]
  [[ "$output" == *"assumed arn:aws:sts::210987654321:assumed-role/moto/"* ]]
}
