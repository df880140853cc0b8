#!/usr/bin/env bash
# Installs the real peers that integration tests start, when they are missing. Idempotent.
# Each line: a command the tests run, and the Debian package that provides it.
set -euo pipefail
PEERS=(
  "slapd slapd"
  "ldapsearch ldap-utils"
  "chromium chromium"
  "postmap postfix"
  "swaks swaks"
  "smtp-sink postfix"
  "smtp-source postfix"
)
missing=()
for peer in "${PEERS[@]}"; do
  read -r command package <<<"$peer"
  if ! command -v "$command" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$command" ]; then
    [[ " ${missing[*]} " == *" $package "* ]] || missing+=("$package")
  fi
done
[ "${#missing[@]}" -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "test peers missing (${missing[*]}): install them as root with apt-get" >&2
  exit 1
fi
echo "installing test peers: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
if [[ " ${missing[*]} " == *" postfix "* ]]; then
  # Tests only run Postfix's tools (smtp-sink, smtp-source, postmap): no mail system is set up or started.
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
fi
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
