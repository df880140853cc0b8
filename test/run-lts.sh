#!/usr/bin/env bash
# Runs every test (test/run.sh) again on the current Node LTS, the release the Docker image runs,
# taken from the npm registry's `node` package: the machine's own Node may be older (Node 20).
set -euo pipefail
cd "$(dirname "$0")/.."

release=$(sed -n 's/^FROM node:\([0-9.]*\)-.*/\1/p' Dockerfile | head -n 1)
if [ -z "$release" ]; then
  echo "no exact Node release in the Dockerfile's FROM" >&2
  exit 1
fi
node_bin=$(npx --yes --package "node@$release" -c 'command -v node')
bin_dir=$(dirname "$node_bin")
if [ "$("$bin_dir/node" --version)" != "v$release" ]; then
  echo "the node package gave $("$bin_dir/node" --version), not v$release" >&2
  exit 1
fi
echo "running every test on Node $release ($bin_dir/node)"
PATH="$bin_dir:$PATH" bash test/run.sh
