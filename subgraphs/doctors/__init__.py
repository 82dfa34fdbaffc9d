"""The doctors subgraph: profiles, onboarding, availability, open slots and search."""
