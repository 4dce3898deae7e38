"""Job openings: the postings store, their import and review, and (to come) search and pushes."""
