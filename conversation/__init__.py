"""One conversation turn from WeChat to Rasa and back: the once-only ledger, the Rasa client,
and the code that answers a turn (in the web process, or later in the worker)."""
