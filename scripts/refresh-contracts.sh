#!/usr/bin/env bash
# Copies the contract data from ../shared/conformance/ into data/contracts/ (see its README.md).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
shared="${WECHATPAY_SHARED_DIR:-$root/../shared}/conformance"
for file in contracts.jsonl events.jsonl; do
  [ -f "$shared/$file" ] || { echo "no $shared/$file" >&2; exit 1; }
  cp "$shared/$file" "$root/data/contracts/$file"
  chmod 0644 "$root/data/contracts/$file"
done
echo "data/contracts/ refreshed from $shared; rebuild, and run the docgen target for docs/endpoints.md"
