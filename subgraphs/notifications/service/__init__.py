"""The notifications subgraph's use cases: intake of events, planning, waiting for contacts,
delivery, the reminder dispatcher and the inbox.
"""
