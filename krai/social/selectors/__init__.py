"""Reads of the community, one module per part (import the module: ``from krai.social.selectors import feed``)."""
