"""What the bot knows: the official notices, their ingest into a search index, and the campaign
calendar taken from them. Adding a notice is its file plus a manifest entry, no code."""
