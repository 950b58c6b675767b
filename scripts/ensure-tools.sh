#!/usr/bin/env bash
# The real tools the tests drive, from Debian's packages: the AWS CLI v2 (reads what we
# write; the machine image ships v1 and moto), dash, BusyBox and bash for the shell script,
# fish for the shell-format round trips, shellcheck for lint, rsync and git for
# gitlab-ci-local. Installs what is missing.
set -euo pipefail

missing=()
/usr/bin/aws --version 2>/dev/null | grep -q '^aws-cli/2' || missing+=(awscli)
for tool in dash busybox fish shellcheck curl wget rsync git; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "Missing test tools: ${missing[*]}. Install them (Debian: apt-get install ${missing[*]})." >&2
  exit 1
fi
echo "--- installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
