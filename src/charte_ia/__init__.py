"""Charte IA: evidence site and AI-use charter kit for social media teams."""

__version__ = "0.1.0"
