"""Isolation: a submission is files, never links, and its code runs as nobody, in a sandbox, with limits.

Takes a submission folder; gives a sandboxed kernel (bubblewrap, an unprivileged uid, no network) that
works in its own copy of it and sees nothing of the course or the grader.
"""
