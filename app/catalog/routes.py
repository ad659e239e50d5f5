"""Catalogue JSON endpoints."""
