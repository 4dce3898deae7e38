"""The queue worker: answers that missed the passive reply, and later pushes and broadcasts."""
