// Healthbook's GraphiQL: the explorer plugin, the docs, and a header editor that keeps the
// admin's token. Loaded from the router (no inline script; see router/graphiql.py).
(function () {
  "use strict";
  var root = document.getElementById("graphiql");
  var endpoint = root.getAttribute("data-endpoint") || "/graphql";
  var PLACEHOLDER = "Bearer <paste the accessToken from the login mutation>";

  var DEFAULT_QUERY = [
    "# Welcome to Healthbook's GraphiQL.",
    "#",
    "# 1. Sign in (run this mutation with the ▶ button):",
    "#",
    '#    mutation { login(input: { email: "admin@healthbook.local", password: "healthbook-demo" }) {',
    "#      accessToken } }",
    "#",
    "# 2. Paste the accessToken into the Headers tab below, in place of the placeholder:",
    '#    { "Authorization": "Bearer eyJ..." }  (GraphiQL keeps it for the next visit)',
    "#",
    "# 3. Explore: the Explorer and Docs buttons on the left list every field.",
    "",
    "query Doctors {",
    "  __typename",
    "}",
    "",
  ].join("\n");

  var base = GraphiQL.createFetcher({ url: endpoint, headers: { "x-healthbook-csrf": "1" } });

  // Drop the placeholder Authorization header until a real token is pasted.
  function fetcher(params, options) {
    var headers = Object.assign({}, (options && options.headers) || {});
    Object.keys(headers).forEach(function (name) {
      if (name.toLowerCase() === "authorization" && /</.test(String(headers[name]))) {
        delete headers[name];
      }
    });
    return base(params, Object.assign({}, options, { headers: headers }));
  }

  var search = new URLSearchParams(window.location.search);
  var explorer = GraphiQLPluginExplorer.explorerPlugin();
  ReactDOM.createRoot(root).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      plugins: [explorer],
      defaultQuery: DEFAULT_QUERY,
      query: search.get("query") || undefined,
      defaultHeaders: JSON.stringify({ Authorization: PLACEHOLDER }, null, 2),
      defaultEditorToolbarTabs: "headers",
      shouldPersistHeaders: true,
      isHeadersEditorEnabled: true,
    })
  );
})();
