# shellcheck shell=sh
# aws-oidc.sh: exchange a CI's OIDC token for AWS credentials with STS
# AssumeRoleWithWebIdentity, using only a POSIX shell and curl or wget.
# Runs under dash, bash and BusyBox ash. Source it (`. aws-oidc.sh`) to export the
# credentials into the current shell, or set AWS_OIDC_OUTPUT to write them elsewhere.
#
# Configuration (environment):
#   AWS_OIDC_ROLE_ARN      role to assume (else AWS_ROLE_ARN)                      required
#   AWS_OIDC_REGION        Region (else AWS_REGION, AWS_DEFAULT_REGION)            required
#   AWS_OIDC_TOKEN_VAR     variable holding the token (default AWS_OIDC_TOKEN)
#   AWS_OIDC_TOKEN_FILE    or a file holding the token
#   AWS_OIDC_SESSION_NAME  role session name (default from the CI's run)
#   AWS_OIDC_DURATION      900-43200 seconds (default 3600)
#   AWS_OIDC_ENDPOINT      STS URL (else AWS_ENDPOINT_URL_STS, else the regional endpoint)
#   AWS_OIDC_OUTPUT        env (default), bash-env[:<file>] (default file $BASH_ENV), profile:<name>
#   AWS_OIDC_TIMEOUT       overall deadline in seconds (default 60)
#   AWS_OIDC_MAX_ATTEMPTS  attempts for errors that can succeed on a retry (default 5)
#   AWS_OIDC_HTTP_CLIENT   curl or wget (default: curl if installed, else wget)
# Never run with `set -x`: xtrace is switched off while this runs, and restored after.

_ao_fail() {
  printf 'aws-oidc: error: %s\n' "$1" >&2
  [ -n "${2:-}" ] && printf '  hint: %s\n' "$2" >&2
  return 1
}

_ao_log() {
  printf 'aws-oidc: %s\n' "$1" >&2
}

# Encodes the characters STS parameters may contain (their charsets are checked first).
_ao_urlencode() {
  printf '%s' "$1" | sed -e 's/%/%25/g' -e 's/+/%2B/g' -e 's/=/%3D/g' -e 's/,/%2C/g' \
    -e 's/@/%40/g' -e 's#/#%2F#g' -e 's/:/%3A/g' -e 's/ /%20/g'
}

# The text of the first <$1> element of the XML in $2.
_ao_xml() {
  printf '%s' "$2" | tr -d '\r\n' | sed -n "s:.*<$1>\\([^<]*\\)</$1>.*:\\1:p" |
    sed -e 's/&lt;/</g' -e 's/&gt;/>/g' -e 's/&quot;/"/g' -e "s/&apos;/'/g" -e 's/&amp;/\&/g'
}

