"""Filler development code: human calibration set, trust benchmark."""
