#!/usr/bin/env bash
# Installs the real peers that integration tests start, when they are missing. Idempotent.
# Each line: a command the tests run, and the Debian package that provides it.
set -euo pipefail
PEERS=(
  "slapd slapd"
  "ldapsearch ldap-utils"
  "chromium chromium"
)
missing=()
for peer in "${PEERS[@]}"; do
  read -r command package <<<"$peer"
  if ! command -v "$command" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$command" ]; then
    missing+=("$package")
  fi
done
[ "${#missing[@]}" -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "test peers missing (${missing[*]}): install them as root with apt-get" >&2
  exit 1
fi
echo "installing test peers: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