_ao_validate() {
  _ao_role=${AWS_OIDC_ROLE_ARN:-${AWS_ROLE_ARN:-}}
  _ao_region=${AWS_OIDC_REGION:-${AWS_REGION:-${AWS_DEFAULT_REGION:-}}}
  [ -n "$_ao_role" ] || { _ao_fail "AWS_OIDC_ROLE_ARN is required." "Set it to the role's ARN, e.g. arn:aws:iam::123456789012:role/deploy."; return 1; }
  printf '%s' "$_ao_role" | grep -Eq '^arn:aws(-[a-z]+)*:iam::[0-9]{12}:role/([!-~]*/)?[A-Za-z0-9_+=,.@-]{1,64}$' ||
    { _ao_fail "AWS_OIDC_ROLE_ARN '$_ao_role' is not an IAM role ARN." "Expected arn:<partition>:iam::<12-digit account>:role/[path/]<name>."; return 1; }
  [ -n "$_ao_region" ] || { _ao_fail "AWS_OIDC_REGION is required." "Set it (or AWS_REGION) to a Region code such as eu-west-1."; return 1; }
  printf '%s' "$_ao_region" | grep -Eq '^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$' ||
    { _ao_fail "AWS_OIDC_REGION '$_ao_region' is not a Region code." "Use a code such as us-east-1 or eu-central-1."; return 1; }
  _ao_duration=${AWS_OIDC_DURATION:-3600}
  case $_ao_duration in '' | *[!0-9]*) _ao_fail "AWS_OIDC_DURATION '$_ao_duration' is not a whole number." "Use 900 to 43200 seconds."; return 1 ;; esac
  if [ "$_ao_duration" -lt 900 ] || [ "$_ao_duration" -gt 43200 ]; then
    _ao_fail "AWS_OIDC_DURATION $_ao_duration is out of range." "Use 900 to 43200 seconds (the role's maximum session duration must allow it)."
    return 1
  fi
  _ao_timeout=${AWS_OIDC_TIMEOUT:-60}
  case $_ao_timeout in '' | *[!0-9]* | 0) _ao_fail "AWS_OIDC_TIMEOUT '$_ao_timeout' is not a positive whole number of seconds."; return 1 ;; esac
  _ao_attempts=${AWS_OIDC_MAX_ATTEMPTS:-5}
  case $_ao_attempts in '' | *[!0-9]* | 0) _ao_fail "AWS_OIDC_MAX_ATTEMPTS '$_ao_attempts' is not a positive whole number."; return 1 ;; esac

  if [ -n "${AWS_OIDC_SESSION_NAME:-}" ]; then
    _ao_session=$AWS_OIDC_SESSION_NAME
    printf '%s' "$_ao_session" | grep -Eq '^[A-Za-z0-9_+=,.@-]{2,64}$' ||
      { _ao_fail "AWS_OIDC_SESSION_NAME '$_ao_session' is not a valid session name." "Use 2 to 64 characters of letters, digits and +=,.@_-."; return 1; }
  else
    # gitlab-<project>-<pipeline>, circleci-<project>-<build>, else aws-oidc-<time>; fitted to STS's rules.
    if [ -n "${CI_PIPELINE_ID:-}" ]; then _ao_session="gitlab-$(printf '%s' "${CI_PROJECT_PATH:-}" | tr '/' '.')-$CI_PIPELINE_ID"
    elif [ -n "${CIRCLE_BUILD_NUM:-}" ]; then _ao_session="circleci-${CIRCLE_PROJECT_REPONAME:-}-$CIRCLE_BUILD_NUM"
    else _ao_session="aws-oidc-$(date +%s)"; fi
    _ao_session=$(printf '%s' "$_ao_session" | tr -c 'A-Za-z0-9_+=,.@-' '-' | cut -c1-64)
  fi

  _ao_output=${AWS_OIDC_OUTPUT:-env}
  # bash-env alone means CircleCI's $BASH_ENV, which later steps source.
  if [ "$_ao_output" = bash-env ]; then
    [ -n "${BASH_ENV:-}" ] || { _ao_fail "AWS_OIDC_OUTPUT is bash-env but BASH_ENV is not set." "Use bash-env:<file>, or run in CircleCI."; return 1; }
    _ao_output="bash-env:$BASH_ENV"
  fi
  case $_ao_output in
    env | bash-env:?* | profile:?*) ;;
    *) _ao_fail "AWS_OIDC_OUTPUT '$_ao_output' is not an output." "Use env, bash-env:<file> or profile:<name>."; return 1 ;;
  esac
  case $_ao_output in profile:*)
    printf '%s' "${_ao_output#profile:}" | grep -Eq '^[A-Za-z0-9_.+=@-]{1,64}$' ||
      { _ao_fail "the profile name in AWS_OIDC_OUTPUT is not usable." "Use 1-64 letters, digits and _.+=@-."; return 1; } ;;
  esac

  _ao_endpoint=${AWS_OIDC_ENDPOINT:-${AWS_ENDPOINT_URL_STS:-}}
  if [ -z "$_ao_endpoint" ]; then
    case $_ao_region in cn-*) _ao_endpoint="https://sts.$_ao_region.amazonaws.com.cn" ;; *) _ao_endpoint="https://sts.$_ao_region.amazonaws.com" ;; esac
  fi
  case $_ao_endpoint in http://* | https://*) ;; *) _ao_fail "the STS endpoint '$_ao_endpoint' is not an http(s) URL."; return 1 ;; esac

  _ao_client=${AWS_OIDC_HTTP_CLIENT:-}
  case $_ao_client in
    curl | wget) command -v "$_ao_client" >/dev/null 2>&1 || { _ao_fail "AWS_OIDC_HTTP_CLIENT is $_ao_client, which is not installed."; return 1; } ;;
    "")
      if command -v curl >/dev/null 2>&1; then _ao_client=curl
      elif command -v wget >/dev/null 2>&1; then _ao_client=wget
      else _ao_fail "neither curl nor wget is installed." "Install one of them in the job's image."; return 1; fi ;;
    *) _ao_fail "AWS_OIDC_HTTP_CLIENT '$_ao_client' is not curl or wget."; return 1 ;;
  esac
}

