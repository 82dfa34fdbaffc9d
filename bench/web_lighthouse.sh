#!/usr/bin/env bash
# Lighthouse performance (default mobile emulation: simulated slow 4G, 4x CPU slowdown) of the
# web app's search page and a doctor's page, against Debian's chromium.
# Usage: bash bench/web_lighthouse.sh http://127.0.0.1:4000   (with `make run` serving it)
# Lighthouse comes from npm into a temporary folder (it is not a dependency of the project).
set -euo pipefail
base=${1:-http://127.0.0.1:4000}
tool=$(mktemp -d)
npm install --prefix "$tool" --no-audit --no-fund --loglevel=error lighthouse@12 >/dev/null
doctor=$(curl -s "$base/graphql" -H 'content-type: application/json' \
  -d '{"query":"{ doctors(filter:{city:\"Berlin\"}) { nodes { id } } }"}' \
  | python3 -c "import json,sys; print(json.load(sys.stdin)['data']['doctors']['nodes'][0]['id'])")
for page in "/" "/doctors/$doctor"; do
  out="$tool/report.json"
  CHROME_PATH=${CHROMIUM:-/usr/bin/chromium} "$tool/node_modules/.bin/lighthouse" "$base$page" \
    --only-categories=performance --quiet --output=json --output-path="$out" \
    --chrome-flags="--headless --no-sandbox --disable-gpu"
  python3 - "$out" "$page" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); a = r["audits"]
print(f"{sys.argv[2]:<50} score {round(r['categories']['performance']['score'] * 100):>3}  "
      f"FCP {a['first-contentful-paint']['displayValue']}  LCP {a['largest-contentful-paint']['displayValue']}  "
      f"TBT {a['total-blocking-time']['displayValue']}")
PY
done
rm -rf "$tool"
