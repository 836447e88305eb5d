"""Bytes to text: which encoding, and a decode that loses no page for a few bad bytes."""
