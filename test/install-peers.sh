#!/usr/bin/env bash
# Installs the real peers that integration tests start, when they are missing. Idempotent.
# Each line: a command the tests run, and the Debian package that provides it.
set -euo pipefail
PEERS=(
  "slapd slapd"
  "ldapsearch ldap-utils"
  "chromium chromium"
  "postfix postfix"
  "postmap postfix"
  "swaks swaks"
  "smtp-sink postfix"
  "smtp-source postfix"
  "openssl openssl"
  "script bsdutils"
  "dnsmasq dnsmasq-base"
  "redis-server redis-server"
  "chrt util-linux"
)
# Each line: a Perl module a peer needs (swaks' STARTTLS), and its Debian package.
PERL_MODULES=(
  "Net::SSLeay libnet-ssleay-perl"
  "IO::Socket::SSL libio-socket-ssl-perl"
)
missing=()
need() { [[ " ${missing[*]} " == *" $1 "* ]] || missing+=("$1"); }
for peer in "${PEERS[@]}"; do
  read -r command package <<<"$peer"
  if ! command -v "$command" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$command" ]; then need "$package"; fi
done
for module in "${PERL_MODULES[@]}"; do
  read -r name package <<<"$module"
  perl -M"$name" -e1 >/dev/null 2>&1 || need "$package"
done
[ "${#missing[@]}" -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "test peers missing (${missing[*]}): install them as root with apt-get" >&2
  exit 1
fi
echo "installing test peers: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
if [[ " ${missing[*]} " == *" postfix "* ]]; then
  # No system mail is set up or started: tests run Postfix's tools (smtp-sink, smtp-source, postmap)
  # and a private instance with configuration and queue folders of its own (test/harness/postfix.ts).
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
fi
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
