"""`make chat`: a terminal chat that talks to the running system exactly as WeChat does."""
