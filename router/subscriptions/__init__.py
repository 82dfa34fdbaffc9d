"""Subscriptions through the federation: clients speak graphql-transport-ws or GraphQL over
SSE to the router; the router subscribes on the owning subgraph over WebSocket and, for every
event, fetches the fields other subgraphs own before passing it on."""
