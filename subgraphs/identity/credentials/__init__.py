"""What only identity has: password rules and hashing, login throttling, signing keys and token
issuing.
"""
