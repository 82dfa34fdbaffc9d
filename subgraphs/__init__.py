"""The four domain subgraphs and the small shared plumbing package they all use."""
