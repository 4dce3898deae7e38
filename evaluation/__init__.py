"""Quality figures: NLU accuracy on the held-out set (and, later, answer accuracy)."""
