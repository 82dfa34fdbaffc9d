"""The Healthbook router: an Apollo Federation v2 gateway written in Python."""