# Reads the token into _ao_token without ever printing it.
_ao_read_token() {
  if [ -n "${AWS_OIDC_TOKEN_FILE:-}" ]; then
    [ -f "$AWS_OIDC_TOKEN_FILE" ] || { _ao_fail "AWS_OIDC_TOKEN_FILE is not a regular file."; return 1; }
    _ao_token=$(head -c 65536 "$AWS_OIDC_TOKEN_FILE" | tr -d ' \r\n')
  else
    _ao_var=${AWS_OIDC_TOKEN_VAR:-AWS_OIDC_TOKEN}
    printf '%s' "$_ao_var" | grep -Eq '^[A-Za-z_][A-Za-z0-9_]*$' || { _ao_fail "AWS_OIDC_TOKEN_VAR is not a variable name."; return 1; }
    eval "_ao_token=\${$_ao_var:-}"
    [ -n "$_ao_token" ] || {
      _ao_fail "$_ao_var is not set: there is no OIDC token." "GitLab: declare it under the job's id_tokens with aud: sts.amazonaws.com. CircleCI: use CIRCLE_OIDC_TOKEN_V2."
      return 1
    }
  fi
  printf '%s' "$_ao_token" | grep -Eq '^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$' ||
    { _ao_fail "the OIDC token is not a JWT (its value is not shown)."; return 1; }
}

