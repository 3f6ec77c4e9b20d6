"""Participation: polls, priority ranks, government-service ratings and ideas campaigns."""
