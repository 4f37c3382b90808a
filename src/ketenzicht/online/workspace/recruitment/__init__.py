"""Recruitment posts in the workspace: stored posts, recruiter accounts, pages, hand-over."""