# Non-secret claims of the token, for a refusal.
_ao_claims() {
  command -v base64 >/dev/null 2>&1 || return 0
  _ao_payload=$(printf '%s' "$_ao_token" | cut -d. -f2 | tr '_-' '/+')
  case $((${#_ao_payload} % 4)) in 2) _ao_payload="$_ao_payload==" ;; 3) _ao_payload="$_ao_payload=" ;; esac
  _ao_json=$(printf '%s' "$_ao_payload" | base64 -d 2>/dev/null) || return 0
  for _ao_claim in iss sub aud; do
    _ao_value=$(printf '%s' "$_ao_json" | sed -n "s/.*\"$_ao_claim\":\"\\([^\"]*\\)\".*/\\1/p")
    printf '  %s: %s\n' "$_ao_claim" "$_ao_value" >&2
  done
}

# One POST; sets _ao_status (HTTP status, 000 on a transport failure) and _ao_body.
_ao_post() {
  _ao_body=""
  _ao_status=000
  _ao_resp=$(mktemp) || return 1
  if [ "$_ao_client" = curl ]; then
    # The body (with the token) goes through stdin, never through argv.
    _ao_status=$(printf '%s' "$1" | curl -sS -o "$_ao_resp" -w '%{http_code}' --connect-timeout "$2" --max-time "$2" \
      -H 'Content-Type: application/x-www-form-urlencoded; charset=utf-8' --data-binary @- "$_ao_endpoint/" 2>/dev/null) || _ao_status=000
  else
    _ao_req=$(mktemp) || { rm -f "$_ao_resp"; return 1; }
    chmod 600 "$_ao_req"
    printf '%s' "$1" >"$_ao_req"
    # wget saves error bodies only with --content-on-error; its exit code 8 means an HTTP error.
    if wget -q -T "$2" -O "$_ao_resp" --content-on-error --header='Content-Type: application/x-www-form-urlencoded; charset=utf-8' \
      --post-file="$_ao_req" "$_ao_endpoint/" 2>/dev/null; then _ao_status=200
    elif grep -q '<ErrorResponse' "$_ao_resp" 2>/dev/null; then _ao_status=400
    else _ao_status=000; fi
    rm -f "$_ao_req"
  fi
  _ao_body=$(cat "$_ao_resp")
  rm -f "$_ao_resp"
}

_ao_sleep_backoff() {
  # Full jitter: a random wait below min(8, 0.5 * 2^(attempt-1)) seconds.
  _ao_cap=$(awk -v a="$1" 'BEGIN { c = 0.5 * 2 ^ (a - 1); if (c > 8) c = 8; print c }')
  _ao_rand=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
  _ao_wait=$(awk -v c="$_ao_cap" -v r="$_ao_rand" 'BEGIN { printf "%.2f", c * r / 65536 }')
  _ao_now=$(date +%s)
  if [ $((_ao_now + ${_ao_wait%.*} + 1)) -ge "$_ao_deadline" ]; then return 1; fi
  _ao_log "STS AssumeRoleWithWebIdentity attempt $1/$_ao_attempts failed ($_ao_reason); retrying in ${_ao_wait}s."
  sleep "$_ao_wait"
}

_ao_exchange() {
  _ao_form="Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=$(_ao_urlencode "$_ao_role")&RoleSessionName=$(_ao_urlencode "$_ao_session")&DurationSeconds=$_ao_duration&WebIdentityToken=$_ao_token"
  _ao_deadline=$(($(date +%s) + _ao_timeout))
  _ao_attempt=1
  while :; do
    _ao_left=$((_ao_deadline - $(date +%s)))
    [ "$_ao_left" -gt 0 ] || { _ao_fail "gave up: STS did not answer before the deadline (AWS_OIDC_TIMEOUT=${_ao_timeout}s)." "Check network access to $_ao_endpoint, or raise AWS_OIDC_TIMEOUT."; return 1; }
    [ "$_ao_left" -gt 10 ] && _ao_left=10
    _ao_post "$_ao_form" "$_ao_left" || return 1
    _ao_code=$(_ao_xml Code "$_ao_body")
    if [ "$_ao_status" = 200 ] && [ -z "$_ao_code" ]; then return 0; fi
    _ao_message=$(_ao_xml Message "$_ao_body")
    case $_ao_code in
      Throttling | ThrottlingException | RequestLimitExceeded | IDPCommunicationError | InternalFailure | ServiceUnavailable) _ao_retry=1 ;;
      InvalidIdentityToken) case $_ao_message in *verification\ key* | *retriev*) _ao_retry=1 ;; *) _ao_retry=0 ;; esac ;;
      "") case $_ao_status in 000 | 5* | 429 | 200) _ao_retry=1 ;; *) _ao_retry=0 ;; esac ;;
      *) _ao_retry=0 ;;
    esac
    if [ -n "$_ao_code" ]; then _ao_reason=$_ao_code; elif [ "$_ao_status" = 000 ]; then _ao_reason="no answer"; else _ao_reason="HTTP $_ao_status"; fi
    if [ "$_ao_retry" = 1 ] && [ "$_ao_attempt" -lt "$_ao_attempts" ] && _ao_sleep_backoff "$_ao_attempt"; then
      _ao_attempt=$((_ao_attempt + 1))
      continue
    fi
    _ao_explain
    return 1
  done
}

_ao_explain() {
  case $_ao_code in
    AccessDenied)
      _ao_fail "STS denied AssumeRoleWithWebIdentity on $_ao_role: $_ao_message" "The role's trust policy does not accept this token: check its aud and sub conditions against the claims below (StringLike for wildcards)."
      _ao_claims ;;
    InvalidIdentityToken)
      _ao_fail "STS rejected the OIDC token: $_ao_message" "The account needs an IAM OIDC provider whose URL is the token's iss and whose audiences include its aud."
      _ao_claims ;;
    ExpiredTokenException) _ao_fail "STS says the OIDC token has expired: $_ao_message" "Request the token right before the exchange." ;;
    ValidationError) _ao_fail "STS rejected a parameter: $_ao_message" "Check AWS_OIDC_DURATION against the role's maximum session duration, and the role ARN." ;;
    "")
      if [ "$_ao_status" = 000 ]; then _ao_fail "could not reach STS at $_ao_endpoint (after $_ao_attempt attempt(s))." "Check the endpoint, the Region and network access."
      else _ao_fail "STS at $_ao_endpoint answered HTTP $_ao_status without an STS response." "Check AWS_OIDC_ENDPOINT."; fi ;;
    *) _ao_fail "STS failed with $_ao_code after $_ao_attempt attempt(s): $_ao_message" ;;
  esac
}

