"""The identity subgraph: users, credentials, roles, profiles and sessions."""
