#!/usr/bin/env bash
# Copy GraphiQL and what it needs from schema/node_modules (pinned by schema/package-lock.json)
# into router/static/vendor/, which the router serves itself: no CDN at run time.
set -euo pipefail
cd "$(dirname "$0")/.."
from=schema/node_modules
to=router/static/vendor
mkdir -p "$to"
cp "$from/react/umd/react.production.min.js" "$to/react.production.min.js"
cp "$from/react-dom/umd/react-dom.production.min.js" "$to/react-dom.production.min.js"
cp "$from/graphiql/graphiql.min.js" "$to/graphiql.min.js"
cp "$from/graphiql/graphiql.min.css" "$to/graphiql.min.css"
cp "$from/@graphiql/plugin-explorer/dist/index.umd.js" "$to/plugin-explorer.umd.js"
cp "$from/@graphiql/plugin-explorer/dist/style.css" "$to/plugin-explorer.css"
for package in react react-dom graphiql @graphiql/plugin-explorer; do
  node -e "const p=require('./$from/$package/package.json'); console.log(p.name + '@' + p.version + ' ' + (p.license || ''))"
done > "$to/VERSIONS"
echo "GraphiQL assets copied to $to"