# Credentials from the answer, checked against their charsets before any use.
_ao_parse() {
  _ao_key=$(_ao_xml AccessKeyId "$_ao_body")
  _ao_secret=$(_ao_xml SecretAccessKey "$_ao_body")
  _ao_stoken=$(_ao_xml SessionToken "$_ao_body")
  _ao_expiration=$(_ao_xml Expiration "$_ao_body")
  _ao_arn=$(_ao_xml Arn "$_ao_body")
  if printf '%s' "$_ao_key" | grep -Eq '^[A-Z0-9]{16,128}$' &&
    printf '%s' "$_ao_secret" | grep -Eq '^[A-Za-z0-9/+=]{16,}$' &&
    printf '%s' "$_ao_stoken" | grep -Eq '^[A-Za-z0-9/+=]{16,}$' &&
    printf '%s' "$_ao_expiration" | grep -Eq '^[0-9TZ:.-]+$'; then
    return 0
  fi
  _ao_fail "STS answered without usable credentials." "Check that AWS_OIDC_ENDPOINT is STS."
}

_ao_write() {
  case $_ao_output in
    env)
      AWS_ACCESS_KEY_ID=$_ao_key AWS_SECRET_ACCESS_KEY=$_ao_secret AWS_SESSION_TOKEN=$_ao_stoken
      AWS_REGION=$_ao_region AWS_DEFAULT_REGION=$_ao_region AWS_CREDENTIAL_EXPIRATION=$_ao_expiration
      export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_REGION AWS_DEFAULT_REGION AWS_CREDENTIAL_EXPIRATION ;;
    bash-env:*)
      # Values are base64 and ISO dates (checked above): single quotes hold them as they are.
      {
        printf "export AWS_ACCESS_KEY_ID='%s'\n" "$_ao_key"
        printf "export AWS_SECRET_ACCESS_KEY='%s'\n" "$_ao_secret"
        printf "export AWS_SESSION_TOKEN='%s'\n" "$_ao_stoken"
        printf "export AWS_REGION='%s'\nexport AWS_DEFAULT_REGION='%s'\n" "$_ao_region" "$_ao_region"
        printf "export AWS_CREDENTIAL_EXPIRATION='%s'\n" "$_ao_expiration"
      } >>"${_ao_output#bash-env:}" ;;
    profile:*) _ao_write_profile "${_ao_output#profile:}" ;;
  esac
}

# Replaces [name] in the credentials file (other sections and comments kept): 0600, via rename.
_ao_write_profile() {
  _ao_file=${AWS_SHARED_CREDENTIALS_FILE:-$HOME/.aws/credentials}
  _ao_dir=$(dirname "$_ao_file")
  if [ ! -d "$_ao_dir" ]; then
    (umask 077 && mkdir -p "$_ao_dir") || return 1
  fi
  _ao_tmp=$(mktemp "$_ao_dir/.credentials.XXXXXX") || return 1
  chmod 600 "$_ao_tmp"
  {
    [ -f "$_ao_file" ] && awk -v name="[$1]" '
      /^[[:space:]]*\[/ { skip = ($0 ~ /^[[:space:]]*\[[^]]*\]/ && $1 == name) }
      !skip { print }' "$_ao_file"
    printf '[%s]\naws_access_key_id = %s\naws_secret_access_key = %s\naws_session_token = %s\n' "$1" "$_ao_key" "$_ao_secret" "$_ao_stoken"
  } >"$_ao_tmp" || { rm -f "$_ao_tmp"; _ao_fail "could not write $_ao_file."; return 1; }
  mv "$_ao_tmp" "$_ao_file" || { rm -f "$_ao_tmp"; _ao_fail "could not replace $_ao_file."; return 1; }
}

_ao_cleanup() {
  unset _ao_token _ao_form _ao_body _ao_key _ao_secret _ao_stoken _ao_payload _ao_json
}

aws_oidc_assume() {
  _ao_validate && _ao_read_token && _ao_exchange && _ao_parse && _ao_write
  _ao_rc=$?
  [ "$_ao_rc" = 0 ] && _ao_log "assumed $_ao_arn (session $_ao_session) until $_ao_expiration."
  _ao_cleanup
  return "$_ao_rc"
}

# Secrets must never reach a trace: switch xtrace off while this runs.
case $- in *x*) _ao_xtrace=1; set +x ;; *) _ao_xtrace=0 ;; esac
aws_oidc_assume
_ao_result=$?
[ "$_ao_xtrace" = 1 ] && set -x
unset _ao_xtrace
# shellcheck disable=SC2240
[ "$_ao_result" = 0 ]
