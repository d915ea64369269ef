"""`make bench`: speed and memory beside the peer generators (see run.py). Not collected by pytest."""
