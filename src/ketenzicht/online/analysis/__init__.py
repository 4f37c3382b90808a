"""Online analysis: extraction, indicators, linking into networks, movement and scoring.

A library: it imports neither collection nor the workspace, so the CLI and batch jobs
use it without the web app or the crawler.
"""
