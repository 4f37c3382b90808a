"""Tests of the online domain: extraction and indicators for online ads."""
