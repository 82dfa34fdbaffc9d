"""The waitlist: patients waiting for a doctor's freed slots (rules here, use cases in
`service/waitlist.py` and `service/waitlist_offers.py`)."""
