"""Doctors' rules, free of I/O: profiles, onboarding, availability and open-slot computation."""
